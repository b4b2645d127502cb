/* Text set on the clipboard in one text format is there in the others, as Windows makes
   them: UTF-16 set, ANSI and OEM text read (and the locale), and the other way round.
   pywin32's SetClipboardText sets CF_UNICODETEXT and its GetClipboardData asks for CF_TEXT,
   which was "not available". */
#include <windows.h>
#include <stdio.h>

static void set(UINT format, const void *data, size_t size)
{
    HGLOBAL block = GlobalAlloc(GMEM_MOVEABLE, size);
    memcpy(GlobalLock(block), data, size);
    GlobalUnlock(block);
    OpenClipboard(NULL);
    EmptyClipboard();
    SetClipboardData(format, block);
    CloseClipboard();
}

static void formats(void)
{
    OpenClipboard(NULL);
    printf("formats %d:", CountClipboardFormats());
    for (UINT f = EnumClipboardFormats(0); f; f = EnumClipboardFormats(f))
        printf(" %u", f);
    printf(" end %lu\n", GetLastError());
    CloseClipboard();
}

int main(void)
{
    set(CF_UNICODETEXT, L"caf\u00e9 \u20ac", 14);
    formats();
    OpenClipboard(NULL);
    printf("available text %d oem %d bitmap %d\n", IsClipboardFormatAvailable(CF_TEXT),
           IsClipboardFormatAvailable(CF_OEMTEXT), IsClipboardFormatAvailable(CF_BITMAP));
    const unsigned char *ansi = GlobalLock(GetClipboardData(CF_TEXT));
    printf("ansi %02x %02x %02x\n", ansi[3], ansi[5], ansi[6]);
    const unsigned char *oem = GlobalLock(GetClipboardData(CF_OEMTEXT));
    printf("oem %02x\n", oem[3]);
    LCID *locale = GlobalLock(GetClipboardData(CF_LOCALE));
    printf("locale %04lx\n", *locale);
    CloseClipboard();

    set(CF_TEXT, "plain\0junk", 11);
    OpenClipboard(NULL);
    printf("from ansi [%ls]\n", (WCHAR *)GlobalLock(GetClipboardData(CF_UNICODETEXT)));
    CloseClipboard();
    UINT first = EnumClipboardFormats(0);
    printf("closed enum %u %lu\n", first, GetLastError());
    return 0;
}
