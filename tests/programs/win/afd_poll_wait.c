/* How Rust's mio (tokio: xh, reqwest, Deno) waits for a socket: IOCTL_AFD_POLL on a
 * \Device\Afd handle tied to a completion port, then GetQueuedCompletionStatus(Ex) for ever.
 * The peer answers late. `afd_poll_wait` : a thread of this program sleeps, then sends;
 * `afd_poll_wait PORT`: a host server (reached with --allow-connect) does; `afd_poll_wait
 * accept PORT`: a listener on guest PORT waits for a host client (through --publish). The
 * first two wait once with GetQueuedCompletionStatusEx, once without Ex. A host peer was a
 * false deadlock: the wait watched the AFD handle's host descriptors, not the socket's. */
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { HANDLE Handle; ULONG Events; NTSTATUS Status; } AFD_POLL_HANDLE_INFO;
typedef struct {
    LARGE_INTEGER Timeout; ULONG NumberOfHandles; ULONG Exclusive;
    AFD_POLL_HANDLE_INFO Handles[1];
} AFD_POLL_INFO;
typedef NTSTATUS (NTAPI *NtCreateFile_t)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES,
                                         PIO_STATUS_BLOCK, PLARGE_INTEGER, ULONG, ULONG, ULONG,
                                         ULONG, PVOID, ULONG);
typedef NTSTATUS (NTAPI *NtDeviceIoControlFile_t)(HANDLE, HANDLE, PVOID, PVOID,
                                                  PIO_STATUS_BLOCK, ULONG, PVOID, ULONG, PVOID,
                                                  ULONG);
#define IOCTL_AFD_POLL 0x12024
#define AFD_POLL_RECEIVE 0x1
#define AFD_POLL_DISCONNECT 0x8
#define AFD_POLL_ABORT 0x10
#define AFD_POLL_ACCEPT 0x80
#define SIO_BASE_HANDLE 0x48000022
#define KEY 7

static NtCreateFile_t nt_create_file;
static NtDeviceIoControlFile_t device_control;
static SOCKET listener;

/* The machine-internal peer: takes the connection, answers after a sleep, then waits for
 * the poller's close (so the poll sees the data alone, not the end too). */
static DWORD WINAPI late_peer(LPVOID unused)
{
    (void)unused;
    SOCKET c = accept(listener, NULL, NULL);
    Sleep(300);
    send(c, "late", 4, 0);
    char buf[16];
    while (recv(c, buf, sizeof buf, 0) > 0)
        ;
    closesocket(c);
    return 0;
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

static SOCKET overlapped_socket(void)
{
    return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
}

static SOCKET connect_peer(int host_port)
{
    struct sockaddr_in a = loopback(host_port);
    if (!host_port) {
        int len = sizeof a;
        listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        bind(listener, (struct sockaddr *)&a, sizeof a);
        listen(listener, 1);
        getsockname(listener, (struct sockaddr *)&a, &len);
        CloseHandle(CreateThread(NULL, 0, late_peer, NULL, 0, NULL));
    }
    SOCKET s = overlapped_socket();
    if (connect(s, (struct sockaddr *)&a, sizeof a)) {
        printf("connect error %d\n", WSAGetLastError());
        exit(1);
    }
    return s;
}

/* Poll s for events through an AFD handle on a port of its own, wait for its packet for
 * ever, then read what came (from an accepted connection, for a listener); print it all. */
static void poll_and_wait(SOCKET s, ULONG events, int ex)
{
    SOCKET base = s;
    DWORD got;
    WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof base, &got, NULL, NULL);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    WCHAR path[] = L"\\Device\\Afd\\Mio";
    UNICODE_STRING name = {sizeof path - 2, sizeof path, path};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    HANDLE afd;
    IO_STATUS_BLOCK open_iosb;
    nt_create_file(&afd, SYNCHRONIZE, &oa, &open_iosb, NULL, 0,
                   FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, NULL, 0);
    CreateIoCompletionPort(afd, port, KEY, 0);
    SetFileCompletionNotificationModes(afd, FILE_SKIP_SET_EVENT_ON_HANDLE);

    AFD_POLL_INFO info = {0};
    info.Timeout.QuadPart = 0x7fffffffffffffffLL;      /* mio's: no timeout */
    info.NumberOfHandles = 1;
    info.Handles[0].Handle = (HANDLE)base;
    info.Handles[0].Events = events;
    static IO_STATUS_BLOCK iosb;
    NTSTATUS st = device_control(afd, NULL, NULL, &iosb, &iosb, IOCTL_AFD_POLL, &info,
                                 sizeof info, &info, sizeof info);

    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    DWORD bytes = 0;
    BOOL ok;
    if (ex) {
        OVERLAPPED_ENTRY ents[4];
        ULONG n = 0;
        ok = GetQueuedCompletionStatusEx(port, ents, 4, &n, INFINITE, FALSE) && n == 1;
        key = ents[0].lpCompletionKey, ov = ents[0].lpOverlapped;
        bytes = ents[0].dwNumberOfBytesTransferred;
    } else {
        ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE);
    }
    SOCKET from = events & AFD_POLL_ACCEPT ? accept(s, NULL, NULL) : s;
    char buf[16] = {0};
    int r = recv(from, buf, sizeof buf - 1, 0);
    printf("%s: poll 0x%lx woke %d key %d context %d status 0x%lx bytes %lu handles %lu "
           "same %d events 0x%lx recv %d [%s]\n",
           ex ? "GetQueuedCompletionStatusEx" : "GetQueuedCompletionStatus", (unsigned long)st,
           ok, (int)key, ov == (OVERLAPPED *)&iosb, (unsigned long)iosb.Status,
           (unsigned long)bytes, info.NumberOfHandles, info.Handles[0].Handle == (HANDLE)base,
           info.Handles[0].Events, r, buf);
    fflush(stdout);
    if (from != s)
        closesocket(from);
    CloseHandle(afd);
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    nt_create_file = (NtCreateFile_t)GetProcAddress(nt, "NtCreateFile");
    device_control = (NtDeviceIoControlFile_t)GetProcAddress(nt, "NtDeviceIoControlFile");
    WSADATA w;
    WSAStartup(MAKEWORD(2, 2), &w);
    if (argc > 2 && !strcmp(argv[1], "accept")) {
        struct sockaddr_in a = loopback(atoi(argv[2]));
        SOCKET l = overlapped_socket();
        bind(l, (struct sockaddr *)&a, sizeof a);
        listen(l, 4);
        printf("listening\n");
        fflush(stdout);
        poll_and_wait(l, AFD_POLL_ACCEPT, 1);
        closesocket(l);
        return 0;
    }
    int host_port = argc > 1 ? atoi(argv[1]) : 0;
    for (int ex = 1; ex >= 0; ex--) {
        SOCKET s = connect_peer(host_port);
        poll_and_wait(s, AFD_POLL_RECEIVE | AFD_POLL_DISCONNECT | AFD_POLL_ABORT, ex);
        closesocket(s);
        if (!host_port)
            closesocket(listener);
    }
    return 0;
}
