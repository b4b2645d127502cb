# A mysys program (gate int 0x81) trapping through `syscall`, a gate its table does not
# declare: exit (call 1) must not run; the process ends with SIGSEGV.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 1
    mov edi, 3
    syscall
    mov eax, 1
    mov edi, 4
    int 0x81
