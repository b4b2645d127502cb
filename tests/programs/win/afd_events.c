/* IOCTL_AFD_POLL as a poller without a completion port learns that it completed (libuv's
 * and hand-written users'): NtDeviceIoControlFile's Event (reset when the poll starts, set
 * when it completes), its ApcRoutine (a user APC, run by an alertable SleepEx), the AFD
 * handle itself (a wait on it), DeviceIoControl with an OVERLAPPED, and a finite Timeout
 * (STATUS_TIMEOUT, no socket). The polled socket's peer is a thread of this program that
 * sends after a 200 ms sleep. One line per case. */
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { HANDLE Handle; ULONG Events; NTSTATUS Status; } AFD_POLL_HANDLE_INFO;
typedef struct {
    LARGE_INTEGER Timeout; ULONG NumberOfHandles; ULONG Exclusive;
    AFD_POLL_HANDLE_INFO Handles[1];
} AFD_POLL_INFO;
typedef VOID (NTAPI *APC_ROUTINE)(PVOID, PIO_STATUS_BLOCK, ULONG);
typedef NTSTATUS (NTAPI *NtCreateFile_t)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES,
                                         PIO_STATUS_BLOCK, PLARGE_INTEGER, ULONG, ULONG, ULONG,
                                         ULONG, PVOID, ULONG);
typedef NTSTATUS (NTAPI *NtDeviceIoControlFile_t)(HANDLE, HANDLE, APC_ROUTINE, PVOID,
                                                  PIO_STATUS_BLOCK, ULONG, PVOID, ULONG, PVOID,
                                                  ULONG);
#define IOCTL_AFD_POLL 0x12024
#define AFD_POLL_RECEIVE 0x1
#define SIO_BASE_HANDLE 0x48000022
#define NO_TIMEOUT 0x7fffffffffffffffLL
#define LATE_MS 200

static NtCreateFile_t nt_create_file;
static NtDeviceIoControlFile_t device_control;
static SOCKET client, server;        /* the polled socket and its peer */
static HANDLE afd;

static DWORD WINAPI late_sender(LPVOID unused)
{
    (void)unused;
    Sleep(LATE_MS);
    send(server, "late", 4, 0);
    return 0;
}

static void send_late(void)
{
    CloseHandle(CreateThread(NULL, 0, late_sender, NULL, 0, NULL));
}

static void drain(void)
{
    char buf[16];
    recv(client, buf, sizeof buf, 0);
}

static void connect_pair(void)
{
    struct sockaddr_in a = {0};
    int len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    bind(listener, (struct sockaddr *)&a, sizeof a);
    listen(listener, 1);
    getsockname(listener, (struct sockaddr *)&a, &len);
    client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (connect(client, (struct sockaddr *)&a, sizeof a)) {
        printf("connect error %d\n", WSAGetLastError());
        exit(1);
    }
    server = accept(listener, NULL, NULL);
    closesocket(listener);
}

static HANDLE open_afd(void)
{
    WCHAR path[] = L"\\Device\\Afd\\Events";
    UNICODE_STRING name = {sizeof path - 2, sizeof path, path};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    nt_create_file(&h, SYNCHRONIZE, &oa, &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                   FILE_OPEN, 0, NULL, 0);
    return h;
}

static AFD_POLL_INFO info;
static IO_STATUS_BLOCK iosb;

static void prepare(LONGLONG timeout)
{
    SOCKET base = client;
    DWORD got;
    WSAIoctl(client, SIO_BASE_HANDLE, NULL, 0, &base, sizeof base, &got, NULL, NULL);
    memset(&info, 0, sizeof info);
    info.Timeout.QuadPart = timeout;
    info.NumberOfHandles = 1;
    info.Handles[0].Handle = (HANDLE)base;
    info.Handles[0].Events = AFD_POLL_RECEIVE;
    iosb.Status = -1;
    iosb.Information = 0;
}

static NTSTATUS poll(HANDLE event, APC_ROUTINE apc, PVOID context, LONGLONG timeout)
{
    prepare(timeout);
    return device_control(afd, event, apc, context, &iosb, IOCTL_AFD_POLL, &info, sizeof info,
                          &info, sizeof info);
}

/* What a completed poll left: its status block and output. */
static void result(const char *label, NTSTATUS started, DWORD waited, DWORD ms, int late)
{
    printf("%s: poll 0x%lx wait 0x%lx status 0x%lx bytes %lu handles %lu events 0x%lx %s %d\n",
           label, (unsigned long)started, (unsigned long)waited, (unsigned long)iosb.Status,
           (unsigned long)iosb.Information, info.NumberOfHandles,
           info.NumberOfHandles ? info.Handles[0].Events : 0,
           late ? "late" : "in time", late ? ms >= LATE_MS - 50 : ms >= 80 && ms < 3000);
}

static int apc_ran;
static PVOID apc_context;
static PIO_STATUS_BLOCK apc_iosb;

static VOID NTAPI on_apc(PVOID context, PIO_STATUS_BLOCK status_block, ULONG reserved)
{
    (void)reserved;
    apc_ran++;
    apc_context = context;
    apc_iosb = status_block;
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    nt_create_file = (NtCreateFile_t)GetProcAddress(nt, "NtCreateFile");
    device_control = (NtDeviceIoControlFile_t)GetProcAddress(nt, "NtDeviceIoControlFile");
    WSADATA w;
    WSAStartup(MAKEWORD(2, 2), &w);
    connect_pair();
    afd = open_afd();
    HANDLE event = CreateEventW(NULL, TRUE, TRUE, NULL);    /* signalled: the poll resets it */

    NTSTATUS st = poll(event, NULL, NULL, NO_TIMEOUT);
    DWORD reset = WaitForSingleObject(event, 0);
    send_late();
    DWORD t0 = GetTickCount();
    DWORD r = WaitForSingleObject(event, 5000);
    result("event", st, r, GetTickCount() - t0, 1);
    printf("event reset when the poll started: %d\n", reset == WAIT_TIMEOUT);
    drain();

    t0 = GetTickCount();
    st = poll(event, NULL, NULL, -1000000);                  /* 100 ms, relative */
    r = WaitForSingleObject(event, 5000);
    result("timeout", st, r, GetTickCount() - t0, 0);

    st = poll(NULL, on_apc, (PVOID)0x5150, NO_TIMEOUT);
    send_late();
    t0 = GetTickCount();
    r = SleepEx(INFINITE, TRUE);
    result("apc", st, r, GetTickCount() - t0, 1);
    printf("apc ran %d context 0x%lx status block %d\n", apc_ran,
           (unsigned long)(ULONG_PTR)apc_context, apc_iosb == &iosb);
    drain();

    apc_ran = 0;
    t0 = GetTickCount();
    st = poll(NULL, on_apc, (PVOID)0x5151, -1000000);
    r = SleepEx(INFINITE, TRUE);
    result("apc timeout", st, r, GetTickCount() - t0, 0);
    printf("apc ran %d context 0x%lx\n", apc_ran, (unsigned long)(ULONG_PTR)apc_context);

    st = poll(NULL, NULL, NULL, NO_TIMEOUT);
    DWORD before = WaitForSingleObject(afd, 0);
    send_late();
    t0 = GetTickCount();
    r = WaitForSingleObject(afd, 5000);
    result("handle", st, r, GetTickCount() - t0, 1);
    printf("handle unsignalled while pending: %d\n", before == WAIT_TIMEOUT);
    drain();

    send(server, "now", 3, 0);
    Sleep(50);
    ResetEvent(event);
    st = poll(event, NULL, NULL, NO_TIMEOUT);
    r = WaitForSingleObject(event, 0);
    printf("ready at once: poll 0x%lx event set %d status 0x%lx handles %lu events 0x%lx\n",
           (unsigned long)st, r == WAIT_OBJECT_0, (unsigned long)iosb.Status,
           info.NumberOfHandles, info.Handles[0].Events);
    drain();

    OVERLAPPED ov = {0};
    ov.hEvent = event;
    prepare(NO_TIMEOUT);
    BOOL ok = DeviceIoControl(afd, IOCTL_AFD_POLL, &info, sizeof info, &info, sizeof info,
                              NULL, &ov);
    DWORD error = GetLastError();
    send_late();
    DWORD bytes = 0;
    t0 = GetTickCount();
    BOOL done = GetOverlappedResult(afd, &ov, &bytes, TRUE);
    DWORD ms = GetTickCount() - t0;
    printf("DeviceIoControl: %d error %lu result %d bytes %lu handles %lu events 0x%lx late %d\n",
           ok, (unsigned long)error, done, (unsigned long)bytes, info.NumberOfHandles,
           info.Handles[0].Events, ms >= LATE_MS - 50);
    drain();

    CloseHandle(afd);
    closesocket(client);
    closesocket(server);
    return 0;
}
