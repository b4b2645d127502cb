"""The parts of /sys programs read to count processors: /sys/devices/system/cpu (glibc's
get_nprocs_conf counts its cpuN directories, stress-ng and lscpu read online, possible and
present). The machine has one CPU, as sched_getaffinity and /proc/cpuinfo say. A root with
these paths of its own shows its own; /sys is not listed in the root (a lookup finds it)."""
from __future__ import annotations

from .abi_structs import DT_DIR, DT_REG

CPU_FILES = {"online": b"0\n", "possible": b"0\n", "present": b"0\n", "offline": b"\n",
             "isolated": b"\n", "kernel_max": b"8191\n"}
TREE = {"sys": {"devices": DT_DIR}, "sys/devices": {"system": DT_DIR},
        "sys/devices/system": {"cpu": DT_DIR},
        "sys/devices/system/cpu": {"cpu0": DT_DIR, **{n: DT_REG for n in CPU_FILES}},
        "sys/devices/system/cpu/cpu0": {}}


def node(parts: list[str]) -> tuple | None:
    """The synthetic node at /sys/..., or None."""
    path = "/".join(parts)
    if path in TREE:
        return ("dir", dict(TREE[path]))
    if len(parts) == 5 and path.rpartition("/")[0] == "sys/devices/system/cpu" and \
            parts[4] in CPU_FILES:
        return ("file", CPU_FILES[parts[4]])
    return None
