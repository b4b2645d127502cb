"""user32's windows as a program with no desktop uses them: message-only windows of a class
the program registers, and the thread message queues behind them. Qt's event dispatcher (and
with it every Qt console tool: rcc, uic, lupdate ...), COM's apartments and other run loops
make a hidden window, post messages to it, set timers on it and pump the queue with
PeekMessage/DispatchMessage while waiting in MsgWaitForMultipleObjectsEx.

A window belongs to the thread that made it, whose queue its messages and timers go to.
DispatchMessage (and the messages CreateWindowEx sends: WM_NCCREATE, WM_CREATE) call the
class's window procedure as guest code (runtime/win32/callback.py). Nothing is drawn."""
from __future__ import annotations

import itertools
import struct
import time
from dataclasses import dataclass, field

from ..kernel import Block
from ..nt import abi
from . import callback
from .wide import read_wstr

WM_NULL, WM_CREATE, WM_DESTROY, WM_NCCREATE, WM_NCDESTROY = 0x0, 0x1, 0x2, 0x81, 0x82
WM_TIMER, WM_QUIT = 0x113, 0x12
PM_REMOVE = 0x1
GWLP_WNDPROC, GWLP_HINSTANCE, GWLP_ID, GWLP_USERDATA = -4, -6, -12, -21
QS_POSTMESSAGE, QS_TIMER, QS_ALLPOSTMESSAGE = 0x8, 0x10, 0x100
MWMO_ALERTABLE, MWMO_INPUTAVAILABLE = 0x2, 0x4
WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED, INFINITE = 0, 0x102, 0xFFFFFFFF, 0xFFFFFFFF
ERROR_INVALID_WINDOW_HANDLE, ERROR_CLASS_ALREADY_EXISTS = 1400, 1410
ERROR_CANNOT_FIND_WND_CLASS, ERROR_INVALID_PARAMETER = 1407, 87
FIRST_ATOM, FIRST_HWND = 0xC000, 0x10010
USER_TIMER_MINIMUM = 0.010            # seconds: SetTimer's shortest period

_hwnds = itertools.count(FIRST_HWND, 2)


@dataclass
class WindowClass:
    name: str
    atom: int
    proc: int                 # the window procedure
    window_extra: int         # cbWndExtra: bytes GetWindowLongPtr reads at 0, 8 ...


SW_HIDE = 0


@dataclass
class Window:
    hwnd: int
    cls: WindowClass
    proc: int
    queue: list               # the owning thread's message queue
    tid: int
    longs: dict = field(default_factory=dict)     # GWLP_* and extra-byte index -> value
    timers: dict = field(default_factory=dict)    # id -> [due (monotonic), period, timerproc]
    visible: bool = False                           # ShowWindow's (nothing is on a screen)


def _classes(p) -> dict:
    return p.win32.window_classes


def _windows(p) -> dict:
    return p.win32.windows


def _queue(p) -> list:
    """The calling thread's message queue: (hwnd, message, wParam, lParam, time) entries."""
    return p.win32.thread_local("messages", list)


def _class_name(p, name: int, wide: bool = True) -> str:
    """A class named by an atom (MAKEINTATOM: the high bits clear) or by a string (UTF-16,
    or the ANSI code page's for the A functions)."""
    if name >> 16 == 0:
        atom = name & 0xFFFF
        return next((c.name for c in _classes(p).values() if c.atom == atom), f"#{atom}")
    return read_wstr(p, name) if wide else \
        p.mm.read_cstr(name, 1024).decode("cp1252", "replace")


# --- classes --------------------------------------------------------------------------------

def sys_user32_RegisterClassW(p, lpWndClass):
    return _register_class(p, lpWndClass, True)


def _register_class(p, lpWndClass, wide: bool) -> int:
    """WNDCLASSW: the class's name, window procedure and extra window bytes. Returns its
    atom (0: ERROR_CLASS_ALREADY_EXISTS)."""
    w = abi.word(p)
    proc = abi.read_ptr(p, lpWndClass + w)
    extra = struct.unpack("<i", p.mm.read(lpWndClass + 2 * w + 4, 4))[0]
    name = _class_name(p, abi.read_ptr(p, lpWndClass + (w == 8 and 64 or 36)), wide)
    return _register(p, name, proc, extra)


def sys_user32_RegisterClassA(p, lpWndClass):
    """WNDCLASSA: WNDCLASSW's layout, its names in the ANSI code page."""
    return _register_class(p, lpWndClass, False)


def sys_user32_RegisterClassExW(p, lpwcx):
    return _register_class_ex(p, lpwcx, True)


def _register_class_ex(p, lpwcx, wide: bool) -> int:
    """WNDCLASSEXW: WNDCLASSW's fields after cbSize and style."""
    w = abi.word(p)
    proc = abi.read_ptr(p, lpwcx + 8)
    extra = struct.unpack("<i", p.mm.read(lpwcx + 8 + w + 4, 4))[0]
    name = _class_name(p, abi.read_ptr(p, lpwcx + (w == 8 and 64 or 40)), wide)
    return _register(p, name, proc, extra)


def sys_user32_RegisterClassExA(p, lpwcx):
    return _register_class_ex(p, lpwcx, False)


def _register(p, name: str, proc: int, extra: int) -> int:
    classes = _classes(p)
    if name.lower() in classes:
        p.win32.last_error = ERROR_CLASS_ALREADY_EXISTS
        return 0
    atom = FIRST_ATOM + len(classes) + p.win32.classes_gone
    classes[name.lower()] = WindowClass(name, atom, proc, max(extra, 0))
    return atom


def sys_user32_UnregisterClassA(p, lpClassName, hInstance):
    return _unregister_class(p, lpClassName, False)


def sys_user32_UnregisterClassW(p, lpClassName, hInstance):
    return _unregister_class(p, lpClassName, True)


def _unregister_class(p, lpClassName, wide: bool) -> int:
    name = _class_name(p, lpClassName, wide).lower()
    if _classes(p).pop(name, None) is None:
        p.win32.last_error = ERROR_CANNOT_FIND_WND_CLASS
        return 0
    p.win32.classes_gone += 1
    return 1


# --- windows --------------------------------------------------------------------------------

def sys_user32_CreateWindowExA(p, dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth,
                               nHeight, hWndParent, hMenu, hInstance, lpParam):
    """CreateWindowExW with the class named in the ANSI code page (CREATESTRUCTA's layout is
    CREATESTRUCTW's)."""
    return _create_window(p, dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth,
                          nHeight, hWndParent, hMenu, hInstance, lpParam, False)


def sys_user32_CreateWindowExW(p, dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth,
                               nHeight, hWndParent, hMenu, hInstance, lpParam):
    return _create_window(p, dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth,
                          nHeight, hWndParent, hMenu, hInstance, lpParam, True)


def _create_window(p, dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth, nHeight,
                   hWndParent, hMenu, hInstance, lpParam, wide: bool) -> int:
    """A window of a registered class (every window is message-only here), sent
    WM_NCCREATE and WM_CREATE as Windows does before it returns; NULL when the window
    procedure refuses WM_NCCREATE or fails WM_CREATE."""
    cls = _classes(p).get(_class_name(p, lpClassName, wide).lower())
    if cls is None:
        p.win32.last_error = ERROR_CANNOT_FIND_WND_CLASS
        return 0
    hwnd = next(_hwnds)
    window = Window(hwnd, cls, cls.proc, _queue(p), p.pid)
    window.longs[GWLP_HINSTANCE] = hInstance
    _windows(p)[hwnd] = window
    # CREATESTRUCTW: lpCreateParams, hInstance, hMenu, hwndParent, cy, cx, y, x, style,
    # lpszName, lpszClass, dwExStyle
    w = abi.word(p)
    create = p.win32.heap.alloc(12 * w)
    ptr = "Q" if w == 8 else "I"
    p.mm.write(create, struct.pack(f"<4{ptr}4iI" + ("4x" if w == 8 else "") + f"2{ptr}I",
                                   lpParam, hInstance, hMenu, hWndParent, _signed(nHeight),
                                   _signed(nWidth), _signed(Y), _signed(X),
                                   dwStyle & 0xFFFFFFFF, lpWindowName, lpClassName,
                                   dwExStyle & 0xFFFFFFFF))
    chain = callback.start(p, stdcall_args=12)

    def created(result: int) -> int:
        p.win32.heap.free(create)
        if result & 0xFFFFFFFF == 0xFFFFFFFF:        # WM_CREATE said -1: no window
            _windows(p).pop(hwnd, None)
            return callback.finish(p, chain, 0)
        return callback.finish(p, chain, hwnd)

    def nc_created(result: int) -> int:
        if not result:
            _windows(p).pop(hwnd, None)
            p.win32.heap.free(create)
            return callback.finish(p, chain, 0)
        return callback.call(p, chain, window.proc, [hwnd, WM_CREATE, 0, create], created)
    return callback.call(p, chain, window.proc, [hwnd, WM_NCCREATE, 0, create], nc_created)


def _window(p, hwnd: int) -> Window | None:
    window = _windows(p).get(hwnd)
    if window is None:
        p.win32.last_error = ERROR_INVALID_WINDOW_HANDLE
    return window


def sys_user32_DestroyWindow(p, hWnd):
    """The window's procedure hears WM_DESTROY, then WM_NCDESTROY; its timers and posted
    messages go with it."""
    window = _window(p, hWnd)
    if window is None:
        return 0
    chain = callback.start(p, stdcall_args=1)

    def gone(_result: int) -> int:
        _windows(p).pop(hWnd, None)
        window.queue[:] = [m for m in window.queue if m[0] != hWnd]
        return callback.finish(p, chain, 1)
    return callback.call(p, chain, window.proc, [hWnd, WM_DESTROY, 0, 0],
                         lambda _r: callback.call(p, chain, window.proc,
                                                  [hWnd, WM_NCDESTROY, 0, 0], gone))


def sys_user32_ShowWindow(p, hWnd, nCmdShow):
    """Whether the window was visible before: nothing is shown here, and a window hidden or
    shown answers as Windows would (PyInstaller's bootloader hides the window it hears a
    logoff through)."""
    window = _window(p, hWnd)
    if window is None:
        return 0
    was, window.visible = window.visible, nCmdShow & 0xFFFFFFFF != SW_HIDE
    return int(was)


def sys_user32_ShutdownBlockReasonCreate(p, hWnd, pwszReason):
    """The reason a shutdown would be held up for: kept by nobody, as no one shuts down."""
    return int(_window(p, hWnd) is not None)


def sys_user32_ShutdownBlockReasonDestroy(p, hWnd):
    return int(_window(p, hWnd) is not None)


def sys_user32_DefWindowProcW(p, hWnd, Msg, wParam, lParam):
    """What a window does with a message its procedure leaves: WM_NCCREATE goes on
    (TRUE); the rest have no effect on a window nobody sees (0)."""
    return 1 if Msg & 0xFFFFFFFF == WM_NCCREATE else 0


def sys_user32_IsWindow(p, hWnd):
    return int(hWnd in _windows(p))


def sys_user32_SetWindowLongPtrW(p, hWnd, nIndex, dwNewLong):
    """The previous value (0 for none yet, which Windows leaves the last error 0 for)."""
    window = _window(p, hWnd)
    if window is None:
        return 0
    index = _signed(nIndex)
    if index >= 0 and index + abi.word(p) > window.cls.window_extra:
        p.win32.last_error = 1413        # ERROR_INVALID_INDEX
        return 0
    old = window.proc if index == GWLP_WNDPROC else window.longs.get(index, 0)
    if index == GWLP_WNDPROC:
        window.proc = dwNewLong
    else:
        window.longs[index] = dwNewLong
    p.win32.last_error = 0
    return old


def sys_user32_GetWindowLongPtrW(p, hWnd, nIndex):
    window = _window(p, hWnd)
    if window is None:
        return 0
    index = _signed(nIndex)
    return window.proc if index == GWLP_WNDPROC else window.longs.get(index, 0)


def _signed(value: int) -> int:
    return ((value & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000


# --- the queue ------------------------------------------------------------------------------

def _now_ms() -> int:
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


def sys_user32_PostMessageW(p, hWnd, Msg, wParam, lParam):
    """Queue a message for the window's thread (no window: the caller's thread's)."""
    if not hWnd:
        _queue(p).append((0, Msg & 0xFFFFFFFF, wParam, lParam, _now_ms()))
        return 1
    window = _window(p, hWnd)
    if window is None:
        return 0
    window.queue.append((hWnd, Msg & 0xFFFFFFFF, wParam, lParam, _now_ms()))
    return 1


def sys_user32_PostThreadMessageW(p, idThread, Msg, wParam, lParam):
    from .state import Win32Process
    thread = next((t for t in p.group if t.pid == idThread & 0xFFFFFFFF and t.alive), None)
    if thread is None or Win32Process.of(thread) is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER   # (ERROR_INVALID_THREAD_ID's number
        return 0                                        # aside, no thread of that id here)
    Win32Process.of(thread).thread_local("messages", list).append(
        (0, Msg & 0xFFFFFFFF, wParam, lParam, _now_ms()))
    return 1


def sys_user32_PostQuitMessage(p, nExitCode):
    _queue(p).append((0, WM_QUIT, nExitCode & 0xFFFFFFFF, 0, _now_ms()))
    return 0


def _my_windows(p) -> list[Window]:
    return [w for w in _windows(p).values() if w.tid == p.pid]


def _due_timer(p, hwnd: int) -> tuple | None:
    """A timer of this thread's windows (hWnd's only, when given) whose time has come, as a
    WM_TIMER message; its next time is set (one WM_TIMER however many periods passed)."""
    now = time.monotonic()
    for window in _my_windows(p):
        if hwnd and window.hwnd != hwnd:
            continue
        for timer_id, timer in window.timers.items():
            if timer[0] <= now:
                timer[0] = now + timer[1]
                return (window.hwnd, WM_TIMER, timer_id, timer[2], _now_ms())
    return None


def _next_timer(p) -> float | None:
    dues = [t[0] for w in _my_windows(p) for t in w.timers.values()]
    return min(dues) if dues else None


def _matches(message: tuple, hwnd: int, low: int, high: int) -> bool:
    if hwnd and message[0] != hwnd:
        return False
    return (low == 0 and high == 0) or low <= message[1] <= high


def _take(p, hwnd: int, low: int, high: int, remove: bool) -> tuple | None:
    queue = _queue(p)
    for i, message in enumerate(queue):
        if _matches(message, hwnd, low, high):
            return queue.pop(i) if remove else message
    if (low == 0 and high == 0) or low <= WM_TIMER <= high:
        return _due_timer(p, hwnd)
    return None


def _write_msg(p, lpMsg: int, message: tuple) -> None:
    """MSG: hwnd, message, wParam, lParam, time, pt (and lPrivate)."""
    hwnd, msg, wparam, lparam, when = message
    if abi.word(p) == 8:
        p.mm.write(lpMsg, struct.pack("<QI4xQQIiiI", hwnd, msg, wparam, lparam, when, 0, 0, 0))
    else:
        p.mm.write(lpMsg, struct.pack("<IIIIIiiI", hwnd, msg, wparam, lparam, when, 0, 0, 0))


def sys_user32_PeekMessageW(p, lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax, wRemoveMsg):
    message = _take(p, hWnd, wMsgFilterMin & 0xFFFFFFFF, wMsgFilterMax & 0xFFFFFFFF,
                    bool(wRemoveMsg & PM_REMOVE))
    if message is None:
        return 0
    _write_msg(p, lpMsg, message)
    return 1


def sys_user32_GetMessageW(p, lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax):
    """The next message, waiting for one; 0 for WM_QUIT."""
    low, high = wMsgFilterMin & 0xFFFFFFFF, wMsgFilterMax & 0xFFFFFFFF
    message = _take(p, hWnd, low, high, True)
    if message is None:
        raise Block(lambda: _available(p), deadline=_next_timer(p))
    _write_msg(p, lpMsg, message)
    return 0 if message[1] == WM_QUIT else 1


def _available(p) -> bool:
    due = _next_timer(p)
    return bool(_queue(p)) or (due is not None and due <= time.monotonic())


def sys_user32_TranslateMessage(p, lpMsg):
    return 0            # no keyboard: no character messages to make


def sys_user32_DispatchMessageW(p, lpMsg):
    """The message to its window's procedure (a WM_TIMER with a TIMERPROC: to that); the
    procedure's result."""
    w = abi.word(p)
    hwnd = abi.read_ptr(p, lpMsg)
    msg = p.mm.read_u32(lpMsg + w)
    wparam, lparam = abi.read_ptr(p, lpMsg + 2 * w), abi.read_ptr(p, lpMsg + 3 * w)
    when = p.mm.read_u32(lpMsg + 4 * w)
    if msg == WM_TIMER and lparam:
        fn, args = lparam, [hwnd, WM_TIMER, wparam, when]
    else:
        window = _windows(p).get(hwnd)
        if window is None:
            return 0
        fn, args = window.proc, [hwnd, msg, wparam, lparam]
    chain = callback.start(p, stdcall_args=1)
    return callback.call(p, chain, fn, args, lambda result: callback.finish(p, chain, result))


HWND_BROADCAST = 0xFFFF


def _send(p, hWnd, Msg, wParam, lParam, lpdwResult, timeout_form: bool):
    """A sent message runs the window's procedure at once and returns its result (the
    caller's own windows; the procedure runs on the calling thread). A broadcast reaches the
    top-level windows of other processes, and there are none on this machine's desktop: it
    succeeds with result 0, as installers' WM_SETTINGCHANGE after editing HKCU\\Environment
    expects."""
    hwnd = hWnd & ((1 << abi.word(p) * 8) - 1)
    if hwnd == HWND_BROADCAST:
        if lpdwResult:
            abi.write_ptr(p, lpdwResult, 0)
        return 1 if timeout_form else 0
    window = _windows(p).get(hwnd)
    if window is None:
        p.win32.last_error = ERROR_INVALID_WINDOW_HANDLE
        return 0

    def done(result):
        if lpdwResult:
            abi.write_ptr(p, lpdwResult, result)
        return callback.finish(p, chain, 1 if timeout_form else result)

    chain = callback.start(p, stdcall_args=7 if timeout_form else 4)
    return callback.call(p, chain, window.proc, [hwnd, Msg & 0xFFFFFFFF, wParam, lParam], done)


def sys_user32_SendMessageW(p, hWnd, Msg, wParam, lParam):
    return _send(p, hWnd, Msg, wParam, lParam, 0, False)


def sys_user32_SendMessageTimeoutW(p, hWnd, Msg, wParam, lParam, fuFlags, uTimeout, lpdwResult):
    return _send(p, hWnd, Msg, wParam, lParam, lpdwResult, True)


# The A forms differ only for messages carrying text, which the procedure reads as it was given.
def sys_user32_SendMessageA(p, hWnd, Msg, wParam, lParam):
    return _send(p, hWnd, Msg, wParam, lParam, 0, False)


def sys_user32_SendMessageTimeoutA(p, hWnd, Msg, wParam, lParam, fuFlags, uTimeout, lpdwResult):
    return _send(p, hWnd, Msg, wParam, lParam, lpdwResult, True)


def sys_user32_GetQueueStatus(p, flags):
    """What is in the queue (high word) and what came since the last look (low word)."""
    kinds = 0
    if _queue(p):
        kinds |= QS_POSTMESSAGE | QS_ALLPOSTMESSAGE
    due = _next_timer(p)
    if due is not None and due <= time.monotonic():
        kinds |= QS_TIMER
    kinds &= flags & 0xFFFF
    return kinds << 16 | kinds


# --- timers ---------------------------------------------------------------------------------

def sys_user32_SetTimer(p, hWnd, nIDEvent, uElapse, lpTimerFunc):
    """A WM_TIMER every uElapse ms for the window (no window: a thread timer of its own
    id); the timer's id."""
    if hWnd:
        window = _window(p, hWnd)
        if window is None:
            return 0
        timer_id = nIDEvent
    else:
        window = _thread_window(p)
        timer_id = nIDEvent or (max(window.timers, default=0) + 1)
    period = max((uElapse & 0xFFFFFFFF) / 1000, USER_TIMER_MINIMUM)
    window.timers[timer_id] = [time.monotonic() + period, period, lpTimerFunc]
    return timer_id or 1


def sys_user32_SetCoalescableTimer(p, hWnd, nIDEvent, uElapse, lpTimerFunc, uToleranceDelay):
    return sys_user32_SetTimer(p, hWnd, nIDEvent, uElapse, lpTimerFunc)


def sys_user32_KillTimer(p, hWnd, uIDEvent):
    window = _windows(p).get(hWnd) if hWnd else _thread_window(p)
    if window is None or window.timers.pop(uIDEvent, None) is None:
        p.win32.last_error = 1402        # ERROR_INVALID_TIMER_ID... (no such timer)
        return 0
    return 1


def _thread_window(p) -> Window:
    """Where a thread's window-less timers are kept (their WM_TIMER has hwnd 0)."""
    key = ("thread timers", p.pid)
    window = _windows(p).get(key)
    if window is None:
        window = _windows(p)[key] = Window(0, WindowClass("", 0, 0, 0), 0, _queue(p), p.pid)
    return window


# --- waiting ---------------------------------------------------------------------------------

def sys_user32_MsgWaitForMultipleObjectsEx(p, nCount, pHandles, dwMilliseconds, dwWakeMask,
                                           dwFlags):
    """The handles' wait, which a message in the queue (or a due timer) also ends, with
    WAIT_OBJECT_0 + nCount; MWMO_ALERTABLE runs completion routines too."""
    from .kernel32_wait import _alertable, wait_for
    count = nCount & 0xFFFFFFFF
    wake_also = None
    if dwFlags & MWMO_ALERTABLE:
        ran, wake_also = _alertable(p, stdcall_args=5)
        if ran is not None:
            return ran
    if _available(p):
        p.win32.wait_until = None
        return WAIT_OBJECT_0 + count
    handles = [abi.read_ptr(p, pHandles + abi.word(p) * i) for i in range(count)]
    timer = _next_timer(p)
    also_ready, also_fds = wake_also or (lambda: False, [])
    messages = (lambda: _available(p) or also_ready(), also_fds)
    if not handles:
        from .kernel32_iocp import wait_deadline
        deadline = wait_deadline(p, dwMilliseconds & 0xFFFFFFFF)
        if deadline is not None and time.monotonic() >= deadline:
            p.win32.wait_until = None
            return WAIT_TIMEOUT
        wake = [t for t in (deadline, timer) if t is not None]
        raise Block(messages[0], deadline=min(wake) if wake else None, host_fds=also_fds)
    result = wait_for(p, handles, False, dwMilliseconds & 0xFFFFFFFF, messages,
                      extra_deadline=timer)
    return result


def sys_user32_MsgWaitForMultipleObjects(p, nCount, pHandles, fWaitAll, dwMilliseconds,
                                         dwWakeMask):
    return sys_user32_MsgWaitForMultipleObjectsEx(p, nCount, pHandles, dwMilliseconds,
                                                  dwWakeMask, 0)


# --- device notifications: no devices come or go here ---------------------------------------

def sys_user32_RegisterDeviceNotificationW(p, hRecipient, NotificationFilter, Flags):
    from .kernel32_sync import new_handle
    from types import SimpleNamespace
    return new_handle(p, SimpleNamespace(kind="device notification"))


def sys_user32_UnregisterDeviceNotification(p, Handle):
    from .kernel32_sync import close_sync_handle, object_of
    if object_of(p, Handle, "device notification") is None:
        p.win32.last_error = 6
        return 0
    close_sync_handle(p, Handle)
    return 1
