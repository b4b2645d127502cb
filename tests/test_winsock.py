"""Winsock on the machine's network: a mingw-w64 program on both widths (blocking sockets in
two threads, non-blocking ones with select and WSAPoll, UDP, names, errors, the overlapped
AcceptEx/ConnectEx/WSARecv path on a completion port, TransmitFile, WSAEventSelect,
WSADuplicateSocket), Node.js serving and fetching HTTP
through libuv, Deno serving and fetching through mio's AFD polling (tokio), and Windows and
Linux programs of one machine talking over its loopback."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc
from test_msvc import NODE, _program_lines, _wheel, _wheel_exe


@pytest.mark.parametrize("bits", [64, 32])
def test_winsock_calls_on_the_machines_loopback(mingw, bits, tmp_path):
    exe = mingw("winsock", bits, libs=("-lws2_32", "-lmswsock"))
    assert _program_lines(tmp_path, "winsock", exe) == [
        # blocking: the echo thread's accept and recv wait; the server's 0 after our SD_SEND
        "tcp connect 0 got 5 [HELLO] peer 127.0.0.1:1 end 0 server 0",
        # WSAEWOULDBLOCK, select and WSAPoll (POLLRDNORM), FIONREAD
        "nonblocking accept 1 err 10035 select 1 1 recv -1 err 10035 idle 0 poll 1 0x100 "
        "fionread 4 writable 1",
        "nonblocking connect -1 err 10035 writable 1 sent 1",
        "udp sent 8 got -1 err 10040 [data] from 127.0.0.1",        # WSAEMSGSIZE, truncated
        "udp unreachable sent 1 recv -1 err 10054",                # WSAECONNRESET
        "getaddrinfo 0: 23 ::1 8080 2 127.0.0.1 8080 | missing 11001 | pton 1 fe80::1:2 "
        "| addr 0x100007f | host 1",
        "services 80 https tcp | reverse localhost",
        # WSAECONNREFUSED, WSAENOTSOCK twice, IPv6-only by default, WSAEINVAL unbound
        "errors refused -1 10061 bad -1 10038 twice -1 10038 v6only 1 type 1 nodelay 0 "
        "unbound -1 10022",
        "wild -1 10014 -1 10014 -1 10014",                    # WSAEFAULT
        "timeout -1 10060 waited 1",                          # WSAETIMEDOUT
        # AcceptEx pending (997) then its packet (key 1); ConnectEx done at once with no
        # packet (skip mode); a zero-byte WSARecv pending until the WSASend's data; the
        # peer's close completes a pending read with 0 bytes
        "overlapped accept 0 997 queued 1 connect 1 local 2 remote 2 | zero read -1 997 "
        "send 0 woke 1 key 3 bytes 0 | data 6 [stream] nothing 0 258 | end -1 997 1 key 3 "
        "bytes 0 1 0",
        "transmit 1 [<file body>]",                  # TransmitFile from the file's position
        # WSAEventSelect: FD_ACCEPT, FD_WRITE at once, FD_READ when data comes, re-enabled
        # by recv; a WSADuplicateSocketW twin sends on the same connection; FD_CLOSE
        "events 0 idle 258 woke 0 accept 0x8 first 0x2 quiet 258 data 0 read 0x1 [evttwin] "
        "dup 0 1 close 0 0x20"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_connection_handed_to_a_child_process(mingw, bits, tmp_path):
    """PostgreSQL's postmaster hands each client to a backend so: sockets are inheritable
    handles unless made with WSA_FLAG_NO_HANDLE_INHERIT; a WSADuplicateSocket description
    holds the socket after the parent closes its handle, inherited or not; the child's socket
    from it is its own handle, so closing the inherited one leaves it working."""
    exe = mingw("socket_handoff", bits, libs=("-lws2_32",))
    lines = _program_lines(tmp_path, "socket_handoff", exe)
    child = ["child: close uninheritable=-1 error=10038", None, "child: made=1",
             "child: send=14 error=0", 'parent: duplicate=0 got "from the child"',
             "parent: then 0"]
    assert lines == (["parent: inherit=1"] + [c or "child: close inherited=0 error=0"
                                             for c in child] +
                     ["parent: inherit=0"] + [c or "child: close inherited=-1 error=10038"
                                             for c in child])


@pytest.fixture(scope="module")
def node_root(tmp_path_factory, busybox):
    exe = next(_wheel(NODE, "win_amd64").rglob("node.exe"))
    exe.chmod(0o755)
    return make_root(tmp_path_factory.mktemp("node"), {"/bin/node.exe": exe,
                                                       "/bin/busybox": busybox})


HTTP_SCRIPT = """\
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', d => body += d);
  req.on('end', () => res.end(`${req.method} ${req.url} ${body.length}\\n`));
});
server.listen(0, () => {
  const { port, family } = server.address();
  console.log('listening', family);
  const req = http.request({ host: 'localhost', port, path: '/x?y=1', method: 'POST' }, res => {
    let data = '';
    res.on('data', d => data += d);
    res.on('end', () => {
      console.log(res.statusCode, data.trim());
      http.get(`http://127.0.0.1:${port}/again`, r2 => {
        let d2 = ''; r2.on('data', d => d2 += d);
        r2.on('end', () => { console.log(d2.trim()); server.close(() => console.log('closed')); });
      });
    });
  });
  req.end('a'.repeat(100000));
});
const os = require('os');
console.log(Object.values(os.networkInterfaces()).flat()
  .map(i => `${i.family} ${i.address} ${i.internal}`).join(', '));
"""


def test_node_serves_and_fetches_http(node_root):
    """libuv's TCP on Windows: AcceptEx, ConnectEx, zero-byte reads and WSASend on its
    completion port; a dual-stack listener on :: reached through 'localhost' (::1) and
    127.0.0.1; a 100 kB request body; the interface list from GetAdaptersAddresses."""
    (node_root / "http.js").write_text(HTTP_SCRIPT)
    res = tblc("run", "--root", node_root, "/bin/node.exe", "/http.js", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "IPv4 127.0.0.1 true, IPv6 ::1 true", "listening IPv6", "200 POST /x?y=1 100000",
        "GET /again 0", "closed"]


FETCH_AND_PIPE_SERVER = """\
const http = require('http'), net = require('net');
const server = http.createServer((req, res) => res.end(JSON.stringify({ path: req.url })));
server.listen(0, '127.0.0.1', async () => {
  const r = await fetch(`http://localhost:${server.address().port}/json`);
  console.log(r.status, JSON.stringify(await r.json()));
  const pipes = net.createServer(c => c.pipe(c)).listen('\\\\\\\\.\\\\pipe\\\\echo', () => {
    const c = net.connect('\\\\\\\\.\\\\pipe\\\\echo', () => c.end('through a named pipe'));
    c.on('data', d => console.log(String(d)));
    c.on('close', () => pipes.close(() => server.close(() => console.log('closed'))));
  });
});
"""


def test_node_fetches_and_serves_a_named_pipe(node_root):
    """fetch() (undici, through 'localhost'), then a net server on a named pipe with four
    instances waiting in ConnectNamedPipe: each close ends its pending connect cancelled,
    which libuv waits for, and the process exits."""
    (node_root / "fetch.js").write_text(FETCH_AND_PIPE_SERVER)
    res = tblc("run", "--root", node_root, "/bin/node.exe", "/fetch.js", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == ['200 {"path":"/json"}', "through a named pipe",
                                               "closed"]


# The client retries a refused connect: nc may not be listening yet on a busy machine.
WATCH_AND_UDP = """\
const fs = require('fs');
fs.mkdirSync('/w', { recursive: true });
const w = fs.watch('/w', (ev, name) => { console.log('event', ev, name); w.close(); });
setTimeout(() => fs.writeFileSync('/w/new.txt', 'x'), 100);
const dgram = require('dgram');
const a = dgram.createSocket('udp4'), b = dgram.createSocket('udp4');
a.on('message', (m, r) => { console.log('udp', m.toString(), r.address); a.close(); b.close(); });
a.bind(0, '127.0.0.1', () => b.send('dgram!', a.address().port, '127.0.0.1'));
"""


def test_node_watches_a_directory_and_exchanges_datagrams(node_root):
    """fs.watch (libuv: ReadDirectoryChangesW on its completion port) sees a new file (Node
    calls FILE_ACTION_ADDED a rename, as on Windows);
    dgram's receive goes through AFD's receive request (NtDeviceIoControlFile), libuv's
    way around skip-on-success for UDP, and the datagram comes from 127.0.0.1."""
    (node_root / "watch.js").write_text(WATCH_AND_UDP)
    res = tblc("run", "--root", node_root, "/bin/node.exe", "/watch.js", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert sorted(res.stdout.decode().splitlines()) == ["event rename new.txt",   # added
                                                        "udp dgram! 127.0.0.1"]


CLIENT = """\
const [port, text] = process.argv.slice(2);
function attempt(left) {
  const s = require('net').connect(+port, '127.0.0.1', () => { if (text) s.end(text + '\\n'); });
  s.on('data', d => process.stdout.write('node got ' + d));
  s.on('error', e => { if (left && e.code === 'ECONNREFUSED') setTimeout(() => attempt(left - 1), 100);
                       else throw e; });
}
attempt(100);
"""
CROSS = """\
busybox nc -l -p 5555 > /got.txt &
/bin/node.exe /client.js 5555 'from windows'
wait
cat /got.txt
busybox sh -c 'echo from linux | busybox nc -l -p 5556' &
/bin/node.exe /client.js 5556
wait
"""


def test_windows_and_linux_programs_share_the_loopback(node_root):
    """A Linux busybox nc and Windows Node.js, started by one shell, connect to each other:
    both personalities' sockets are the machine's."""
    (node_root / "cross.sh").write_text(CROSS)
    (node_root / "client.js").write_text(CLIENT)
    res = tblc("run", "--root", node_root, "--env", "PATH=/bin", "/bin/busybox", "sh",
               "/cross.sh", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == ["from windows", "node got from linux"]


DENO = "deno==2.9.8"
DENO_SERVE = """\
const ac = new AbortController();
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: ac.signal,
  onListen: async ({ port }) => {
    const r = await fetch(`http://127.0.0.1:${port}/hi`);
    console.log(r.status, await r.text());
    ac.abort();
  } }, (req) => new Response("hello " + new URL(req.url).pathname));
await server.finished;
console.log("done");
"""


def test_deno_serves_and_fetches_through_afd_polling(tmp_path):
    """Deno (Rust, tokio over mio, V8): mio opens \\Device\\Afd and waits for its sockets
    with IOCTL_AFD_POLL on a completion port, cancelling polls with NtCancelIoFileEx;
    Deno.serve answers its own fetch. TypeScript runs without a network (the bundled
    compiler), and a resource lookup (FindResource) and psapi's GetPerformanceInfo come on
    the way."""
    root = make_root(tmp_path, {"/bin/deno.exe": _wheel_exe(DENO, "deno.exe")})
    (root / "srv.ts").write_text(DENO_SERVE)
    res = tblc("run", "--root", root, "--env", "DENO_DIR=/denodir", "/bin/deno.exe", "run",
               "--allow-net", "/srv.ts", timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == ["200 hello /hi", "done"]


def test_node_runs_commands_through_cmd(tmp_path):
    """child_process.exec and execSync run `cmd.exe /d /s /c "..."` (the generated cmd.exe):
    a command list's output, a failing command's status, a callback's output."""
    exe = next(_wheel(NODE, "win_amd64").rglob("node.exe"))
    exe.chmod(0o755)
    root = make_root(tmp_path, {"/bin/node.exe": exe})
    res = tblc("run", "--root", root, "/bin/node.exe", "-e",
               "const cp = require('child_process');"
               "console.log(JSON.stringify(cp.execSync('echo hi && echo there').toString()));"
               "try { cp.execSync('exit 3') } catch (e) { console.log('status', e.status) }"
               "cp.exec('echo async', (e, out) => console.log('exec', JSON.stringify(out)))",
               timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [      # as on Windows: "hi " keeps its blank
        '"hi \\r\\nthere\\r\\n"', "status 3", 'exec "async\\r\\n"']


@pytest.mark.parametrize("bits", [64, 32])
def test_an_af_unix_socket_names_its_peers_process(mingw, bits):
    """SIO_AF_UNIX_GETPEERPID was WSAEOPNOTSUPP: OCaml's Unix.socketpair (semgrep-core)
    failed every scan."""
    res = tblc("run", mingw("afunix_peer", bits, libs=("-lws2_32",)), timeout=60)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "bind 0 listen 0 connect 0 ioctl 0 bytes 4 self 1", "tcp socket -1 error 10045"]


@pytest.mark.parametrize("bits", [32, 64])
def test_a_blocking_send_within_the_quota_is_taken_whole(mingw, bits):
    """Every pyzmq context (so every Jupyter kernel) died: libzmq's 1 MiB send waited for a
    reader that only read after it (a deadlock)."""
    res = tblc("run", mingw("big_send", bits, libs=("-lws2_32",)), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "blocking send of 1 MiB: 1048576", "then, over the quota, non-blocking: -1 1",
        "received 1048576"]


@pytest.mark.parametrize("bits", [32, 64])
def test_wsasendmsg_and_wsarecvmsg(mingw, tmp_path, bits):
    """WSASendMsg gathers a WSAMSG's buffers to its name; WSARecvMsg (through WSAIoctl's
    WSAID_WSARECVMSG) fills the buffers and the sender's address, with no control data
    (Deno's and quinn's UDP)."""
    root = make_root(tmp_path, {"/wm.exe": mingw("wsa_msg", bits, libs=("-lws2_32",))})
    res = tblc("run", "--root", root, "/wm.exe", timeout=120)
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "WSASendMsg: 0 11", "extension: 0 1",
        "WSARecvMsg: 0 11 'hello world' from loopback 1 same port 1 control 0"]
