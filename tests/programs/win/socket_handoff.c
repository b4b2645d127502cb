/* A connection handed to a child process, the way PostgreSQL's postmaster gives each
   client to its backend: sockets are inheritable handles (WSA_FLAG_NO_HANDLE_INHERIT makes
   one that is not); the parent describes the socket with WSADuplicateSocket for the
   suspended child and closes its own handle before the child runs (the description holds
   the socket, inherited or not); the child makes its socket from that description, closes
   the handle it may have inherited and talks to the client. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static int child(SOCKET inherited, SOCKET private_one, const char *info_file)
{
    WSAPROTOCOL_INFOA info;
    FILE *f = fopen(info_file, "rb");
    if (!f || fread(&info, sizeof info, 1, f) != 1)
        return 2;
    fclose(f);
    int r = closesocket(private_one);
    printf("child: close uninheritable=%d error=%d\n", r, WSAGetLastError());
    r = closesocket(inherited);
    printf("child: close inherited=%d error=%d\n", r, r ? WSAGetLastError() : 0);
    SOCKET s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info,
                          0, 0);
    printf("child: made=%d\n", s != INVALID_SOCKET);
    r = send(s, "from the child", 14, 0);
    printf("child: send=%d error=%d\n", r, r < 0 ? WSAGetLastError() : 0);
    fflush(stdout);
    closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (argc > 3)
        return child((SOCKET)_strtoui64(argv[1], NULL, 10),
                     (SOCKET)_strtoui64(argv[2], NULL, 10), argv[3]);
    SOCKET lst = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    int len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(lst, (struct sockaddr *)&a, sizeof a);
    listen(lst, 1);
    getsockname(lst, (struct sockaddr *)&a, &len);
    SOCKET private_one = WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
    for (int inherit = 1; inherit >= 0; inherit--) {
        SOCKET client = socket(AF_INET, SOCK_STREAM, 0);
        connect(client, (struct sockaddr *)&a, sizeof a);
        SOCKET conn = accept(lst, NULL, NULL);
        char line[MAX_PATH + 64];
        snprintf(line, sizeof line, "\"%s\" %llu %llu handoff.bin", argv[0],
                 (unsigned long long)conn, (unsigned long long)private_one);
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        printf("parent: inherit=%d\n", inherit);
        fflush(stdout);
        if (!CreateProcessA(NULL, line, NULL, NULL, inherit, CREATE_SUSPENDED, NULL, NULL, &si,
                            &pi))
            return 3;
        WSAPROTOCOL_INFOA info;
        int r = WSADuplicateSocketA(conn, pi.dwProcessId, &info);
        FILE *f = fopen("handoff.bin", "wb");
        fwrite(&info, sizeof info, 1, f);
        fclose(f);
        closesocket(conn);
        ResumeThread(pi.hThread);
        char buf[64];
        int n = recv(client, buf, sizeof buf - 1, 0);
        buf[n > 0 ? n : 0] = 0;
        WaitForSingleObject(pi.hProcess, INFINITE);
        printf("parent: duplicate=%d got \"%s\"\n", r, buf);
        n = recv(client, buf, sizeof buf, 0);
        printf("parent: then %d\n", n);
        closesocket(client);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    return 0;
}
