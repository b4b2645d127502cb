# copy stdin to stdout with read/write, then exit with the status given in argv? no: exit 7
    .intel_syntax noprefix
    .globl _start
_start:
    sub rsp, 4096
loop:
    xor eax, eax          # read(0, rsp, 4096)
    xor edi, edi
    mov rsi, rsp
    mov edx, 4096
    syscall
    test rax, rax
    jle done
    mov rdx, rax          # write(1, rsp, n)
    mov eax, 1
    mov edi, 1
    mov rsi, rsp
    syscall
    jmp loop
done:
    mov eax, 60
    mov edi, 7
    syscall
