# Arms a hardware breakpoint at 0x401000 (the usual entry of the next static program) with
# the privileged debug registers, then exits. Later processes must not trap there.
    .globl _start
_start:
    mov $0x401000, %rax
    mov %rax, %dr0
    mov $1, %rax
    mov %rax, %dr7
    mov $60, %eax
    xor %edi, %edi
    syscall
