"""Trap-path benchmark: a guest getpid loop, calls per second, through

  - sysvec's compiled table with the C getpid handler (no Python on the path),
  - the same with a table whose `leaves` line sets rcx and r11 as a real kernel's sysret does,
  - sysvec's compiled table with a Python getpid handler,
  - a plain Unicorn Python hook doing the same work (the binding's usual way),
  - a minimal C hook installed with uc_hook_add (the floor),
  - native execution of the same loop on the host (the host kernel's getpid),

all measured in one run, interleaved, with ratios. Usage: python bench/trap_path.py [-n N] [-r ROUNDS]"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unicorn import UC_ARCH_X86, UC_HOOK_INSN, UC_MODE_64, Uc  # noqa: E402
from unicorn import x86_const as X  # noqa: E402

from bench.common import REPO, build_asm, measure, table, timed  # noqa: E402

LOOP_SRC = REPO / "tests" / "programs" / "getpid_loop64.S"
BASE = 0x400000


def loop_code(n: int) -> tuple[bytes, int]:
    """movabs r12, n; again: mov eax, 39; syscall; dec r12; jnz again; nop"""
    code = b"\x49\xbc" + n.to_bytes(8, "little") + b"\xb8\x27\x00\x00\x00\x0f\x05\x49\xff\xcc\x75\xf4\x90"
    return code, BASE + len(code) - 1


def raw_engine(n: int) -> tuple[Uc, int]:
    uc = Uc(UC_ARCH_X86, UC_MODE_64)
    code, end = loop_code(n)
    uc.mem_map(BASE, 0x1000)
    uc.mem_write(BASE, code)
    return uc, end


def case_python_hook(n: int):
    uc, end = raw_engine(n)

    def on_syscall(uc, _):
        nr = uc.reg_read(X.UC_X86_REG_RAX)
        uc.reg_write(X.UC_X86_REG_RAX, 4242 if nr == 39 else -38 & (2**64 - 1))

    uc.hook_add(UC_HOOK_INSN, on_syscall, None, 1, 0, X.UC_X86_INS_SYSCALL)
    return lambda: n / timed(lambda: uc.emu_start(BASE, end))


def case_floor(module, n: int):
    uc, end = raw_engine(n)
    from bench.floor import floor_module
    floor = floor_module()
    handle = floor.ffi.cast("uc_engine *", uc._uch.value)
    assert floor.lib.sv_floor_install(handle, 4242) == 0
    case_floor.keep = uc
    return lambda: n / timed(lambda: uc.emu_start(BASE, end))


def case_sysvec(program: Path, n: int, table_file: Path | None = None):
    from sysvec.runtime.machine import Machine

    def run() -> float:
        with tempfile.TemporaryDirectory() as root:
            shutil.copy2(program, Path(root) / "loop")
            manifest = ({"tables": [str(table_file)], "links": {"elf64": table_file.stem}}
                        if table_file else {})
            if os.environ.get("QUANTUM"):   # another block-count quantum than the default
                manifest["limits"] = {"quantum": int(os.environ["QUANTUM"])}
            m = Machine(root=root, manifest=manifest)
            m.spawn("/loop", ["/loop", str(n)])
            return n / timed(m.run)
    return run


def case_native(program: Path, n: int):
    def run() -> float:
        t_n = timed(lambda: subprocess.run([str(program), str(n)], check=True))
        t_1 = timed(lambda: subprocess.run([str(program), "1"], check=True))
        return (n - 1) / max(t_n - t_1, 1e-9)
    return run


NATIVE = "native (host kernel getpid)"
FLOOR = "uc_hook_add minimal C hook (floor)"
C_HANDLER = "sysvec compiled table, C handler"
C_LEAVES = "same, table with leaves rcx/r11 (sysret values)"
PY_HANDLER = "sysvec compiled table, Python handler"
PY_HOOK = "Unicorn Python hook (binding)"


def make_cases(module, n: int = 2_000_000) -> dict:
    """The trap-path cases by name, each a callable returning getpid calls per second: the
    fast ones run n calls, the Python ones n/20 (at least 10 000)."""
    program = build_asm(LOOP_SRC)
    slow = max(n // 20, 10_000)
    return {
        NATIVE: case_native(program, n * 5),
        FLOOR: case_floor(module, n),
        C_HANDLER: case_sysvec(program, n),
        C_LEAVES: case_sysvec(program, n, REPO / "bench" / "bench_leaves.tbl"),
        PY_HANDLER: case_sysvec(program, slow, REPO / "bench" / "bench_py.tbl"),
        PY_HOOK: case_python_hook(slow),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2_000_000, help="getpid calls per round")
    ap.add_argument("-r", "--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    from sysvec.compiler.build import build, load_module, table_files

    module = load_module(build(table_files()))
    results = measure(make_cases(module, args.n), args.rounds)
    print(table(results, "uc_hook_add minimal C hook (floor)", "getpid calls",
                "trap path: guest getpid loop"))
    import statistics as s
    med = {k: s.median(v) for k, v in results.items()}
    print(f"\nC handler / floor:           {med['sysvec compiled table, C handler'] / med['uc_hook_add minimal C hook (floor)']:.2f}x (target >= 0.7x)")
    print(f"C handler with leaves / floor: {med[C_LEAVES] / med[FLOOR]:.2f}x (what rcx/r11 fidelity costs)")
    print(f"Python handler / Python hook: {med['sysvec compiled table, Python handler'] / med['Unicorn Python hook (binding)']:.2f}x (target >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
