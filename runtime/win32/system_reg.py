"""System32's reg.exe over the machine's registry (registry_store.py, the store advapi32's
calls use): QUERY (/v, /ve, /s), ADD (/v or /ve, /t, /s, /d, /f) and DELETE (/v, /ve, /va,
/f), with Windows' output and exit status (0 done, 1 failed). selenium-manager asks
`REG QUERY HKCU\\Software\\Google\\Chrome\\BLBeacon /v version` for Chrome's version.

Only HKEY_CURRENT_USER may be written, as for a user who is not elevated; without /f, ADD
over a value and DELETE ask first and read the answer from standard input."""
from __future__ import annotations

from .registry_store import (REG_BINARY, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD,
                             REG_SZ)
from .system_programs import _all_input, _out

REG_NONE = 0
TYPES = {"REG_NONE": REG_NONE, "REG_SZ": REG_SZ, "REG_EXPAND_SZ": REG_EXPAND_SZ,
         "REG_BINARY": REG_BINARY, "REG_DWORD": REG_DWORD, "REG_MULTI_SZ": REG_MULTI_SZ,
         "REG_QWORD": REG_QWORD}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
ROOT_NAMES = {"hklm": "HKEY_LOCAL_MACHINE", "hkcu": "HKEY_CURRENT_USER",
              "hkcr": "HKEY_CLASSES_ROOT", "hku": "HKEY_USERS", "hkcc": "HKEY_CURRENT_CONFIG"}
ROOT_NAMES.update({v.lower(): v for v in list(ROOT_NAMES.values())})

NOT_FOUND = "ERROR: The system was unable to find the specified registry key or value.\n"
DONE = "The operation completed successfully.\n"
DENIED = "ERROR: Access is denied.\n"
INVALID_KEY = "ERROR: Invalid key name.\n"


class Usage(Exception):
    """A command line reg cannot take: its operation's name is in the message."""


def run_reg(p, args: list[str], state: dict) -> int:
    from .registry import _registry
    operations = {"query": _query, "add": _add, "delete": _delete}
    if not args or args[0] in ("/?", "-?"):
        _out(p, "\nREG Operation [Parameter List]\n\n  Operation  [ QUERY   | ADD    | DELETE ]\n\n"
                "Return Code: (Except for REG COMPARE)\n\n  0 - Successful\n  1 - Failed\n\n")
        return 0 if args else 1
    operation = operations.get(args[0].lower())
    if operation is None:
        _out(p, "ERROR: Invalid syntax.\nType \"REG /?\" for usage.\n", 2)
        return 1
    if len(args) < 2:
        return _usage(p, args[0])
    path = _full_key(args[1])
    if path is None:
        _out(p, INVALID_KEY + f"Type \"REG {args[0].upper()} /?\" for usage.\n", 2)
        return 1
    try:
        options = _options(args[0].lower(), args[2:])
    except Usage:
        return _usage(p, args[0])
    return operation(p, _registry(p), path, options, state)


def _usage(p, operation: str) -> int:
    _out(p, f"ERROR: Invalid syntax.\nType \"REG {operation.upper()} /?\" for usage.\n", 2)
    return 1


def _full_key(name: str) -> str | None:
    """HKCU\\Software\\X -> HKEY_CURRENT_USER\\Software\\X; None for an unknown root (or a
    remote machine's \\\\NAME\\ prefix)."""
    root, _, rest = name.strip("\\").partition("\\")
    full = ROOT_NAMES.get(root.lower())
    if full is None or name.startswith("\\\\"):
        return None
    parts = [part for part in rest.split("\\") if part]
    return "\\".join([full] + parts)


OPTIONS = {  # operation: (switches followed by a word, switches alone)
    "query": ({"v"}, {"ve", "s", "reg:32", "reg:64"}),
    "add": ({"v", "t", "s", "d"}, {"ve", "f", "reg:32", "reg:64"}),
    "delete": ({"v"}, {"ve", "va", "f", "reg:32", "reg:64"})}


def _options(operation: str, words: list[str]) -> dict:
    """The operation's switches as a dict (/v NAME -> {"v": NAME}, /f -> {"f": True});
    Usage for one it does not take, or /v with /ve or /va."""
    takes, alone = OPTIONS[operation]
    out: dict = {}
    i = 0
    while i < len(words):
        word = words[i]
        flag = word[1:].lower()
        if word[:1] not in "/-" or flag in out:
            raise Usage()
        if flag in takes and i + 1 < len(words):
            out[flag] = words[i + 1]
            i += 2
            continue
        if flag not in alone:
            raise Usage()
        out[flag] = True
        i += 1
    if len({"v", "ve", "va"} & set(out)) > 1:
        raise Usage()
    return out


# --- QUERY ------------------------------------------------------------------------------------

def _shown(kind: int, value) -> str:
    """A value as reg prints it: strings as they are, numbers as 0x hex, bytes in capital
    hex, a multi-string's strings joined by \\0."""
    if kind in (REG_DWORD, REG_QWORD) and isinstance(value, int):
        return f"0x{value:x}"
    if isinstance(value, str):
        return value
    if kind == REG_MULTI_SZ:
        strings = bytes(value).decode("utf-16-le", "replace").split("\0")
        while strings and strings[-1] == "":
            strings.pop()
        return "\\0".join(strings)
    return bytes(value).hex().upper()


def _value_line(name: str, kind: int, value) -> str:
    return f"    {name or '(Default)'}    {TYPE_NAMES.get(kind, 'REG_NONE')}    " \
           f"{_shown(kind, value)}\n"


def _query(p, registry, path: str, options: dict, state: dict) -> int:
    if not registry.exists(path):
        _out(p, NOT_FOUND, 2)
        return 1
    out = ["\n"]
    if "v" in options or "ve" in options:
        found = _query_value(registry, path, options.get("v", ""), "s" in options, out)
        if "s" in options:
            out.append(f"End of search: {found} match(es) found.\n")
        elif not found:
            _out(p, "".join(out))
            _out(p, NOT_FOUND, 2)
            return 1
    else:
        _list_key(registry, path, "s" in options, False, out)
    _out(p, "".join(out))
    return 0


def _list_key(registry, path: str, deep: bool, inner: bool, out: list) -> None:
    """A key's name and values (a key below the one asked for is named even without
    values), then its subkeys: by name, or (deep) each listed the same way in turn."""
    values = registry.values(path)
    if values or inner:
        out.append(f"{path}\n")
    out += [_value_line(name, kind, value) for name, (kind, value) in values.items()]
    if values or inner:
        out.append("\n")
    for child in registry.children(path):
        if deep:
            _list_key(registry, f"{path}\\{child}", True, True, out)
        else:
            out.append(f"{path}\\{child}\n")


def _query_value(registry, path: str, name: str, deep: bool, out: list) -> int:
    """/v NAME or /ve (the default value, name ""): the key's, or with /s each key's under
    it that has one; how many were found. A default value never set is shown as such."""
    hit = next(((n, v) for n, v in registry.values(path).items() if n.lower() == name.lower()),
               None)
    found = 0
    if hit is not None:
        out.append(f"{path}\n" + _value_line(hit[0], *hit[1]) + "\n")
        found = 1
    elif name == "" and not deep:
        out.append(f"{path}\n    (Default)    REG_SZ    (value not set)\n")
        found = 1
    if deep:
        for child in registry.children(path):
            found += _query_value(registry, f"{path}\\{child}", name, True, out)
    return found


# --- ADD and DELETE ---------------------------------------------------------------------------

def _data(kind: int, text: str, separator: str):
    """/d's text as the store keeps a value of the type; ValueError when it is not one."""
    if kind in (REG_DWORD, REG_QWORD):
        number = int(text, 16) if text.lower().startswith("0x") else int(text or "0", 10)
        if not 0 <= number < (1 << (32 if kind == REG_DWORD else 64)):
            raise ValueError(text)
        return number
    if kind in (REG_BINARY, REG_NONE):
        return bytes.fromhex(text) if len(text) % 2 == 0 else bytes.fromhex("0" + text)
    if kind == REG_MULTI_SZ:
        strings = text.split(separator) if text else []
        return "".join(s + "\0" for s in strings).encode("utf-16-le") + b"\0\0"
    return text


def _confirm(p, state: dict, question: str) -> bool:
    """Ask (once: reading may wait, and the program run again), and take the first line of
    standard input as the answer."""
    if not state.get("asked"):
        state["asked"] = True
        _out(p, question)
    answer = (_all_input(p, state).decode("utf-8", "replace").splitlines() or [""])[0]
    return answer.strip()[:1].lower() == "y"


def _add(p, registry, path: str, options: dict, state: dict) -> int:
    if "va" in options:
        return _usage(p, "add")
    if not registry.writable(path) or path.lower() == "hkey_current_user":
        _out(p, DENIED, 2)
        return 1
    named = "v" in options or "ve" in options
    kind = TYPES.get(options.get("t", "REG_SZ").upper())
    if kind is None:
        _out(p, "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n", 2)
        return 1
    separator = options.get("s", "\\0")
    try:
        value = _data(kind, options.get("d", ""), separator)
    except ValueError:
        _out(p, "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n", 2)
        return 1
    name = options.get("v", "")
    if named:
        exists = registry.value(path, name) is not None
        if exists and "f" not in options and not _confirm(
                p, state, f"Value {name or '(Default)'} exists, overwrite(Yes/No)? "):
            _out(p, "The operation was canceled by the user.\n")
            return 0
    if not registry.room_for(len(path) + len(name) + 16 + (len(value) if isinstance(
            value, (str, bytes)) else 8)):
        _out(p, "ERROR: Insufficient system resources exist to complete the requested "
                "service.\n", 2)
        return 1
    registry.create(path)
    if named:
        registry.set_value(path, name, kind, value)
    _out(p, DONE)
    return 0


def _delete(p, registry, path: str, options: dict, state: dict) -> int:
    if not registry.exists(path):
        _out(p, NOT_FOUND, 2)
        return 1
    if not registry.writable(path) or path.lower() == "hkey_current_user":
        _out(p, DENIED, 2)
        return 1
    if "v" in options or "ve" in options:
        name = options.get("v", "")
        if registry.value(path, name) is None:
            _out(p, NOT_FOUND, 2)
            return 1
        if "f" not in options and not _confirm(
                p, state, f"Delete the registry value {name or '(Default)'} (Yes/No)? "):
            _out(p, "The operation was canceled by the user.\n")
            return 0
        registry.delete_value(path, name)
    elif "va" in options:
        if "f" not in options and not _confirm(
                p, state, f"Delete all values under the registry key {path} (Yes/No)? "):
            _out(p, "The operation was canceled by the user.\n")
            return 0
        for name in list(registry.values(path)):
            registry.delete_value(path, name)
    else:
        if "f" not in options and not _confirm(
                p, state, f"Permanently delete the registry key {path} (Yes/No)? "):
            _out(p, "The operation was canceled by the user.\n")
            return 0
        registry.delete(path, tree=True)
    _out(p, DONE)
    return 0
