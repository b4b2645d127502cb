"""GlobalAlloc and its family, and the clipboard that trades in their blocks (user32).

Global memory here is the process heap's: a block is its own handle whether GMEM_MOVEABLE was
asked for or not (GlobalLock gives the block back, GlobalHandle the handle), which is all a
program may rely on. The clipboard is the machine's: what one process sets, another gets, as
copies of the data in each process's own memory."""
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


def sys_user32_GetClipboardData(p, uFormat):
    board = _opened(p)
    if board is None:
        return 0
    data = board.get("data", {}).get(uFormat & 0xFFFFFFFF)
    if data is None:
        return 0
    block = p.win32.heap.alloc(max(len(data), 1))
    p.mm.write(block, data)
    return block


def sys_user32_IsClipboardFormatAvailable(p, format):
    return int((format & 0xFFFFFFFF) in _clipboard(p).get("data", {}))


def sys_user32_CountClipboardFormats(p):
    return len(_clipboard(p).get("data", {}))
