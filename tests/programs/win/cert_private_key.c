/* CryptAcquireCertificatePrivateKey is there, and a certificate from the ROOT store has no
   private key (CRYPT_E_NO_KEY_PROPERTY). nats-server looks up this call and five others at
   start-up, as every Windows has them, and panicked on the missing one. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

int main(void)
{
    static const char *crypt32[] = {"CertFindCertificateInStore",
                                    "CryptAcquireCertificatePrivateKey"};
    static const char *ncrypt[] = {"NCryptExportKey", "NCryptOpenStorageProvider",
                                   "NCryptGetProperty", "NCryptSignHash"};
    HMODULE c = LoadLibraryA("crypt32.dll"), n = LoadLibraryA("ncrypt.dll");
    for (int i = 0; i < 2; i++)
        printf("%s %d\n", crypt32[i], GetProcAddress(c, crypt32[i]) != NULL);
    for (int i = 0; i < 4; i++)
        printf("%s %d\n", ncrypt[i], GetProcAddress(n, ncrypt[i]) != NULL);

    HCERTSTORE root = CertOpenSystemStoreW(0, L"ROOT");
    PCCERT_CONTEXT cert = CertEnumCertificatesInStore(root, NULL);
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key = (HCRYPTPROV_OR_NCRYPT_KEY_HANDLE)7;
    DWORD spec = 7;
    BOOL free_it = 7;
    BOOL ok = CryptAcquireCertificatePrivateKey(cert, CRYPT_ACQUIRE_CACHE_FLAG |
                                                CRYPT_ACQUIRE_SILENT_FLAG, NULL, &key, &spec,
                                                &free_it);
    printf("root cert %d: %d %lx key %d spec %lu free %d\n", cert != NULL, ok, GetLastError(),
           key != 0, spec, free_it);
    SetLastError(0);
    ok = CryptAcquireCertificatePrivateKey(NULL, 0, NULL, &key, &spec, &free_it);
    printf("no cert: %d %lu\n", ok, GetLastError());
    CertFreeCertificateContext(cert);
    CertCloseStore(root, 0);
    return 0;
}
