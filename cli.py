"""The `tblc` command: one parser holding the compiler's subcommands (compiler/cli.py: build,
check, list, fmt, export, diff, import) and the runtime's (runtime/cli.py: pe-imports, run,
batch). It lives above both packages so that the compiler never imports the runtime.

Exit status: 0 on success; 1 for spec errors; 2 for usage and environment errors; for `run`,
the guest's own exit status (128+signal when a signal killed it); 70 for an internal error."""
from __future__ import annotations

import functools
import os
import sys


def _show_version(parser) -> None:
    """sysvec's version and the engine's: the unicorn package's, 2.1.4+sysvec.<hash> for the
    one scripts/unicorn-build patches, which a bug report should name."""
    from . import __version__
    from .compiler.build import dist_version
    print(f"tblc (sysvec) {__version__}, engine: unicorn {dist_version('unicorn') or 'missing'}")
    parser.exit()


@functools.cache
def parser():
    """The one parser (made once: a warm server makes it for all its runs)."""
    import argparse

    from .compiler.cli import add_commands as compiler_commands
    from .runtime.cli import add_commands as runtime_commands

    class Version(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            _show_version(parser)

    ap = argparse.ArgumentParser(prog="tblc", description="sysvec system-call table compiler and runtime")
    ap.add_argument("--version", action=Version, nargs=0, help="show the version and the engine's, and exit")
    sub = ap.add_subparsers(dest="command", required=True)

    compiler_commands(sub)
    runtime_commands(sub)
    return ap


def _standard_descriptors() -> None:
    """A closed stdin/stdout/stderr is reopened on /dev/null, so no file the runtime opens
    later takes descriptor 0-2 and receives what was meant for the terminal."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)   # the lowest free descriptor: this one
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))


def _keep_separator(args, raw: list[str]) -> None:
    """A `--` right after `tblc run PROGRAM` is PROGRAM's own argument (`tblc run dotslash --
    parse FILE`); argparse takes the first `--` after the program as its own and drops it."""
    rest = getattr(args, "args", None)
    program = getattr(args, "program", None)
    if rest is None or program is None:
        return
    n = len(rest)
    if len(raw) >= n + 2 and raw[len(raw) - n - 1] == "--" and raw[len(raw) - n - 2] == program:
        args.args = ["--"] + rest


def main(argv: list[str] | None = None) -> int:
    _standard_descriptors()
    raw = sys.argv[1:] if argv is None else list(argv)
    if argv is None and raw[:1] == ["run"]:
        from .runtime.warmstart import run_warm   # a warm server's child runs it, if one can
        status = run_warm(raw)
        if status is not None:
            return status
    args = parser().parse_args(raw)
    _keep_separator(args, raw)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception as exc:  # a bug of ours: say so plainly, traceback only on request
        if os.environ.get("SYSVEC_DEBUG"):
            raise
        from .compiler.cli import err
        err(f"internal error: {type(exc).__name__}: {exc} (set SYSVEC_DEBUG=1 for a traceback)")
        return 70
    except BaseException as exc:
        # A host signal that landed outside the run (runtime.errors.HostInterrupt).
        signum = getattr(exc, "signum", None)
        if isinstance(signum, int) and not isinstance(exc, Exception):
            return 128 + signum
        raise


if __name__ == "__main__":
    sys.exit(main())
