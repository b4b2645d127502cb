/* WSASendMsg and WSARecvMsg (the latter through WSAIoctl's WSAID_WSARECVMSG): a datagram
   to a socket's own address on the loopback, gathered from two buffers, and the sender's
   address in the received message. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(s, (struct sockaddr *)&addr, sizeof addr);
    int len = sizeof addr;
    getsockname(s, (struct sockaddr *)&addr, &len);

    WSABUF parts[2] = {{5, "hello"}, {6, " world"}};
    WSAMSG out = {.name = (struct sockaddr *)&addr, .namelen = sizeof addr,
                  .lpBuffers = parts, .dwBufferCount = 2};
    DWORD sent = 0;
    int r = WSASendMsg(s, &out, 0, &sent, NULL, NULL);
    printf("WSASendMsg: %d %lu\n", r, sent);

    LPFN_WSARECVMSG recvmsg_fn = NULL;
    GUID guid = WSAID_WSARECVMSG;
    DWORD got = 0;
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &recvmsg_fn,
                 sizeof recvmsg_fn, &got, NULL, NULL);
    printf("extension: %d %d\n", r, recvmsg_fn != NULL);
    char buf[32] = {0}, control[64];
    struct sockaddr_in from = {0};
    WSABUF in_buf = {sizeof buf, buf};
    WSAMSG in = {.name = (struct sockaddr *)&from, .namelen = sizeof from,
                 .lpBuffers = &in_buf, .dwBufferCount = 1,
                 .Control = {sizeof control, control}};
    DWORD received = 0;
    r = recvmsg_fn(s, &in, &received, NULL, NULL);
    printf("WSARecvMsg: %d %lu '%s' from loopback %d same port %d control %lu\n", r, received,
           buf, from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), from.sin_port == addr.sin_port,
           in.Control.len);
    closesocket(s);
    WSACleanup();
    return 0;
}
