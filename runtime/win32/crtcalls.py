"""msvcrt functions that call back into the program: exit running the atexit/_onexit
functions (last registered first), qsort and bsearch calling the comparator."""
from __future__ import annotations

from . import callback
from .kernel32 import sys_kernel32_ExitProcess


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


def sys_msvcrt_exit(p, status):
    """exit(status): the atexit functions, then the process ends with status."""
    pending = p.win32.atexit
    if not pending or p.win32.exiting:
        return sys_kernel32_ExitProcess(p, status)
    p.win32.exiting = True
    chain = callback.start(p)

    def next_function(_result=0):
        if pending:
            return callback.call(p, chain, pending.pop(), [], next_function)
        return sys_kernel32_ExitProcess(p, status)

    return next_function()


def sys_msvcrt__exit(p, status):
    """_exit(status): no atexit functions."""
    return sys_kernel32_ExitProcess(p, status)


def _merge_sort(order: list[int]):
    """A stable bottom-up merge sort of order that yields the pairs it compares and receives
    the comparator's answer for each; returns the sorted order."""
    width, n = 1, len(order)
    while width < n:
        merged = []
        for lo in range(0, n, 2 * width):
            left, right = order[lo:lo + width], order[lo + width:lo + 2 * width]
            i = j = 0
            while i < len(left) and j < len(right):
                if (yield left[i], right[j]) <= 0:
                    merged.append(left[i])
                    i += 1
                else:
                    merged.append(right[j])
                    j += 1
            merged += left[i:] + right[j:]
        order, width = merged, width * 2
    return order


def sys_msvcrt_qsort(p, base, num, width, compare):
    return _sort(p, base, num, width, compare, lambda a, b: [a, b])


def sys_msvcrt_qsort_s(p, base, num, width, compare, context):
    """qsort whose comparator takes the caller's context first."""
    return _sort(p, base, num, width, compare, lambda a, b: [context, a, b])


def _sort(p, base, num, width, compare, arguments):
    if num < 2 or width == 0:
        return 0
    data = p.mm.read(base, num * width)
    # The comparator sees the elements in a copy whose order never changes while sorting.
    copy = p.win32.heap.alloc(num * width)
    if not copy:
        return 0
    p.mm.write(copy, data)
    chain = callback.start(p)
    sorter = _merge_sort(list(range(num)))

    def step(pair_or_order):
        if isinstance(pair_or_order, list):
            p.mm.write(base, b"".join(data[i * width:(i + 1) * width] for i in pair_or_order))
            p.win32.heap.free(copy)
            return callback.finish(p, chain, 0)
        a, b = pair_or_order
        return callback.call(p, chain, compare, arguments(copy + a * width, copy + b * width),
                             answer)

    def answer(result):
        try:
            return step(sorter.send(_int32(result)))
        except StopIteration as done:
            return step(done.value)

    try:
        return step(next(sorter))
    except StopIteration as done:
        return step(done.value)


def sys_msvcrt_bsearch(p, key, base, num, width, compare):
    chain = callback.start(p)
    bounds = [0, num]

    def probe():
        lo, hi = bounds
        if lo >= hi:
            return callback.finish(p, chain, 0)
        mid = (lo + hi) // 2
        return callback.call(p, chain, compare, [key, base + mid * width],
                             lambda r: answer(mid, _int32(r)))

    def answer(mid, r):
        if r == 0:
            return callback.finish(p, chain, base + mid * width)
        if r < 0:
            bounds[1] = mid
        else:
            bounds[0] = mid + 1
        return probe()

    return probe()
