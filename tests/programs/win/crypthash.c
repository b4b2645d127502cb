/* CryptoAPI's hashes: MD5 and SHA-256 of a string in two pieces, the size asked first, a
 * duplicate continued separately, a finished hash refusing more data, an unknown algorithm. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

static void hex(const BYTE *b, DWORD n) { for (DWORD i = 0; i < n; i++) printf("%02x", b[i]); }

int main(void) {
    HCRYPTPROV prov; HCRYPTHASH h, dup;
    BYTE value[64]; DWORD len = 0, size, sizelen = sizeof size;
    CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT);
    CryptCreateHash(prov, CALG_MD5, 0, 0, &h);
    CryptHashData(h, (const BYTE *)"ab", 2, 0);
    CryptDuplicateHash(h, NULL, 0, &dup);
    CryptHashData(h, (const BYTE *)"c", 1, 0);
    CryptGetHashParam(h, HP_HASHSIZE, (BYTE *)&size, &sizelen, 0);
    CryptGetHashParam(h, HP_HASHVAL, NULL, &len, 0);
    CryptGetHashParam(h, HP_HASHVAL, value, &len, 0);
    printf("md5 %lu %lu ", size, len); hex(value, len);
    BOOL more = CryptHashData(h, (const BYTE *)"x", 1, 0);
    printf(" more %d %#lx\n", more, GetLastError());
    len = sizeof value;
    CryptGetHashParam(dup, HP_HASHVAL, value, &len, 0);
    printf("dup "); hex(value, len); printf("\n");
    HCRYPTHASH s;
    CryptCreateHash(prov, CALG_SHA_256, 0, 0, &s);
    CryptHashData(s, (const BYTE *)"abc", 3, 0);
    len = sizeof value;
    CryptGetHashParam(s, HP_HASHVAL, value, &len, 0);
    printf("sha256 "); hex(value, 8);
    HCRYPTHASH bad;
    BOOL unknown = CryptCreateHash(prov, 0x1234, 0, 0, &bad);
    printf(" unknown %d %#lx\n", unknown, GetLastError());
    CryptDestroyHash(h); CryptDestroyHash(dup); CryptDestroyHash(s);
    CryptReleaseContext(prov, 0);
    return 0;
}
