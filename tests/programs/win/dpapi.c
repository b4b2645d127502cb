/* CryptProtectData / CryptUnprotectData (pywin32's win32crypt, credential stores): a blob
 * opens again with its description, not with another entropy nor when it is damaged. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static int contains(const BYTE *data, DWORD size, const char *text, DWORD n)
{
    for (DWORD i = 0; i + n <= size; i++)
        if (!memcmp(data + i, text, n))
            return 1;
    return 0;
}

int main(void)
{
    DATA_BLOB in = {7, (BYTE *)"secret!"}, sealed, opened, entropy = {4, (BYTE *)"salt"};
    DATA_BLOB wrong = {4, (BYTE *)"pepr"};
    BOOL ok = CryptProtectData(&in, L"my token", &entropy, NULL, NULL, 0, &sealed);
    printf("protect %d, sealed larger %d, not plain %d\n", ok, sealed.cbData > in.cbData,
           !contains(sealed.pbData, sealed.cbData, "secret!", 7));
    LPWSTR description = NULL;
    ok = CryptUnprotectData(&sealed, &description, &entropy, NULL, NULL, 0, &opened);
    printf("unprotect %d: %.*s [%ls]\n", ok, (int)opened.cbData, (char *)opened.pbData,
           description ? description : L"-");
    LocalFree(description);
    LocalFree(opened.pbData);
    ok = CryptUnprotectData(&sealed, NULL, &wrong, NULL, NULL, 0, &opened);
    printf("another entropy %d %lu\n", ok, GetLastError());
    sealed.pbData[sealed.cbData - 1] ^= 1;
    ok = CryptUnprotectData(&sealed, NULL, &entropy, NULL, NULL, 0, &opened);
    printf("damaged %d %lu\n", ok, GetLastError());
    LocalFree(sealed.pbData);
    return 0;
}
