# A toy-personality program that faults at once (an invalid instruction).
    .intel_syntax noprefix
    .globl _start
_start:
    ud2
