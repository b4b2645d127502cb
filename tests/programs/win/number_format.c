/* GetNumberFormat and GetCurrencyFormat in en-US and with a caller's NUMBERFMT. */
#define UNICODE
#include <windows.h>
#include <stdio.h>

static void number(const wchar_t *value, NUMBERFMTW *fmt)
{
    wchar_t out[64];
    int n = GetNumberFormatEx(L"en-US", 0, value, fmt, out, 64);
    printf("[%ls] %d\n", n ? out : L"-", n ? n : (int)GetLastError());
}

int main(void)
{
    number(L"1234567.891", NULL);
    number(L"-0.5", NULL);
    number(L"12.3x", NULL);
    number(L"1234567890123456789012345678", NULL);     /* more digits than a double has */
    NUMBERFMTW f = {1, 0, 32, L",", L".", 0};
    number(L"1234567.25", &f);
    number(L"-0.25", &f);
    wchar_t out[64];
    int n = GetCurrencyFormatW(LOCALE_USER_DEFAULT, 0, L"-1234.5", NULL, out, 64);
    printf("[%ls] %d\n", out, n);
    n = GetCurrencyFormatW(LOCALE_USER_DEFAULT, 0, L"1234.5", NULL, out, 64);
    printf("[%ls] %d\n", out, n);
    printf("size only %d\n", GetNumberFormatW(LOCALE_USER_DEFAULT, 0, L"1000", NULL, NULL, 0));
    return 0;
}
