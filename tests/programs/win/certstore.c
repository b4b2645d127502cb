/* crypt32's certificate stores as native-TLS-roots code uses them: PEM to DER, a context and
 * its CERT_INFO, memory and system stores (ROOT from the root's CA bundle), time validity; and
 * secur32 without a TLS package. */
#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <security.h>
#include <stdio.h>

static int count(HCERTSTORE store)
{
    int n = 0;
    PCCERT_CONTEXT c = NULL;
    while ((c = CertEnumCertificatesInStore(store, c)) != NULL)
        n++;
    return n;
}

int main(void)
{
    char pem[4096] = {0};
    FILE *f = fopen("C:\\cert.pem", "rb");
    fread(pem, 1, sizeof pem - 1, f);
    fclose(f);
    BYTE der[2048];
    DWORD size = sizeof der, skip = 0, kind = 0;
    BOOL ok = CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, der, &size, &skip, &kind);
    printf("pem: %d der %lu skip %lu kind %lu first %02x\n", ok, size, skip, kind, der[0]);

    PCCERT_CONTEXT cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, size);
    PCERT_INFO info = cert->pCertInfo;
    printf("serial %lu: %02x %02x, version %lu\n", info->SerialNumber.cbData,
           info->SerialNumber.pbData[0], info->SerialNumber.pbData[4], info->dwVersion);
    printf("signature %s key %s bits %lu\n", info->SignatureAlgorithm.pszObjId,
           info->SubjectPublicKeyInfo.Algorithm.pszObjId, info->SubjectPublicKeyInfo.PublicKey.cbData);
    SYSTEMTIME until;
    FileTimeToSystemTime(&info->NotAfter, &until);
    printf("valid now %ld, until %u, subject %lu bytes, encoded %lu\n",
           CertVerifyTimeValidity(NULL, info), until.wYear, info->Subject.cbData, cert->cbCertEncoded);

    HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    CertAddEncodedCertificateToStore(mem, X509_ASN_ENCODING, der, size, CERT_STORE_ADD_ALWAYS, NULL);
    printf("memory store: %d\n", count(mem));
    CertCloseStore(mem, 0);
    HCERTSTORE root = CertOpenSystemStoreW(0, L"ROOT");
    HCERTSTORE my = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                  CERT_SYSTEM_STORE_CURRENT_USER, L"MY");
    printf("root: %d my: %d\n", count(root), count(my));
    CertCloseStore(root, 0);
    CertCloseStore(my, 0);

    BYTE junk[4] = {1, 2, 3, 4};
    PCCERT_CONTEXT bad = CertCreateCertificateContext(X509_ASN_ENCODING, junk, sizeof junk);
    printf("not a certificate: %d %lx\n", bad == NULL, GetLastError());

    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS st = AcquireCredentialsHandleA(NULL, (char *)"Microsoft Unified Security Protocol Provider", SECPKG_CRED_OUTBOUND,
                                                   NULL, NULL, NULL, NULL, &cred, &expiry);
    printf("schannel: %lx\n", (unsigned long)st);
    return 0;
}
