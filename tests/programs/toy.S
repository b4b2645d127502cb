# A program of the toy personality in tests/test_personality.py: gate int 0x82, call 7 counts,
# 1 writes, 2 exits. It exits with rbx (set by the personality at exec) plus the last count.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 7
    int 0x82
    mov eax, 7
    int 0x82
    add ebx, eax
    mov eax, 1
    mov edi, 1
    lea rsi, [rip + msg]
    mov edx, 4
    int 0x82
    mov eax, 2
    mov edi, ebx
    int 0x82
msg: .ascii "toy\n"
