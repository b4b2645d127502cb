/* ncrypt.dll and tbs.dll looked up function by function, as Go's go-attestation does at
 * start-up (caddy panicked on the first one missing), then called: a machine with no key
 * storage provider and no TPM answers. */
#include <windows.h>
#include <stdio.h>

static const char *ncrypt_names[] = {
    "NCryptOpenStorageProvider", "NCryptFreeObject", "NCryptGetProperty", "NCryptSetProperty",
    "NCryptOpenKey", "NCryptCreatePersistedKey", "NCryptFinalizeKey", "NCryptDeleteKey",
    "NCryptExportKey", "NCryptImportKey", "NCryptSignHash", "NCryptVerifySignature",
    "NCryptEncrypt", "NCryptDecrypt", "NCryptEnumKeys", "NCryptFreeBuffer",
    "NCryptIsAlgSupported", "NCryptEnumStorageProviders", "NCryptIsKeyHandle"};
static const char *tbs_names[] = {"Tbsi_Context_Create", "Tbsi_GetDeviceInfo",
                                  "Tbsip_Context_Close", "Tbsip_Submit_Command",
                                  "Tbsi_Get_TCG_Log"};

typedef LONG (WINAPI *open_fn)(ULONG_PTR *, LPCWSTR, DWORD);
typedef LONG (WINAPI *one_fn)(ULONG_PTR);
typedef LONG (WINAPI *enum_fn)(DWORD *, void **, DWORD);
typedef UINT32 (WINAPI *info_fn)(UINT32, void *);

int main(void)
{
    HMODULE ncrypt = LoadLibraryA("ncrypt.dll"), tbs = LoadLibraryA("tbs.dll");
    int found = 0;
    for (unsigned i = 0; i < sizeof ncrypt_names / sizeof *ncrypt_names; i++)
        found += GetProcAddress(ncrypt, ncrypt_names[i]) != NULL;
    for (unsigned i = 0; i < sizeof tbs_names / sizeof *tbs_names; i++)
        found += GetProcAddress(tbs, tbs_names[i]) != NULL;
    printf("found %d of 24\n", found);
    ULONG_PTR provider = 1;
    LONG rc = ((open_fn)GetProcAddress(ncrypt, "NCryptOpenStorageProvider"))(
        &provider, L"Microsoft Software Key Storage Provider", 0);
    printf("open provider %#lx, handle %lu\n", (unsigned long)rc, (unsigned long)provider);
    printf("free object %#lx\n",
           (unsigned long)((one_fn)GetProcAddress(ncrypt, "NCryptFreeObject"))(0));
    DWORD count = 7;
    void *list = (void *)1;
    rc = ((enum_fn)GetProcAddress(ncrypt, "NCryptEnumStorageProviders"))(&count, &list, 0);
    printf("providers %ld: %lu %s\n", rc, count, list ? "list" : "NULL");
    char info[16];
    printf("TPM device info %#x\n",
           ((info_fn)GetProcAddress(tbs, "Tbsi_GetDeviceInfo"))(sizeof info, info));
    return 0;
}
