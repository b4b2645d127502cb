"""ncrypt.dll and tbs.dll as on a Windows machine with neither a key storage provider nor a
TPM: every function is there (Go's go-attestation looks up each at start-up and panics on
one missing: caddy), and each answers as such a machine does -- no provider opens, no handle
exists, the TPM is not found. Key storage itself is not provided."""
from __future__ import annotations

from ..nt import abi

NTE_PROV_DLL_NOT_FOUND, NTE_INVALID_HANDLE = 0x8009001E, 0x80090026
NTE_INVALID_PARAMETER = 0x80090027
TBS_E_INVALID_CONTEXT, TBS_E_TPM_NOT_FOUND = 0x80284004, 0x8028400F


def sys_ncrypt_NCryptOpenStorageProvider(p, phProvider, pszProviderName, dwFlags):
    if not phProvider:
        return NTE_INVALID_PARAMETER
    abi.write_ptr(p, phProvider, 0)
    return NTE_PROV_DLL_NOT_FOUND


def sys_ncrypt_NCryptEnumStorageProviders(p, pdwProviderCount, ppProviderList, dwFlags):
    if not pdwProviderCount or not ppProviderList:
        return NTE_INVALID_PARAMETER
    p.mm.write_u32(pdwProviderCount, 0)
    abi.write_ptr(p, ppProviderList, 0)
    return 0


def sys_ncrypt_NCryptFreeBuffer(p, pvInput):
    """Nothing here hands out buffers: only NULL is freed."""
    return 0 if not pvInput else NTE_INVALID_PARAMETER


def sys_ncrypt_NCryptIsKeyHandle(p, hKey):
    return 0


def sys_ncrypt_no_handle(p, *args):
    """A call on a provider, key or secret handle: none can have been opened."""
    return NTE_INVALID_HANDLE


def sys_tbs_no_tpm(p, *args):
    return TBS_E_TPM_NOT_FOUND


def sys_tbs_no_context(p, *args):
    """A call on a TBS context: Tbsi_Context_Create never made one."""
    return TBS_E_INVALID_CONTEXT
