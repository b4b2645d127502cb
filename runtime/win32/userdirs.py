"""Where the user's files live: the profile directory (userenv.dll), the known folders under it
(shell32's SHGetKnownFolderPath and SHGetFolderPath: the profile and its folders, the
public and all-users ones, the Windows and Program Files directories), and the COM task allocator that hands their paths out (combase.dll).
The user is advapi32's."""
from __future__ import annotations

import re

import uuid

from .advapi32 import USER_NAME
from .wide import ERROR_INSUFFICIENT_BUFFER

PROFILE = f"C:\\Users\\{USER_NAME}"
PUBLIC = "C:\\Users\\Public"
PROGRAM_FILES, PROGRAM_FILES_X86 = "C:\\Program Files", "C:\\Program Files (x86)"
ROAMING_WINDOWS = "%P\\AppData\\Roaming\\Microsoft\\Windows"
LOCAL_WINDOWS = "%P\\AppData\\Local\\Microsoft\\Windows"
# The known folders of a Windows 10 installation: FOLDERID name, GUID, the CSIDL number the
# older SHGetFolderPath gives it (None: no CSIDL), and its path (%P the user's profile, %F
# the Program Files of the caller's bitness, as WOW64 shows it to 32-bit programs).
_START = "%P\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu"
_COMMON_START = "C:\\ProgramData\\Microsoft\\Windows\\Start Menu"
FOLDERS = (
    ("Profile", "5E6C858F-0E22-4760-9AFE-EA3317B67173", 0x28, "%P"),
    ("RoamingAppData", "3EB685DB-65F9-4CF6-A03A-E3EF65729F3D", 0x1A, "%P\\AppData\\Roaming"),
    ("LocalAppData", "F1B32785-6FBA-4FCF-9D55-7B8E7F157091", 0x1C, "%P\\AppData\\Local"),
    ("LocalAppDataLow", "A520A1A4-1780-4FF6-BD18-167343C5AF16", None, "%P\\AppData\\LocalLow"),
    ("Documents", "FDD39AD0-238F-46AF-ADB4-6C85480369C7", 0x05, "%P\\Documents"),
    ("Downloads", "374DE290-123F-4565-9164-39C4925E467B", None, "%P\\Downloads"),
    ("Desktop", "B4BFCC3A-DB2C-424C-B029-7FE99A87C641", 0x10, "%P\\Desktop"),
    ("Music", "4BD8D571-6D19-48D3-BE97-422220080E43", 0x0D, "%P\\Music"),
    ("Pictures", "33E28130-4E1E-4676-835A-98395C3BC3BB", 0x27, "%P\\Pictures"),
    ("Videos", "18989B1D-99B5-455B-841C-AB7C74E4DDFC", 0x0E, "%P\\Videos"),
    ("Favorites", "1777F761-68AD-4D8A-87BD-30B759FA33DD", 0x06, "%P\\Favorites"),
    ("Links", "BFB9D5E0-C6A9-404C-B2B2-AE6DB6AF4968", None, "%P\\Links"),
    ("Contacts", "56784854-C6CB-462B-8169-88E350ACB882", None, "%P\\Contacts"),
    ("SavedGames", "4C5C32FF-BB9D-43B0-B5B4-2D72E54EAAA4", None, "%P\\Saved Games"),
    ("Objects3D", "31C0DD25-9439-4F12-BF41-7FF4EDA38722", None, "%P\\3D Objects"),
    ("Screenshots", "B7BEDE81-DF94-4682-A7D8-57A52620B86F", None, "%P\\Pictures\\Screenshots"),
    ("StartMenu", "625B53C3-AB48-4EC1-BA1F-A1EF4146FC19", 0x0B, _START),
    ("Programs", "A77F5D77-2E2B-44C3-A6A2-ABA601054A51", 0x02, _START + "\\Programs"),
    ("Startup", "B97D20BB-F46A-4C97-BA10-5E3608430854", 0x07, _START + "\\Programs\\Startup"),
    ("AdminTools", "724EF170-A42D-4FEF-9F26-B60E846FBA4F", 0x30,
     _START + "\\Programs\\Administrative Tools"),
    ("Recent", "AE50C081-EBD2-438A-8655-8A092E34987A", 0x08, ROAMING_WINDOWS + "\\Recent"),
    ("SendTo", "8983036C-27C0-404B-8F08-102D10DCFD74", 0x09, ROAMING_WINDOWS + "\\SendTo"),
    ("Templates", "A63293E8-664E-48DB-A079-DF759E0509F7", 0x15, ROAMING_WINDOWS + "\\Templates"),
    ("NetHood", "C5ABBF53-E17F-4121-8900-86626FC2C973", 0x13,
     ROAMING_WINDOWS + "\\Network Shortcuts"),
    ("PrintHood", "9274BD8D-CFD1-41C3-B35E-B13F55A758F4", 0x1B,
     ROAMING_WINDOWS + "\\Printer Shortcuts"),
    ("QuickLaunch", "52A4F021-7B75-48A9-9F6B-4B87A210BC8F", None,
     "%P\\AppData\\Roaming\\Microsoft\\Internet Explorer\\Quick Launch"),
    ("History", "D9DC8A3B-B784-432E-A781-5A1130A75963", 0x22, LOCAL_WINDOWS + "\\History"),
    ("InternetCache", "352481E8-33BE-4251-BA85-6007CAEDCF9D", 0x20, LOCAL_WINDOWS + "\\INetCache"),
    ("Cookies", "2B0F765D-C0E9-4171-908E-08A611B84FF6", 0x21, LOCAL_WINDOWS + "\\INetCookies"),
    ("CDBurning", "9E52AB10-F80D-49DF-ACB8-4330F5687855", 0x3B, LOCAL_WINDOWS + "\\Burn\\Burn"),
    ("UserProgramFiles", "5CD7AEE2-2219-4A67-B85D-6C9CE15660CB", None,
     "%P\\AppData\\Local\\Programs"),
    ("UserProgramFilesCommon", "BCBD3057-CA5C-4622-B42D-BC56DB0AE516", None,
     "%P\\AppData\\Local\\Programs\\Common"),
    ("UserProfiles", "0762D272-C50A-4BB0-A382-697DCD729B80", None, "C:\\Users"),
    ("ProgramData", "62AB5D82-FDC1-4DC3-A9DD-070D1D495D97", 0x23, "C:\\ProgramData"),
    ("Public", "DFDF76A2-C82A-4D63-906A-5644AC457385", None, PUBLIC),
    ("PublicDocuments", "ED4824AF-DCE4-45A8-81E2-FC7965083634", 0x2E, PUBLIC + "\\Documents"),
    ("PublicDesktop", "C4AA340D-F20F-4863-AFEF-F87EF2E6BA25", 0x19, PUBLIC + "\\Desktop"),
    ("PublicMusic", "3214FAB5-9757-4298-BB61-92A9DEAA44FF", 0x35, PUBLIC + "\\Music"),
    ("PublicPictures", "B6EBFB86-6907-413C-9AF7-4FC2ABF07CC5", 0x36, PUBLIC + "\\Pictures"),
    ("PublicVideos", "2400183A-6185-49FB-A2D8-4A392A602BA3", 0x37, PUBLIC + "\\Videos"),
    ("PublicDownloads", "3D644C9B-1FB8-4F30-9B45-F670235F79C0", None, PUBLIC + "\\Downloads"),
    ("CommonStartMenu", "A4115719-D62E-491D-AA7C-E74B8BE3B067", 0x16, _COMMON_START),
    ("CommonPrograms", "0139D44E-6AFE-49F2-8690-3DAFCAE6FFB8", 0x17, _COMMON_START + "\\Programs"),
    ("CommonStartup", "82A5EA35-D9CD-47C5-9629-E15D2F714E6E", 0x18,
     _COMMON_START + "\\Programs\\Startup"),
    ("CommonAdminTools", "D0384E7D-BAC3-4797-8F14-CBA229B392B5", 0x2F,
     _COMMON_START + "\\Programs\\Administrative Tools"),
    ("CommonTemplates", "B94237E7-57AC-4347-9151-B08C6C32D1F7", 0x2D,
     "C:\\ProgramData\\Microsoft\\Windows\\Templates"),
    ("Windows", "F38BF404-1D43-42F2-9305-67DE0B28FC23", 0x24, "C:\\Windows"),
    ("System", "1AC14E77-02E7-4E5D-B744-2EB1AE5198B7", 0x25, "C:\\Windows\\System32"),
    ("SystemX86", "D65231B0-B2F1-4857-A4CE-A8E7C6EA7D27", 0x29, "C:\\Windows\\SysWOW64"),
    ("Fonts", "FD228CB7-AE11-4AE3-864C-16F3910AB8FE", 0x14, "C:\\Windows\\Fonts"),
    ("ResourceDir", "8AD10C31-2ADB-4296-A8F7-E4701232C972", 0x38, "C:\\Windows\\Resources"),
    ("ProgramFiles", "905E63B6-C1BF-494E-B29C-65B732D3D21A", 0x26, "%F"),
    ("ProgramFilesCommon", "F7F1ED05-9F6D-47A2-AAAE-29D317C6F066", 0x2B, "%F\\Common Files"),
    ("ProgramFilesX86", "7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E", 0x2A, PROGRAM_FILES_X86),
    ("ProgramFilesCommonX86", "DE974D24-D9C6-4D3E-BF91-F4455120B917", 0x2C,
     PROGRAM_FILES_X86 + "\\Common Files"),
    # only a 64-bit program sees these (a 32-bit one has no 64-bit Program Files to ask for)
    ("ProgramFilesX64", "6D809377-6AF0-444B-8957-A3773F02200E", None, "%64" + PROGRAM_FILES),
    ("ProgramFilesCommonX64", "6365D5A7-0F0D-45E5-87F6-0DA56B6A4F7D", None,
     "%64" + PROGRAM_FILES + "\\Common Files"),
)
KNOWN_FOLDERS = {uuid.UUID(guid): path for _, guid, _, path in FOLDERS}
CSIDL_FOLDERS = {csidl: path for _, _, csidl, path in FOLDERS if csidl is not None}
CSIDL_FOLDERS[0x00] = CSIDL_FOLDERS[0x10]     # the desktop (a virtual folder): its directory


def folder_path(template: str, bits: int) -> str | None:
    """A FOLDERS path for a program of this many bits (None: not one it can ask for)."""
    if template.startswith("%64"):
        if bits != 64:
            return None
        template = template[3:]
    return template.replace("%P", PROFILE).replace(
        "%F", PROGRAM_FILES if bits == 64 else PROGRAM_FILES_X86)


S_OK, E_INVALIDARG, E_OUTOFMEMORY = 0, 0x80070057, 0x8007000E
HRESULT_FILE_NOT_FOUND = 0x80070002
ERROR_INVALID_PARAMETER = 87


def sys_userenv_GetUserProfileDirectoryW(p, hToken, lpProfileDir, lpcchSize):
    data = PROFILE.encode("utf-16-le") + b"\0\0"
    if not lpcchSize:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    have = p.mm.read_u32(lpcchSize)
    p.mm.write_u32(lpcchSize, len(data) // 2)
    if not lpProfileDir or have < len(data) // 2:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpProfileDir, data)
    return 1


def sys_combase_CoTaskMemAlloc(p, cb):
    return p.win32.heap.alloc(max(cb, 1))


def sys_combase_CoTaskMemFree(p, pv):
    if pv:
        p.win32.heap.free(pv)
    return 0


def sys_shell32_SHGetKnownFolderPath(p, rfid, dwFlags, hToken, ppszPath):
    """The folder's path in memory the caller frees with CoTaskMemFree (*ppszPath is NULL on
    failure, as Windows sets it)."""
    p.mm.write_word(ppszPath, 0)
    template = KNOWN_FOLDERS.get(uuid.UUID(bytes_le=bytes(p.mm.read(rfid, 16))))
    path = None if template is None else folder_path(template, p.sysvec.word_bits)
    if path is None:
        return E_INVALIDARG if template is None else HRESULT_FILE_NOT_FOUND
    data = path.encode("utf-16-le") + b"\0\0"
    block = p.win32.heap.alloc(len(data))
    if not block:
        return E_OUTOFMEMORY
    p.mm.write(block, data)
    p.mm.write_word(ppszPath, block)
    return S_OK


def _folder_path(p, csidl: int, buffer: int, wide: bool) -> int:
    """The older way to the known folders: the path in the caller's MAX_PATH buffer
    (CSIDL_FLAG_* bits masked off)."""
    template = CSIDL_FOLDERS.get(csidl & 0xFF)
    path = None if template is None else folder_path(template, p.sysvec.word_bits)
    if path is None:
        return E_INVALIDARG
    p.mm.write(buffer, path.encode("utf-16-le") + b"\0\0" if wide else path.encode() + b"\0")
    return S_OK


def sys_shell32_SHGetFolderPathW(p, hwnd, csidl, hToken, dwFlags, pszPath):
    return _folder_path(p, csidl, pszPath, True)


def sys_shell32_SHGetFolderPathA(p, hwnd, csidl, hToken, dwFlags, pszPath):
    return _folder_path(p, csidl, pszPath, False)


def with_windows_defaults(env: dict, bits: int, temp: str) -> dict:
    """The variables every Windows process has, added where the environment it was started
    with lacks them (a Linux parent's, or tblc's): programs build paths from SystemRoot,
    APPDATA and TEMP (Node's os.tmpdir() is TEMP, else SystemRoot + \\temp) and read
    NUMBER_OF_PROCESSORS. Names are matched case-insensitively, as Windows does."""
    defaults = {
        "SystemRoot": "C:\\Windows", "windir": "C:\\Windows", "SystemDrive": "C:",
        "OS": "Windows_NT", "USERNAME": USER_NAME, "USERPROFILE": PROFILE,
        "HOMEDRIVE": "C:", "HOMEPATH": PROFILE[2:],
        "APPDATA": PROFILE + "\\AppData\\Roaming", "LOCALAPPDATA": PROFILE + "\\AppData\\Local",
        "ProgramData": "C:\\ProgramData", "ALLUSERSPROFILE": "C:\\ProgramData",
        "PUBLIC": PUBLIC,
        # a 32-bit program's Program Files is WOW64's (x86) one; both know the other's name
        "ProgramFiles": PROGRAM_FILES if bits == 64 else PROGRAM_FILES_X86,
        "CommonProgramFiles": (PROGRAM_FILES if bits == 64 else PROGRAM_FILES_X86)
        + "\\Common Files",
        "ProgramFiles(x86)": PROGRAM_FILES_X86,
        "CommonProgramFiles(x86)": PROGRAM_FILES_X86 + "\\Common Files",
        "ProgramW6432": PROGRAM_FILES, "CommonProgramW6432": PROGRAM_FILES + "\\Common Files",
        "ComSpec": "C:\\Windows\\System32\\cmd.exe", "PATHEXT": ".COM;.EXE;.BAT;.CMD",
        "NUMBER_OF_PROCESSORS": "1",
        "PROCESSOR_ARCHITECTURE": "AMD64" if bits == 64 else "x86"}
    defaults.update(TEMP=temp, TMP=temp)        # a directory the root has (or a tmpfs)
    present = {name.upper() for name in env}
    out = dict(env)
    for name, value in defaults.items():
        if name.upper() not in present:
            out[name] = value
    key = next((name for name in out if name.upper() == "PATH"), "Path")
    out[key] = windows_search_path(out.get(key, ""))
    home = next((name for name in out if name.upper() == "HOME"), None)
    if home is not None and out[home].startswith("/"):
        # A Linux home: tblc's "/" is none (Windows sets no HOME; programs that read it, as
        # Git's and aria2's ports do, then use USERPROFILE); another is given in C: form.
        if out[home].rstrip("/"):
            out[home] = "C:" + out[home].replace("/", "\\")
        else:
            del out[home]
    return out


SYSTEM_PATH = ("C:\\Windows\\System32", "C:\\Windows")


def windows_search_path(value: str) -> str:
    """PATH as a Windows process has it: a Linux one (a Linux parent's, or tblc's) in
    Windows' form (`/usr/bin:/bin` is `C:\\usr\\bin;C:\\bin`), with System32 and the
    Windows directory first when they are missing, as Windows' own PATH begins (programs find
    cmd.exe through it: CMake's execute_process, libuv's spawn)."""
    if "/" in value and ";" not in value and not re.match(r"[A-Za-z]:", value):
        value = ";".join("C:" + d.replace("/", "\\") for d in value.split(":") if d)
    entries = [e for e in value.split(";") if e]
    have = {e.rstrip("\\").lower() for e in entries}
    missing = [d for d in SYSTEM_PATH if d.lower() not in have]
    return ";".join(missing + entries)
