"""System32's fc.exe: two files compared as text, line by line (the default), or byte by
byte (/B, and by default for .exe, .com, .sys, .obj, .lib and .bin files), with Windows'
output and exit status: 0 the same, 1 different, 2 a file that cannot be opened, -1 a bad
command line. buildifier -mode=diff runs `FC file1 file2` and reads the status.

Text mode prints each differing stretch as FC does: the file's lines from the last one that
matched before it to the first that matches after it, under `***** NAME`, for each file in
turn, then `*****`; a difference ends where two lines in a row match again (FC's default
resynchronisation). /C ignores case, /W runs of blanks, /N numbers the lines."""
from __future__ import annotations

import difflib
import re

from .system_programs import InputTooLarge, _all_input, _lines, _out

BINARY_EXTENSIONS = (".exe", ".com", ".sys", ".obj", ".lib", ".bin")
RESYNC = 2                  # lines that must match again to end a difference
EXIT_SAME, EXIT_DIFFERENT, EXIT_NO_FILE, EXIT_SYNTAX = 0, 1, 2, -1

USAGE = """\
Compares two files or sets of files and displays the differences between
them


FC [/A] [/C] [/L] [/LBn] [/N] [/OFF[LINE]] [/T] [/U] [/W] [/nnnn]
   [drive1:][path1]filename1 [drive2:][path2]filename2
FC /B [drive1:][path1]filename1 [drive2:][path2]filename2

  /A         Displays only first and last lines for each set of differences.
  /B         Performs a binary comparison.
  /C         Disregards the case of letters.
  /L         Compares files as ASCII text.
  /LBn       Sets the maximum consecutive mismatches to the specified
             number of lines.
  /N         Displays the line numbers on an ASCII comparison.
  /OFF[LINE] Do not skip files with offline attribute set.
  /T         Does not expand tabs to spaces.
  /U         Compare files as UNICODE text files.
  /W         Compresses white space (tabs and spaces) for comparison.
  /nnnn      Specifies the number of consecutive lines that must match
             after a mismatch.
  [drive1:][path1]filename1
             Specifies first file or set of files to compare.
  [drive2:][path2]filename2
             Specifies second file or set of files to compare.

"""


def run_fc(p, args: list[str], state: dict) -> int:
    flags, names = set(), []
    for a in args:
        if a[:1] == "/" and len(a) > 1:
            flags.add(a[1:].lower())
        else:
            names.append(a)
    if "?" in flags:
        _out(p, USAGE)
        return EXIT_SAME
    if len(names) != 2:
        _out(p, "FC: Insufficient number of file specifications\n", 2)
        return EXIT_SYNTAX
    first, second = names
    data = []
    for name in names:
        try:
            data.append(_all_input(p, state, name))
        except (FileNotFoundError, InputTooLarge):
            _out(p, f"FC: cannot open {name.upper()} - No such file or folder\n", 2)
            return EXIT_NO_FILE
    shown = (first, second.upper())        # FC names the second file in capitals
    _out(p, f"Comparing files {shown[0]} and {shown[1]}\n")
    binary = "b" in flags or ("l" not in flags and
                              first.lower().endswith(BINARY_EXTENSIONS))
    if binary:
        return _compare_bytes(p, data[0], data[1], shown)
    return _compare_lines(p, _lines(data[0]), _lines(data[1]), shown, flags)


def _compare_bytes(p, a: bytes, b: bytes, shown: tuple[str, str]) -> int:
    """Each differing offset as `OFFSET: AA BB` (hex), then which file is longer."""
    lines = [f"{i:08X}: {x:02X} {y:02X}\n" for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(a) != len(b):
        longer, shorter = shown if len(a) > len(b) else shown[::-1]
        lines.append(f"FC: {longer} longer than {shorter}\n")
    if not lines:
        _out(p, "FC: no differences encountered\n\n")
        return EXIT_SAME
    _out(p, "".join(lines))
    return EXIT_DIFFERENT


def _key(line: str, flags: set[str]) -> str:
    """What a line is compared as: /W squeezes blanks (and drops them at the ends), /C
    folds case."""
    if "w" in flags:
        line = re.sub(r"[ \t]+", " ", line).strip(" ")
    return line.lower() if "c" in flags else line


def _stretches(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """The differing stretches (a_from, a_to, b_from, b_to); two differences fewer than
    RESYNC matching lines apart are one."""
    out: list[list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if out and i1 - out[-1][1] < RESYNC and j1 - out[-1][3] < RESYNC:
            out[-1][1], out[-1][3] = i2, j2
        else:
            out.append([i1, i2, j1, j2])
    return [tuple(s) for s in out]


def _compare_lines(p, a: list[str], b: list[str], shown: tuple[str, str],
                   flags: set[str]) -> int:
    stretches = _stretches([_key(x, flags) for x in a], [_key(y, flags) for y in b])
    if not stretches:
        _out(p, "FC: no differences encountered\n\n")
        return EXIT_SAME

    def block(name: str, lines: list[str], start: int, end: int) -> str:
        # the matching line before the difference and the one after it, as context
        low, high = max(start - 1, 0), min(end + 1, len(lines))
        picked = list(range(low, high))
        if "a" in flags and len(picked) > 2:
            text = [_numbered(lines, picked[0], flags), "...", _numbered(lines, picked[-1], flags)]
        else:
            text = [_numbered(lines, n, flags) for n in picked]
        return f"***** {name}\n" + "".join(t + "\n" for t in text)

    out = []
    for i1, i2, j1, j2 in stretches:
        out.append(block(shown[0], a, i1, i2) + block(shown[1], b, j1, j2) + "*****\n\n")
    _out(p, "".join(out))
    return EXIT_DIFFERENT


def _numbered(lines: list[str], n: int, flags: set[str]) -> str:
    return f"{n + 1:5}:  {lines[n]}" if "n" in flags else lines[n]
