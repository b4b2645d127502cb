"""The benchmark floor (floor.c) as a cffi extension of its own, built once into build/bench/
against the unicorn wheel's library, so the product's extension carries no benchmark code."""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from sysvec.compiler.build import unicorn_paths

HERE = Path(__file__).resolve().parent
CDEF = "typedef struct uc_struct uc_engine;\nint sv_floor_install(uc_engine *uc, uint64_t pid);"


def floor_module():
    import cffi

    source = (HERE / "floor.c").read_text()
    tag = hashlib.sha256((source + CDEF).encode()).hexdigest()[:12]
    out = HERE.parent / "build" / "bench" / f"floor_{tag}"
    name = f"_sysvec_floor_{tag}"
    built = next(out.glob(f"{name}*.so"), None) if out.is_dir() else None
    if built is None:
        include, lib = unicorn_paths()
        ffi = cffi.FFI()
        ffi.cdef(CDEF)
        ffi.set_source(name, "#include <unicorn/unicorn.h>\n"
                       "int sv_floor_install(uc_engine *uc, uint64_t pid);\n", sources=[str(HERE / "floor.c")],
                       include_dirs=[str(include)], library_dirs=[str(lib)],
                       libraries=[":libunicorn.so.2"], extra_link_args=[f"-Wl,-rpath,{lib}"],
                       extra_compile_args=["-O2"])
        out.mkdir(parents=True, exist_ok=True)
        built = Path(ffi.compile(tmpdir=str(out), verbose=False))
    spec = importlib.util.spec_from_file_location(name, built)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
