@echo off
rem cmd.exe gaps a sweep found: echo( , type with wildcards, move of a folder and of nothing
echo(hello
echo(
echo one> a.txt
echo two> b.txt
type *.txt
type nothing*.zz
echo type none: %ERRORLEVEL%
type a.txt
md d1
move d1 d2
if exist d2 echo d2 there
move nothere.txt x.txt
echo move missing: %ERRORLEVEL%
