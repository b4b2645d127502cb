"""gdi32.dll for the screen a console machine reports (user32.py's GetDC): a 1024x768,
32-bit, 96-dpi display, so libraries that size fonts and images from it (Java's AWT in
headless mode) get the answers a plain desktop gives. Nothing is drawn."""
from __future__ import annotations

HORZSIZE, VERTSIZE, HORZRES, VERTRES, BITSPIXEL, PLANES = 4, 6, 8, 10, 12, 14
NUMCOLORS, RASTERCAPS, LOGPIXELSX, LOGPIXELSY, SIZEPALETTE = 24, 38, 88, 90, 104
DESKTOPVERTRES, DESKTOPHORZRES, VREFRESH = 117, 118, 116
CAPS = {HORZSIZE: 271, VERTSIZE: 203, HORZRES: 1024, VERTRES: 768, BITSPIXEL: 32, PLANES: 1,
        NUMCOLORS: -1, RASTERCAPS: 0x7E99, LOGPIXELSX: 96, LOGPIXELSY: 96, SIZEPALETTE: 0,
        DESKTOPVERTRES: 768, DESKTOPHORZRES: 1024, VREFRESH: 60}


def sys_gdi32_GetDeviceCaps(p, hdc, index):
    return CAPS.get(index, 0) & 0xFFFFFFFF


STOCK_OBJECT_BASE = 0x1900010


def sys_gdi32_GetStockObject(p, i):
    """A handle for each stock pen, brush, font and palette (0 to 19)."""
    return STOCK_OBJECT_BASE + 4 * i if 0 <= i <= 19 else 0


def sys_gdi32_DeleteObject(p, ho):
    return 1
