"""secur32.dll's SSPI as a machine without the Schannel (TLS) package answers it: asking for
credentials is SEC_E_SECPKG_NOT_FOUND, so a program that would speak TLS through Windows
reports that TLS is unavailable instead of ending at a missing import; the calls that need a
context or credentials it could not get are SEC_E_INVALID_HANDLE."""
from __future__ import annotations

from ..nt import abi

SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_SECPKG_NOT_FOUND = 0, 0x80090301, 0x80090305


def _no_package(p, phCredential, ptsExpiry) -> int:
    if phCredential:
        p.mm.write(phCredential, b"\0" * (2 * abi.word(p)))
    return SEC_E_SECPKG_NOT_FOUND


def sys_secur32_AcquireCredentialsHandleA(p, pszPrincipal, pszPackage, fCredentialUse, pvLogonId,
                                          pAuthData, pGetKeyFn, pvGetKeyArgument, phCredential,
                                          ptsExpiry):
    return _no_package(p, phCredential, ptsExpiry)


def sys_secur32_AcquireCredentialsHandleW(p, pszPrincipal, pszPackage, fCredentialUse, pvLogonId,
                                          pAuthData, pGetKeyFn, pvGetKeyArgument, phCredential,
                                          ptsExpiry):
    return _no_package(p, phCredential, ptsExpiry)


def _invalid(p, *args) -> int:
    return SEC_E_INVALID_HANDLE


sys_secur32_InitializeSecurityContextA = _invalid
sys_secur32_InitializeSecurityContextW = _invalid
sys_secur32_AcceptSecurityContext = _invalid
sys_secur32_DeleteSecurityContext = _invalid
sys_secur32_FreeCredentialsHandle = _invalid
sys_secur32_EncryptMessage = _invalid
sys_secur32_DecryptMessage = _invalid
sys_secur32_QueryContextAttributesA = _invalid
sys_secur32_QueryContextAttributesW = _invalid
sys_secur32_ApplyControlToken = _invalid


def sys_secur32_FreeContextBuffer(p, pvContextBuffer):
    return SEC_E_OK


# SecurityFunctionTableW/A: the version, then the functions in this order (sspi.h); the
# reserved slots and what secur32 does not export here are NULL.
SECURITY_FUNCTION_TABLE = (
    "EnumerateSecurityPackages{}", "QueryCredentialsAttributes{}", "AcquireCredentialsHandle{}",
    "FreeCredentialsHandle", None, "InitializeSecurityContext{}", "AcceptSecurityContext",
    "CompleteAuthToken", "DeleteSecurityContext", "ApplyControlToken",
    "QueryContextAttributes{}", "ImpersonateSecurityContext", "RevertSecurityContext",
    "MakeSignature", "VerifySignature", "FreeContextBuffer", "QuerySecurityPackageInfo{}",
    None, None, "ExportSecurityContext", "ImportSecurityContext{}", "AddCredentials{}", None,
    "QuerySecurityContextToken", "EncryptMessage", "DecryptMessage",
    "SetContextAttributes{}", "SetCredentialsAttributes{}", "ChangeAccountPassword{}",
    "QueryContextAttributesEx{}", "QueryCredentialsAttributesEx{}")
SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 = 5


def _function_table(p, suffix: str) -> int:
    """InitSecurityInterface: the process's table of secur32's functions (made once)."""
    table = p.win32.sspi_tables.get(suffix)
    if table is None:
        base, exports = p.win32.modules.get("secur32", (0, {}))
        w = abi.word(p)
        slots = [exports.get(n.format(suffix)) if n else None for n in SECURITY_FUNCTION_TABLE]
        data = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5.to_bytes(w, "little") + b"".join(
            ((base + rva) if rva is not None else 0).to_bytes(w, "little") for rva in slots)
        table = p.win32.heap.alloc(len(data))
        p.mm.write(table, data)
        p.win32.sspi_tables[suffix] = table
    return table


def sys_secur32_InitSecurityInterfaceW(p):
    return _function_table(p, "W")


def sys_secur32_InitSecurityInterfaceA(p):
    return _function_table(p, "A")
