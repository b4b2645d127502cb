/* Case mapping keeps a string's length: Windows maps character by character, and a
   character without a one-character mapping stays (Bun's C runtime builds a 256-entry case
   table with LCMapStringEx and got 257 characters back). */
#include <windows.h>
#include <stdio.h>

static void show(const char *what, int n, const WCHAR *s, int units)
{
    printf("%s %d:", what, n);
    for (int i = 0; i < units; i++)
        printf(" %04x", s[i]);
    printf("\n");
}

int main(void)
{
    WCHAR out[300], src[256];
    int n = LCMapStringEx(L"en-US", LCMAP_UPPERCASE, L"\u00dfa\u00ff", 3, NULL, 0, NULL, NULL, 0);
    printf("upper size %d\n", n);
    n = LCMapStringEx(L"en-US", LCMAP_UPPERCASE, L"\u00dfa\u00ff", 3, out, 3, NULL, NULL, 0);
    show("upper", n, out, 3);
    n = LCMapStringEx(L"en-US", LCMAP_LOWERCASE, L"\u0130X\ufb00", 3, out, 3, NULL, NULL, 0);
    show("lower", n, out, 3);
    n = LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"\ufb01x", -1, out, 10);
    show("upper W", n, out, 3);
    for (int i = 0; i < 256; i++)
        src[i] = (WCHAR)i;
    n = LCMapStringEx(LOCALE_NAME_INVARIANT, LCMAP_UPPERCASE, src, 256, out, 256, NULL, NULL, 0);
    printf("table %d: %04x %04x %04x %04x\n", n, out['a'], out[0xb5], out[0xdf], out[0xff]);
    char narrow[8];
    n = LCMapStringA(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, "\xdf" "a\xff", -1, narrow, 8);
    printf("upper A %d: %02x %02x %02x %02x\n", n, (BYTE)narrow[0], (BYTE)narrow[1],
           (BYTE)narrow[2], (BYTE)narrow[3]);
    WCHAR word[] = L"stra\u00dfe";
    CharUpperW(word);
    show("CharUpperW", lstrlenW(word), word, 6);
    printf("CharLowerW char %04x\n", (unsigned)(ULONG_PTR)CharLowerW((LPWSTR)(ULONG_PTR)0x130));
    WCHAR buff[] = L"\u00df\ufb00b!";
    n = CharUpperBuffW(buff, 3);
    show("CharUpperBuffW", n, buff, 4);
    char abuff[] = "\xdf\xffq";
    n = CharUpperBuffA(abuff, 2);
    printf("CharUpperBuffA %d: %02x %02x %02x\n", n, (BYTE)abuff[0], (BYTE)abuff[1], (BYTE)abuff[2]);
    WCHAR lbuff[] = L"\u0130AB";
    n = CharLowerBuffW(lbuff, 2);
    show("CharLowerBuffW", n, lbuff, 3);
    printf("ordinal %d\n", CompareStringOrdinal(L"\u00df", -1, L"SS", -1, TRUE));
    return 0;
}
