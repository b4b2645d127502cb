# A syscall-table process trapping through int 0x80: a gate its table does not declare.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 1
    mov ebx, 1
    int 0x80
    mov eax, 60
    mov edi, 3
    syscall
