/* CryptProtectData / CryptUnprotectData of large data: 24 MiB and a byte more than a
 * chunk round-trip, one damaged byte in the middle is found, data too large for a blob that
 * could be opened again is ERROR_INVALID_PARAMETER (before it is read), unreadable data
 * ERROR_NOACCESS, and a blob sealed by sysvec's first format (SHA-256 in counter mode, for
 * the local machine, entropy "kept") still opens. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

#define MAX_BLOB (1u << 28)

static const BYTE first_format[] =    /* (a string: sizeof counts its NUL) */
    "\x01\x00\x00\x00\xd0\x8c\x9d\xdf\x01\x15\xd1\x11\x8c\x7a\x00\xc0"
    "\x4f\xc2\x97\xeb\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b"
    "\x0c\x0d\x0e\x0f\x6e\x4e\x5d\x24\xf1\x4a\x2b\x2a\xd6\x9e\x0c\xf2"
    "\x13\xc2\x46\x43\x83\x18\xad\x30\x77\x4e\xd2\x9d\xea\x9e\xc3\x84"
    "\x98\x5d\x87\x0e\x74\xe8\xbc\x44\xd9\xb1\x34\x5c\xb2\x10\x74\xbd"
    "\x2b\x01\x56\xb2\xd9\xe9\xa1\x57\x7e\xa9\x98\xc5\xdf\x3a\x35\x84"
    "\xae\x43\x06\x22\xc3\xce\x73";

static int round_trip(DWORD size)
{
    BYTE *plain = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    for (DWORD i = 0; i < size; i++)
        plain[i] = (BYTE)(i * 7 + (i >> 12));
    DATA_BLOB in = {size, plain}, sealed, opened;
    if (!CryptProtectData(&in, L"big", NULL, NULL, NULL, 0, &sealed))
        return -1;
    int hidden = size < 64 || memcmp(sealed.pbData + sealed.cbData - 64, plain + size - 64, 64);
    if (!CryptUnprotectData(&sealed, NULL, NULL, NULL, NULL, 0, &opened))
        return -2;
    int same = opened.cbData == size && !memcmp(opened.pbData, plain, size);
    sealed.pbData[sealed.cbData / 2] ^= 0x40;
    SetLastError(0);
    BOOL damaged = CryptUnprotectData(&sealed, NULL, NULL, NULL, NULL, 0, &opened);
    printf("%lu bytes: sealed %lu, hidden %d, same %d, damaged %d %lu\n", size, sealed.cbData,
           hidden, same, damaged, GetLastError());
    LocalFree(sealed.pbData);
    VirtualFree(plain, 0, MEM_RELEASE);
    return 0;
}

int main(void)
{
    round_trip((1u << 20) + 1);
    round_trip(24u << 20);
    BYTE small[16] = {0};
    DATA_BLOB too_big = {MAX_BLOB - 72, small}, out;
    BOOL ok = CryptProtectData(&too_big, NULL, NULL, NULL, NULL, 0, &out);
    printf("largest + 1: %d %lu\n", ok, GetLastError());
    too_big.cbData = MAX_BLOB - 74;
    ok = CryptProtectData(&too_big, L"d", NULL, NULL, NULL, 0, &out);
    printf("largest + 1 with a description: %d %lu\n", ok, GetLastError());
    too_big.cbData = MAX_BLOB + 1;
    ok = CryptUnprotectData(&too_big, NULL, NULL, NULL, NULL, 0, &out);
    printf("blob too large: %d %lu\n", ok, GetLastError());
    DATA_BLOB wild = {100, (BYTE *)0x10};
    ok = CryptProtectData(&wild, NULL, NULL, NULL, NULL, 0, &out);
    printf("unreadable data: %d %lu\n", ok, GetLastError());
    ok = CryptUnprotectData(&wild, NULL, NULL, NULL, NULL, 0, &out);
    printf("unreadable blob: %d %lu\n", ok, GetLastError());
    DATA_BLOB old = {sizeof first_format - 1, (BYTE *)first_format};
    DATA_BLOB entropy = {4, (BYTE *)"kept"};
    LPWSTR description = NULL;
    ok = CryptUnprotectData(&old, &description, &entropy, NULL, NULL, 0, &out);
    printf("first format: %d %.*s [%ls]\n", ok, ok ? (int)out.cbData : 0,
           ok ? (char *)out.pbData : "", description ? description : L"-");
    return 0;
}
