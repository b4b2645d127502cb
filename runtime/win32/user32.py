"""user32.dll as a console program on a machine with no interactive desktop sees it: the
system metrics of one plain 1024x768 display, with no mouse and no remote session."""
from __future__ import annotations

SM_CXSCREEN, SM_CYSCREEN, SM_CMONITORS = 0, 1, 80
METRICS = {SM_CXSCREEN: 1024, SM_CYSCREEN: 768, SM_CMONITORS: 1}


def sys_user32_GetSystemMetrics(p, nIndex):
    return METRICS.get(nIndex, 0)
