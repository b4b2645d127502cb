"""user32's icons and cursors as handles with nothing to draw: LoadIcon and LoadCursor give
Windows' predefined ones (hInstance NULL, IDI_* and IDC_*) or a module's own RT_GROUP_ICON
and RT_GROUP_CURSOR resources, found as FindResource finds them (resources.py). They are
shared, as LoadImage's LR_SHARED makes them: the same handle for the same resource every
time, and destroying one does nothing. CopyIcon makes a handle of the caller's own, which
DestroyIcon ends. A program registering a window class loads its icon and cursor first
(mpv's media-key window)."""
from __future__ import annotations

import itertools

from .resources import _key, _key_a, _module, find

RT_GROUP_CURSOR, RT_GROUP_ICON = 12, 14
IDI_FIRST, IDI_LAST = 32512, 32518             # IDI_APPLICATION ... IDI_SHIELD
IDC = frozenset({32512, 32513, 32514, 32515, 32516, 32640, 32641, 32642, 32643, 32644, 32645,
                 32646, 32648, 32649, 32650, 32651, 32671, 32672})   # IDC_ARROW ... IDC_PERSON
ERROR_RESOURCE_NAME_NOT_FOUND = 1814
ERROR_INVALID_CURSOR_HANDLE = 1402
FIRST_ICON = 0x10003           # USER handles; odd, so never a window's (user32_messages: even)

_handles = itertools.count(FIRST_ICON, 2)


def _icons(p) -> dict:
    """handle -> the shared resource's key (module, type, name), or None for a copy."""
    return p.win32.user_icons


def _shared(p, key) -> int:
    icons = _icons(p)
    found = next((h for h, k in icons.items() if k == key), None)
    if found is None:
        found = next(_handles)
        icons[found] = key
    return found


def _load(p, hInstance, name: int, kind: int, wide: bool) -> int:
    if not hInstance:
        predefined = IDC if kind == RT_GROUP_CURSOR else range(IDI_FIRST, IDI_LAST + 1)
        if name >= 0x10000 or name not in predefined:
            p.win32.last_error = ERROR_RESOURCE_NAME_NOT_FOUND
            return 0
        return _shared(p, (0, kind, name))
    key = (_key if wide else _key_a)(p, name)
    if not find(p, hInstance, kind, key, None):
        return 0                                  # find's error: no such type, name, data
    return _shared(p, (_module(p, hInstance), kind, key))


def sys_user32_LoadIconW(p, hInstance, lpIconName):
    return _load(p, hInstance, lpIconName, RT_GROUP_ICON, True)


def sys_user32_LoadIconA(p, hInstance, lpIconName):
    return _load(p, hInstance, lpIconName, RT_GROUP_ICON, False)


def sys_user32_LoadCursorW(p, hInstance, lpCursorName):
    return _load(p, hInstance, lpCursorName, RT_GROUP_CURSOR, True)


def sys_user32_LoadCursorA(p, hInstance, lpCursorName):
    return _load(p, hInstance, lpCursorName, RT_GROUP_CURSOR, False)


def sys_user32_CopyIcon(p, hIcon):
    if hIcon not in _icons(p):
        p.win32.last_error = ERROR_INVALID_CURSOR_HANDLE
        return 0
    copy = next(_handles)
    _icons(p)[copy] = None
    return copy


def sys_user32_DestroyIcon(p, hIcon):
    """TRUE for a shared icon (which stays) and for a copy (which goes)."""
    icons = _icons(p)
    if hIcon not in icons:
        p.win32.last_error = ERROR_INVALID_CURSOR_HANDLE
        return 0
    if icons[hIcon] is None:
        del icons[hIcon]
    return 1


sys_user32_DestroyCursor = sys_user32_DestroyIcon    # one kind of object on Windows too
