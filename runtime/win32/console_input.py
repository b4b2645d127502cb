"""The console's input buffer as INPUT_RECORDs (ReadConsoleInput, PeekConsoleInput,
WriteConsoleInput, FlushConsoleInputBuffer), made from the terminal's bytes: each key is a
key-down and a key-up KEY_EVENT with its virtual-key code, character and control-key state,
as conhost reports a key press; the terminal's escape sequences for arrows, Home, End,
Insert, Delete and the page keys become those keys (in virtual-terminal input mode the
sequences stay text, a record per character). A console input handle is waitable: it
is signalled while records or bytes wait (crossterm, libuv and .NET wait, then read)."""
from __future__ import annotations

import struct

from .. import readiness
from ..block import Block
from ..tty import console

KEY_EVENT = 1
ENABLE_VIRTUAL_TERMINAL_INPUT = 0x200
RECORD = struct.Struct("<HxxiHHHHI")          # EventType, then KEY_EVENT_RECORD
RECORD_SIZE = 20
MAX_RECORDS, ERROR_NOT_ENOUGH_MEMORY = 1 << 20, 8
LEFT_CTRL_PRESSED, SHIFT_PRESSED, LEFT_ALT_PRESSED = 0x08, 0x10, 0x02
VK_BACK, VK_TAB, VK_RETURN, VK_ESCAPE, VK_SPACE = 0x08, 0x09, 0x0D, 0x1B, 0x20
# the terminal's sequences (after ESC [ or ESC O) -> virtual-key codes
SEQUENCES = {b"A": 0x26, b"B": 0x28, b"C": 0x27, b"D": 0x25, b"H": 0x24, b"F": 0x23,
             b"1~": 0x24, b"4~": 0x23, b"2~": 0x2D, b"3~": 0x2E, b"5~": 0x21, b"6~": 0x22,
             b"P": 0x70, b"Q": 0x71, b"R": 0x72, b"S": 0x73, b"15~": 0x74, b"17~": 0x75,
             b"18~": 0x76, b"19~": 0x77, b"20~": 0x78, b"21~": 0x79, b"23~": 0x7A, b"24~": 0x7B}
# the modifier parameter of a sequence such as ESC [1;5A (xterm: 1 + shift 1, alt 2, ctrl 4)
MODIFIERS = ((1, SHIFT_PRESSED), (2, LEFT_ALT_PRESSED), (4, LEFT_CTRL_PRESSED))


def _key(vk: int, char: str, state: int = 0) -> list[bytes]:
    code = ord(char) if char else 0
    return [RECORD.pack(KEY_EVENT, down, 1, vk, 0, code, state) for down in (1, 0)]


def _char_keys(char: str) -> list[bytes]:
    """A typed character's press and release: letters and digits carry their key's code,
    control characters Ctrl and the letter."""
    code = ord(char)
    if char == "\r" or char == "\n":
        return _key(VK_RETURN, "\r")
    if char == "\t":
        return _key(VK_TAB, "\t")
    if code in (0x7F, 0x08):
        return _key(VK_BACK, "\b")
    if char == " ":
        return _key(VK_SPACE, " ")
    if 1 <= code <= 26:
        return _key(0x40 + code, char, LEFT_CTRL_PRESSED)
    if "a" <= char <= "z":
        return _key(ord(char.upper()), char)
    if "A" <= char <= "Z":
        return _key(code, char, SHIFT_PRESSED)
    if "0" <= char <= "9":
        return _key(code, char)
    return _key(0, char)


def key_records(data: bytes) -> list[bytes]:
    """INPUT_RECORDs for bytes the terminal sent."""
    records, i, text = [], 0, data
    while i < len(text):
        if text[i] == 0x1B:
            if i + 1 == len(text):
                records += _key(VK_ESCAPE, "\x1b")
                i += 1
                continue
            if text[i + 1] in b"[O":
                j = i + 2
                while j < len(text) and not 0x40 <= text[j] <= 0x7E:
                    j += 1
                body = text[i + 2:j + 1]
                params, final = body[:-1], body[-1:]
                parts = params.split(b";")
                name = parts[0] + final if final == b"~" else final
                mods = int(parts[1]) - 1 if len(parts) > 1 and parts[1].isdigit() else 0
                state = sum(flag for bit, flag in MODIFIERS if mods & bit)
                vk = SEQUENCES.get(name)
                if vk is not None:
                    records += _key(vk, "", state)
                    i = j + 1
                    continue
            # ESC and a character: Alt held with it
            char = chr(text[i + 1])
            records += [r[:16] + struct.pack("<I", struct.unpack("<I", r[16:])[0] | LEFT_ALT_PRESSED)
                        for r in _char_keys(char)]
            i += 2
            continue
        # a UTF-8 character
        n = 1 if text[i] < 0x80 else 2 if text[i] < 0xE0 else 3 if text[i] < 0xF0 else 4
        char = text[i:i + n].decode("utf-8", "replace")
        for c in char:
            if ord(c) > 0xFFFF:    # outside the BMP: its two UTF-16 halves, as conhost
                units = c.encode("utf-16-le")
                for k in range(0, 4, 2):
                    records += _key(0, chr(int.from_bytes(units[k:k + 2], "little")))
            else:
                records += _char_keys(c)
        i += n
    return records


def vt_records(data: bytes) -> list[bytes]:
    """INPUT_RECORDs for bytes the terminal sent, in virtual-terminal input mode: conhost
    hands the text on as it is, one key-down KEY_EVENT per UTF-16 unit with no key code and
    no release (inputBuffer.cpp's _writeString), and the program parses the escape
    sequences itself (prompt_toolkit's and crossterm's readers do); NUL is Ctrl+2."""
    records = []
    units = data.decode("utf-8", "replace").encode("utf-16-le")
    for k in range(0, len(units), 2):
        code = int.from_bytes(units[k:k + 2], "little")
        vk, state = (0x32, LEFT_CTRL_PRESSED) if code == 0 else (0, 0)
        records.append(RECORD.pack(KEY_EVENT, 1, 1, vk, 0, code, state))
    return records


def _queue(tty) -> list:
    return console.screen_of(tty).input_records


def _take_input(p, fd: int, f, tty, block: bool) -> list:
    """The console's records, after turning the bytes waiting on the terminal into records;
    with block, wait until there is one."""
    queue = _queue(tty)
    if not queue and readiness.poll_mask(f) & readiness.READABLE:
        from .msvcrt import _read_fd
        vt = console.screen_of(tty).input_extra & ENABLE_VIRTUAL_TERMINAL_INPUT
        queue += (vt_records if vt else key_records)(_read_fd(p, fd, 256))
    if not queue and block:
        raise Block(lambda: bool(_queue(tty)) or bool(readiness.poll_mask(f) & readiness.READABLE),
                    host_fds=readiness.host_fds(f))
    return queue


def input_ready(f, tty) -> bool:
    """Whether a wait on the console's input handle is satisfied."""
    return bool(_queue(tty)) or bool(readiness.poll_mask(f) & readiness.READABLE)


def _wide_to_ansi(record: bytes) -> bytes:
    """The A forms give the character as a byte of the console's code page (Latin-1 here)."""
    kind, down, repeat, vk, scan, char, state = RECORD.unpack(record)
    return RECORD.pack(kind, down, repeat, vk, scan, char if char < 0x100 else ord("?"), state)


def read_records(p, fd: int, f, tty, buffer: int, length: int, count_at: int, remove: bool,
                 wide: bool) -> int:
    queue = _take_input(p, fd, f, tty, block=remove)
    taken = queue[:max(0, length)]
    if remove:
        del queue[:len(taken)]
    data = b"".join(r if wide else _wide_to_ansi(r) for r in taken)
    if data:
        p.mm.write(buffer, data)
    if count_at:
        p.mm.write_u32(count_at, len(taken))
    return 1


def write_records(p, tty, buffer: int, length: int, count_at: int) -> int:
    """WriteConsoleInput: the records go to the end of the input buffer (which holds a
    million at most: past that, ERROR_NOT_ENOUGH_MEMORY, as conhost when it cannot grow)."""
    if len(_queue(tty)) + length > MAX_RECORDS:
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    data = p.mm.read(buffer, RECORD_SIZE * length) if length else b""
    _queue(tty).extend(data[k:k + RECORD_SIZE] for k in range(0, len(data), RECORD_SIZE))
    if count_at:
        p.mm.write_u32(count_at, length)
    return 1


def flush_input(p, fd: int, f, tty) -> int:
    """FlushConsoleInputBuffer: records and bytes waiting are dropped."""
    _queue(tty).clear()
    if readiness.poll_mask(f) & readiness.READABLE:
        from .msvcrt import _read_fd
        _read_fd(p, fd, 4096)
    return 1


def pending_count(p, fd: int, f, tty) -> int:
    """GetNumberOfConsoleInputEvents: the records made, else 1 while bytes wait (they stay
    on the terminal, for ReadConsole's line reads)."""
    queue = _queue(tty)
    return len(queue) or int(bool(readiness.poll_mask(f) & readiness.READABLE))


def take_typed_text(tty, limit: int) -> str:
    """The characters of key-down records a Peek left in the buffer, for ReadConsole (one
    input buffer serves both ways of reading it)."""
    queue, text, used = _queue(tty), [], 0
    for record in queue:
        if len(text) >= limit:
            break
        used += 1
        kind, down, _repeat, _vk, _scan, char, _state = RECORD.unpack(record)
        if kind == KEY_EVENT and down and char:
            text.append(chr(char))
    del queue[:used]
    return "".join(text)
