# write(1, "hello\n", 6); exit(0) -- raw x86-64 Linux system calls
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 1
    mov edi, 1
    lea rsi, [rip + msg]
    mov edx, 6
    syscall
    mov eax, 60
    xor edi, edi
    syscall
msg: .ascii "hello\n"
