/* GetProcAddress by ordinal finds what Windows numbers so: ws2_32's, wsock32's and
   oleaut32's ordinals are fixed (delay-loaded Winsock and OLE automation are imported and
   looked up by them: wsock32's are its own, #12 is ioctlsocket where ws2_32's is
   inet_ntoa); and WSAStartup takes the WORD of a wider argument. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>

static void same(const char *dll, int ordinal, const char *name)
{
    HMODULE h = LoadLibraryA(dll);
    FARPROC by_ordinal = GetProcAddress(h, MAKEINTRESOURCEA(ordinal));
    FARPROC by_name = GetProcAddress(h, name);
    printf("%s #%d %s: %d\n", dll, ordinal, name, by_ordinal != NULL && by_ordinal == by_name);
}

int main(void)
{
    same("ws2_32.dll", 1, "accept");
    same("ws2_32.dll", 9, "htons");
    same("ws2_32.dll", 23, "socket");
    same("ws2_32.dll", 111, "WSAGetLastError");
    same("ws2_32.dll", 115, "WSAStartup");
    same("ws2_32.dll", 116, "WSACleanup");
    same("wsock32.dll", 115, "WSAStartup");
    same("wsock32.dll", 10, "inet_addr");
    same("wsock32.dll", 12, "ioctlsocket");
    same("wsock32.dll", 1141, "AcceptEx");
    same("oleaut32.dll", 2, "SysAllocString");
    same("oleaut32.dll", 6, "SysFreeString");
    HMODULE k = GetModuleHandleA("kernel32.dll");
    printf("past the last ordinal: %d\n", GetProcAddress(k, MAKEINTRESOURCEA(60000)) == NULL);
    typedef int (WSAAPI *startup_fn)(DWORD, WSADATA *);
    startup_fn startup = (startup_fn)GetProcAddress(LoadLibraryA("wsock32.dll"),
                                                    MAKEINTRESOURCEA(115));
    WSADATA data;
    int rc = startup ? startup(0x45E60202, &data) : -1;      /* junk above the WORD */
    printf("WSAStartup: %d version %#x\n", rc, rc == 0 ? data.wVersion : 0);
    return 0;
}
