/* The older service listing, EnumServicesStatus (A and W), answers as EnumServicesStatusEx
   does on a machine with no services: TRUE, none returned, no more needed. pywin32's
   win32service.EnumServicesStatus died on the missing EnumServicesStatusW. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
    BYTE buf[1024];
    DWORD need = 7, count = 7, resume = 0;
    BOOL ok = EnumServicesStatusW(scm, SERVICE_WIN32, SERVICE_STATE_ALL,
                                  (ENUM_SERVICE_STATUSW *)buf, sizeof buf, &need, &count,
                                  &resume);
    printf("W %d need %lu count %lu\n", ok, need, count);
    need = count = 7;
    ok = EnumServicesStatusA(scm, SERVICE_WIN32, SERVICE_STATE_ALL, (ENUM_SERVICE_STATUSA *)buf,
                             sizeof buf, &need, &count, &resume);
    printf("A %d need %lu count %lu\n", ok, need, count);
    need = count = 7;
    ok = EnumServicesStatusExA(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, buf,
                               sizeof buf, &need, &count, &resume, NULL);
    printf("ExA %d need %lu count %lu\n", ok, need, count);
    CloseServiceHandle(scm);
    ok = EnumServicesStatusW(NULL, SERVICE_WIN32, SERVICE_STATE_ALL, NULL, 0, &need, &count,
                             &resume);
    printf("no manager %d %lu\n", ok, GetLastError());
    return 0;
}
