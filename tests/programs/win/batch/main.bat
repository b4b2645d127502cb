@echo off
rem a comment
:: another
setlocal
set NAME=inside
echo args %1 [%~2] all=%*
echo dir=%~dp0 name=%~n0%~x0
call :sub one "two words"
echo after sub errorlevel=%ERRORLEVEL%
if "%1"=="x" echo first is x
if not "%1"=="y" echo first is not y
if exist %~dp0inner.bat echo inner exists
call inner.bat 5
echo inner gave %ERRORLEVEL%
shift
echo shifted %1
goto end
echo skipped
:end
endlocal
echo name now [%NAME%]
exit /b 3
:sub
echo in sub %1 %~2
exit /b 7
