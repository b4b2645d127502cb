/* wtsapi32's sessions: services' session 0 (disconnected) and the console's session 1
   (active), where this process runs; what WTSQuerySessionInformation says of the console
   (its user is GetUserName's) and of session 0 (no user); an unknown session and a bad
   version. psutil's users() and pywin32's win32ts.WTSEnumerateSessions died here. */
#include <windows.h>
#include <wtsapi32.h>
#include <stdio.h>

static void query(DWORD session, WTS_INFO_CLASS cls, const char *what)
{
    LPWSTR buffer = NULL;
    DWORD bytes = 0;
    BOOL ok = WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, session, cls, &buffer,
                                          &bytes);
    if (!ok) {
        printf("%s: failed %lu\n", what, GetLastError());
        return;
    }
    if (cls == WTSSessionId || cls == WTSConnectState)
        printf("%s: %lu (%lu bytes)\n", what, *(DWORD *)buffer, bytes);
    else if (cls == WTSClientAddress)
        printf("%s: family %lu (%lu bytes)\n", what, ((WTS_CLIENT_ADDRESS *)buffer)->AddressFamily,
               bytes);
    else if (cls == WTSClientProtocolType)
        printf("%s: %u (%lu bytes)\n", what, *(USHORT *)buffer, bytes);
    else
        printf("%s: [%ls] (%lu bytes)\n", what, buffer, bytes);
    WTSFreeMemory(buffer);
}

int main(void)
{
    WTS_SESSION_INFOW *sessions;
    DWORD count;
    BOOL ok = WTSEnumerateSessionsW(WTS_CURRENT_SERVER_HANDLE, 0, 1, &sessions, &count);
    printf("enumerate %d count %lu\n", ok, count);
    for (DWORD i = 0; i < count; i++)
        printf("session %lu %ls state %d\n", sessions[i].SessionId, sessions[i].pWinStationName,
               sessions[i].State);
    WTSFreeMemory(sessions);
    DWORD mine = 99;
    ProcessIdToSessionId(GetCurrentProcessId(), &mine);
    printf("mine %lu\n", mine);

    WCHAR user[64];
    DWORD size = 64;
    GetUserNameW(user, &size);
    LPWSTR name;
    DWORD bytes;
    WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTSUserName,
                                &name, &bytes);
    printf("user is GetUserName's %d, bytes %d\n", !wcscmp(name, user),
           bytes == (wcslen(user) + 1) * 2);
    WTSFreeMemory(name);
    query(WTS_CURRENT_SESSION, WTSSessionId, "session id");
    query(WTS_CURRENT_SESSION, WTSWinStationName, "station");
    query(WTS_CURRENT_SESSION, WTSConnectState, "state");
    query(WTS_CURRENT_SESSION, WTSClientAddress, "address");
    query(WTS_CURRENT_SESSION, WTSClientProtocolType, "protocol");
    query(0, WTSUserName, "session 0 user");
    query(0, WTSConnectState, "session 0 state");
    query(7, WTSUserName, "session 7");

    WTSINFOW *info;
    ok = WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, 1, WTSSessionInfo,
                                     (LPWSTR *)&info, &bytes);
    printf("info %d bytes %lu state %d session %lu station %ls user same %d logged on %d\n",
           ok, bytes, info->State, info->SessionId, info->WinStationName,
           !wcscmp(info->UserName, user), info->LogonTime.QuadPart > 0 &&
           info->LogonTime.QuadPart <= info->CurrentTime.QuadPart);
    WTSFreeMemory(info);

    SetLastError(0);
    ok = WTSEnumerateSessionsW(WTS_CURRENT_SERVER_HANDLE, 0, 2, &sessions, &count);
    printf("version 2: %d %lu\n", ok, GetLastError());
    return 0;
}
