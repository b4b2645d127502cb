/* Small UCRT, Winsock, kernel32 and shlwapi calls programs import (z3, Qt, OCaml and Rust
 * tools): sign and class tests, _get_tzname, _flushall, WSAHtonl, SignalObjectAndWait,
 * PathIsPrefixW. */
#include <winsock2.h>
#include <windows.h>
#include <shlwapi.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int __cdecl by_direction(void *context, const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return *(int *)context * ((x > y) - (x < y));
}

int __cdecl _fdsign(float);
short __cdecl _fdclass(float);
int __cdecl _dsign(double);
float __cdecl _hypotf(float, float);

int main(void)
{
    volatile double neg_zero = -0.0, one = 1.0;
    volatile float small = 1e-40f, fneg = -2.0f;
    printf("_dsign %d %d, _fdsign %d\n", _dsign(neg_zero) != 0, _dsign(one) != 0,
           _fdsign(fneg) != 0);
    /* the UCRT's own class numbers: subnormal -2, normal -1, NaN 2 */
    printf("_fdclass %d %d %d\n", _fdclass(small), _fdclass(fneg), _fdclass((float)NAN));
    printf("_chgsign %g, _copysign %g, _hypotf %g, _nextafter up %d\n", _chgsign(one),
           _copysign(3.0, -1.0), (double)_hypotf(3.0f, 4.0f), _nextafter(1.0, 2.0) > 1.0);
    size_t n = 0;
    char name[64];
    errno_t e = _get_tzname(&n, name, sizeof name, 0);
    printf("_get_tzname: %d %s (%u)\n", e, name, (unsigned)n);
    printf("_flushall: %d\n", _flushall() >= 3);
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    u_long net = 0;
    u_short net16 = 0;
    int r1 = WSAHtonl(s, 0x01020304, &net), r2 = WSAHtons(s, 0x0102, &net16);
    printf("WSAHtonl %d %08lx, WSAHtons %d %04x\n", r1, net, r2, net16);
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int alen = sizeof addr;
    bind(l, (struct sockaddr *)&addr, sizeof addr);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &alen);
    printf("WSAConnect %d\n", WSAConnect(s, (struct sockaddr *)&addr, sizeof addr, NULL, NULL,
                                         NULL, NULL));
    HANDLE a = CreateEventW(NULL, FALSE, FALSE, NULL), b = CreateEventW(NULL, FALSE, TRUE, NULL);
    DWORD w = SignalObjectAndWait(a, b, 1000, FALSE);
    printf("SignalObjectAndWait: %lu, signalled %d\n", w, WaitForSingleObject(a, 0) == 0);
    w = SignalObjectAndWait(a, b, 50, FALSE);
    printf("then times out: %lu\n", w);
    int values[] = {3, 9, -1, 4}, descending = -1;
    qsort_s(values, 4, sizeof values[0], by_direction, &descending);
    printf("qsort_s %d %d %d %d\n", values[0], values[1], values[2], values[3]);
    printf("PathIsPrefixW %d %d %d\n", PathIsPrefixW(L"C:\\foo", L"c:\\FOO\\bar"),
           PathIsPrefixW(L"C:\\foo", L"C:\\foobar"), PathIsPrefixW(L"C:\\foo\\", L"C:\\foo"));
    return 0;
}
