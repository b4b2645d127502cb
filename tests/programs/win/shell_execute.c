/* ShellExecuteEx opens a program (its process handle with SEE_MASK_NOCLOSEPROCESS) and
 * reports that nothing is associated with a URL or a document here. argv[0] runs itself. */
#define UNICODE
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("child got %s\n", argv[1]);
        return 7;
    }
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    SHELLEXECUTEINFOW info = {sizeof info};
    info.fMask = SEE_MASK_NOCLOSEPROCESS;
    info.lpVerb = L"open";
    info.lpFile = self;
    info.lpParameters = L"hello";
    info.nShow = SW_HIDE;
    BOOL ok = ShellExecuteExW(&info);
    DWORD code = 0;
    WaitForSingleObject(info.hProcess, INFINITE);
    GetExitCodeProcess(info.hProcess, &code);
    printf("started %d, hInstApp above 32 %d, exit %lu\n", ok, (INT_PTR)info.hInstApp > 32, code);
    fflush(stdout);
    SHELLEXECUTEINFOW url = {sizeof url};
    url.lpFile = L"https://example.com/";
    ok = ShellExecuteExW(&url);
    DWORD err = GetLastError();
    printf("url: %d %lu hInstApp %d\n", ok, err, (int)(INT_PTR)url.hInstApp);
    HINSTANCE r = ShellExecuteW(NULL, L"open", L"notes.txt", NULL, NULL, SW_SHOW);
    printf("document: %d\n", (int)(INT_PTR)r);
    return 0;
}
