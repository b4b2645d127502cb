"""The package layout pyproject.toml cannot say statically: `sysvec` is the repository root, so
compiler/ and runtime/ (and every subpackage found in them) install as sysvec.compiler and
sysvec.runtime, with the data files they read at run time (specs, C sources, grammar)."""
from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
SUBPACKAGES = find_packages(where=str(ROOT), include=["compiler", "compiler.*", "runtime", "runtime.*"])
# Non-Python files a package reads next to its modules; the root's are the bundled specs, the
# prototype data tblc import reads, and the C trap path tblc build compiles.
ROOT_DATA = ["tables/*.tbl", "tables/*.txt", "tables/*/*.tbl", "tables/prototypes/*.txt", "csrc/*.c", "csrc/*.h",
             "csrc/launcher/*.c", "README.md"]


def data_files_of(package: str) -> list[str]:
    folder = ROOT / package.replace(".", "/")
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.suffix not in (".py", ".pyc") and not p.name.startswith("."))


setup(
    packages=["sysvec"] + [f"sysvec.{p}" for p in SUBPACKAGES],
    package_dir={"sysvec": "."},
    package_data={"sysvec": ROOT_DATA,
                  **{f"sysvec.{p}": data_files_of(p) for p in SUBPACKAGES if data_files_of(p)}},
)
