# write(1, "hello\n", 6); exit(0) -- raw i386 Linux system calls through int 0x80
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 4
    mov ebx, 1
    call 1f
1:  pop ecx
    add ecx, msg - 1b
    mov edx, 6
    int 0x80
    mov eax, 1
    xor ebx, ebx
    int 0x80
msg: .ascii "hello\n"
