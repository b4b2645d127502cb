@echo off
echo inner with %1
exit /b %1
