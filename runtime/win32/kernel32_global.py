"""GlobalAlloc and its family, and the clipboard that trades in their blocks (user32).

Global memory here is the process heap's: a block is its own handle whether GMEM_MOVEABLE was
asked for or not (GlobalLock gives the block back, GlobalHandle the handle), which is all a
program may rely on. The clipboard is the machine's: what one process sets, another gets, as
copies of the data in each process's own memory; text set in one text format is there in
the others, as Windows synthesizes them."""
from __future__ import annotations

GMEM_ZEROINIT = 0x40
ERROR_INVALID_HANDLE, ERROR_CLIPBOARD_NOT_OPEN, ERROR_NOT_ENOUGH_MEMORY = 6, 1418, 8


def sys_kernel32_GlobalAlloc(p, uFlags, dwBytes):
    block = p.win32.heap.alloc(max(dwBytes, 1), zero=bool(uFlags & GMEM_ZEROINIT))
    if not block:
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
    return block


def sys_kernel32_GlobalFree(p, hMem):
    """NULL when freed (the handle back when it was no block)."""
    if hMem and not p.win32.heap.free(hMem):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return hMem
    return 0


def sys_kernel32_GlobalLock(p, hMem):
    if p.win32.heap.size_of(hMem) is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return hMem


def sys_kernel32_GlobalUnlock(p, hMem):
    """0: no lock is held on it any more (a fixed block has no lock count)."""
    p.win32.last_error = 0
    return 0


def sys_kernel32_GlobalSize(p, hMem):
    size = p.win32.heap.size_of(hMem)
    return size if size is not None else 0


def sys_kernel32_GlobalReAlloc(p, hMem, dwBytes, uFlags):
    return p.win32.heap.realloc(hMem, max(dwBytes, 1))


def sys_kernel32_GlobalHandle(p, pMem):
    return pMem if p.win32.heap.size_of(pMem) is not None else 0


# --- the clipboard ----------------------------------------------------------------------------

def _clipboard(p) -> dict:
    from ..nt.personality import personality
    return personality.machine(p.kernel).clipboard


def _opened(p) -> dict | None:
    """The clipboard, when this process has it open; else None and ERROR_CLIPBOARD_NOT_OPEN."""
    board = _clipboard(p)
    if board.get("open_by") != p.tgid:
        p.win32.last_error = ERROR_CLIPBOARD_NOT_OPEN
        return None
    return board


def sys_user32_OpenClipboard(p, hWndNewOwner):
    board = _clipboard(p)
    board["open_by"] = p.tgid
    return 1


def sys_user32_CloseClipboard(p):
    board = _opened(p)
    if board is None:
        return 0
    board["open_by"] = None
    return 1


def sys_user32_EmptyClipboard(p):
    board = _opened(p)
    if board is None:
        return 0
    board.setdefault("data", {}).clear()
    return 1


def sys_user32_SetClipboardData(p, uFormat, hMem):
    """The block's bytes are the machine's now (the system owns the block after the call)."""
    board = _opened(p)
    if board is None:
        return 0
    size = p.win32.heap.size_of(hMem) if hMem else None
    board.setdefault("data", {})[uFormat & 0xFFFFFFFF] = \
        p.mm.read(hMem, size) if size else b""
    return hMem or 1


# The text formats Windows makes from one another: text set in one of them is there in all
# (the ANSI code page's, the OEM one's, UTF-16), and the locale it was set in with them.
CF_TEXT, CF_OEMTEXT, CF_UNICODETEXT, CF_LOCALE = 1, 7, 13, 16
TEXT_CODECS = {CF_TEXT: "cp1252", CF_OEMTEXT: "cp437", CF_UNICODETEXT: "utf-16-le"}
LCID_EN_US = 0x0409


def _text_of(fmt: int, data: bytes) -> str:
    """A text format's characters up to its NUL."""
    codec = TEXT_CODECS[fmt]
    if fmt == CF_UNICODETEXT:
        end = next((i for i in range(0, len(data) - 1, 2) if data[i:i + 2] == b"\0\0"),
                   len(data) & ~1)
        return data[:end].decode(codec, "replace")
    return data.split(b"\0", 1)[0].decode(codec, "replace")


def _formats(p) -> dict:
    """The clipboard's formats: what was set, and the text formats made from its text."""
    data = dict(_clipboard(p).get("data", {}))
    source = next((fmt for fmt in (CF_UNICODETEXT, CF_TEXT, CF_OEMTEXT) if fmt in data), None)
    if source is not None:                     # after those set: the locale, then the text
        text = _text_of(source, data[source])
        data.setdefault(CF_LOCALE, LCID_EN_US.to_bytes(4, "little"))
        for fmt, codec in TEXT_CODECS.items():
            if fmt not in data:
                unit = 2 if fmt == CF_UNICODETEXT else 1
                data[fmt] = text.encode(codec, "replace") + bytes(unit)
    return data


def sys_user32_GetClipboardData(p, uFormat):
    board = _opened(p)
    if board is None:
        return 0
    data = _formats(p).get(uFormat & 0xFFFFFFFF)
    if data is None:
        return 0
    block = p.win32.heap.alloc(max(len(data), 1))
    p.mm.write(block, data)
    return block


def sys_user32_IsClipboardFormatAvailable(p, format):
    return int((format & 0xFFFFFFFF) in _formats(p))


def sys_user32_CountClipboardFormats(p):
    return len(_formats(p))


def sys_user32_EnumClipboardFormats(p, format):
    """The format after format (0: the first): those set, in the order they were, then the
    ones made from them; 0 past the last (no error then) or with the clipboard not open."""
    if _opened(p) is None:
        return 0
    order = list(_formats(p))
    after = format & 0xFFFFFFFF
    at = 0 if not after else order.index(after) + 1 if after in order else len(order)
    p.win32.last_error = 0
    return order[at] if at < len(order) else 0
