/* NT i386 services through int 0x2e, arguments on the user stack pointed to by edx. */
#include "nt_x86.h"
    .intel_syntax noprefix
    .globl _start
_start:
    call 1f
1:  pop ebx                          /* position-independent base */
    push 0                           /* Key */
    push 0                           /* ByteOffset */
    push 9                           /* Length */
    lea eax, [ebx + msg - 1b]
    push eax                         /* Buffer */
    lea eax, [ebx + iosb - 1b]
    push eax                         /* IoStatusBlock */
    push 0                           /* ApcContext */
    push 0                           /* ApcRoutine */
    push 0                           /* Event */
    push 8                           /* FileHandle: descriptor 1 */
    mov edx, esp
    mov eax, SYS_NtWriteFile
    int 0x2e
    add esp, 36
    mov esi, eax
    push 0                           /* a wild IoStatusBlock: STATUS_ACCESS_VIOLATION */
    push 0
    push 1
    lea eax, [ebx + msg - 1b]
    push eax
    push 0x10
    push 0
    push 0
    push 0
    push 8
    mov edx, esp
    mov eax, SYS_NtWriteFile
    int 0x2e
    add esp, 36
    mov edi, 7
    cmp eax, 0xC0000005
    je 2f
    mov edi, 9
2:  test esi, esi
    jz 3f
    mov edi, 10
3:  push edi                         /* ExitStatus */
    push -1                          /* the current process */
    mov edx, esp
    mov eax, SYS_NtTerminateProcess
    int 0x2e
msg: .ascii "nt hello\n"
    .p2align 2
iosb: .long 0, 0
