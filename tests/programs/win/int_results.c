/* A 32-bit result leaves the upper half of RAX zero, as a compiled function writing EAX
   does: Go's syscall package compares all of RAX with 0xFFFFFFFF (SOCKET_ERROR,
   INVALID_FILE_ATTRIBUTES), and took a failed bind for a success. */
#include <winsock2.h>
#include <stdio.h>

typedef unsigned long long (WINAPI *bind64)(SOCKET, const struct sockaddr *, int);
typedef unsigned long long (WINAPI *attributes64)(const char *);

int main(void)
{
    WSADATA w;
    WSAStartup(0x202, &w);
    bind64 b = (bind64)GetProcAddress(LoadLibraryA("ws2_32.dll"), "bind");
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000001);
    SOCKET s1 = socket(AF_INET, SOCK_STREAM, 0), s2 = socket(AF_INET, SOCK_STREAM, 0);
    unsigned long long first = b(s1, (void *)&a, sizeof a);
    int len = sizeof a;
    getsockname(s1, (void *)&a, &len);
    unsigned long long again = b(s2, (void *)&a, sizeof a);
    int error = WSAGetLastError();
    attributes64 g = (attributes64)GetProcAddress(GetModuleHandleA("kernel32.dll"),
                                                  "GetFileAttributesA");
    unsigned long long missing = g("C:\\nope.txt");
    printf("bind 0x%llx in use 0x%llx %d attributes 0x%llx\n", first, again, error, missing);
    return 0;
}
