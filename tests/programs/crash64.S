# Faults chosen by argv[1][0]: s = store to an unmapped address, d = divide by zero,
# i = invalid instruction, j = jump to an unmapped address, k = stack overflow
    .intel_syntax noprefix
    .globl _start
_start:
    mov rsi, [rsp + 16]
    movzx eax, byte ptr [rsi]
    cmp al, 's'
    je store
    cmp al, 'd'
    je divide
    cmp al, 'i'
    je invalid
    cmp al, 'j'
    je jump
    cmp al, 'k'
    je recurse
    mov eax, 60
    mov edi, 9
    syscall
store:
    mov qword ptr [0x10], 1
divide:
    xor ecx, ecx
    mov eax, 1
    cdq
    idiv ecx
invalid:
    ud2
jump:
    movabs rax, 0x500000000
    jmp rax
recurse:
    call recurse
