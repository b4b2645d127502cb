"""msvcp140_atomic_wait.dll, the C++20 satellite of the STL: std::atomic<T>::wait and notify
(WaitOnAddress and WakeByAddress underneath, as the real DLL uses on Windows 8 and later),
the lock table for atomics too wide for the processor, the 16-byte compare-exchange, the
parallel algorithms' thread-pool work, and its small allocation helpers. PyTorch's
torch_python.dll imports it from the machine's redistributable."""
from __future__ import annotations

import struct

from ..nt import abi
from .kernel32_misc import (sys_kernel32_WaitOnAddress, sys_kernel32_WakeByAddressAll,
                            sys_kernel32_WakeByAddressSingle, wait_on_address)

NO_TIMEOUT = 0xFFFFFFFF                  # _Atomic_wait_no_timeout
NO_DEADLINE = 0xFFFFFFFFFFFFFFFF         # _Atomic_wait_no_deadline
API_WAIT_ON_ADDRESS = 3                  # __std_atomic_api_level::__has_wait_on_address
LOCK_TABLE = 64                          # SRW locks for atomics without a lock-free form
MAX_INDIRECT = 256                       # bytes of an indirect atomic compared


def sys_msvcp140_atomic_wait___std_atomic_wait_direct(p, storage, comparand, size, timeout):
    return sys_kernel32_WaitOnAddress(p, storage, comparand, size, timeout & 0xFFFFFFFF)


def sys_msvcp140_atomic_wait___std_atomic_notify_one_direct(p, storage):
    return sys_kernel32_WakeByAddressSingle(p, storage)


def sys_msvcp140_atomic_wait___std_atomic_notify_all_direct(p, storage):
    return sys_kernel32_WakeByAddressAll(p, storage)


def sys_msvcp140_atomic_wait___std_atomic_wait_indirect(p, storage, comparand, size, param,
                                                        are_equal, timeout):
    """A wide atomic's wait: returns at once when its bytes differ from the comparand's (the
    caller checks again with its own comparison, as after any wake-up), else sleeps until a
    notify on storage or the timeout (FALSE, ERROR_TIMEOUT)."""
    return wait_on_address(p, storage, comparand, min(size, MAX_INDIRECT), timeout & 0xFFFFFFFF)


def sys_msvcp140_atomic_wait___std_atomic_notify_one_indirect(p, storage):
    return sys_kernel32_WakeByAddressSingle(p, storage)


def sys_msvcp140_atomic_wait___std_atomic_notify_all_indirect(p, storage):
    return sys_kernel32_WakeByAddressAll(p, storage)


def sys_msvcp140_atomic_wait___std_atomic_wait_get_deadline(p, timeout):
    from .crttime import _ret64
    from .kernel32_system import sys_kernel32_GetTickCount64
    if timeout & 0xFFFFFFFFFFFFFFFF == NO_DEADLINE:   # the STL's "no timeout" for deadlines
        return _ret64(p, -1)              # NO_DEADLINE, as the signed 64-bit result carries it
    return _ret64(p, sys_kernel32_GetTickCount64(p) + timeout)


def sys_msvcp140_atomic_wait___std_atomic_wait_get_remaining_timeout(p, deadline):
    from .kernel32_system import sys_kernel32_GetTickCount64
    deadline &= 0xFFFFFFFFFFFFFFFF
    if deadline == NO_DEADLINE:
        return NO_TIMEOUT
    now = sys_kernel32_GetTickCount64(p)
    return 0 if now >= deadline else min(deadline - now, NO_TIMEOUT - 1)


def sys_msvcp140_atomic_wait___std_atomic_set_api_level(p, level):
    return API_WAIT_ON_ADDRESS


def sys_msvcp140_atomic_wait___std_atomic_get_mutex(p, key):
    """The SRW lock (from a table of LOCK_TABLE, made once) that guards a wide atomic."""
    table = p.win32.strings.get("atomic lock table")
    if table is None:
        table = p.win32.heap.alloc(LOCK_TABLE * abi.word(p))
        if not table:
            return 0
        p.mm.write(table, b"\0" * (LOCK_TABLE * abi.word(p)))
        p.win32.strings["atomic lock table"] = table
    return table + ((key >> 4) % LOCK_TABLE) * abi.word(p)


def sys_msvcp140_atomic_wait___std_atomic_has_cmpxchg16b(p):
    return 1


def sys_msvcp140_atomic_wait___std_atomic_compare_exchange_128(p, destination, high, low,
                                                               comparand):
    """A 16-byte compare-exchange (one core runs the guests: a handler is atomic): TRUE when
    *destination equalled *comparand and took (low, high); else *comparand gets it."""
    current = p.mm.read(destination, 16)
    if current == p.mm.read(comparand, 16):
        p.mm.write(destination, struct.pack("<QQ", low & (1 << 64) - 1, high & (1 << 64) - 1))
        return 1
    p.mm.write(comparand, current)
    return 0


def sys_msvcp140_atomic_wait___std_parallel_algorithms_hw_threads(p):
    return 1                              # one emulated core


def sys_msvcp140_atomic_wait___std_create_threadpool_work(p, callback, context, environment):
    from .kernel32_tpwork import sys_kernel32_CreateThreadpoolWork
    return sys_kernel32_CreateThreadpoolWork(p, callback, context, environment)


def sys_msvcp140_atomic_wait___std_submit_threadpool_work(p, work):
    from .kernel32_tpwork import sys_kernel32_SubmitThreadpoolWork
    return sys_kernel32_SubmitThreadpoolWork(p, work)


def sys_msvcp140_atomic_wait___std_bulk_submit_threadpool_work(p, work, count):
    from .kernel32_tpwork import sys_kernel32_SubmitThreadpoolWork
    for _ in range(min(count, 1 << 16)):
        sys_kernel32_SubmitThreadpoolWork(p, work)
    return 0


def sys_msvcp140_atomic_wait___std_close_threadpool_work(p, work):
    from .kernel32_tpwork import sys_kernel32_CloseThreadpoolWork
    return sys_kernel32_CloseThreadpoolWork(p, work)


def sys_msvcp140_atomic_wait___std_wait_for_threadpool_work_callbacks(p, work, cancel):
    from .kernel32_tpwork import sys_kernel32_WaitForThreadpoolWorkCallbacks
    return sys_kernel32_WaitForThreadpoolWorkCallbacks(p, work, cancel)


def sys_msvcp140_atomic_wait___std_execution_wait_on_uchar(p, address, compare):
    scratch = p.win32.scratch
    p.mm.write(scratch, bytes([compare & 0xFF]))
    sys_kernel32_WaitOnAddress(p, address, scratch, 1, NO_TIMEOUT)
    return 0


def sys_msvcp140_atomic_wait___std_execution_wake_by_address_all(p, address):
    return sys_kernel32_WakeByAddressAll(p, address)


def sys_msvcp140_atomic_wait___std_calloc_crt(p, count, size):
    total = count * size
    if count and total // count != size:
        return 0
    return p.win32.heap.alloc(max(total, 1), zero=True)


def sys_msvcp140_atomic_wait___std_free_crt(p, block):
    if block:
        p.win32.heap.free(block)
    return 0
