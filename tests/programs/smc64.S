# Self-modifying code: run a function, patch its immediate, run it again.
# Exit status: the second result (2) if the patch was seen, 1 if stale code ran.
    .intel_syntax noprefix
    .globl _start
_start:
    mov eax, 10              # mprotect(page of func, 4096, RWX)
    lea rdi, [rip + func]
    and rdi, -4096
    mov esi, 4096
    mov edx, 7
    syscall
    call func                # eax = 1
    lea rbx, [rip + func]
    mov byte ptr [rbx + 1], 2   # mov eax, imm32: patch the low byte
    call func
    mov edi, eax
    mov eax, 60
    syscall
    .p2align 12
func:
    mov eax, 1
    ret
