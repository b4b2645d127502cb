"""/proc/PID/stat, status, wchan and the mount table as Linux 6.x writes them: what ps,
findmnt and mountpoint read. Each program prints what it saw; the expected lines are what
it prints natively on Linux 6.x (as root)."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import make_root, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _run(toolchain, tmp_path, name: str, cc: str, *args) -> list[str]:
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c(name, cc, tuple(flags))})
    res = tblc("run", "--root", root, "/prog", *args)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_stat_shows_nice_policy_rt_priority_and_signal_masks(toolchain, tmp_path, cc):
    """ps's NI, PRI, CLS and RTPRIO columns and its N flag come from stat fields 18, 19, 40
    and 41 (they were 20 0 ... 0 0 whatever setpriority and sched_setscheduler did); fields
    31-34 are status's SigPnd, SigBlk, SigIgn and SigCgt in decimal."""
    assert _run(toolchain, tmp_path, "proc_sched_fields", cc) == [
        "start: fields 52 prio 20 nice 0 rt_priority 0 policy 0",
        "nice: fields 52 prio 30 nice 10 rt_priority 0 policy 0",
        "fifo: fields 52 prio -11 nice 10 rt_priority 10 policy 1",
        "signals: pending 16384 blocked 16384 ignored 4096 caught 512",
        "SigPnd:\t0000000000004000", "SigBlk:\t0000000000004000",
        "SigIgn:\t0000000000001000", "SigCgt:\t0000000000000200",
        "wchan: [0]"]


def test_busybox_ps_shows_a_reniced_process_nice(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/bin/busybox renice -n 5 -p $$ >/dev/null; "
               "/bin/busybox ps -o pid,nice,stat | /bin/busybox grep -w $$")
    assert res.returncode == 0, res
    assert res.stdout.decode().split()[1:] == ["5", "SN"], res.stdout


@pytest.mark.parametrize("cc", CCS)
def test_proc_dev_devpts_and_sys_are_mounts_with_the_st_dev_their_nodes_report(toolchain,
                                                                                tmp_path, cc):
    """A root with no /dev or /sys of its own: the machine's /proc, /dev, /dev/pts and /sys
    are mounts (mountinfo lists them, each root's st_dev differs from its parent's and is
    the device mountinfo gives, fstat agrees with stat); /proc/mounts had only /."""
    assert _run(toolchain, tmp_path, "pseudo_mounts", cc,
                "/proc", "/dev", "/dev/pts", "/sys", "/") == [
        "/proc: mountpoint 1 fstat agrees 1 type 0x9fa0",
        "/dev: mountpoint 1 fstat agrees 1 type 0x1021994",
        "/dev/pts: mountpoint 1 fstat agrees 1 type 0x1cd1",
        "/sys: mountpoint 1 fstat agrees 1 type 0x62656572",
        "/: mountpoint 0 fstat agrees 1 type 0xef53",
        "mountinfo /proc proc under 1, st_dev agrees 1",
        "mountinfo /dev tmpfs under 1, st_dev agrees 1",
        "mountinfo /dev/pts devpts under 3, st_dev agrees 1",
        "mountinfo /sys sysfs under 1, st_dev agrees 1"]


def test_a_roots_own_dev_and_sys_directories_are_no_mounts(toolchain, tmp_path):
    """Where the root has its own /dev and /sys the guest sees those directories, on the
    root's file system: no mount there, as a chroot with only /proc and /dev/pts mounted."""
    root = make_root(tmp_path, {"/prog": toolchain.c("pseudo_mounts", "gcc")})
    for name in ("dev", "sys"):
        (root / name).mkdir()
    res = tblc("run", "--root", root, "/prog", "/proc", "/dev", "/dev/pts", "/sys")
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "/proc: mountpoint 1 fstat agrees 1 type 0x9fa0",
        "/dev: mountpoint 0 fstat agrees 1 type 0xef53",
        "/dev/pts: mountpoint 1 fstat agrees 1 type 0x1cd1",
        "/sys: mountpoint 0 fstat agrees 1 type 0xef53",
        "mountinfo /proc proc under 1, st_dev agrees 1",
        "mountinfo /dev/pts devpts under 1, st_dev agrees 1"]


def test_proc_mounts_lists_the_pseudo_file_systems_then_the_guests_tmpfs(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "B=/bin/busybox; $B mkdir -p /mnt; $B mount -t tmpfs -o nosuid scratch /mnt; "
               "$B cat /proc/mounts; $B cmp /proc/mounts /proc/self/mounts && echo same; "
               "$B umount /mnt; $B grep -c scratch /proc/mounts")
    assert res.returncode == 1, res      # (grep -c found none: 0)
    lines = res.stdout.decode().splitlines()
    assert lines[0].startswith("/dev/root / ext4 rw")
    assert lines[1:] == [
        "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
        "tmpfs /dev tmpfs rw,nosuid,relatime,mode=755 0 0",
        "devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0",
        "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0",
        "scratch /mnt tmpfs rw,nosuid,relatime 0 0", "same", "0"]


def test_chown_of_a_proc_node_records_no_owner(toolchain, tmp_path):
    res = tblc("run", "--root", make_root(tmp_path, {"proc_chown": toolchain.c("proc_chown")}),
               "/proc_chown")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["chown /proc/self/status: 0, owner 0",
                                                "chown /x: owner 7"]


def test_meminfo_has_linux_s_fields_in_its_widths(busybox, tmp_path):
    """psutil.virtual_memory() warned on every call of the fields it missed (Active,
    Inactive, Shmem, Slab, SReclaimable ...); each line is a 16-wide label and an 8-wide
    number, as Linux 6.1 writes them, and the counts agree with each other."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "cat", "/proc/meminfo")
    assert res.returncode == 0, res
    lines = res.stdout.decode().splitlines()
    fields = {line.split(":")[0]: int(line.split()[1]) for line in lines}
    for name in ("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
                 "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
                 "Inactive(file)", "Shmem", "Slab", "SReclaimable", "SUnreclaim", "AnonPages",
                 "Mapped", "CommitLimit", "Committed_AS", "HugePages_Total", "Hugepagesize"):
        assert name in fields, name
    assert all(len(line.split(" kB")[0]) == max(24, 16 + len(line.split()[1]))
               for line in lines if line.endswith(" kB"))
    assert fields["MemFree"] + fields["Active"] == fields["MemTotal"]
    assert fields["Active"] == fields["Active(anon)"] == fields["AnonPages"] > 0


@pytest.mark.parametrize("cc", CCS)
def test_proc_pid_entries_are_owned_as_task_dump_owner_says(toolchain, tmp_path, cc):
    """/proc/PID's entries were root's and 0444 whoever the process was: Linux gives them the
    process's effective ids while it is dumpable (root's once a change of ids made it not,
    except the 0555 directory ps stats), and environ, auxv and fd only to their owner."""
    assert _run(toolchain, tmp_path, "proc_owners", cc) == [
        "root:  0:0 555 status 0:0 444 environ 0:0 400 auxv 0:0 400 fd 0:0 500",
        "after setresuid:  1000:1000 555 status 0:0 444 environ 0:0 400 auxv 0:0 400 fd 0:0 500",
        "dumpable again:  1000:1000 555 status 1000:1000 444 environ 1000:1000 400 "
        "auxv 1000:1000 400 fd 1000:1000 500"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_self_mem_reads_and_patches_the_process_memory(toolchain, tmp_path, cc):
    """/proc/PID/mem was missing: a variable read at its address, a read-only page patched
    as ptrace patches code, a read stopping at a hole and EIO inside one (Linux's lines)."""
    assert _run(toolchain, tmp_path, "proc_mem", cc) == [
        "read 15 [hello proc mem]", "write to a read-only page 5 [AFTERe]",
        "read into the hole 8", "read in the hole -1 EIO"]


def test_status_has_linuxs_memory_fields_aligned_and_in_its_order(toolchain, tmp_path):
    """/proc/PID/status lacked VmHWM, VmData, VmStk, VmExe, VmLib, VmSwap, RssAnon/RssFile,
    NSpid, Cpus_allowed and Mems_allowed, and its Vm values were not right-aligned in 8
    columns (`VmRSS:\\t2980 kB`). Every field is where the host kernel puts it."""
    import re
    exe = toolchain.c("proc_status", "gcc")
    host = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    fields = dict(line.split(":\t", 1) for line in res.stdout.decode().splitlines())
    for name in ("VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile",
                 "RssShmem", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap"):
        assert re.fullmatch(r" *\d+ kB", fields[name]) and len(fields[name]) == 11, name
    size = lambda name: int(fields[name].split()[0])      # noqa: E731
    assert 0 < size("VmRSS") <= size("VmHWM") and size("VmStk") > 0 and size("VmExe") > 0
    assert size("VmData") + size("VmStk") + size("VmExe") <= size("VmSize")
    for name in ("NStgid", "NSpid", "Cpus_allowed_list", "Mems_allowed_list", "Seccomp_filters"):
        assert name in fields, name
    host_order = [line.split(":")[0] for line in host.splitlines()]
    ours = [name for name in fields if name in host_order]
    assert ours == [name for name in host_order if name in fields]


def test_proc_locks_lists_flock_posix_and_ofd_locks_as_linux_writes_them(toolchain, tmp_path):
    """/proc/locks was missing (lslocks printed nothing, not even its header). The lines of
    a flock, two POSIX record locks and an OFD lock, as the host prints them (the order of
    one file's locks is the kernel's list order, not compared)."""
    exe = toolchain.c("proc_locks", "gcc")
    work = tmp_path / "host"
    work.mkdir()
    host = subprocess.run([exe], capture_output=True, text=True, check=True, cwd=work).stdout
    root = make_root(tmp_path, {"/prog": exe})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog")
    assert res.returncode == 0, res.stderr
    assert sorted(res.stdout.decode().splitlines()) == sorted(host.splitlines()) == [
        "a.lock FLOCK ADVISORY WRITE self 0 EOF", "b.lock POSIX ADVISORY READ self 20 EOF",
        "b.lock POSIX ADVISORY WRITE self 0 9", "c.lock OFDLCK ADVISORY WRITE -1 5 9"]
