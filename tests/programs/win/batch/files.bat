@echo off
rem cmd's file commands, as build tools run them (ninja's `cmd /c copy`, npm scripts)
echo hello> a.txt
copy a.txt b.txt
mkdir x\y\z
copy *.txt x\y
dir /b x\y
move b.txt x\moved.txt
ren a.txt c.txt
dir /b
del /q x\y\*.txt
dir /b x\y
mklink /h hard.txt c.txt
type hard.txt
rd x
echo rd of a full folder: %ERRORLEVEL%
rd /s /q x
if exist x (echo x still there) else (echo x gone)
echo one> p1.txt
echo two> p2.txt
copy /b p1.txt+p2.txt joined.txt
type joined.txt
copy p1.txt .
type p1.txt
md d
mklink /d d\back C:\w\d
del /s /q d\none.txt
rd d\back
if exist d\back (echo link still there) else (echo link gone)
rd d
del nothere.txt
