#!/usr/bin/env bash
# Build the demo's guest root: /bin/parent (static, musl), /bin/hello.mysys (flat image) and
# /bin/hello.exe (PE32, mingw-w64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../build/demo}"
root="$out/root"
mkdir -p "$root/bin" "$out/obj"
musl-gcc -static -O2 -o "$root/bin/parent" "$here/parent.c"
as --64 -o "$out/obj/hello.o" "$here/hello_mysys.S"
ld -static -Ttext=0x400000 -o "$out/obj/hello.elf" "$out/obj/hello.o"
objcopy -O binary -j .text "$out/obj/hello.elf" "$out/obj/hello.bin"
python3 -m runtime.binfmt.flat "$out/obj/hello.bin" "$root/bin/hello.mysys"
i686-w64-mingw32-gcc -O2 -o "$root/bin/hello.exe" "$here/hello_win.c"
echo "$root"
