@echo off
rem set /p from a file and from standard input; start, with /wait and without.
set /p FIRST=<data.csv
echo first=[%FIRST%]
set /p NAME=Your name? 
echo hello [%NAME%]
set /p MORE=
echo more=[%MORE%] %ERRORLEVEL%
start "a title" /wait /d sub cmd /c "cd & exit 4"
echo waited %ERRORLEVEL%
start /b /wait inner.bat 6
echo after the batch file %ERRORLEVEL%
