"""What a fourth sweep of Debian programs showed: servers and their clients talking over the
machine's loopback inside one guest run as they do on Linux (sshd with ssh, scp, sftp and a
multiplexing master passing descriptors; mosquitto with its clients; unbound answering dig
over UDP and TCP; haproxy balancing between two of its own frontends for curl); and what
lsfd found wrong (fdinfo's mnt_id named no mount), which a C program now shows as Linux."""
from __future__ import annotations

import re

import pytest

from conftest import copy_host_libraries, debian_root, make_root, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]

FDINFO_MNT_ID = [    # what Linux 6.12 prints (all three builds)
    "/etc: on /",
    "/proc/self/stat: on /proc",
    "/proc: on /proc",
    "pipe: on a mount mountinfo does not list",
]


@pytest.mark.parametrize("cc", CCS)
def test_fdinfo_mnt_id_is_the_mountinfo_id_of_the_files_mount(toolchain, tmp_path, cc):
    """/proc/PID/fdinfo/N's mnt_id is the id mountinfo gives the mount the file is on (it
    was 25 for every descriptor, a mount mountinfo never listed, so lsfd's MNTID joined
    nothing); a pipe's is an internal mount's that mountinfo does not list."""
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c("fdinfo_mnt_id", cc, tuple(flags))})
    res = tblc("run", "--root", root, "/prog")
    assert (res.returncode, res.stdout.decode().splitlines()) == (0, FDINFO_MNT_ID), res


PACKAGES = [
    "dash", "coreutils", "sed",
    "openssh-client", "openssh-server", "openssh-sftp-server", "libwrap0",
    "mosquitto", "mosquitto-clients", "libmosquitto1", "libcjson1", "libdlt2",
    "unbound", "bind9-dnsutils", "bind9-libs", "libjemalloc2", "libevent-2.1-7",
    "libprotobuf-c1", "libjson-c5", "libxml2", "libhiredis0.14", "libfstrm0", "liblmdb0", "libmaxminddb0", "libuv1",
    "haproxy", "liblua5.3-0", "libopentracing-c-wrapper0", "libopentracing1", "curl",
]


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = debian_root(tmp_path_factory.mktemp("servers") / "root", *PACKAGES)
    # What the packages' own libraries link (ldd on the host cannot follow those to theirs).
    copy_host_libraries(root, (root / "usr/lib/x86_64-linux-gnu").glob("*.so.*"))
    passwd = root / "etc/passwd"       # root's shell is the root's dash (sshd checks it)
    passwd.write_text(re.sub(r"^(root:.*:)[^:\n]*$", r"\1/bin/sh", passwd.read_text(), 1, re.M)
                      + "sshd:x:101:65534::/run/sshd:/usr/sbin/nologin\n")  # privsep user
    for name in ("root", "run/sshd"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def _script(root, name: str, text: str) -> list[str]:
    """Run TEXT with Debian's dash in the guest; its output lines (rc 0 asserted)."""
    (root / "tmp" / name).write_text(text)
    res = tblc("run", "--root", root, "/bin/sh", f"/tmp/{name}")
    assert res.returncode == 0, res
    return res.stdout.decode().splitlines()


SSHD_CONFIG = """\
Port 2222
ListenAddress 127.0.0.1
HostKey /tmp/host_key
AuthorizedKeysFile /tmp/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin yes
PasswordAuthentication no
Subsystem sftp /usr/lib/openssh/sftp-server
"""

SSH = """\
rm -f /tmp/host_key* /tmp/id* /tmp/known /tmp/dst*
ssh-keygen -q -t ed25519 -N '' -f /tmp/host_key
ssh-keygen -q -t ed25519 -N '' -f /tmp/id
cp /tmp/id.pub /tmp/authorized_keys
/usr/sbin/sshd -t -f /tmp/sshd_config && echo config ok
/usr/sbin/sshd -D -e -f /tmp/sshd_config 2> /tmp/sshd.log &
D=$!
sleep 1
O="-i /tmp/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/tmp/known -o BatchMode=yes -o LogLevel=ERROR"
ssh $O -p 2222 root@127.0.0.1 'echo hello from $(id -un); exit 7'; echo ssh=$?
echo payload > /tmp/src
scp -q $O -P 2222 /tmp/src root@127.0.0.1:/tmp/dst; echo scp=$? $(cat /tmp/dst)
printf 'get /tmp/dst /tmp/dst2\\n' | sftp -q -b - $O -P 2222 root@127.0.0.1 > /dev/null; echo sftp=$? $(cat /tmp/dst2)
ssh $O -p 2222 -M -S /tmp/mux -fN root@127.0.0.1; echo master=$?
echo through | ssh $O -p 2222 -S /tmp/mux root@127.0.0.1 'cat; exit 3'; echo muxed=$?
ssh $O -p 2222 -S /tmp/mux -O exit root@127.0.0.1 2> /dev/null; echo exit=$?
kill $D
wait $D
echo sshd=$?
"""


def test_ssh_logs_in_to_an_sshd_on_loopback_copies_files_and_multiplexes(root):
    """sshd (privilege separation, a pre-auth child re-executed, a pty-less session) takes
    a public-key login; scp and sftp run the sftp subsystem; a ControlMaster hands its
    clients' descriptors over a unix socket (SCM_RIGHTS) and carries their sessions."""
    (root / "tmp/sshd_config").write_text(SSHD_CONFIG)
    assert _script(root, "ssh.sh", SSH) == [
        "config ok",
        "hello from root", "ssh=7",
        "scp=0 payload",
        "sftp=0 payload",
        "master=0",
        "through", "muxed=3",
        "exit=0",
        "sshd=0",
    ]


MOSQUITTO = """\
mosquitto -p 18830 > /tmp/broker.log 2>&1 &
B=$!
sleep 0.5
mosquitto_sub -p 18830 -t t/x -C 2 &
S=$!
sleep 0.5
mosquitto_pub -p 18830 -t t/x -m hello
mosquitto_pub -p 18830 -t t/x -m world -q 1
wait $S
echo sub=$?
kill $B
wait $B
echo broker=$?
"""


def test_mosquitto_delivers_what_its_publisher_sends_to_its_subscriber(root):
    """The MQTT broker (epoll, non-blocking accept) relays both messages, at QoS 0 and 1,
    and exits 0 on SIGTERM."""
    assert _script(root, "mq.sh", MOSQUITTO) == ["hello", "world", "sub=0", "broker=0"]


UNBOUND_CONF = """\
server:
    interface: 127.0.0.1@5353
    port: 5353
    do-daemonize: no
    use-syslog: no
    username: ""
    chroot: ""
    directory: "/tmp"
    pidfile: ""
    do-ip6: no
    num-threads: 2
    so-reuseport: yes
    local-zone: "example.test." static
    local-data: "www.example.test. IN A 10.1.2.3"
    local-data: "example.test. IN MX 10 mail.example.test."
remote-control:
    control-enable: no
"""

DNS = """\
unbound-checkconf /tmp/unbound.conf
unbound -c /tmp/unbound.conf > /tmp/unbound.log 2>&1 &
U=$!
sleep 1
dig +short @127.0.0.1 -p 5353 www.example.test
dig +short +tcp @127.0.0.1 -p 5353 example.test MX
dig +noall +comments @127.0.0.1 -p 5353 nothere.example.test | sed -n 's/.*status: \\([A-Z]*\\).*/\\1/p'
kill $U
wait $U
echo unbound=$?
"""


def test_unbound_answers_dig_over_udp_and_tcp_from_two_reuseport_threads(root):
    """unbound's two threads share port 5353 (SO_REUSEPORT) and answer dig's queries for a
    local zone over UDP and TCP, NXDOMAIN for a name it lacks."""
    (root / "tmp/unbound.conf").write_text(UNBOUND_CONF)
    assert _script(root, "dns.sh", DNS) == [
        "unbound-checkconf: no errors in /tmp/unbound.conf",
        "10.1.2.3", "10 mail.example.test.", "NXDOMAIN", "unbound=0"]


HAPROXY_CFG = """\
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend f
    bind 127.0.0.1:18080
    default_backend b
backend b
    balance roundrobin
    server s1 127.0.0.1:18081
    server s2 127.0.0.1:18082
frontend one
    bind 127.0.0.1:18081
    http-request return status 200 content-type text/plain string "one\\n"
frontend two
    bind 127.0.0.1:18082
    http-request return status 200 content-type text/plain string "two\\n"
"""

HAPROXY = """\
haproxy -c -q -f /tmp/haproxy.cfg && echo config ok
haproxy -db -f /tmp/haproxy.cfg > /tmp/haproxy.log 2>&1 &
H=$!
sleep 1
for i in 1 2 3; do curl -s http://127.0.0.1:18080/; done
curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:18080/missing
kill $H
wait $H
echo haproxy=$?
"""


def test_haproxy_balances_curls_requests_round_robin(root):
    """haproxy's frontend proxies to its two backends in turn; SIGTERM ends it (143 from
    the shell, as on Linux)."""
    (root / "tmp/haproxy.cfg").write_text(HAPROXY_CFG)
    assert _script(root, "haproxy.sh", HAPROXY) == [
        "config ok", "one", "two", "one", "200", "haproxy=143"]
