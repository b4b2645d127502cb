# Every number here must give -ENOSYS: the ABI truncates to 32 bits (as Linux does, so
# 0x8000000000000000 would be read), and these low halves are all out of range. Then the
# other side of truncation: getpid (39) with garbage in rax's upper half is getpid.
    .intel_syntax noprefix
    .globl _start
_start:
    lea rbx, [rip + numbers]
    mov r12, 0
next:
    mov rax, [rbx + r12*8]
    cmp rax, 0
    je ok
    syscall
    cmp rax, -38
    jne bad
    inc r12
    jmp next
ok:
    mov eax, 39
    syscall
    mov r13, rax
    movabs rax, 0xdeadbeef00000027
    syscall
    cmp rax, r13
    mov r12, 99
    jne bad
    mov eax, 60
    xor edi, edi
    syscall
bad:
    mov eax, 60
    lea edi, [r12 + 1]
    syscall
numbers:
    .quad 0xffffffff, 0x80000000, 0x7fffffff, 0x10000, 0xffff, 1000, 512, 335
    .quad 0xffffffffffffffff, 0x80000000ffffffff, 0xffffffff80000000, 0x123456789abcdef
    .quad 0xfffffffffffffdff, 0x00000001fffffffe
    .quad 0
