/* How libuv's uv_poll waits for a socket (Bun's servers): only when the socket's provider is
 * Windows' own (SO_PROTOCOL_INFOW's ProviderId is MSAFD Tcpip's) does it poll through AFD,
 * with IOCTL_AFD_POLL sent on a "peer socket" of the same provider, naming the watched
 * socket in the poll information; the poll pends, then completes when a client connects. */
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef struct { HANDLE Handle; ULONG Events; NTSTATUS Status; } AFD_POLL_HANDLE_INFO;
typedef struct {
    LARGE_INTEGER Timeout; ULONG NumberOfHandles; ULONG Exclusive;
    AFD_POLL_HANDLE_INFO Handles[1];
} AFD_POLL_INFO;
typedef NTSTATUS (NTAPI *NtDeviceIoControlFile_t)(HANDLE, HANDLE, PVOID, PVOID,
                                                  PIO_STATUS_BLOCK, ULONG, PVOID, ULONG, PVOID,
                                                  ULONG);
#define IOCTL_AFD_POLL 0x12024
#define AFD_POLL_ACCEPT 0x80

static const GUID msafd_tcpip = {0xe70f1aa0, 0xab8b, 0x11cf,
                                 {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    NtDeviceIoControlFile_t device_control = (NtDeviceIoControlFile_t)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtDeviceIoControlFile");
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    getsockopt(listener, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    printf("provider is MSAFD's: %d\n", memcmp(&info.ProviderId, &msafd_tcpip, sizeof msafd_tcpip) == 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)&a, sizeof a);
    int alen = sizeof a;
    getsockname(listener, (struct sockaddr *)&a, &alen);
    listen(listener, 4);
    SOCKET peer = WSASocketW(info.iAddressFamily, info.iSocketType, info.iProtocol, &info, 0,
                             WSA_FLAG_OVERLAPPED);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    AFD_POLL_INFO poll = {0}, out = {0};
    poll.Timeout.QuadPart = INT64_MAX;
    poll.NumberOfHandles = 1;
    poll.Handles[0].Handle = (HANDLE)listener;
    poll.Handles[0].Events = AFD_POLL_ACCEPT;
    IO_STATUS_BLOCK iosb;
    NTSTATUS status = device_control((HANDLE)peer, event, NULL, NULL, &iosb, IOCTL_AFD_POLL,
                                     &poll, sizeof poll, &out, sizeof out);
    printf("poll through a peer socket: %#lx\n", (unsigned long)status);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(client, (struct sockaddr *)&a, sizeof a);
    DWORD waited = WaitForSingleObject(event, 10000);
    printf("completed %d, handles %lu, accept %d\n", waited == WAIT_OBJECT_0,
           out.NumberOfHandles, (out.Handles[0].Events & AFD_POLL_ACCEPT) != 0);
    return 0;
}
