/* What the emulated CPU offers in CPUID leaf 1: SSE4.2 only on an engine that gets
   PCMPxSTRx's equal-ordered search right (csrc/cpuid.c). */
#include <cpuid.h>
#include <stdio.h>

int main(void)
{
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    printf("sse4.1=%d sse4.2=%d popcnt=%d sse2=%d\n", !!(c & bit_SSE4_1), !!(c & bit_SSE4_2),
           !!(c & bit_POPCNT), !!(d & bit_SSE2));
    return 0;
}
