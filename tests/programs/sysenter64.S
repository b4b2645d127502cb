# A linux_x86_64 process (gate syscall) trapping through `sysenter`, a gate its table does
# not declare: exit (call 60) must not run; the process ends with SIGSEGV.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 60
    mov edi, 3
    sysenter
    mov eax, 60
    mov edi, 4
    syscall
