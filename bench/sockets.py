"""Socket benchmark: TCP round trips per second over the machine's loopback, and MB/s through
an AF_UNIX stream pair, under sysvec next to the host doing the same, and next to a pipe in
sysvec (bench/sock_bench.c is the program on both sides).

Usage: python bench/sockets.py [-r ROUNDS]"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import measure, table, timed  # noqa: E402
from bench.context_switch import build_c, sysvec_run  # noqa: E402

HOST_TCP = "host: TCP round trips on 127.0.0.1"
SV_TCP = "sysvec: TCP round trips on its loopback"
HOST_STREAM = "host: MB/s through a unix stream pair"
SV_STREAM = "sysvec: MB/s through a unix stream pair"
SV_PIPE = "sysvec: MB/s through a pipe"


def cases(trips: int = 2000, mib: int = 64) -> dict:
    prog = build_c("sock_bench")

    def host(mode: str, n: int) -> float:
        return timed(lambda: subprocess.run([str(prog), mode, str(n)], check=True))

    sv_tcp = sysvec_run({"sock": prog}, ["sock", "tcp", str(trips)])
    sv_stream = sysvec_run({"sock": prog}, ["sock", "stream", str(mib)])
    sv_pipe = sysvec_run({"sock": prog}, ["sock", "pipe", str(mib)])
    mb = mib * (1 << 20) / 1e6
    return {
        HOST_TCP: lambda: trips * 20 / host("tcp", trips * 20),
        SV_TCP: lambda: trips / sv_tcp(),
        HOST_STREAM: lambda: mb * 8 / host("stream", mib * 8),
        SV_STREAM: lambda: mb / sv_stream(),
        SV_PIPE: lambda: mb / sv_pipe(),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    results = measure(cases(), args.rounds)
    print(table(results, HOST_TCP, "round trips/s; MB/s", "sockets"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
