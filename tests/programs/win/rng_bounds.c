/* The random-number APIs fill a large buffer a piece at a time, and a length past a small
   buffer is the access violation Windows' own code takes, not a host buffer of that length
   built first. argv[1]: rtl (SystemFunction036), crypt (CryptGenRandom), prng (ProcessPrng)
   or bcrypt (BCryptGenRandom); argv[2]: the MiB asked for into a 16-byte buffer. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef BOOLEAN (WINAPI *rtl_fn)(PVOID, ULONG);
typedef BOOL (WINAPI *prng_fn)(PBYTE, SIZE_T);
typedef LONG (WINAPI *bcrypt_fn)(PVOID, PUCHAR, ULONG, ULONG);

static const char *kind;

static void fill(unsigned char *buf, unsigned long long len)
{
    if (!strcmp(kind, "rtl")) {
        rtl_fn f = (rtl_fn)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
        f(buf, (ULONG)len);
    } else if (!strcmp(kind, "crypt")) {
        HCRYPTPROV prov;
        CryptAcquireContextA(&prov, NULL, NULL, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT);
        CryptGenRandom(prov, (DWORD)len, buf);
    } else if (!strcmp(kind, "prng")) {
        prng_fn f = (prng_fn)GetProcAddress(LoadLibraryA("bcryptprimitives.dll"), "ProcessPrng");
        f(buf, (SIZE_T)len);
    } else {
        bcrypt_fn f = (bcrypt_fn)GetProcAddress(LoadLibraryA("bcrypt.dll"), "BCryptGenRandom");
        f(NULL, buf, (ULONG)len, 2 /* BCRYPT_USE_SYSTEM_PREFERRED_RNG */);
    }
}

static int random_at(const unsigned char *p)
{
    for (int i = 0; i < 64; i++)
        if (p[i])
            return 1;
    return 0;
}

static LONG WINAPI filter(EXCEPTION_POINTERS *e)
{
    printf("exception %#lx\n", (unsigned long)e->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    ExitProcess(3);
}

int main(int argc, char **argv)
{
    static unsigned char small[16];
    kind = argv[1];
    SetUnhandledExceptionFilter(filter);
    SIZE_T big = (3 << 20) + 100;
    unsigned char *buf = VirtualAlloc(NULL, big, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    fill(buf, big);
    printf("filled %d\n", random_at(buf) && random_at(buf + (1 << 20)) &&
           random_at(buf + (2 << 20) + 5) && random_at(buf + big - 64));
    fflush(stdout);
    fill(small, strtoull(argv[2], NULL, 0) << 20);
    printf("not reached\n");
    return 0;
}
