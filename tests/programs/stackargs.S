# A table whose arguments are words in memory at rdi (`args stack(rdi)`): write's three
# arguments are the last three words of the data page, and the page after it is not mapped.
# The kernel must read exactly three words: one more is a fault (EFAULT), not an argument.
    .intel_syntax noprefix
    .globl _start
_start:
    lea rdi, [rip + write_args]
    mov eax, 1
    syscall
    lea rdi, [rip + exit_args]
    mov [rdi], rax               # exit status: what write returned
    mov eax, 60
    syscall
msg: .ascii "stack\n"
    .data
    .p2align 12
exit_args:
    .quad 0
    .skip 4096 - 8 - 24
write_args:
    .quad 1, msg, 6
