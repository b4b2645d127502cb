/* AF_UNIX sockets on Windows (afunix.h) and the peer's process id, SIO_AF_UNIX_GETPEERPID, as
 * OCaml's Unix.socketpair checks it (semgrep-core failed every scan with WSAEOPNOTSUPP). */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define SIO_AF_UNIX_GETPEERPID 0x58000100
struct sockaddr_un_ { ADDRESS_FAMILY sun_family; char sun_path[108]; };

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    struct sockaddr_un_ addr = {AF_UNIX, "peer.sock"};
    DeleteFileA("peer.sock");
    SOCKET l = socket(AF_UNIX, SOCK_STREAM, 0);
    int b = bind(l, (struct sockaddr *)&addr, sizeof addr), li = listen(l, 1);
    SOCKET c = socket(AF_UNIX, SOCK_STREAM, 0);
    int co = connect(c, (struct sockaddr *)&addr, sizeof addr);
    SOCKET a = accept(l, NULL, NULL);
    ULONG pid = 0;
    DWORD got = 0;
    int r = WSAIoctl(a, SIO_AF_UNIX_GETPEERPID, NULL, 0, &pid, sizeof pid, &got, NULL, NULL);
    printf("bind %d listen %d connect %d ioctl %d bytes %lu self %d\n", b, li, co, r, got,
           pid == GetCurrentProcessId());
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    r = WSAIoctl(t, SIO_AF_UNIX_GETPEERPID, NULL, 0, &pid, sizeof pid, &got, NULL, NULL);
    printf("tcp socket %d error %d\n", r, WSAGetLastError());
    closesocket(a), closesocket(c), closesocket(l), closesocket(t);
    DeleteFileA("peer.sock");
    return 0;
}
