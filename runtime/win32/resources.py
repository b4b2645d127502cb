"""A module's own resources (.rsrc), as FindResource/LoadResource/SizeofResource read them
from the mapped image: the directory tree of type, name and language, each level found by
number (MAKEINTRESOURCE, or "#123") or by name (case-insensitive). An HRSRC is the address
of the resource's data entry; LoadResource and LockResource give the data's address in the
image. A malformed tree finds nothing (ERROR_RESOURCE_DATA_NOT_FOUND), never a fault."""
from __future__ import annotations

import struct

from ..errors import Fault

ERROR_RESOURCE_DATA_NOT_FOUND, ERROR_RESOURCE_TYPE_NOT_FOUND = 1812, 1813
ERROR_RESOURCE_NAME_NOT_FOUND, ERROR_RESOURCE_LANG_NOT_FOUND = 1814, 1815
RESOURCE_DIRECTORY = 2                  # the data directory's index
USER_LANGUAGE, ENGLISH = 0x0409, 0x0009   # en-US (kernel32_locale's LCID_EN_US), LANG_ENGLISH
MAX_ENTRIES = 4096


def _module(p, hModule: int) -> int:
    """The image's base (a data-file handle's low bits marked it so on Windows)."""
    return (hModule or p.win32.image_base) & ~3


def _resource_root(p, base: int) -> tuple[int, int] | None:
    """(address, size) of the image's resource directory, or None."""
    pe_at = base + p.mm.read_u32(base + 0x3C)
    optional = pe_at + 24
    magic = struct.unpack("<H", p.mm.read(optional, 2))[0]
    directories = optional + (112 if magic == 0x20B else 96)
    rva, size = struct.unpack("<II", p.mm.read(directories + 8 * RESOURCE_DIRECTORY, 8))
    return (base + rva, size) if rva and size else None


def _key(p, value: int):
    """A resource type or name as the caller gives it: an int ID, or an upper-case name."""
    if value < 0x10000:
        return value
    from .wide import read_wstr
    text = read_wstr(p, value)
    return int(text[1:]) if text.startswith("#") and text[1:].isdigit() else text.upper()


def _key_a(p, value: int):
    if value < 0x10000:
        return value
    text = p.mm.read_cstr(value).decode("latin-1")
    return int(text[1:]) if text.startswith("#") and text[1:].isdigit() else text.upper()


def _entries(p, root: int, directory: int):
    """(key, is_directory, offset) of a directory's entries: named first, then by ID."""
    named, ids = struct.unpack("<HH", p.mm.read(directory + 12, 4))
    for i in range(min(named + ids, MAX_ENTRIES)):
        name, target = struct.unpack("<II", p.mm.read(directory + 16 + 8 * i, 8))
        if name & 0x80000000:
            at = root + (name & 0x7FFFFFFF)
            length = struct.unpack("<H", p.mm.read(at, 2))[0]
            key = p.mm.read(at + 2, 2 * length).decode("utf-16-le", "replace").upper()
        else:
            key = name & 0xFFFF
        yield key, bool(target & 0x80000000), target & 0x7FFFFFFF


def _child(p, root: int, directory: int, key, first_if_none: bool = False):
    for k, is_dir, offset in _entries(p, root, directory):
        if k == key or (first_if_none and key is None):
            return is_dir, root + offset
    return None


def find(p, hModule: int, type_key, name_key, language: int | None) -> int:
    """The data entry's address (the HRSRC), or 0 with the error set."""
    try:
        found = _resource_root(p, _module(p, hModule))
        if found is None:
            p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
            return 0
        root = found[0]
        steps = ((type_key, ERROR_RESOURCE_TYPE_NOT_FOUND),
                 (name_key, ERROR_RESOURCE_NAME_NOT_FOUND))
        directory = root
        for key, error in steps:
            child = _child(p, root, directory, key)
            if child is None or not child[0]:
                p.win32.last_error = error
                return 0
            directory = child[1]
        # The language: the one asked for, else neutral, else the user's (en-US, as
        # GetUserDefaultLangID says), else English, else the first there is.
        child = None
        for lang in ([language] if language else []) + [0, USER_LANGUAGE, ENGLISH, None]:
            child = _child(p, root, directory, lang, first_if_none=lang is None)
            if child is not None:
                break
        if child is None or child[0]:
            p.win32.last_error = ERROR_RESOURCE_LANG_NOT_FOUND
            return 0
        return child[1]
    except Fault:
        p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
        return 0


def sys_kernel32_FindResourceW(p, hModule, lpName, lpType):
    return find(p, hModule, _key(p, lpType), _key(p, lpName), None)


def sys_kernel32_FindResourceA(p, hModule, lpName, lpType):
    return find(p, hModule, _key_a(p, lpType), _key_a(p, lpName), None)


def sys_kernel32_FindResourceExW(p, hModule, lpType, lpName, wLanguage):
    return find(p, hModule, _key(p, lpType), _key(p, lpName), wLanguage & 0xFFFF)


def sys_kernel32_FindResourceExA(p, hModule, lpType, lpName, wLanguage):
    return find(p, hModule, _key_a(p, lpType), _key_a(p, lpName), wLanguage & 0xFFFF)


def sys_kernel32_LoadResource(p, hModule, hResInfo):
    """The resource's data in the mapped image."""
    if not hResInfo:
        p.win32.last_error = 6            # ERROR_INVALID_HANDLE
        return 0
    try:
        return _module(p, hModule) + p.mm.read_u32(hResInfo)
    except Fault:
        p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
        return 0


def sys_kernel32_LockResource(p, hResData):
    return hResData


def sys_kernel32_SizeofResource(p, hModule, hResInfo):
    if not hResInfo:
        p.win32.last_error = 6
        return 0
    try:
        return p.mm.read_u32(hResInfo + 4)
    except Fault:
        return 0


def sys_kernel32_FreeResource(p, hResData):
    return 0                              # nothing to free: the data is the image's


def resource_data(p, hModule: int, type_id: int, name_id: int, language: int | None = None):
    """(address, size) of a resource by number, or None (message tables, versions)."""
    entry = find(p, hModule, type_id, name_id, language)
    if not entry:
        return None
    return _module(p, hModule) + p.mm.read_u32(entry), p.mm.read_u32(entry + 4)



# --- enumeration: EnumResourceTypes/Names/Languages ----------------------------------------

ERROR_RESOURCE_ENUM_USER_STOP = 15106


def _listing(p, hModule, type_key=None, name_key=None):
    """The keys at the level below the given ones: types, a type's names, or a name's
    languages (None with the error set when a level is missing or the tree is malformed)."""
    try:
        return _keys_below(p, hModule, type_key, name_key)
    except Fault:
        p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
        return None


def _keys_below(p, hModule, type_key, name_key):
    found = _resource_root(p, _module(p, hModule))
    if found is None:
        p.win32.last_error = ERROR_RESOURCE_DATA_NOT_FOUND
        return None
    root = directory = found[0]
    for key, error in ((type_key, ERROR_RESOURCE_TYPE_NOT_FOUND),
                       (name_key, ERROR_RESOURCE_NAME_NOT_FOUND)):
        if key is None:
            break
        child = _child(p, root, directory, key)
        if child is None or not child[0]:
            p.win32.last_error = error
            return None
        directory = child[1]
    return [k for k, _is_dir, _offset in _entries(p, root, directory)]


def _pass_key(p, key, wide: bool, strings: list) -> int:
    """A key as an enumeration callback gets it: an ID as MAKEINTRESOURCE, a name as a
    string the call owns while the callback runs."""
    if isinstance(key, int):
        return key
    data = key.encode("utf-16-le") + b"\0\0" if wide else key.encode("latin-1", "replace") + b"\0"
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    strings.append(block)
    return block


def _enumerate(p, hModule, fn, keys: list, make_args, stdcall_args: int) -> int:
    """Call fn for each key until it returns FALSE: TRUE when all were seen, else FALSE
    with ERROR_RESOURCE_ENUM_USER_STOP."""
    from . import callback
    if keys is None:
        return 0
    chain, strings = callback.start(p, stdcall_args=stdcall_args), []
    items = iter(keys)

    def finish(result: int) -> int:
        for block in strings:
            p.win32.heap.free(block)
        return callback.finish(p, chain, result)

    def step(previous) -> int:
        if previous is not None and not previous & 0xFFFFFFFF:
            p.win32.last_error = ERROR_RESOURCE_ENUM_USER_STOP
            return finish(0)
        key = next(items, None)
        if key is None:
            return finish(1)
        return callback.call(p, chain, fn, make_args(key, strings), step)
    return step(None)


def _enum_types(p, hModule, lpEnumFunc, lParam, wide: bool, nargs: int) -> int:
    module = _module(p, hModule)
    return _enumerate(p, hModule, lpEnumFunc, _listing(p, hModule),
                      lambda key, strings: [module, _pass_key(p, key, wide, strings), lParam],
                      nargs)


def _enum_names(p, hModule, lpType, lpEnumFunc, lParam, wide: bool, nargs: int) -> int:
    module, type_key = _module(p, hModule), (_key if wide else _key_a)(p, lpType)
    return _enumerate(p, hModule, lpEnumFunc, _listing(p, hModule, type_key),
                      lambda key, strings: [module, lpType, _pass_key(p, key, wide, strings),
                                            lParam], nargs)


def _enum_languages(p, hModule, lpType, lpName, lpEnumFunc, lParam, wide: bool,
                    nargs: int) -> int:
    read = _key if wide else _key_a
    module = _module(p, hModule)
    # a language is an ID: a named entry at that level (a malformed tree) is passed over
    keys = _listing(p, hModule, read(p, lpType), read(p, lpName))
    languages = None if keys is None else [key for key in keys if isinstance(key, int)]
    return _enumerate(p, hModule, lpEnumFunc, languages,
                      lambda key, strings: [module, lpType, lpName, key & 0xFFFF, lParam],
                      nargs)


def sys_kernel32_EnumResourceTypesW(p, hModule, lpEnumFunc, lParam):
    return _enum_types(p, hModule, lpEnumFunc, lParam, True, 3)


def sys_kernel32_EnumResourceTypesA(p, hModule, lpEnumFunc, lParam):
    return _enum_types(p, hModule, lpEnumFunc, lParam, False, 3)


def sys_kernel32_EnumResourceTypesExW(p, hModule, lpEnumFunc, lParam, dwFlags, LangId):
    return _enum_types(p, hModule, lpEnumFunc, lParam, True, 5)


def sys_kernel32_EnumResourceNamesW(p, hModule, lpType, lpEnumFunc, lParam):
    return _enum_names(p, hModule, lpType, lpEnumFunc, lParam, True, 4)


def sys_kernel32_EnumResourceNamesA(p, hModule, lpType, lpEnumFunc, lParam):
    return _enum_names(p, hModule, lpType, lpEnumFunc, lParam, False, 4)


def sys_kernel32_EnumResourceNamesExW(p, hModule, lpType, lpEnumFunc, lParam, dwFlags, LangId):
    return _enum_names(p, hModule, lpType, lpEnumFunc, lParam, True, 6)


def sys_kernel32_EnumResourceLanguagesW(p, hModule, lpType, lpName, lpEnumFunc, lParam):
    return _enum_languages(p, hModule, lpType, lpName, lpEnumFunc, lParam, True, 5)


def sys_kernel32_EnumResourceLanguagesA(p, hModule, lpType, lpName, lpEnumFunc, lParam):
    return _enum_languages(p, hModule, lpType, lpName, lpEnumFunc, lParam, False, 5)


def sys_kernel32_EnumResourceLanguagesExW(p, hModule, lpType, lpName, lpEnumFunc, lParam,
                                          dwFlags, LangId):
    return _enum_languages(p, hModule, lpType, lpName, lpEnumFunc, lParam, True, 7)
