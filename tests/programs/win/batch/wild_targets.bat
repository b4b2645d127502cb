@echo off
rem cmd's copy, move and ren with wildcards: several files never go onto one file
echo hello> a.txt
echo world> b.txt
echo one> one.txt
move *.txt one.txt
echo move many onto one: %ERRORLEVEL%
type a.txt
type b.txt
type one.txt
echo s1> s1.q
echo s2> s2.q
copy *.q *
if exist "*" (echo star made) else (echo no star)
copy *.q *.bak
type s1.bak
type s2.bak
ren *.bak *.old
dir /b *.old
ren s1.old s2.old
echo ren onto another: %ERRORLEVEL%
type s2.old
copy *.q all.j
type all.j
md sub
move *.q sub
dir /b sub
move sub\s1.q sub\*.w
dir /b sub
move sub sub\in
