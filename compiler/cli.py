"""The compiler's `tblc` commands: build, check, list, fmt, export, diff and import. The one
`tblc` parser (sysvec/cli.py) adds the runtime's after them; nothing here imports the runtime.

Exit status: 0 on success; 1 for spec errors; 2 for usage and environment errors."""
from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import SpecError, render_all
from .printable import printable
from .textfile import read_text


def err(message: str) -> None:
    sys.stderr.write(f"tblc: {printable(message)}\n")


def cmd_build(args) -> int:
    from .build import BuildError, build, table_files

    try:
        files = table_files(Path(args.tables_dir) if args.tables_dir else None,
                            [Path(f) for f in args.files])
        result = build(files, Path(args.cache) if args.cache else None,
                       log=lambda m: print(m), target=args.target)
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    except BuildError as exc:
        err(str(exc))
        return 2
    if args.verbose:
        print(result.directory)
    return 0


def cmd_check(args) -> int:
    from .check import check_file

    diags = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            err(f"{name}: " + ("not a regular file" if path.exists() else "no such file"))
            return 2
        diags.extend(check_file(path, check_python=not args.no_handlers))
    if diags:
        sys.stderr.write(render_all(diags) + "\n")
        return 1
    print(f"tblc: {len(args.files)} file{'s' if len(args.files) != 1 else ''} OK")
    return 0


def _find_table(name: str) -> Path:
    from .build import TABLES_DIR

    path = Path(name)
    if path.is_file():
        return path
    candidate = TABLES_DIR / f"{name}.tbl"
    if candidate.is_file():
        return candidate
    raise FileNotFoundError(name)


def _load_listed(args):
    """The table list and export show: at --target when it is one of its versions."""
    from .build import _target_missing
    from .check import load_table

    path = _find_table(args.table)
    table = load_table(path, check_python=False, target=args.target)
    if args.target:
        missing = _target_missing(args.target, [table], {table.name: path})
        if missing:
            raise SpecError(missing)
    return table


def cmd_list(args) -> int:
    try:
        table = _load_listed(args)
    except FileNotFoundError:
        err(f"no table '{args.table}' (give a .tbl path or a bundled table name)")
        return 2
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    gates = ", ".join(str(g) for g in table.gates)
    version = f", {table.version} (of {len(table.versions)} versions)" if table.version else ""
    print(f"# {table.name}: platform {table.platform}, {table.arch}, gate {gates}, "
          f"{len(table.entries)} calls{version}")
    width = max((len(e.name) for e in table.entries), default=4)
    for e in table.entries:
        handler = {"c": "C", "py": "Python", "c+py": "C, then Python", "fail": "fails",
                   None: "unimplemented"}[e.handler.kind]
        if e.handler.error:
            handler += f" {e.handler.error}"
        elif e.handler.function:
            handler += f" ({e.handler.function})"
        sig = ", ".join(f"{a.type} {a.name}" for a in e.args)
        exported = f"  exported as {e.export}" if e.export else ""
        print(f"{e.number:5d}  {e.name:<{width}}  ({sig}) -> {e.ret}  [{handler}]{exported}")
    return 0


def cmd_fmt(args) -> int:
    from .fmt import format_text

    diags, unformatted = [], []
    for name in args.files:
        path = Path(name)
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            err(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}")
            return 2
        formatted, found = format_text(text, str(path))
        if found:
            diags.extend(found)
            continue
        if formatted == text:
            continue
        unformatted.append(name)
        if args.check:
            print(f"tblc: {name} is not formatted")
        else:
            path.write_text(formatted, encoding="utf-8")
            print(f"tblc: formatted {name}")
    if diags:
        sys.stderr.write(render_all(diags) + "\n")
        return 1
    return 1 if args.check and unformatted else 0


def cmd_export(args) -> int:
    from .export import EXPORTERS

    try:
        table = _load_listed(args)
    except FileNotFoundError:
        err(f"no table '{args.table}' (give a .tbl path or a bundled table name)")
        return 2
    except SpecError as exc:
        sys.stderr.write(render_all(exc.diagnostics) + "\n")
        return 1
    text = EXPORTERS[args.format](table)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text)
    except OSError as exc:
        err(f"cannot write {args.output}: {exc.strerror or exc}")
        return 2
    return 0


def cmd_import(args) -> int:
    from .build import TABLES_DIR
    from .importer import TableImportError, base_path, regenerate

    tables_dir = Path(args.tables_dir) if args.tables_dir else TABLES_DIR
    data_dir = Path(args.data) if args.data else None
    try:
        text = regenerate(args.table, tables_dir, data_dir, args.column)
    except (TableImportError, OSError) as exc:
        err(str(exc))
        return 2
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output) if args.output else base_path(tables_dir, args.table)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    except OSError as exc:
        err(f"cannot write {out}: {exc.strerror or exc}")
        return 2
    print(f"tblc: wrote {out}")
    return 0


def cmd_diff(args) -> int:
    from .diff import DiffError, diff_bases

    try:
        lines = diff_bases(Path(args.old), Path(args.new))
    except DiffError as exc:
        if exc.diagnostics:
            sys.stderr.write(render_all(exc.diagnostics) + "\n")
        else:
            err(str(exc))
        return 2
    for line in lines:
        print(line)
    return 1 if lines else 0


def add_commands(sub) -> None:
    """build, check, list, fmt, export, diff and import, on the subcommand set of the `tblc` parser."""
    b = sub.add_parser("build", help="compile the table specs into the trap-path extension")
    b.add_argument("files", nargs="*", help="extra .tbl files beyond the bundled tables/")
    b.add_argument("--tables-dir", help="directory of .tbl files (default: the bundled tables/)")
    b.add_argument("--cache", help="build cache directory (default: $SYSVEC_CACHE, a checkout's build/tblc, "
                   "else ~/.cache/sysvec/tblc)")
    b.add_argument("--target", metavar="VERSION", help="the version of each versioned table, "
                   "e.g. \"Windows XP (SP3)\" (default: each overlay's 'version')")
    b.add_argument("-v", "--verbose", action="store_true")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="report every diagnostic in the given specs")
    c.add_argument("files", nargs="+")
    c.add_argument("--no-handlers", action="store_true", help="do not import Python handler modules")
    c.set_defaults(func=cmd_check)

    li = sub.add_parser("list", help="list a table: number, name, signature, handler")
    li.add_argument("table", help="a bundled table name or a .tbl path")
    li.add_argument("--target", metavar="VERSION", help="a versioned table at this version")
    li.set_defaults(func=cmd_list)

    fm = sub.add_parser("fmt", help="rewrite specs in the canonical column layout")
    fm.add_argument("files", nargs="+")
    fm.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 when a file is not formatted")
    fm.set_defaults(func=cmd_fmt)

    ex = sub.add_parser("export", help="write a table as JSON or CSV (schema: compiler/table.schema.json)")
    ex.add_argument("table", help="a bundled table name or a .tbl path")
    ex.add_argument("--format", choices=("json", "csv"), default="json")
    ex.add_argument("--target", metavar="VERSION", help="a versioned table at this version")
    ex.add_argument("-o", "--output", metavar="FILE", help="where to write (default: standard output)")
    ex.set_defaults(func=cmd_export)

    df = sub.add_parser("diff", help="what changed between two generated bases (exit 1 if anything)")
    df.add_argument("old")
    df.add_argument("new")
    df.set_defaults(func=cmd_diff)

    im = sub.add_parser("import", help="regenerate a bundled table's generated base from its source data")
    im.add_argument("table", help="linux_x86_64, linux_i386, nt_x86 or nt_x64")
    im.add_argument("--column", action="append", help="NT: a Windows version column of the CSV "
                    "(repeat for a base with several versions; default: every version)")
    im.add_argument("--data", help="directory holding nt-syscalls-x86.csv / -x64.csv")
    im.add_argument("--tables-dir")
    im.add_argument("-o", "--output", help="where to write (default: tables/base/TABLE.tbl; - for stdout)")
    im.set_defaults(func=cmd_import)
