# A program for the custom `mysys` table: write is call 69, exit is call 1, gate int 0x81.
# Assembled to a flat image and wrapped in a mysys header by the tests.
    .intel_syntax noprefix
    .globl _start
_start:
    mov r12, 3
again:
    mov eax, 69
    mov edi, 1
    lea rsi, [rip + msg]
    mov edx, 12
    int 0x81
    mov eax, 24            # yield
    int 0x81
    dec r12
    jnz again
    mov eax, 1
    mov edi, 5
    int 0x81
msg: .ascii "mysys hello\n"
