"""Runs a program under Qiling, inside the Qiling virtual environment the suite made
(build/bench/qiling-venv); never imported by sysvec itself.

  qiling_driver.py getpid ROOTFS N        run ROOTFS/bin/getpid_loop N; print the seconds
                                          ql.run() took (Qiling's start-up excluded)
  qiling_driver.py run ROOTFS PROG ARGS   run ROOTFS/PROG with ARGS; its output is the guest's

Qiling's logging is silenced. For `run` (busybox pipelines) Qiling 1.4.6 needs a few shims,
each the smallest that lets the guest go on; they are part of what is measured:
  - pipe2 (293) is not implemented: answer it as pipe(), flags ignored;
  - sendfile (40) on a pipe raises inside Qiling: answer EINVAL, busybox falls back to
    read/write as it does on Linux;
  - newfstatat(fd, "", AT_EMPTY_PATH) on a pipe raises: answer it as fstat of the host pipe;
  - mremap (25) corrupts glibc's heap (sort aborts in mremap_chunk): answer ENOMEM, glibc then
    copies into a new mapping."""
from __future__ import annotations

import logging
import os
import sys
import time

logging.disable(logging.CRITICAL)
# this file's directory (bench/) must not shadow anything Qiling imports
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from qiling import Qiling  # noqa: E402
from qiling.const import QL_VERBOSE  # noqa: E402

AT_EMPTY_PATH = 0x1000
EINVAL, ENOMEM = 22, 12


def install_shims(ql: Qiling) -> None:
    from qiling.os.posix.stat import Fstat
    from qiling.os.posix.syscall import stat as qstat
    from qiling.os.posix.syscall.unistd import ql_syscall_pipe

    def pipe2(ql, pipefd, flags):
        return ql_syscall_pipe(ql, pipefd)

    def newfstatat(ql, dirfd, path, buf, flags):
        f = ql.os.fd[dirfd] if 0 <= dirfd < len(ql.os.fd) else None
        if flags & AT_EMPTY_PATH and f is not None and not hasattr(f, "name"):
            ql.mem.write(buf, qstat.pack_stat_struct(ql, Fstat(f.fileno())))
            return 0
        return qstat.ql_syscall_newfstatat(ql, dirfd, path, buf, flags)

    ql.os.set_syscall(293, pipe2)
    ql.os.set_syscall(40, lambda ql, *args: -EINVAL)
    ql.os.set_syscall(262, newfstatat)
    ql.os.set_syscall(25, lambda ql, *args: -ENOMEM)


def main(argv: list[str]) -> int:
    mode, rootfs = argv[0], argv[1]
    if mode == "getpid":
        ql = Qiling([os.path.join(rootfs, "bin", "getpid_loop"), argv[2]], rootfs,
                    verbose=QL_VERBOSE.DISABLED)
        t0 = time.perf_counter()
        ql.run()
        print(f"{time.perf_counter() - t0:.9f}")
        return 0
    if mode == "run":
        ql = Qiling([os.path.join(rootfs, argv[2].lstrip("/"))] + argv[3:], rootfs,
                    verbose=QL_VERBOSE.DISABLED, multithread=True)
        install_shims(ql)
        ql.run()
        sys.stdout.flush()
        return 0
    sys.stderr.write(f"qiling_driver: unknown mode {mode!r}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
