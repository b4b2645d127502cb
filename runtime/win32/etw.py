"""Event Tracing for Windows as a process sees it when no trace session listens: providers
register (a handle they later unregister), every provider is disabled, and events written to
one go nowhere, successfully. Node, .NET and the MSVC runtime register providers at start-up."""
from __future__ import annotations

ERROR_SUCCESS, ERROR_INVALID_PARAMETER = 0, 87


def sys_advapi32_EventRegister(p, ProviderId, EnableCallback, CallbackContext, RegHandle):
    if not ProviderId or not RegHandle:
        return ERROR_INVALID_PARAMETER
    handles = p.win32.strings.setdefault("etw handles", [0])
    handles[0] += 1
    p.mm.write(RegHandle, (0x5E7E000000000000 | handles[0]).to_bytes(8, "little"))
    return ERROR_SUCCESS


def sys_advapi32_EventUnregister(p, RegHandle):
    return ERROR_SUCCESS


def sys_advapi32_EventSetInformation(p, RegHandle, InformationClass, EventInformation,
                                     InformationLength):
    return ERROR_SUCCESS


def sys_advapi32_EventWrite(p, RegHandle, EventDescriptor, UserDataCount, UserData):
    """Written to no session: nobody enabled the provider."""
    return ERROR_SUCCESS


def sys_advapi32_EventEnabled(p, RegHandle, EventDescriptor):
    return 0


def sys_advapi32_EventProviderEnabled(p, RegHandle, Level, Keyword):
    return 0


def sys_advapi32_EventWrite_transfer(p, RegHandle, EventDescriptor, ActivityId,
                                     RelatedActivityId, UserDataCount, UserData):
    return ERROR_SUCCESS
