# Exit status tells what the kernel answered:
#   unknown number 9999 and a negative number must give -ENOSYS (-38),
#   write from a wild pointer must give -EFAULT (-14).
# exit 0 when all hold, else the index of the first failure.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 9999
    syscall
    cmp rax, -38
    jne fail1
    mov rax, -5
    syscall
    cmp rax, -38
    jne fail2
    mov rax, 0x100000001   # number 1 in the low half only: the ABI truncates to 32 bits
    mov edi, 1
    lea rsi, [rip + msg]
    mov edx, 3
    syscall
    cmp rax, 3
    jne fail3
    mov eax, 1
    mov edi, 1
    movabs rsi, 0xdead00000000
    mov edx, 5
    syscall
    cmp rax, -14
    jne fail4
    mov eax, 1             # a range that wraps around the address space
    mov edi, 1
    mov rsi, -16
    mov edx, 64
    syscall
    cmp rax, -14
    jne fail5
    mov eax, 60
    xor edi, edi
    syscall
fail1: mov edi, 1
    jmp out
fail2: mov edi, 2
    jmp out
fail3: mov edi, 3
    jmp out
fail4: mov edi, 4
    jmp out
fail5: mov edi, 5
out:
    mov eax, 60
    syscall
msg: .ascii "ok\n"
