@echo off
rem What cmd's parser does with loop bodies, escapes, values and else-if chains.
for %%f in (sub\*.txt) do echo %%~nxf>> list.txt
type list.txt
for %%a in (1 2) do echo %%a& echo x
for /f "delims=" %%l in (tricky.txt) do echo [%%l]
if exist b echo a redirection ran
if exist gone.txt echo gone.txt is still here
set /a h=08 2>nul || echo invalid number
if x==x (echo ^<html^>)
@IF EXIST tricky.txt (
    echo at-if opened a block
)
set K=b
if "%K%"=="a" (
    echo wrong a
) else if "%K%"=="b" (
    rem a comment (with a parenthesis
    echo else-if b
) else (
    echo wrong else
)
cmd /c exit 3
for %%x in (1) do if errorlevel 3 echo for keeps errorlevel 3
