"""version.dll: a file's version resource. The programs here carry theirs in their own PE
resources, which this layer does not read: every file is one without a version resource
(ERROR_RESOURCE_TYPE_NOT_FOUND), which callers are written to expect from plain files."""
from __future__ import annotations

ERROR_RESOURCE_TYPE_NOT_FOUND = 1813


def sys_version_GetFileVersionInfoSizeW(p, lptstrFilename, lpdwHandle):
    if lpdwHandle:
        p.mm.write_u32(lpdwHandle, 0)
    p.win32.last_error = ERROR_RESOURCE_TYPE_NOT_FOUND
    return 0


def sys_version_GetFileVersionInfoW(p, lptstrFilename, dwHandle, dwLen, lpData):
    p.win32.last_error = ERROR_RESOURCE_TYPE_NOT_FOUND
    return 0


def sys_version_VerQueryValueW(p, pBlock, lpSubBlock, lplpBuffer, puLen):
    """No version block was ever handed out to query."""
    return 0
