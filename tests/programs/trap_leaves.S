# What a trap leaves in rcx and r11 besides the result. For each case prints
#   "<case> rcx=<return|kept  |other > r11=<flags |kept  |other >"
# where return = the address after the trap instruction, flags = rflags at the trap and
# kept = the value the register had before the trap. Cases: 1 plain syscall, 2 syscall with a
# REX prefix (3 bytes), 3 syscall after 600 nops (longer than one translation block),
# 4 syscall straddling a page boundary, 5 int 0x80 (only with an argument).
    .intel_syntax noprefix
    .set RCX_MAGIC, 0x1111222233334444
    .set R11_MAGIC, 0x5555666677778888

# Before a trap: r12 = the flags, rcx/r11 = the magic values, rbx = the return address.
    .macro PREPARE after
    pushfq
    pop r12
    movabs rcx, RCX_MAGIC
    movabs r11, R11_MAGIC
    lea rbx, [rip + \after]
    mov eax, 39                 # getpid
    .endm

    .macro CHECK c
    mov r13, rcx
    mov r14, r11
    mov dil, \c
    call report
    .endm

    .text
    .globl _start
_start:
    mov r15, [rsp]              # argc

    PREPARE 1f
    syscall
1:  CHECK '1'

    PREPARE 2f
    .byte 0x48, 0x0f, 0x05      # rex.W syscall
2:  CHECK '2'

    PREPARE 3f
    .fill 600, 1, 0x90
    syscall
3:  CHECK '3'

    PREPARE 4f
    jmp 40f
    .balign 4096
    .fill 4096 - 6, 1, 0x90
40: mov eax, 39                 # 5 bytes: the syscall starts on the page's last byte
    syscall
4:  CHECK '4'

    cmp r15, 2
    jl done
    PREPARE 5f
    int 0x80
5:  CHECK '5'

done:
    mov eax, 60
    xor edi, edi
    syscall

# dil = case character, r13/r14 = rcx/r11 after the trap; writes one line to stdout.
report:
    lea rsi, [rip + line]
    mov [rsi], dil
    lea rax, [rip + w_return]
    cmp r13, rbx
    je 1f
    lea rax, [rip + w_kept]
    movabs rdx, RCX_MAGIC
    cmp r13, rdx
    je 1f
    lea rax, [rip + w_other]
1:  mov edx, [rax]
    mov [rsi + 6], edx
    mov dx, [rax + 4]
    mov [rsi + 10], dx
    lea rax, [rip + w_flags]
    cmp r14, r12
    je 2f
    lea rax, [rip + w_kept]
    movabs rdx, R11_MAGIC
    cmp r14, rdx
    je 2f
    lea rax, [rip + w_other]
2:  mov edx, [rax]
    mov [rsi + 17], edx
    mov dx, [rax + 4]
    mov [rsi + 21], dx
    mov eax, 1                  # write(1, line, 24)
    mov edi, 1
    mov edx, 24
    syscall
    ret

    .data
line:     .ascii "N rcx=...... r11=......\n"
w_return: .ascii "return"
w_kept:   .ascii "kept  "
w_other:  .ascii "other "
w_flags:  .ascii "flags "
