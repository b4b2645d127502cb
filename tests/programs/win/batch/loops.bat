@echo off
rem Blocks in parentheses, if/else, every form of for, delayed expansion and set /a.
set X=outer
if "%X%"=="outer" (
    echo block one
    echo block two
) else (
    echo not here
)
if "%X%"=="nope" (echo wrong) else echo right
if not exist nowhere.txt (
    if exist data.csv (echo nested if) else (echo wrong)
)
for %%f in (sub\*.txt) do echo file %%~nxf
for /d %%d in (s*) do echo dir %%d
for /l %%i in (1,2,7) do echo n=%%i
for /l %%i in (3,-1,1) do echo down=%%i
for /r sub %%f in (*.txt) do echo tree %%~nxf
for /f "skip=1 tokens=1,3* delims=," %%a in (data.csv) do echo [%%a] [%%b] [%%c]
for /f "eol=# tokens=2 delims=," %%a in ("x,from a string,y") do echo %%a
for /f "tokens=2 delims==" %%v in ('set X') do echo from a command: %%v
for /f "usebackq tokens=*" %%l in (`echo one^& echo two`) do echo line: %%l
for %%w in (red green "blue sky") do (
    echo colour %%~w
    if "%%~w"=="green" echo   that is green
)
setlocal enabledelayedexpansion
set N=0
for %%x in (a b c) do (
    set /a N=!N!+1
    set LAST=%%x
    echo last=!LAST! n=!N!
)
set /a "M=(N*7)%%4, K=1<<4"
echo N=%N% M=!M! K=!K!
endlocal
echo after endlocal N=%N%.
(echo inside & echo also) > out.txt
type out.txt
for %%c in (1 2) do call :twice %%c
echo done ^
continued
exit /b 0

:twice
set /a T=%1*2
echo twice %1 is %T%
exit /b
