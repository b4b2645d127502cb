"""Fibers: whether the calling thread is one. No thread here is converted to a fiber
(ConvertThreadToFiber is not provided), so none is."""
from __future__ import annotations


def sys_kernel32_IsThreadAFiber(p):
    return 0
