"""DLLs every Windows installation has in System32 that sysvec does not make. A program (or
a DLL it loads) that imports one still loads, as at start-up: what it imports from it is a
stub that reports the call (pywin32's win32file imports sfc.dll for one rarely used call,
win32gui comdlg32.dll, duckdb RstrtMgr.dll). A DLL that is not Windows' own and is nowhere
still fails the load, as on Windows (programs try optional libraries so)."""
from __future__ import annotations

WINDOWS_DLLS = frozenset("""
activeds adsldpc authz avifil32 cabinet cfgmgr32 clusapi comdlg32 credui cryptui
d2d1 d3d10 d3d10_1 d3d11 d3d12 d3d9 d3dcompiler_47 dcomp dhcpcsvc dinput8 dnsapi dsound
dsrole dwmapi dwrite dxgi dxva2 esent evr fltlib gdiplus glu32 hid hlink icuuc icuin imagehlp
imm32 inetmib1 ktmw32 logoncli magnification mapi32 mf mfplat mfreadwrite mpr msacm32
mscms msctf msdmo msi msimg32 msvfw32 mswsock ncrypt netapi32 newdev normaliz ntdsapi
odbc32 oleacc oledlg opengl32 pdh powrprof propsys psapi rasapi32 rstrtmgr secur32
sensapi setupapi sfc sfc_os shcore shlwapi slc snmpapi srvcli sspicli t2embed tapi32
taskschd tbs uiautomationcore urlmon userenv usp10 uxtheme version virtdisk webservices
wer wevtapi winhttp wininet winmm winscard winspool wintrust winusb wkscli wlanapi wldap32
wmi wsock32 wtsapi32 xinput1_3 xinput1_4 xinput9_1_0 xmllite
""".split())


def windows_own(name: str) -> bool:
    from ..nt.dlls import module_key
    return module_key(name) in WINDOWS_DLLS
