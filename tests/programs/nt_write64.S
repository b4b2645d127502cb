/* NT x64 services from a flat image: NtWriteFile to the stdout handle (8), then
 * NtTerminateProcess(current, 7). Numbers come from tblc's generated nt_x64.h. */
#include "nt_x64.h"
    .intel_syntax noprefix
    .globl _start
_start:
    sub rsp, 0x60
    mov r10, 8                       /* FileHandle: descriptor 1 */
    xor edx, edx                     /* Event */
    xor r8d, r8d                     /* ApcRoutine */
    xor r9d, r9d                     /* ApcContext */
    lea rax, [rip + iosb]
    mov [rsp + 0x28], rax            /* IoStatusBlock */
    lea rax, [rip + msg]
    mov [rsp + 0x30], rax            /* Buffer */
    mov qword ptr [rsp + 0x38], 9    /* Length */
    mov qword ptr [rsp + 0x40], 0    /* ByteOffset */
    mov qword ptr [rsp + 0x48], 0    /* Key */
    mov eax, SYS_NtWriteFile
    syscall
    mov r12, rax
    mov eax, 0xfff                   /* not a service: STATUS_INVALID_SYSTEM_SERVICE */
    syscall
    cmp eax, 0xC000001C
    jne bad
    mov r10, -1
    mov edx, 7
    test r12, r12
    jz done
bad:
    mov edx, 9
done:
    mov eax, SYS_NtTerminateProcess
    syscall
msg: .ascii "nt hello\n"
    .p2align 3
iosb: .quad 0, 0
