# A mysys program (gate int 0x81) trapping through int 0x80, another platform's vector: its
# table has an int gate, but not this vector; exit (call 1) must not run: SIGSEGV.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 1
    mov edi, 3
    int 0x80
    mov eax, 1
    mov edi, 4
    int 0x81
