/* A program linked with -lwsock32, Winsock 1.1's DLL, which Windows forwards to ws2_32. */
#include <winsock.h>
#include <stdio.h>

int main(void)
{
    WSADATA data;
    int started = WSAStartup(MAKEWORD(1, 1), &data);
    printf("WSAStartup %d version %d.%d\n", started, LOBYTE(data.wVersion), HIBYTE(data.wVersion));
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int bound = bind(s, (struct sockaddr *)&a, sizeof a), len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    printf("socket %s, bind %d, a port %s\n", s == INVALID_SOCKET ? "invalid" : "made", bound,
           ntohs(a.sin_port) ? "given" : "missing");
    closesocket(s);
    printf("WSACleanup %d\n", WSACleanup());
    return 0;
}
