"""The machine's registry: the well-known keys every Windows has (its processor, the Windows
version, long paths enabled), and what the machine's programs write under HKEY_CURRENT_USER,
kept for the machine's life (a volatile hive: nothing reaches the disk). Keys are found by
path, case-insensitively, and keep the case they were made with; a key's ancestors exist.
The rest of the registry is read-only, as it is to a user who is not elevated."""
from __future__ import annotations

from .timezones import registry_keys

REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 3, 4, 7, 11
ROOTS = {0x80000000: "HKEY_CLASSES_ROOT", 0x80000001: "HKEY_CURRENT_USER",
         0x80000002: "HKEY_LOCAL_MACHINE", 0x80000003: "HKEY_USERS",
         0x80000005: "HKEY_CURRENT_CONFIG"}
WRITABLE = "hkey_current_user\\"
QUOTA = 64 << 20                  # bytes the machine's programs may write to it in all

KEYS = {
    "HKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0": {
        "~MHz": (REG_DWORD, 2400),
        "ProcessorNameString": (REG_SZ, "sysvec virtual x86-64 processor"),
        "Identifier": (REG_SZ, "Intel64 Family 6 Model 85 Stepping 4"),
        "VendorIdentifier": (REG_SZ, "GenuineIntel")},
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion": {
        "ProductName": (REG_SZ, "Windows 10 Pro"), "EditionID": (REG_SZ, "Professional"),
        "CurrentVersion": (REG_SZ, "6.3"), "CurrentBuild": (REG_SZ, "19045"),
        "CurrentBuildNumber": (REG_SZ, "19045"), "DisplayVersion": (REG_SZ, "22H2"),
        "ReleaseId": (REG_SZ, "2009"), "InstallationType": (REG_SZ, "Client"),
        "CurrentMajorVersionNumber": (REG_DWORD, 10), "CurrentMinorVersionNumber": (REG_DWORD, 0),
        "UBR": (REG_DWORD, 0), "SystemRoot": (REG_SZ, "C:\\Windows")},
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\FileSystem": {
        "LongPathsEnabled": (REG_DWORD, 1)},
    # the machine's time zone, UTC, where dateutil, tzlocal and the .NET runtime read it
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation": {
        "Bias": (REG_DWORD, 0), "ActiveTimeBias": (REG_DWORD, 0),
        "StandardName": (REG_SZ, "Coordinated Universal Time"), "StandardBias": (REG_DWORD, 0),
        "StandardStart": (REG_BINARY, bytes(16)),
        "DaylightName": (REG_SZ, "Coordinated Universal Time"), "DaylightBias": (REG_DWORD, 0),
        "DaylightStart": (REG_BINARY, bytes(16)), "TimeZoneKeyName": (REG_SZ, "UTC"),
        "DynamicDaylightTimeDisabled": (REG_DWORD, 0)},
    # ... and Windows' time zone database beside it (timezones.py), UTC's key among them
    **registry_keys(),
    # keys every Windows has, empty here (mimetypes enumerates HKEY_CLASSES_ROOT's file
    # types; programs open the user's Software and Environment keys to look for settings)
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes": {},
    "HKEY_CURRENT_USER\\Software": {},
    "HKEY_CURRENT_USER\\Environment": {},
}


CHANGE_NAME, CHANGE_LAST_SET = 0x1, 0x4      # REG_NOTIFY_CHANGE_*: subkeys, values


class Registry:
    """One machine's keys: path -> {value name: (type, value)}; a value is a str for the
    string types, an int for the numbers, bytes for the rest."""

    def __init__(self):
        self._keys = {path.lower(): (path, dict(values)) for path, values in KEYS.items()}
        self.written = 0          # bytes of keys and values the machine's programs wrote
        self.watchers: list = []  # RegNotifyChangeKeyValue's: [key, subtree, filter, fire]

    def watch(self, path: str, subtree: bool, what: int, fire) -> list:
        """fire() once when the key (or, with subtree, a key under it) changes in a way what
        asks for (REG_NOTIFY_CHANGE_NAME, _LAST_SET ...)."""
        watcher = [path.lower(), subtree, what, fire]
        self.watchers.append(watcher)
        return watcher

    def _changed(self, path: str, what: int) -> None:
        low = path.lower()
        for watcher in list(self.watchers):
            key, subtree, wanted, fire = watcher
            if wanted & what and (low == key or subtree and low.startswith(key + "\\")):
                self.watchers.remove(watcher)
                fire()

    def room_for(self, size: int) -> bool:
        """Whether the hive may take size more bytes: its quota (a guest writing values in
        a loop must not fill the host's memory)."""
        return self.written + size <= QUOTA

    def exists(self, path: str) -> bool:
        low = path.lower()
        return low in self._keys or any(k.startswith(low + "\\") for k in self._keys) or \
            low in (root.lower() for root in ROOTS.values())   # the predefined keys themselves

    def children(self, path: str) -> list[str]:
        low, names, seen = path.lower() + "\\", [], set()
        for k, (real, _) in sorted(self._keys.items()):
            if k.startswith(low):
                child = real[len(low):].split("\\", 1)[0]
                if child.lower() not in seen:
                    seen.add(child.lower())
                    names.append(child)
        return names

    def values(self, path: str) -> dict:
        entry = self._keys.get(path.lower())
        return entry[1] if entry is not None else {}

    def value(self, path: str, name: str):
        return next((v for k, v in self.values(path).items() if k.lower() == name.lower()),
                    None)

    @staticmethod
    def writable(path: str) -> bool:
        return path.lower().startswith(WRITABLE)

    def create(self, path: str) -> bool:
        """Make the key (its ancestors exist already, as every key's do); False: it was
        there."""
        if self.exists(path):
            if path.lower() not in self._keys:   # an ancestor of a key: now a key of its own
                self._keys[path.lower()] = (path, {})
                self.written += len(path)
            return False
        self._keys[path.lower()] = (path, {})
        self.written += len(path)
        self._changed(path.rsplit("\\", 1)[0], CHANGE_NAME)   # the parent has a new subkey
        return True

    def set_value(self, path: str, name: str, kind: int, value) -> None:
        values = self.values(path)
        if path.lower() not in self._keys:
            self._keys[path.lower()] = (path, values)
            self.written += len(path)
        old = next((k for k in values if k.lower() == name.lower()), name)
        if old in values:
            self.written -= _size(old, values.pop(old)[1])
        values[name] = (kind, value)
        self.written += _size(name, value)
        self._changed(path, CHANGE_LAST_SET)

    def delete_value(self, path: str, name: str) -> bool:
        values = self.values(path)
        old = next((k for k in values if k.lower() == name.lower()), None)
        if old is None:
            return False
        self.written -= _size(old, values.pop(old)[1])
        self._changed(path, CHANGE_LAST_SET)
        return True

    def delete(self, path: str, tree: bool = False) -> None:
        """Remove the key, with its subkeys when tree (the caller checked it has none
        otherwise)."""
        low = path.lower()
        for k in [k for k in self._keys if k == low or tree and k.startswith(low + "\\")]:
            real, values = self._keys.pop(k)
            self.written -= len(real) + sum(_size(n, v) for n, (_, v) in values.items())
        self.written = max(self.written, 0)     # (the well-known keys were never counted)
        self._changed(path.rsplit("\\", 1)[0], CHANGE_NAME)


def _size(name: str, value) -> int:
    """What a value costs the hive's quota."""
    return len(name) + (len(value) if isinstance(value, (str, bytes)) else 8)
