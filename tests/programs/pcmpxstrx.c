/* PCMPISTRI/M and PCMPESTRI/M (SSE4.2) on random needles and haystacks for every imm8:
   each case's index, mask and flags, one line per mode with a checksum, so that a run on
   the engine can be compared with the CPU's own (tests/test_run.py). */
#include <nmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t next(void)
{
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (uint32_t)state;
}

static void fill(uint8_t *v)
{
    /* a small alphabet (matches are common), a NUL now and then (implicit lengths) */
    for (int i = 0; i < 16; i++)
        v[i] = (next() % 8 == 0) ? 0 : "abcABC\x80\xff"[next() % 8];
}

__attribute__((target("sse4.2")))
static void one(int imm, uint8_t *x, uint8_t *y, int la, int lb, uint64_t *sum)
{
    __m128i a = _mm_loadu_si128((void *)x), b = _mm_loadu_si128((void *)y);
    int ri = 0, re = 0, fi = 0, fe = 0;
    __m128i rm = _mm_setzero_si128(), rem = _mm_setzero_si128();
    switch (imm) {
    case 0:
        ri = _mm_cmpistri(a, b, 0); rm = _mm_cmpistrm(a, b, 0);
        fi = _mm_cmpistrc(a, b, 0) | _mm_cmpistrz(a, b, 0) << 1 | _mm_cmpistrs(a, b, 0) << 2 | _mm_cmpistro(a, b, 0) << 3 | _mm_cmpistra(a, b, 0) << 4;
        re = _mm_cmpestri(a, la, b, lb, 0); rem = _mm_cmpestrm(a, la, b, lb, 0);
        fe = _mm_cmpestrc(a, la, b, lb, 0) | _mm_cmpestrz(a, la, b, lb, 0) << 1 | _mm_cmpestrs(a, la, b, lb, 0) << 2 | _mm_cmpestro(a, la, b, lb, 0) << 3 | _mm_cmpestra(a, la, b, lb, 0) << 4;
        break;
    case 1:
        ri = _mm_cmpistri(a, b, 1); rm = _mm_cmpistrm(a, b, 1);
        fi = _mm_cmpistrc(a, b, 1) | _mm_cmpistrz(a, b, 1) << 1 | _mm_cmpistrs(a, b, 1) << 2 | _mm_cmpistro(a, b, 1) << 3 | _mm_cmpistra(a, b, 1) << 4;
        re = _mm_cmpestri(a, la, b, lb, 1); rem = _mm_cmpestrm(a, la, b, lb, 1);
        fe = _mm_cmpestrc(a, la, b, lb, 1) | _mm_cmpestrz(a, la, b, lb, 1) << 1 | _mm_cmpestrs(a, la, b, lb, 1) << 2 | _mm_cmpestro(a, la, b, lb, 1) << 3 | _mm_cmpestra(a, la, b, lb, 1) << 4;
        break;
    case 2:
        ri = _mm_cmpistri(a, b, 2); rm = _mm_cmpistrm(a, b, 2);
        fi = _mm_cmpistrc(a, b, 2) | _mm_cmpistrz(a, b, 2) << 1 | _mm_cmpistrs(a, b, 2) << 2 | _mm_cmpistro(a, b, 2) << 3 | _mm_cmpistra(a, b, 2) << 4;
        re = _mm_cmpestri(a, la, b, lb, 2); rem = _mm_cmpestrm(a, la, b, lb, 2);
        fe = _mm_cmpestrc(a, la, b, lb, 2) | _mm_cmpestrz(a, la, b, lb, 2) << 1 | _mm_cmpestrs(a, la, b, lb, 2) << 2 | _mm_cmpestro(a, la, b, lb, 2) << 3 | _mm_cmpestra(a, la, b, lb, 2) << 4;
        break;
    case 3:
        ri = _mm_cmpistri(a, b, 3); rm = _mm_cmpistrm(a, b, 3);
        fi = _mm_cmpistrc(a, b, 3) | _mm_cmpistrz(a, b, 3) << 1 | _mm_cmpistrs(a, b, 3) << 2 | _mm_cmpistro(a, b, 3) << 3 | _mm_cmpistra(a, b, 3) << 4;
        re = _mm_cmpestri(a, la, b, lb, 3); rem = _mm_cmpestrm(a, la, b, lb, 3);
        fe = _mm_cmpestrc(a, la, b, lb, 3) | _mm_cmpestrz(a, la, b, lb, 3) << 1 | _mm_cmpestrs(a, la, b, lb, 3) << 2 | _mm_cmpestro(a, la, b, lb, 3) << 3 | _mm_cmpestra(a, la, b, lb, 3) << 4;
        break;
    case 4:
        ri = _mm_cmpistri(a, b, 4); rm = _mm_cmpistrm(a, b, 4);
        fi = _mm_cmpistrc(a, b, 4) | _mm_cmpistrz(a, b, 4) << 1 | _mm_cmpistrs(a, b, 4) << 2 | _mm_cmpistro(a, b, 4) << 3 | _mm_cmpistra(a, b, 4) << 4;
        re = _mm_cmpestri(a, la, b, lb, 4); rem = _mm_cmpestrm(a, la, b, lb, 4);
        fe = _mm_cmpestrc(a, la, b, lb, 4) | _mm_cmpestrz(a, la, b, lb, 4) << 1 | _mm_cmpestrs(a, la, b, lb, 4) << 2 | _mm_cmpestro(a, la, b, lb, 4) << 3 | _mm_cmpestra(a, la, b, lb, 4) << 4;
        break;
    case 5:
        ri = _mm_cmpistri(a, b, 5); rm = _mm_cmpistrm(a, b, 5);
        fi = _mm_cmpistrc(a, b, 5) | _mm_cmpistrz(a, b, 5) << 1 | _mm_cmpistrs(a, b, 5) << 2 | _mm_cmpistro(a, b, 5) << 3 | _mm_cmpistra(a, b, 5) << 4;
        re = _mm_cmpestri(a, la, b, lb, 5); rem = _mm_cmpestrm(a, la, b, lb, 5);
        fe = _mm_cmpestrc(a, la, b, lb, 5) | _mm_cmpestrz(a, la, b, lb, 5) << 1 | _mm_cmpestrs(a, la, b, lb, 5) << 2 | _mm_cmpestro(a, la, b, lb, 5) << 3 | _mm_cmpestra(a, la, b, lb, 5) << 4;
        break;
    case 6:
        ri = _mm_cmpistri(a, b, 6); rm = _mm_cmpistrm(a, b, 6);
        fi = _mm_cmpistrc(a, b, 6) | _mm_cmpistrz(a, b, 6) << 1 | _mm_cmpistrs(a, b, 6) << 2 | _mm_cmpistro(a, b, 6) << 3 | _mm_cmpistra(a, b, 6) << 4;
        re = _mm_cmpestri(a, la, b, lb, 6); rem = _mm_cmpestrm(a, la, b, lb, 6);
        fe = _mm_cmpestrc(a, la, b, lb, 6) | _mm_cmpestrz(a, la, b, lb, 6) << 1 | _mm_cmpestrs(a, la, b, lb, 6) << 2 | _mm_cmpestro(a, la, b, lb, 6) << 3 | _mm_cmpestra(a, la, b, lb, 6) << 4;
        break;
    case 7:
        ri = _mm_cmpistri(a, b, 7); rm = _mm_cmpistrm(a, b, 7);
        fi = _mm_cmpistrc(a, b, 7) | _mm_cmpistrz(a, b, 7) << 1 | _mm_cmpistrs(a, b, 7) << 2 | _mm_cmpistro(a, b, 7) << 3 | _mm_cmpistra(a, b, 7) << 4;
        re = _mm_cmpestri(a, la, b, lb, 7); rem = _mm_cmpestrm(a, la, b, lb, 7);
        fe = _mm_cmpestrc(a, la, b, lb, 7) | _mm_cmpestrz(a, la, b, lb, 7) << 1 | _mm_cmpestrs(a, la, b, lb, 7) << 2 | _mm_cmpestro(a, la, b, lb, 7) << 3 | _mm_cmpestra(a, la, b, lb, 7) << 4;
        break;
    case 8:
        ri = _mm_cmpistri(a, b, 8); rm = _mm_cmpistrm(a, b, 8);
        fi = _mm_cmpistrc(a, b, 8) | _mm_cmpistrz(a, b, 8) << 1 | _mm_cmpistrs(a, b, 8) << 2 | _mm_cmpistro(a, b, 8) << 3 | _mm_cmpistra(a, b, 8) << 4;
        re = _mm_cmpestri(a, la, b, lb, 8); rem = _mm_cmpestrm(a, la, b, lb, 8);
        fe = _mm_cmpestrc(a, la, b, lb, 8) | _mm_cmpestrz(a, la, b, lb, 8) << 1 | _mm_cmpestrs(a, la, b, lb, 8) << 2 | _mm_cmpestro(a, la, b, lb, 8) << 3 | _mm_cmpestra(a, la, b, lb, 8) << 4;
        break;
    case 9:
        ri = _mm_cmpistri(a, b, 9); rm = _mm_cmpistrm(a, b, 9);
        fi = _mm_cmpistrc(a, b, 9) | _mm_cmpistrz(a, b, 9) << 1 | _mm_cmpistrs(a, b, 9) << 2 | _mm_cmpistro(a, b, 9) << 3 | _mm_cmpistra(a, b, 9) << 4;
        re = _mm_cmpestri(a, la, b, lb, 9); rem = _mm_cmpestrm(a, la, b, lb, 9);
        fe = _mm_cmpestrc(a, la, b, lb, 9) | _mm_cmpestrz(a, la, b, lb, 9) << 1 | _mm_cmpestrs(a, la, b, lb, 9) << 2 | _mm_cmpestro(a, la, b, lb, 9) << 3 | _mm_cmpestra(a, la, b, lb, 9) << 4;
        break;
    case 10:
        ri = _mm_cmpistri(a, b, 10); rm = _mm_cmpistrm(a, b, 10);
        fi = _mm_cmpistrc(a, b, 10) | _mm_cmpistrz(a, b, 10) << 1 | _mm_cmpistrs(a, b, 10) << 2 | _mm_cmpistro(a, b, 10) << 3 | _mm_cmpistra(a, b, 10) << 4;
        re = _mm_cmpestri(a, la, b, lb, 10); rem = _mm_cmpestrm(a, la, b, lb, 10);
        fe = _mm_cmpestrc(a, la, b, lb, 10) | _mm_cmpestrz(a, la, b, lb, 10) << 1 | _mm_cmpestrs(a, la, b, lb, 10) << 2 | _mm_cmpestro(a, la, b, lb, 10) << 3 | _mm_cmpestra(a, la, b, lb, 10) << 4;
        break;
    case 11:
        ri = _mm_cmpistri(a, b, 11); rm = _mm_cmpistrm(a, b, 11);
        fi = _mm_cmpistrc(a, b, 11) | _mm_cmpistrz(a, b, 11) << 1 | _mm_cmpistrs(a, b, 11) << 2 | _mm_cmpistro(a, b, 11) << 3 | _mm_cmpistra(a, b, 11) << 4;
        re = _mm_cmpestri(a, la, b, lb, 11); rem = _mm_cmpestrm(a, la, b, lb, 11);
        fe = _mm_cmpestrc(a, la, b, lb, 11) | _mm_cmpestrz(a, la, b, lb, 11) << 1 | _mm_cmpestrs(a, la, b, lb, 11) << 2 | _mm_cmpestro(a, la, b, lb, 11) << 3 | _mm_cmpestra(a, la, b, lb, 11) << 4;
        break;
    case 12:
        ri = _mm_cmpistri(a, b, 12); rm = _mm_cmpistrm(a, b, 12);
        fi = _mm_cmpistrc(a, b, 12) | _mm_cmpistrz(a, b, 12) << 1 | _mm_cmpistrs(a, b, 12) << 2 | _mm_cmpistro(a, b, 12) << 3 | _mm_cmpistra(a, b, 12) << 4;
        re = _mm_cmpestri(a, la, b, lb, 12); rem = _mm_cmpestrm(a, la, b, lb, 12);
        fe = _mm_cmpestrc(a, la, b, lb, 12) | _mm_cmpestrz(a, la, b, lb, 12) << 1 | _mm_cmpestrs(a, la, b, lb, 12) << 2 | _mm_cmpestro(a, la, b, lb, 12) << 3 | _mm_cmpestra(a, la, b, lb, 12) << 4;
        break;
    case 13:
        ri = _mm_cmpistri(a, b, 13); rm = _mm_cmpistrm(a, b, 13);
        fi = _mm_cmpistrc(a, b, 13) | _mm_cmpistrz(a, b, 13) << 1 | _mm_cmpistrs(a, b, 13) << 2 | _mm_cmpistro(a, b, 13) << 3 | _mm_cmpistra(a, b, 13) << 4;
        re = _mm_cmpestri(a, la, b, lb, 13); rem = _mm_cmpestrm(a, la, b, lb, 13);
        fe = _mm_cmpestrc(a, la, b, lb, 13) | _mm_cmpestrz(a, la, b, lb, 13) << 1 | _mm_cmpestrs(a, la, b, lb, 13) << 2 | _mm_cmpestro(a, la, b, lb, 13) << 3 | _mm_cmpestra(a, la, b, lb, 13) << 4;
        break;
    case 14:
        ri = _mm_cmpistri(a, b, 14); rm = _mm_cmpistrm(a, b, 14);
        fi = _mm_cmpistrc(a, b, 14) | _mm_cmpistrz(a, b, 14) << 1 | _mm_cmpistrs(a, b, 14) << 2 | _mm_cmpistro(a, b, 14) << 3 | _mm_cmpistra(a, b, 14) << 4;
        re = _mm_cmpestri(a, la, b, lb, 14); rem = _mm_cmpestrm(a, la, b, lb, 14);
        fe = _mm_cmpestrc(a, la, b, lb, 14) | _mm_cmpestrz(a, la, b, lb, 14) << 1 | _mm_cmpestrs(a, la, b, lb, 14) << 2 | _mm_cmpestro(a, la, b, lb, 14) << 3 | _mm_cmpestra(a, la, b, lb, 14) << 4;
        break;
    case 15:
        ri = _mm_cmpistri(a, b, 15); rm = _mm_cmpistrm(a, b, 15);
        fi = _mm_cmpistrc(a, b, 15) | _mm_cmpistrz(a, b, 15) << 1 | _mm_cmpistrs(a, b, 15) << 2 | _mm_cmpistro(a, b, 15) << 3 | _mm_cmpistra(a, b, 15) << 4;
        re = _mm_cmpestri(a, la, b, lb, 15); rem = _mm_cmpestrm(a, la, b, lb, 15);
        fe = _mm_cmpestrc(a, la, b, lb, 15) | _mm_cmpestrz(a, la, b, lb, 15) << 1 | _mm_cmpestrs(a, la, b, lb, 15) << 2 | _mm_cmpestro(a, la, b, lb, 15) << 3 | _mm_cmpestra(a, la, b, lb, 15) << 4;
        break;
    case 16:
        ri = _mm_cmpistri(a, b, 16); rm = _mm_cmpistrm(a, b, 16);
        fi = _mm_cmpistrc(a, b, 16) | _mm_cmpistrz(a, b, 16) << 1 | _mm_cmpistrs(a, b, 16) << 2 | _mm_cmpistro(a, b, 16) << 3 | _mm_cmpistra(a, b, 16) << 4;
        re = _mm_cmpestri(a, la, b, lb, 16); rem = _mm_cmpestrm(a, la, b, lb, 16);
        fe = _mm_cmpestrc(a, la, b, lb, 16) | _mm_cmpestrz(a, la, b, lb, 16) << 1 | _mm_cmpestrs(a, la, b, lb, 16) << 2 | _mm_cmpestro(a, la, b, lb, 16) << 3 | _mm_cmpestra(a, la, b, lb, 16) << 4;
        break;
    case 17:
        ri = _mm_cmpistri(a, b, 17); rm = _mm_cmpistrm(a, b, 17);
        fi = _mm_cmpistrc(a, b, 17) | _mm_cmpistrz(a, b, 17) << 1 | _mm_cmpistrs(a, b, 17) << 2 | _mm_cmpistro(a, b, 17) << 3 | _mm_cmpistra(a, b, 17) << 4;
        re = _mm_cmpestri(a, la, b, lb, 17); rem = _mm_cmpestrm(a, la, b, lb, 17);
        fe = _mm_cmpestrc(a, la, b, lb, 17) | _mm_cmpestrz(a, la, b, lb, 17) << 1 | _mm_cmpestrs(a, la, b, lb, 17) << 2 | _mm_cmpestro(a, la, b, lb, 17) << 3 | _mm_cmpestra(a, la, b, lb, 17) << 4;
        break;
    case 18:
        ri = _mm_cmpistri(a, b, 18); rm = _mm_cmpistrm(a, b, 18);
        fi = _mm_cmpistrc(a, b, 18) | _mm_cmpistrz(a, b, 18) << 1 | _mm_cmpistrs(a, b, 18) << 2 | _mm_cmpistro(a, b, 18) << 3 | _mm_cmpistra(a, b, 18) << 4;
        re = _mm_cmpestri(a, la, b, lb, 18); rem = _mm_cmpestrm(a, la, b, lb, 18);
        fe = _mm_cmpestrc(a, la, b, lb, 18) | _mm_cmpestrz(a, la, b, lb, 18) << 1 | _mm_cmpestrs(a, la, b, lb, 18) << 2 | _mm_cmpestro(a, la, b, lb, 18) << 3 | _mm_cmpestra(a, la, b, lb, 18) << 4;
        break;
    case 19:
        ri = _mm_cmpistri(a, b, 19); rm = _mm_cmpistrm(a, b, 19);
        fi = _mm_cmpistrc(a, b, 19) | _mm_cmpistrz(a, b, 19) << 1 | _mm_cmpistrs(a, b, 19) << 2 | _mm_cmpistro(a, b, 19) << 3 | _mm_cmpistra(a, b, 19) << 4;
        re = _mm_cmpestri(a, la, b, lb, 19); rem = _mm_cmpestrm(a, la, b, lb, 19);
        fe = _mm_cmpestrc(a, la, b, lb, 19) | _mm_cmpestrz(a, la, b, lb, 19) << 1 | _mm_cmpestrs(a, la, b, lb, 19) << 2 | _mm_cmpestro(a, la, b, lb, 19) << 3 | _mm_cmpestra(a, la, b, lb, 19) << 4;
        break;
    case 20:
        ri = _mm_cmpistri(a, b, 20); rm = _mm_cmpistrm(a, b, 20);
        fi = _mm_cmpistrc(a, b, 20) | _mm_cmpistrz(a, b, 20) << 1 | _mm_cmpistrs(a, b, 20) << 2 | _mm_cmpistro(a, b, 20) << 3 | _mm_cmpistra(a, b, 20) << 4;
        re = _mm_cmpestri(a, la, b, lb, 20); rem = _mm_cmpestrm(a, la, b, lb, 20);
        fe = _mm_cmpestrc(a, la, b, lb, 20) | _mm_cmpestrz(a, la, b, lb, 20) << 1 | _mm_cmpestrs(a, la, b, lb, 20) << 2 | _mm_cmpestro(a, la, b, lb, 20) << 3 | _mm_cmpestra(a, la, b, lb, 20) << 4;
        break;
    case 21:
        ri = _mm_cmpistri(a, b, 21); rm = _mm_cmpistrm(a, b, 21);
        fi = _mm_cmpistrc(a, b, 21) | _mm_cmpistrz(a, b, 21) << 1 | _mm_cmpistrs(a, b, 21) << 2 | _mm_cmpistro(a, b, 21) << 3 | _mm_cmpistra(a, b, 21) << 4;
        re = _mm_cmpestri(a, la, b, lb, 21); rem = _mm_cmpestrm(a, la, b, lb, 21);
        fe = _mm_cmpestrc(a, la, b, lb, 21) | _mm_cmpestrz(a, la, b, lb, 21) << 1 | _mm_cmpestrs(a, la, b, lb, 21) << 2 | _mm_cmpestro(a, la, b, lb, 21) << 3 | _mm_cmpestra(a, la, b, lb, 21) << 4;
        break;
    case 22:
        ri = _mm_cmpistri(a, b, 22); rm = _mm_cmpistrm(a, b, 22);
        fi = _mm_cmpistrc(a, b, 22) | _mm_cmpistrz(a, b, 22) << 1 | _mm_cmpistrs(a, b, 22) << 2 | _mm_cmpistro(a, b, 22) << 3 | _mm_cmpistra(a, b, 22) << 4;
        re = _mm_cmpestri(a, la, b, lb, 22); rem = _mm_cmpestrm(a, la, b, lb, 22);
        fe = _mm_cmpestrc(a, la, b, lb, 22) | _mm_cmpestrz(a, la, b, lb, 22) << 1 | _mm_cmpestrs(a, la, b, lb, 22) << 2 | _mm_cmpestro(a, la, b, lb, 22) << 3 | _mm_cmpestra(a, la, b, lb, 22) << 4;
        break;
    case 23:
        ri = _mm_cmpistri(a, b, 23); rm = _mm_cmpistrm(a, b, 23);
        fi = _mm_cmpistrc(a, b, 23) | _mm_cmpistrz(a, b, 23) << 1 | _mm_cmpistrs(a, b, 23) << 2 | _mm_cmpistro(a, b, 23) << 3 | _mm_cmpistra(a, b, 23) << 4;
        re = _mm_cmpestri(a, la, b, lb, 23); rem = _mm_cmpestrm(a, la, b, lb, 23);
        fe = _mm_cmpestrc(a, la, b, lb, 23) | _mm_cmpestrz(a, la, b, lb, 23) << 1 | _mm_cmpestrs(a, la, b, lb, 23) << 2 | _mm_cmpestro(a, la, b, lb, 23) << 3 | _mm_cmpestra(a, la, b, lb, 23) << 4;
        break;
    case 24:
        ri = _mm_cmpistri(a, b, 24); rm = _mm_cmpistrm(a, b, 24);
        fi = _mm_cmpistrc(a, b, 24) | _mm_cmpistrz(a, b, 24) << 1 | _mm_cmpistrs(a, b, 24) << 2 | _mm_cmpistro(a, b, 24) << 3 | _mm_cmpistra(a, b, 24) << 4;
        re = _mm_cmpestri(a, la, b, lb, 24); rem = _mm_cmpestrm(a, la, b, lb, 24);
        fe = _mm_cmpestrc(a, la, b, lb, 24) | _mm_cmpestrz(a, la, b, lb, 24) << 1 | _mm_cmpestrs(a, la, b, lb, 24) << 2 | _mm_cmpestro(a, la, b, lb, 24) << 3 | _mm_cmpestra(a, la, b, lb, 24) << 4;
        break;
    case 25:
        ri = _mm_cmpistri(a, b, 25); rm = _mm_cmpistrm(a, b, 25);
        fi = _mm_cmpistrc(a, b, 25) | _mm_cmpistrz(a, b, 25) << 1 | _mm_cmpistrs(a, b, 25) << 2 | _mm_cmpistro(a, b, 25) << 3 | _mm_cmpistra(a, b, 25) << 4;
        re = _mm_cmpestri(a, la, b, lb, 25); rem = _mm_cmpestrm(a, la, b, lb, 25);
        fe = _mm_cmpestrc(a, la, b, lb, 25) | _mm_cmpestrz(a, la, b, lb, 25) << 1 | _mm_cmpestrs(a, la, b, lb, 25) << 2 | _mm_cmpestro(a, la, b, lb, 25) << 3 | _mm_cmpestra(a, la, b, lb, 25) << 4;
        break;
    case 26:
        ri = _mm_cmpistri(a, b, 26); rm = _mm_cmpistrm(a, b, 26);
        fi = _mm_cmpistrc(a, b, 26) | _mm_cmpistrz(a, b, 26) << 1 | _mm_cmpistrs(a, b, 26) << 2 | _mm_cmpistro(a, b, 26) << 3 | _mm_cmpistra(a, b, 26) << 4;
        re = _mm_cmpestri(a, la, b, lb, 26); rem = _mm_cmpestrm(a, la, b, lb, 26);
        fe = _mm_cmpestrc(a, la, b, lb, 26) | _mm_cmpestrz(a, la, b, lb, 26) << 1 | _mm_cmpestrs(a, la, b, lb, 26) << 2 | _mm_cmpestro(a, la, b, lb, 26) << 3 | _mm_cmpestra(a, la, b, lb, 26) << 4;
        break;
    case 27:
        ri = _mm_cmpistri(a, b, 27); rm = _mm_cmpistrm(a, b, 27);
        fi = _mm_cmpistrc(a, b, 27) | _mm_cmpistrz(a, b, 27) << 1 | _mm_cmpistrs(a, b, 27) << 2 | _mm_cmpistro(a, b, 27) << 3 | _mm_cmpistra(a, b, 27) << 4;
        re = _mm_cmpestri(a, la, b, lb, 27); rem = _mm_cmpestrm(a, la, b, lb, 27);
        fe = _mm_cmpestrc(a, la, b, lb, 27) | _mm_cmpestrz(a, la, b, lb, 27) << 1 | _mm_cmpestrs(a, la, b, lb, 27) << 2 | _mm_cmpestro(a, la, b, lb, 27) << 3 | _mm_cmpestra(a, la, b, lb, 27) << 4;
        break;
    case 28:
        ri = _mm_cmpistri(a, b, 28); rm = _mm_cmpistrm(a, b, 28);
        fi = _mm_cmpistrc(a, b, 28) | _mm_cmpistrz(a, b, 28) << 1 | _mm_cmpistrs(a, b, 28) << 2 | _mm_cmpistro(a, b, 28) << 3 | _mm_cmpistra(a, b, 28) << 4;
        re = _mm_cmpestri(a, la, b, lb, 28); rem = _mm_cmpestrm(a, la, b, lb, 28);
        fe = _mm_cmpestrc(a, la, b, lb, 28) | _mm_cmpestrz(a, la, b, lb, 28) << 1 | _mm_cmpestrs(a, la, b, lb, 28) << 2 | _mm_cmpestro(a, la, b, lb, 28) << 3 | _mm_cmpestra(a, la, b, lb, 28) << 4;
        break;
    case 29:
        ri = _mm_cmpistri(a, b, 29); rm = _mm_cmpistrm(a, b, 29);
        fi = _mm_cmpistrc(a, b, 29) | _mm_cmpistrz(a, b, 29) << 1 | _mm_cmpistrs(a, b, 29) << 2 | _mm_cmpistro(a, b, 29) << 3 | _mm_cmpistra(a, b, 29) << 4;
        re = _mm_cmpestri(a, la, b, lb, 29); rem = _mm_cmpestrm(a, la, b, lb, 29);
        fe = _mm_cmpestrc(a, la, b, lb, 29) | _mm_cmpestrz(a, la, b, lb, 29) << 1 | _mm_cmpestrs(a, la, b, lb, 29) << 2 | _mm_cmpestro(a, la, b, lb, 29) << 3 | _mm_cmpestra(a, la, b, lb, 29) << 4;
        break;
    case 30:
        ri = _mm_cmpistri(a, b, 30); rm = _mm_cmpistrm(a, b, 30);
        fi = _mm_cmpistrc(a, b, 30) | _mm_cmpistrz(a, b, 30) << 1 | _mm_cmpistrs(a, b, 30) << 2 | _mm_cmpistro(a, b, 30) << 3 | _mm_cmpistra(a, b, 30) << 4;
        re = _mm_cmpestri(a, la, b, lb, 30); rem = _mm_cmpestrm(a, la, b, lb, 30);
        fe = _mm_cmpestrc(a, la, b, lb, 30) | _mm_cmpestrz(a, la, b, lb, 30) << 1 | _mm_cmpestrs(a, la, b, lb, 30) << 2 | _mm_cmpestro(a, la, b, lb, 30) << 3 | _mm_cmpestra(a, la, b, lb, 30) << 4;
        break;
    case 31:
        ri = _mm_cmpistri(a, b, 31); rm = _mm_cmpistrm(a, b, 31);
        fi = _mm_cmpistrc(a, b, 31) | _mm_cmpistrz(a, b, 31) << 1 | _mm_cmpistrs(a, b, 31) << 2 | _mm_cmpistro(a, b, 31) << 3 | _mm_cmpistra(a, b, 31) << 4;
        re = _mm_cmpestri(a, la, b, lb, 31); rem = _mm_cmpestrm(a, la, b, lb, 31);
        fe = _mm_cmpestrc(a, la, b, lb, 31) | _mm_cmpestrz(a, la, b, lb, 31) << 1 | _mm_cmpestrs(a, la, b, lb, 31) << 2 | _mm_cmpestro(a, la, b, lb, 31) << 3 | _mm_cmpestra(a, la, b, lb, 31) << 4;
        break;
    case 32:
        ri = _mm_cmpistri(a, b, 32); rm = _mm_cmpistrm(a, b, 32);
        fi = _mm_cmpistrc(a, b, 32) | _mm_cmpistrz(a, b, 32) << 1 | _mm_cmpistrs(a, b, 32) << 2 | _mm_cmpistro(a, b, 32) << 3 | _mm_cmpistra(a, b, 32) << 4;
        re = _mm_cmpestri(a, la, b, lb, 32); rem = _mm_cmpestrm(a, la, b, lb, 32);
        fe = _mm_cmpestrc(a, la, b, lb, 32) | _mm_cmpestrz(a, la, b, lb, 32) << 1 | _mm_cmpestrs(a, la, b, lb, 32) << 2 | _mm_cmpestro(a, la, b, lb, 32) << 3 | _mm_cmpestra(a, la, b, lb, 32) << 4;
        break;
    case 33:
        ri = _mm_cmpistri(a, b, 33); rm = _mm_cmpistrm(a, b, 33);
        fi = _mm_cmpistrc(a, b, 33) | _mm_cmpistrz(a, b, 33) << 1 | _mm_cmpistrs(a, b, 33) << 2 | _mm_cmpistro(a, b, 33) << 3 | _mm_cmpistra(a, b, 33) << 4;
        re = _mm_cmpestri(a, la, b, lb, 33); rem = _mm_cmpestrm(a, la, b, lb, 33);
        fe = _mm_cmpestrc(a, la, b, lb, 33) | _mm_cmpestrz(a, la, b, lb, 33) << 1 | _mm_cmpestrs(a, la, b, lb, 33) << 2 | _mm_cmpestro(a, la, b, lb, 33) << 3 | _mm_cmpestra(a, la, b, lb, 33) << 4;
        break;
    case 34:
        ri = _mm_cmpistri(a, b, 34); rm = _mm_cmpistrm(a, b, 34);
        fi = _mm_cmpistrc(a, b, 34) | _mm_cmpistrz(a, b, 34) << 1 | _mm_cmpistrs(a, b, 34) << 2 | _mm_cmpistro(a, b, 34) << 3 | _mm_cmpistra(a, b, 34) << 4;
        re = _mm_cmpestri(a, la, b, lb, 34); rem = _mm_cmpestrm(a, la, b, lb, 34);
        fe = _mm_cmpestrc(a, la, b, lb, 34) | _mm_cmpestrz(a, la, b, lb, 34) << 1 | _mm_cmpestrs(a, la, b, lb, 34) << 2 | _mm_cmpestro(a, la, b, lb, 34) << 3 | _mm_cmpestra(a, la, b, lb, 34) << 4;
        break;
    case 35:
        ri = _mm_cmpistri(a, b, 35); rm = _mm_cmpistrm(a, b, 35);
        fi = _mm_cmpistrc(a, b, 35) | _mm_cmpistrz(a, b, 35) << 1 | _mm_cmpistrs(a, b, 35) << 2 | _mm_cmpistro(a, b, 35) << 3 | _mm_cmpistra(a, b, 35) << 4;
        re = _mm_cmpestri(a, la, b, lb, 35); rem = _mm_cmpestrm(a, la, b, lb, 35);
        fe = _mm_cmpestrc(a, la, b, lb, 35) | _mm_cmpestrz(a, la, b, lb, 35) << 1 | _mm_cmpestrs(a, la, b, lb, 35) << 2 | _mm_cmpestro(a, la, b, lb, 35) << 3 | _mm_cmpestra(a, la, b, lb, 35) << 4;
        break;
    case 36:
        ri = _mm_cmpistri(a, b, 36); rm = _mm_cmpistrm(a, b, 36);
        fi = _mm_cmpistrc(a, b, 36) | _mm_cmpistrz(a, b, 36) << 1 | _mm_cmpistrs(a, b, 36) << 2 | _mm_cmpistro(a, b, 36) << 3 | _mm_cmpistra(a, b, 36) << 4;
        re = _mm_cmpestri(a, la, b, lb, 36); rem = _mm_cmpestrm(a, la, b, lb, 36);
        fe = _mm_cmpestrc(a, la, b, lb, 36) | _mm_cmpestrz(a, la, b, lb, 36) << 1 | _mm_cmpestrs(a, la, b, lb, 36) << 2 | _mm_cmpestro(a, la, b, lb, 36) << 3 | _mm_cmpestra(a, la, b, lb, 36) << 4;
        break;
    case 37:
        ri = _mm_cmpistri(a, b, 37); rm = _mm_cmpistrm(a, b, 37);
        fi = _mm_cmpistrc(a, b, 37) | _mm_cmpistrz(a, b, 37) << 1 | _mm_cmpistrs(a, b, 37) << 2 | _mm_cmpistro(a, b, 37) << 3 | _mm_cmpistra(a, b, 37) << 4;
        re = _mm_cmpestri(a, la, b, lb, 37); rem = _mm_cmpestrm(a, la, b, lb, 37);
        fe = _mm_cmpestrc(a, la, b, lb, 37) | _mm_cmpestrz(a, la, b, lb, 37) << 1 | _mm_cmpestrs(a, la, b, lb, 37) << 2 | _mm_cmpestro(a, la, b, lb, 37) << 3 | _mm_cmpestra(a, la, b, lb, 37) << 4;
        break;
    case 38:
        ri = _mm_cmpistri(a, b, 38); rm = _mm_cmpistrm(a, b, 38);
        fi = _mm_cmpistrc(a, b, 38) | _mm_cmpistrz(a, b, 38) << 1 | _mm_cmpistrs(a, b, 38) << 2 | _mm_cmpistro(a, b, 38) << 3 | _mm_cmpistra(a, b, 38) << 4;
        re = _mm_cmpestri(a, la, b, lb, 38); rem = _mm_cmpestrm(a, la, b, lb, 38);
        fe = _mm_cmpestrc(a, la, b, lb, 38) | _mm_cmpestrz(a, la, b, lb, 38) << 1 | _mm_cmpestrs(a, la, b, lb, 38) << 2 | _mm_cmpestro(a, la, b, lb, 38) << 3 | _mm_cmpestra(a, la, b, lb, 38) << 4;
        break;
    case 39:
        ri = _mm_cmpistri(a, b, 39); rm = _mm_cmpistrm(a, b, 39);
        fi = _mm_cmpistrc(a, b, 39) | _mm_cmpistrz(a, b, 39) << 1 | _mm_cmpistrs(a, b, 39) << 2 | _mm_cmpistro(a, b, 39) << 3 | _mm_cmpistra(a, b, 39) << 4;
        re = _mm_cmpestri(a, la, b, lb, 39); rem = _mm_cmpestrm(a, la, b, lb, 39);
        fe = _mm_cmpestrc(a, la, b, lb, 39) | _mm_cmpestrz(a, la, b, lb, 39) << 1 | _mm_cmpestrs(a, la, b, lb, 39) << 2 | _mm_cmpestro(a, la, b, lb, 39) << 3 | _mm_cmpestra(a, la, b, lb, 39) << 4;
        break;
    case 40:
        ri = _mm_cmpistri(a, b, 40); rm = _mm_cmpistrm(a, b, 40);
        fi = _mm_cmpistrc(a, b, 40) | _mm_cmpistrz(a, b, 40) << 1 | _mm_cmpistrs(a, b, 40) << 2 | _mm_cmpistro(a, b, 40) << 3 | _mm_cmpistra(a, b, 40) << 4;
        re = _mm_cmpestri(a, la, b, lb, 40); rem = _mm_cmpestrm(a, la, b, lb, 40);
        fe = _mm_cmpestrc(a, la, b, lb, 40) | _mm_cmpestrz(a, la, b, lb, 40) << 1 | _mm_cmpestrs(a, la, b, lb, 40) << 2 | _mm_cmpestro(a, la, b, lb, 40) << 3 | _mm_cmpestra(a, la, b, lb, 40) << 4;
        break;
    case 41:
        ri = _mm_cmpistri(a, b, 41); rm = _mm_cmpistrm(a, b, 41);
        fi = _mm_cmpistrc(a, b, 41) | _mm_cmpistrz(a, b, 41) << 1 | _mm_cmpistrs(a, b, 41) << 2 | _mm_cmpistro(a, b, 41) << 3 | _mm_cmpistra(a, b, 41) << 4;
        re = _mm_cmpestri(a, la, b, lb, 41); rem = _mm_cmpestrm(a, la, b, lb, 41);
        fe = _mm_cmpestrc(a, la, b, lb, 41) | _mm_cmpestrz(a, la, b, lb, 41) << 1 | _mm_cmpestrs(a, la, b, lb, 41) << 2 | _mm_cmpestro(a, la, b, lb, 41) << 3 | _mm_cmpestra(a, la, b, lb, 41) << 4;
        break;
    case 42:
        ri = _mm_cmpistri(a, b, 42); rm = _mm_cmpistrm(a, b, 42);
        fi = _mm_cmpistrc(a, b, 42) | _mm_cmpistrz(a, b, 42) << 1 | _mm_cmpistrs(a, b, 42) << 2 | _mm_cmpistro(a, b, 42) << 3 | _mm_cmpistra(a, b, 42) << 4;
        re = _mm_cmpestri(a, la, b, lb, 42); rem = _mm_cmpestrm(a, la, b, lb, 42);
        fe = _mm_cmpestrc(a, la, b, lb, 42) | _mm_cmpestrz(a, la, b, lb, 42) << 1 | _mm_cmpestrs(a, la, b, lb, 42) << 2 | _mm_cmpestro(a, la, b, lb, 42) << 3 | _mm_cmpestra(a, la, b, lb, 42) << 4;
        break;
    case 43:
        ri = _mm_cmpistri(a, b, 43); rm = _mm_cmpistrm(a, b, 43);
        fi = _mm_cmpistrc(a, b, 43) | _mm_cmpistrz(a, b, 43) << 1 | _mm_cmpistrs(a, b, 43) << 2 | _mm_cmpistro(a, b, 43) << 3 | _mm_cmpistra(a, b, 43) << 4;
        re = _mm_cmpestri(a, la, b, lb, 43); rem = _mm_cmpestrm(a, la, b, lb, 43);
        fe = _mm_cmpestrc(a, la, b, lb, 43) | _mm_cmpestrz(a, la, b, lb, 43) << 1 | _mm_cmpestrs(a, la, b, lb, 43) << 2 | _mm_cmpestro(a, la, b, lb, 43) << 3 | _mm_cmpestra(a, la, b, lb, 43) << 4;
        break;
    case 44:
        ri = _mm_cmpistri(a, b, 44); rm = _mm_cmpistrm(a, b, 44);
        fi = _mm_cmpistrc(a, b, 44) | _mm_cmpistrz(a, b, 44) << 1 | _mm_cmpistrs(a, b, 44) << 2 | _mm_cmpistro(a, b, 44) << 3 | _mm_cmpistra(a, b, 44) << 4;
        re = _mm_cmpestri(a, la, b, lb, 44); rem = _mm_cmpestrm(a, la, b, lb, 44);
        fe = _mm_cmpestrc(a, la, b, lb, 44) | _mm_cmpestrz(a, la, b, lb, 44) << 1 | _mm_cmpestrs(a, la, b, lb, 44) << 2 | _mm_cmpestro(a, la, b, lb, 44) << 3 | _mm_cmpestra(a, la, b, lb, 44) << 4;
        break;
    case 45:
        ri = _mm_cmpistri(a, b, 45); rm = _mm_cmpistrm(a, b, 45);
        fi = _mm_cmpistrc(a, b, 45) | _mm_cmpistrz(a, b, 45) << 1 | _mm_cmpistrs(a, b, 45) << 2 | _mm_cmpistro(a, b, 45) << 3 | _mm_cmpistra(a, b, 45) << 4;
        re = _mm_cmpestri(a, la, b, lb, 45); rem = _mm_cmpestrm(a, la, b, lb, 45);
        fe = _mm_cmpestrc(a, la, b, lb, 45) | _mm_cmpestrz(a, la, b, lb, 45) << 1 | _mm_cmpestrs(a, la, b, lb, 45) << 2 | _mm_cmpestro(a, la, b, lb, 45) << 3 | _mm_cmpestra(a, la, b, lb, 45) << 4;
        break;
    case 46:
        ri = _mm_cmpistri(a, b, 46); rm = _mm_cmpistrm(a, b, 46);
        fi = _mm_cmpistrc(a, b, 46) | _mm_cmpistrz(a, b, 46) << 1 | _mm_cmpistrs(a, b, 46) << 2 | _mm_cmpistro(a, b, 46) << 3 | _mm_cmpistra(a, b, 46) << 4;
        re = _mm_cmpestri(a, la, b, lb, 46); rem = _mm_cmpestrm(a, la, b, lb, 46);
        fe = _mm_cmpestrc(a, la, b, lb, 46) | _mm_cmpestrz(a, la, b, lb, 46) << 1 | _mm_cmpestrs(a, la, b, lb, 46) << 2 | _mm_cmpestro(a, la, b, lb, 46) << 3 | _mm_cmpestra(a, la, b, lb, 46) << 4;
        break;
    case 47:
        ri = _mm_cmpistri(a, b, 47); rm = _mm_cmpistrm(a, b, 47);
        fi = _mm_cmpistrc(a, b, 47) | _mm_cmpistrz(a, b, 47) << 1 | _mm_cmpistrs(a, b, 47) << 2 | _mm_cmpistro(a, b, 47) << 3 | _mm_cmpistra(a, b, 47) << 4;
        re = _mm_cmpestri(a, la, b, lb, 47); rem = _mm_cmpestrm(a, la, b, lb, 47);
        fe = _mm_cmpestrc(a, la, b, lb, 47) | _mm_cmpestrz(a, la, b, lb, 47) << 1 | _mm_cmpestrs(a, la, b, lb, 47) << 2 | _mm_cmpestro(a, la, b, lb, 47) << 3 | _mm_cmpestra(a, la, b, lb, 47) << 4;
        break;
    case 48:
        ri = _mm_cmpistri(a, b, 48); rm = _mm_cmpistrm(a, b, 48);
        fi = _mm_cmpistrc(a, b, 48) | _mm_cmpistrz(a, b, 48) << 1 | _mm_cmpistrs(a, b, 48) << 2 | _mm_cmpistro(a, b, 48) << 3 | _mm_cmpistra(a, b, 48) << 4;
        re = _mm_cmpestri(a, la, b, lb, 48); rem = _mm_cmpestrm(a, la, b, lb, 48);
        fe = _mm_cmpestrc(a, la, b, lb, 48) | _mm_cmpestrz(a, la, b, lb, 48) << 1 | _mm_cmpestrs(a, la, b, lb, 48) << 2 | _mm_cmpestro(a, la, b, lb, 48) << 3 | _mm_cmpestra(a, la, b, lb, 48) << 4;
        break;
    case 49:
        ri = _mm_cmpistri(a, b, 49); rm = _mm_cmpistrm(a, b, 49);
        fi = _mm_cmpistrc(a, b, 49) | _mm_cmpistrz(a, b, 49) << 1 | _mm_cmpistrs(a, b, 49) << 2 | _mm_cmpistro(a, b, 49) << 3 | _mm_cmpistra(a, b, 49) << 4;
        re = _mm_cmpestri(a, la, b, lb, 49); rem = _mm_cmpestrm(a, la, b, lb, 49);
        fe = _mm_cmpestrc(a, la, b, lb, 49) | _mm_cmpestrz(a, la, b, lb, 49) << 1 | _mm_cmpestrs(a, la, b, lb, 49) << 2 | _mm_cmpestro(a, la, b, lb, 49) << 3 | _mm_cmpestra(a, la, b, lb, 49) << 4;
        break;
    case 50:
        ri = _mm_cmpistri(a, b, 50); rm = _mm_cmpistrm(a, b, 50);
        fi = _mm_cmpistrc(a, b, 50) | _mm_cmpistrz(a, b, 50) << 1 | _mm_cmpistrs(a, b, 50) << 2 | _mm_cmpistro(a, b, 50) << 3 | _mm_cmpistra(a, b, 50) << 4;
        re = _mm_cmpestri(a, la, b, lb, 50); rem = _mm_cmpestrm(a, la, b, lb, 50);
        fe = _mm_cmpestrc(a, la, b, lb, 50) | _mm_cmpestrz(a, la, b, lb, 50) << 1 | _mm_cmpestrs(a, la, b, lb, 50) << 2 | _mm_cmpestro(a, la, b, lb, 50) << 3 | _mm_cmpestra(a, la, b, lb, 50) << 4;
        break;
    case 51:
        ri = _mm_cmpistri(a, b, 51); rm = _mm_cmpistrm(a, b, 51);
        fi = _mm_cmpistrc(a, b, 51) | _mm_cmpistrz(a, b, 51) << 1 | _mm_cmpistrs(a, b, 51) << 2 | _mm_cmpistro(a, b, 51) << 3 | _mm_cmpistra(a, b, 51) << 4;
        re = _mm_cmpestri(a, la, b, lb, 51); rem = _mm_cmpestrm(a, la, b, lb, 51);
        fe = _mm_cmpestrc(a, la, b, lb, 51) | _mm_cmpestrz(a, la, b, lb, 51) << 1 | _mm_cmpestrs(a, la, b, lb, 51) << 2 | _mm_cmpestro(a, la, b, lb, 51) << 3 | _mm_cmpestra(a, la, b, lb, 51) << 4;
        break;
    case 52:
        ri = _mm_cmpistri(a, b, 52); rm = _mm_cmpistrm(a, b, 52);
        fi = _mm_cmpistrc(a, b, 52) | _mm_cmpistrz(a, b, 52) << 1 | _mm_cmpistrs(a, b, 52) << 2 | _mm_cmpistro(a, b, 52) << 3 | _mm_cmpistra(a, b, 52) << 4;
        re = _mm_cmpestri(a, la, b, lb, 52); rem = _mm_cmpestrm(a, la, b, lb, 52);
        fe = _mm_cmpestrc(a, la, b, lb, 52) | _mm_cmpestrz(a, la, b, lb, 52) << 1 | _mm_cmpestrs(a, la, b, lb, 52) << 2 | _mm_cmpestro(a, la, b, lb, 52) << 3 | _mm_cmpestra(a, la, b, lb, 52) << 4;
        break;
    case 53:
        ri = _mm_cmpistri(a, b, 53); rm = _mm_cmpistrm(a, b, 53);
        fi = _mm_cmpistrc(a, b, 53) | _mm_cmpistrz(a, b, 53) << 1 | _mm_cmpistrs(a, b, 53) << 2 | _mm_cmpistro(a, b, 53) << 3 | _mm_cmpistra(a, b, 53) << 4;
        re = _mm_cmpestri(a, la, b, lb, 53); rem = _mm_cmpestrm(a, la, b, lb, 53);
        fe = _mm_cmpestrc(a, la, b, lb, 53) | _mm_cmpestrz(a, la, b, lb, 53) << 1 | _mm_cmpestrs(a, la, b, lb, 53) << 2 | _mm_cmpestro(a, la, b, lb, 53) << 3 | _mm_cmpestra(a, la, b, lb, 53) << 4;
        break;
    case 54:
        ri = _mm_cmpistri(a, b, 54); rm = _mm_cmpistrm(a, b, 54);
        fi = _mm_cmpistrc(a, b, 54) | _mm_cmpistrz(a, b, 54) << 1 | _mm_cmpistrs(a, b, 54) << 2 | _mm_cmpistro(a, b, 54) << 3 | _mm_cmpistra(a, b, 54) << 4;
        re = _mm_cmpestri(a, la, b, lb, 54); rem = _mm_cmpestrm(a, la, b, lb, 54);
        fe = _mm_cmpestrc(a, la, b, lb, 54) | _mm_cmpestrz(a, la, b, lb, 54) << 1 | _mm_cmpestrs(a, la, b, lb, 54) << 2 | _mm_cmpestro(a, la, b, lb, 54) << 3 | _mm_cmpestra(a, la, b, lb, 54) << 4;
        break;
    case 55:
        ri = _mm_cmpistri(a, b, 55); rm = _mm_cmpistrm(a, b, 55);
        fi = _mm_cmpistrc(a, b, 55) | _mm_cmpistrz(a, b, 55) << 1 | _mm_cmpistrs(a, b, 55) << 2 | _mm_cmpistro(a, b, 55) << 3 | _mm_cmpistra(a, b, 55) << 4;
        re = _mm_cmpestri(a, la, b, lb, 55); rem = _mm_cmpestrm(a, la, b, lb, 55);
        fe = _mm_cmpestrc(a, la, b, lb, 55) | _mm_cmpestrz(a, la, b, lb, 55) << 1 | _mm_cmpestrs(a, la, b, lb, 55) << 2 | _mm_cmpestro(a, la, b, lb, 55) << 3 | _mm_cmpestra(a, la, b, lb, 55) << 4;
        break;
    case 56:
        ri = _mm_cmpistri(a, b, 56); rm = _mm_cmpistrm(a, b, 56);
        fi = _mm_cmpistrc(a, b, 56) | _mm_cmpistrz(a, b, 56) << 1 | _mm_cmpistrs(a, b, 56) << 2 | _mm_cmpistro(a, b, 56) << 3 | _mm_cmpistra(a, b, 56) << 4;
        re = _mm_cmpestri(a, la, b, lb, 56); rem = _mm_cmpestrm(a, la, b, lb, 56);
        fe = _mm_cmpestrc(a, la, b, lb, 56) | _mm_cmpestrz(a, la, b, lb, 56) << 1 | _mm_cmpestrs(a, la, b, lb, 56) << 2 | _mm_cmpestro(a, la, b, lb, 56) << 3 | _mm_cmpestra(a, la, b, lb, 56) << 4;
        break;
    case 57:
        ri = _mm_cmpistri(a, b, 57); rm = _mm_cmpistrm(a, b, 57);
        fi = _mm_cmpistrc(a, b, 57) | _mm_cmpistrz(a, b, 57) << 1 | _mm_cmpistrs(a, b, 57) << 2 | _mm_cmpistro(a, b, 57) << 3 | _mm_cmpistra(a, b, 57) << 4;
        re = _mm_cmpestri(a, la, b, lb, 57); rem = _mm_cmpestrm(a, la, b, lb, 57);
        fe = _mm_cmpestrc(a, la, b, lb, 57) | _mm_cmpestrz(a, la, b, lb, 57) << 1 | _mm_cmpestrs(a, la, b, lb, 57) << 2 | _mm_cmpestro(a, la, b, lb, 57) << 3 | _mm_cmpestra(a, la, b, lb, 57) << 4;
        break;
    case 58:
        ri = _mm_cmpistri(a, b, 58); rm = _mm_cmpistrm(a, b, 58);
        fi = _mm_cmpistrc(a, b, 58) | _mm_cmpistrz(a, b, 58) << 1 | _mm_cmpistrs(a, b, 58) << 2 | _mm_cmpistro(a, b, 58) << 3 | _mm_cmpistra(a, b, 58) << 4;
        re = _mm_cmpestri(a, la, b, lb, 58); rem = _mm_cmpestrm(a, la, b, lb, 58);
        fe = _mm_cmpestrc(a, la, b, lb, 58) | _mm_cmpestrz(a, la, b, lb, 58) << 1 | _mm_cmpestrs(a, la, b, lb, 58) << 2 | _mm_cmpestro(a, la, b, lb, 58) << 3 | _mm_cmpestra(a, la, b, lb, 58) << 4;
        break;
    case 59:
        ri = _mm_cmpistri(a, b, 59); rm = _mm_cmpistrm(a, b, 59);
        fi = _mm_cmpistrc(a, b, 59) | _mm_cmpistrz(a, b, 59) << 1 | _mm_cmpistrs(a, b, 59) << 2 | _mm_cmpistro(a, b, 59) << 3 | _mm_cmpistra(a, b, 59) << 4;
        re = _mm_cmpestri(a, la, b, lb, 59); rem = _mm_cmpestrm(a, la, b, lb, 59);
        fe = _mm_cmpestrc(a, la, b, lb, 59) | _mm_cmpestrz(a, la, b, lb, 59) << 1 | _mm_cmpestrs(a, la, b, lb, 59) << 2 | _mm_cmpestro(a, la, b, lb, 59) << 3 | _mm_cmpestra(a, la, b, lb, 59) << 4;
        break;
    case 60:
        ri = _mm_cmpistri(a, b, 60); rm = _mm_cmpistrm(a, b, 60);
        fi = _mm_cmpistrc(a, b, 60) | _mm_cmpistrz(a, b, 60) << 1 | _mm_cmpistrs(a, b, 60) << 2 | _mm_cmpistro(a, b, 60) << 3 | _mm_cmpistra(a, b, 60) << 4;
        re = _mm_cmpestri(a, la, b, lb, 60); rem = _mm_cmpestrm(a, la, b, lb, 60);
        fe = _mm_cmpestrc(a, la, b, lb, 60) | _mm_cmpestrz(a, la, b, lb, 60) << 1 | _mm_cmpestrs(a, la, b, lb, 60) << 2 | _mm_cmpestro(a, la, b, lb, 60) << 3 | _mm_cmpestra(a, la, b, lb, 60) << 4;
        break;
    case 61:
        ri = _mm_cmpistri(a, b, 61); rm = _mm_cmpistrm(a, b, 61);
        fi = _mm_cmpistrc(a, b, 61) | _mm_cmpistrz(a, b, 61) << 1 | _mm_cmpistrs(a, b, 61) << 2 | _mm_cmpistro(a, b, 61) << 3 | _mm_cmpistra(a, b, 61) << 4;
        re = _mm_cmpestri(a, la, b, lb, 61); rem = _mm_cmpestrm(a, la, b, lb, 61);
        fe = _mm_cmpestrc(a, la, b, lb, 61) | _mm_cmpestrz(a, la, b, lb, 61) << 1 | _mm_cmpestrs(a, la, b, lb, 61) << 2 | _mm_cmpestro(a, la, b, lb, 61) << 3 | _mm_cmpestra(a, la, b, lb, 61) << 4;
        break;
    case 62:
        ri = _mm_cmpistri(a, b, 62); rm = _mm_cmpistrm(a, b, 62);
        fi = _mm_cmpistrc(a, b, 62) | _mm_cmpistrz(a, b, 62) << 1 | _mm_cmpistrs(a, b, 62) << 2 | _mm_cmpistro(a, b, 62) << 3 | _mm_cmpistra(a, b, 62) << 4;
        re = _mm_cmpestri(a, la, b, lb, 62); rem = _mm_cmpestrm(a, la, b, lb, 62);
        fe = _mm_cmpestrc(a, la, b, lb, 62) | _mm_cmpestrz(a, la, b, lb, 62) << 1 | _mm_cmpestrs(a, la, b, lb, 62) << 2 | _mm_cmpestro(a, la, b, lb, 62) << 3 | _mm_cmpestra(a, la, b, lb, 62) << 4;
        break;
    case 63:
        ri = _mm_cmpistri(a, b, 63); rm = _mm_cmpistrm(a, b, 63);
        fi = _mm_cmpistrc(a, b, 63) | _mm_cmpistrz(a, b, 63) << 1 | _mm_cmpistrs(a, b, 63) << 2 | _mm_cmpistro(a, b, 63) << 3 | _mm_cmpistra(a, b, 63) << 4;
        re = _mm_cmpestri(a, la, b, lb, 63); rem = _mm_cmpestrm(a, la, b, lb, 63);
        fe = _mm_cmpestrc(a, la, b, lb, 63) | _mm_cmpestrz(a, la, b, lb, 63) << 1 | _mm_cmpestrs(a, la, b, lb, 63) << 2 | _mm_cmpestro(a, la, b, lb, 63) << 3 | _mm_cmpestra(a, la, b, lb, 63) << 4;
        break;
    case 64:
        ri = _mm_cmpistri(a, b, 64); rm = _mm_cmpistrm(a, b, 64);
        fi = _mm_cmpistrc(a, b, 64) | _mm_cmpistrz(a, b, 64) << 1 | _mm_cmpistrs(a, b, 64) << 2 | _mm_cmpistro(a, b, 64) << 3 | _mm_cmpistra(a, b, 64) << 4;
        re = _mm_cmpestri(a, la, b, lb, 64); rem = _mm_cmpestrm(a, la, b, lb, 64);
        fe = _mm_cmpestrc(a, la, b, lb, 64) | _mm_cmpestrz(a, la, b, lb, 64) << 1 | _mm_cmpestrs(a, la, b, lb, 64) << 2 | _mm_cmpestro(a, la, b, lb, 64) << 3 | _mm_cmpestra(a, la, b, lb, 64) << 4;
        break;
    case 65:
        ri = _mm_cmpistri(a, b, 65); rm = _mm_cmpistrm(a, b, 65);
        fi = _mm_cmpistrc(a, b, 65) | _mm_cmpistrz(a, b, 65) << 1 | _mm_cmpistrs(a, b, 65) << 2 | _mm_cmpistro(a, b, 65) << 3 | _mm_cmpistra(a, b, 65) << 4;
        re = _mm_cmpestri(a, la, b, lb, 65); rem = _mm_cmpestrm(a, la, b, lb, 65);
        fe = _mm_cmpestrc(a, la, b, lb, 65) | _mm_cmpestrz(a, la, b, lb, 65) << 1 | _mm_cmpestrs(a, la, b, lb, 65) << 2 | _mm_cmpestro(a, la, b, lb, 65) << 3 | _mm_cmpestra(a, la, b, lb, 65) << 4;
        break;
    case 66:
        ri = _mm_cmpistri(a, b, 66); rm = _mm_cmpistrm(a, b, 66);
        fi = _mm_cmpistrc(a, b, 66) | _mm_cmpistrz(a, b, 66) << 1 | _mm_cmpistrs(a, b, 66) << 2 | _mm_cmpistro(a, b, 66) << 3 | _mm_cmpistra(a, b, 66) << 4;
        re = _mm_cmpestri(a, la, b, lb, 66); rem = _mm_cmpestrm(a, la, b, lb, 66);
        fe = _mm_cmpestrc(a, la, b, lb, 66) | _mm_cmpestrz(a, la, b, lb, 66) << 1 | _mm_cmpestrs(a, la, b, lb, 66) << 2 | _mm_cmpestro(a, la, b, lb, 66) << 3 | _mm_cmpestra(a, la, b, lb, 66) << 4;
        break;
    case 67:
        ri = _mm_cmpistri(a, b, 67); rm = _mm_cmpistrm(a, b, 67);
        fi = _mm_cmpistrc(a, b, 67) | _mm_cmpistrz(a, b, 67) << 1 | _mm_cmpistrs(a, b, 67) << 2 | _mm_cmpistro(a, b, 67) << 3 | _mm_cmpistra(a, b, 67) << 4;
        re = _mm_cmpestri(a, la, b, lb, 67); rem = _mm_cmpestrm(a, la, b, lb, 67);
        fe = _mm_cmpestrc(a, la, b, lb, 67) | _mm_cmpestrz(a, la, b, lb, 67) << 1 | _mm_cmpestrs(a, la, b, lb, 67) << 2 | _mm_cmpestro(a, la, b, lb, 67) << 3 | _mm_cmpestra(a, la, b, lb, 67) << 4;
        break;
    case 68:
        ri = _mm_cmpistri(a, b, 68); rm = _mm_cmpistrm(a, b, 68);
        fi = _mm_cmpistrc(a, b, 68) | _mm_cmpistrz(a, b, 68) << 1 | _mm_cmpistrs(a, b, 68) << 2 | _mm_cmpistro(a, b, 68) << 3 | _mm_cmpistra(a, b, 68) << 4;
        re = _mm_cmpestri(a, la, b, lb, 68); rem = _mm_cmpestrm(a, la, b, lb, 68);
        fe = _mm_cmpestrc(a, la, b, lb, 68) | _mm_cmpestrz(a, la, b, lb, 68) << 1 | _mm_cmpestrs(a, la, b, lb, 68) << 2 | _mm_cmpestro(a, la, b, lb, 68) << 3 | _mm_cmpestra(a, la, b, lb, 68) << 4;
        break;
    case 69:
        ri = _mm_cmpistri(a, b, 69); rm = _mm_cmpistrm(a, b, 69);
        fi = _mm_cmpistrc(a, b, 69) | _mm_cmpistrz(a, b, 69) << 1 | _mm_cmpistrs(a, b, 69) << 2 | _mm_cmpistro(a, b, 69) << 3 | _mm_cmpistra(a, b, 69) << 4;
        re = _mm_cmpestri(a, la, b, lb, 69); rem = _mm_cmpestrm(a, la, b, lb, 69);
        fe = _mm_cmpestrc(a, la, b, lb, 69) | _mm_cmpestrz(a, la, b, lb, 69) << 1 | _mm_cmpestrs(a, la, b, lb, 69) << 2 | _mm_cmpestro(a, la, b, lb, 69) << 3 | _mm_cmpestra(a, la, b, lb, 69) << 4;
        break;
    case 70:
        ri = _mm_cmpistri(a, b, 70); rm = _mm_cmpistrm(a, b, 70);
        fi = _mm_cmpistrc(a, b, 70) | _mm_cmpistrz(a, b, 70) << 1 | _mm_cmpistrs(a, b, 70) << 2 | _mm_cmpistro(a, b, 70) << 3 | _mm_cmpistra(a, b, 70) << 4;
        re = _mm_cmpestri(a, la, b, lb, 70); rem = _mm_cmpestrm(a, la, b, lb, 70);
        fe = _mm_cmpestrc(a, la, b, lb, 70) | _mm_cmpestrz(a, la, b, lb, 70) << 1 | _mm_cmpestrs(a, la, b, lb, 70) << 2 | _mm_cmpestro(a, la, b, lb, 70) << 3 | _mm_cmpestra(a, la, b, lb, 70) << 4;
        break;
    case 71:
        ri = _mm_cmpistri(a, b, 71); rm = _mm_cmpistrm(a, b, 71);
        fi = _mm_cmpistrc(a, b, 71) | _mm_cmpistrz(a, b, 71) << 1 | _mm_cmpistrs(a, b, 71) << 2 | _mm_cmpistro(a, b, 71) << 3 | _mm_cmpistra(a, b, 71) << 4;
        re = _mm_cmpestri(a, la, b, lb, 71); rem = _mm_cmpestrm(a, la, b, lb, 71);
        fe = _mm_cmpestrc(a, la, b, lb, 71) | _mm_cmpestrz(a, la, b, lb, 71) << 1 | _mm_cmpestrs(a, la, b, lb, 71) << 2 | _mm_cmpestro(a, la, b, lb, 71) << 3 | _mm_cmpestra(a, la, b, lb, 71) << 4;
        break;
    case 72:
        ri = _mm_cmpistri(a, b, 72); rm = _mm_cmpistrm(a, b, 72);
        fi = _mm_cmpistrc(a, b, 72) | _mm_cmpistrz(a, b, 72) << 1 | _mm_cmpistrs(a, b, 72) << 2 | _mm_cmpistro(a, b, 72) << 3 | _mm_cmpistra(a, b, 72) << 4;
        re = _mm_cmpestri(a, la, b, lb, 72); rem = _mm_cmpestrm(a, la, b, lb, 72);
        fe = _mm_cmpestrc(a, la, b, lb, 72) | _mm_cmpestrz(a, la, b, lb, 72) << 1 | _mm_cmpestrs(a, la, b, lb, 72) << 2 | _mm_cmpestro(a, la, b, lb, 72) << 3 | _mm_cmpestra(a, la, b, lb, 72) << 4;
        break;
    case 73:
        ri = _mm_cmpistri(a, b, 73); rm = _mm_cmpistrm(a, b, 73);
        fi = _mm_cmpistrc(a, b, 73) | _mm_cmpistrz(a, b, 73) << 1 | _mm_cmpistrs(a, b, 73) << 2 | _mm_cmpistro(a, b, 73) << 3 | _mm_cmpistra(a, b, 73) << 4;
        re = _mm_cmpestri(a, la, b, lb, 73); rem = _mm_cmpestrm(a, la, b, lb, 73);
        fe = _mm_cmpestrc(a, la, b, lb, 73) | _mm_cmpestrz(a, la, b, lb, 73) << 1 | _mm_cmpestrs(a, la, b, lb, 73) << 2 | _mm_cmpestro(a, la, b, lb, 73) << 3 | _mm_cmpestra(a, la, b, lb, 73) << 4;
        break;
    case 74:
        ri = _mm_cmpistri(a, b, 74); rm = _mm_cmpistrm(a, b, 74);
        fi = _mm_cmpistrc(a, b, 74) | _mm_cmpistrz(a, b, 74) << 1 | _mm_cmpistrs(a, b, 74) << 2 | _mm_cmpistro(a, b, 74) << 3 | _mm_cmpistra(a, b, 74) << 4;
        re = _mm_cmpestri(a, la, b, lb, 74); rem = _mm_cmpestrm(a, la, b, lb, 74);
        fe = _mm_cmpestrc(a, la, b, lb, 74) | _mm_cmpestrz(a, la, b, lb, 74) << 1 | _mm_cmpestrs(a, la, b, lb, 74) << 2 | _mm_cmpestro(a, la, b, lb, 74) << 3 | _mm_cmpestra(a, la, b, lb, 74) << 4;
        break;
    case 75:
        ri = _mm_cmpistri(a, b, 75); rm = _mm_cmpistrm(a, b, 75);
        fi = _mm_cmpistrc(a, b, 75) | _mm_cmpistrz(a, b, 75) << 1 | _mm_cmpistrs(a, b, 75) << 2 | _mm_cmpistro(a, b, 75) << 3 | _mm_cmpistra(a, b, 75) << 4;
        re = _mm_cmpestri(a, la, b, lb, 75); rem = _mm_cmpestrm(a, la, b, lb, 75);
        fe = _mm_cmpestrc(a, la, b, lb, 75) | _mm_cmpestrz(a, la, b, lb, 75) << 1 | _mm_cmpestrs(a, la, b, lb, 75) << 2 | _mm_cmpestro(a, la, b, lb, 75) << 3 | _mm_cmpestra(a, la, b, lb, 75) << 4;
        break;
    case 76:
        ri = _mm_cmpistri(a, b, 76); rm = _mm_cmpistrm(a, b, 76);
        fi = _mm_cmpistrc(a, b, 76) | _mm_cmpistrz(a, b, 76) << 1 | _mm_cmpistrs(a, b, 76) << 2 | _mm_cmpistro(a, b, 76) << 3 | _mm_cmpistra(a, b, 76) << 4;
        re = _mm_cmpestri(a, la, b, lb, 76); rem = _mm_cmpestrm(a, la, b, lb, 76);
        fe = _mm_cmpestrc(a, la, b, lb, 76) | _mm_cmpestrz(a, la, b, lb, 76) << 1 | _mm_cmpestrs(a, la, b, lb, 76) << 2 | _mm_cmpestro(a, la, b, lb, 76) << 3 | _mm_cmpestra(a, la, b, lb, 76) << 4;
        break;
    case 77:
        ri = _mm_cmpistri(a, b, 77); rm = _mm_cmpistrm(a, b, 77);
        fi = _mm_cmpistrc(a, b, 77) | _mm_cmpistrz(a, b, 77) << 1 | _mm_cmpistrs(a, b, 77) << 2 | _mm_cmpistro(a, b, 77) << 3 | _mm_cmpistra(a, b, 77) << 4;
        re = _mm_cmpestri(a, la, b, lb, 77); rem = _mm_cmpestrm(a, la, b, lb, 77);
        fe = _mm_cmpestrc(a, la, b, lb, 77) | _mm_cmpestrz(a, la, b, lb, 77) << 1 | _mm_cmpestrs(a, la, b, lb, 77) << 2 | _mm_cmpestro(a, la, b, lb, 77) << 3 | _mm_cmpestra(a, la, b, lb, 77) << 4;
        break;
    case 78:
        ri = _mm_cmpistri(a, b, 78); rm = _mm_cmpistrm(a, b, 78);
        fi = _mm_cmpistrc(a, b, 78) | _mm_cmpistrz(a, b, 78) << 1 | _mm_cmpistrs(a, b, 78) << 2 | _mm_cmpistro(a, b, 78) << 3 | _mm_cmpistra(a, b, 78) << 4;
        re = _mm_cmpestri(a, la, b, lb, 78); rem = _mm_cmpestrm(a, la, b, lb, 78);
        fe = _mm_cmpestrc(a, la, b, lb, 78) | _mm_cmpestrz(a, la, b, lb, 78) << 1 | _mm_cmpestrs(a, la, b, lb, 78) << 2 | _mm_cmpestro(a, la, b, lb, 78) << 3 | _mm_cmpestra(a, la, b, lb, 78) << 4;
        break;
    case 79:
        ri = _mm_cmpistri(a, b, 79); rm = _mm_cmpistrm(a, b, 79);
        fi = _mm_cmpistrc(a, b, 79) | _mm_cmpistrz(a, b, 79) << 1 | _mm_cmpistrs(a, b, 79) << 2 | _mm_cmpistro(a, b, 79) << 3 | _mm_cmpistra(a, b, 79) << 4;
        re = _mm_cmpestri(a, la, b, lb, 79); rem = _mm_cmpestrm(a, la, b, lb, 79);
        fe = _mm_cmpestrc(a, la, b, lb, 79) | _mm_cmpestrz(a, la, b, lb, 79) << 1 | _mm_cmpestrs(a, la, b, lb, 79) << 2 | _mm_cmpestro(a, la, b, lb, 79) << 3 | _mm_cmpestra(a, la, b, lb, 79) << 4;
        break;
    case 80:
        ri = _mm_cmpistri(a, b, 80); rm = _mm_cmpistrm(a, b, 80);
        fi = _mm_cmpistrc(a, b, 80) | _mm_cmpistrz(a, b, 80) << 1 | _mm_cmpistrs(a, b, 80) << 2 | _mm_cmpistro(a, b, 80) << 3 | _mm_cmpistra(a, b, 80) << 4;
        re = _mm_cmpestri(a, la, b, lb, 80); rem = _mm_cmpestrm(a, la, b, lb, 80);
        fe = _mm_cmpestrc(a, la, b, lb, 80) | _mm_cmpestrz(a, la, b, lb, 80) << 1 | _mm_cmpestrs(a, la, b, lb, 80) << 2 | _mm_cmpestro(a, la, b, lb, 80) << 3 | _mm_cmpestra(a, la, b, lb, 80) << 4;
        break;
    case 81:
        ri = _mm_cmpistri(a, b, 81); rm = _mm_cmpistrm(a, b, 81);
        fi = _mm_cmpistrc(a, b, 81) | _mm_cmpistrz(a, b, 81) << 1 | _mm_cmpistrs(a, b, 81) << 2 | _mm_cmpistro(a, b, 81) << 3 | _mm_cmpistra(a, b, 81) << 4;
        re = _mm_cmpestri(a, la, b, lb, 81); rem = _mm_cmpestrm(a, la, b, lb, 81);
        fe = _mm_cmpestrc(a, la, b, lb, 81) | _mm_cmpestrz(a, la, b, lb, 81) << 1 | _mm_cmpestrs(a, la, b, lb, 81) << 2 | _mm_cmpestro(a, la, b, lb, 81) << 3 | _mm_cmpestra(a, la, b, lb, 81) << 4;
        break;
    case 82:
        ri = _mm_cmpistri(a, b, 82); rm = _mm_cmpistrm(a, b, 82);
        fi = _mm_cmpistrc(a, b, 82) | _mm_cmpistrz(a, b, 82) << 1 | _mm_cmpistrs(a, b, 82) << 2 | _mm_cmpistro(a, b, 82) << 3 | _mm_cmpistra(a, b, 82) << 4;
        re = _mm_cmpestri(a, la, b, lb, 82); rem = _mm_cmpestrm(a, la, b, lb, 82);
        fe = _mm_cmpestrc(a, la, b, lb, 82) | _mm_cmpestrz(a, la, b, lb, 82) << 1 | _mm_cmpestrs(a, la, b, lb, 82) << 2 | _mm_cmpestro(a, la, b, lb, 82) << 3 | _mm_cmpestra(a, la, b, lb, 82) << 4;
        break;
    case 83:
        ri = _mm_cmpistri(a, b, 83); rm = _mm_cmpistrm(a, b, 83);
        fi = _mm_cmpistrc(a, b, 83) | _mm_cmpistrz(a, b, 83) << 1 | _mm_cmpistrs(a, b, 83) << 2 | _mm_cmpistro(a, b, 83) << 3 | _mm_cmpistra(a, b, 83) << 4;
        re = _mm_cmpestri(a, la, b, lb, 83); rem = _mm_cmpestrm(a, la, b, lb, 83);
        fe = _mm_cmpestrc(a, la, b, lb, 83) | _mm_cmpestrz(a, la, b, lb, 83) << 1 | _mm_cmpestrs(a, la, b, lb, 83) << 2 | _mm_cmpestro(a, la, b, lb, 83) << 3 | _mm_cmpestra(a, la, b, lb, 83) << 4;
        break;
    case 84:
        ri = _mm_cmpistri(a, b, 84); rm = _mm_cmpistrm(a, b, 84);
        fi = _mm_cmpistrc(a, b, 84) | _mm_cmpistrz(a, b, 84) << 1 | _mm_cmpistrs(a, b, 84) << 2 | _mm_cmpistro(a, b, 84) << 3 | _mm_cmpistra(a, b, 84) << 4;
        re = _mm_cmpestri(a, la, b, lb, 84); rem = _mm_cmpestrm(a, la, b, lb, 84);
        fe = _mm_cmpestrc(a, la, b, lb, 84) | _mm_cmpestrz(a, la, b, lb, 84) << 1 | _mm_cmpestrs(a, la, b, lb, 84) << 2 | _mm_cmpestro(a, la, b, lb, 84) << 3 | _mm_cmpestra(a, la, b, lb, 84) << 4;
        break;
    case 85:
        ri = _mm_cmpistri(a, b, 85); rm = _mm_cmpistrm(a, b, 85);
        fi = _mm_cmpistrc(a, b, 85) | _mm_cmpistrz(a, b, 85) << 1 | _mm_cmpistrs(a, b, 85) << 2 | _mm_cmpistro(a, b, 85) << 3 | _mm_cmpistra(a, b, 85) << 4;
        re = _mm_cmpestri(a, la, b, lb, 85); rem = _mm_cmpestrm(a, la, b, lb, 85);
        fe = _mm_cmpestrc(a, la, b, lb, 85) | _mm_cmpestrz(a, la, b, lb, 85) << 1 | _mm_cmpestrs(a, la, b, lb, 85) << 2 | _mm_cmpestro(a, la, b, lb, 85) << 3 | _mm_cmpestra(a, la, b, lb, 85) << 4;
        break;
    case 86:
        ri = _mm_cmpistri(a, b, 86); rm = _mm_cmpistrm(a, b, 86);
        fi = _mm_cmpistrc(a, b, 86) | _mm_cmpistrz(a, b, 86) << 1 | _mm_cmpistrs(a, b, 86) << 2 | _mm_cmpistro(a, b, 86) << 3 | _mm_cmpistra(a, b, 86) << 4;
        re = _mm_cmpestri(a, la, b, lb, 86); rem = _mm_cmpestrm(a, la, b, lb, 86);
        fe = _mm_cmpestrc(a, la, b, lb, 86) | _mm_cmpestrz(a, la, b, lb, 86) << 1 | _mm_cmpestrs(a, la, b, lb, 86) << 2 | _mm_cmpestro(a, la, b, lb, 86) << 3 | _mm_cmpestra(a, la, b, lb, 86) << 4;
        break;
    case 87:
        ri = _mm_cmpistri(a, b, 87); rm = _mm_cmpistrm(a, b, 87);
        fi = _mm_cmpistrc(a, b, 87) | _mm_cmpistrz(a, b, 87) << 1 | _mm_cmpistrs(a, b, 87) << 2 | _mm_cmpistro(a, b, 87) << 3 | _mm_cmpistra(a, b, 87) << 4;
        re = _mm_cmpestri(a, la, b, lb, 87); rem = _mm_cmpestrm(a, la, b, lb, 87);
        fe = _mm_cmpestrc(a, la, b, lb, 87) | _mm_cmpestrz(a, la, b, lb, 87) << 1 | _mm_cmpestrs(a, la, b, lb, 87) << 2 | _mm_cmpestro(a, la, b, lb, 87) << 3 | _mm_cmpestra(a, la, b, lb, 87) << 4;
        break;
    case 88:
        ri = _mm_cmpistri(a, b, 88); rm = _mm_cmpistrm(a, b, 88);
        fi = _mm_cmpistrc(a, b, 88) | _mm_cmpistrz(a, b, 88) << 1 | _mm_cmpistrs(a, b, 88) << 2 | _mm_cmpistro(a, b, 88) << 3 | _mm_cmpistra(a, b, 88) << 4;
        re = _mm_cmpestri(a, la, b, lb, 88); rem = _mm_cmpestrm(a, la, b, lb, 88);
        fe = _mm_cmpestrc(a, la, b, lb, 88) | _mm_cmpestrz(a, la, b, lb, 88) << 1 | _mm_cmpestrs(a, la, b, lb, 88) << 2 | _mm_cmpestro(a, la, b, lb, 88) << 3 | _mm_cmpestra(a, la, b, lb, 88) << 4;
        break;
    case 89:
        ri = _mm_cmpistri(a, b, 89); rm = _mm_cmpistrm(a, b, 89);
        fi = _mm_cmpistrc(a, b, 89) | _mm_cmpistrz(a, b, 89) << 1 | _mm_cmpistrs(a, b, 89) << 2 | _mm_cmpistro(a, b, 89) << 3 | _mm_cmpistra(a, b, 89) << 4;
        re = _mm_cmpestri(a, la, b, lb, 89); rem = _mm_cmpestrm(a, la, b, lb, 89);
        fe = _mm_cmpestrc(a, la, b, lb, 89) | _mm_cmpestrz(a, la, b, lb, 89) << 1 | _mm_cmpestrs(a, la, b, lb, 89) << 2 | _mm_cmpestro(a, la, b, lb, 89) << 3 | _mm_cmpestra(a, la, b, lb, 89) << 4;
        break;
    case 90:
        ri = _mm_cmpistri(a, b, 90); rm = _mm_cmpistrm(a, b, 90);
        fi = _mm_cmpistrc(a, b, 90) | _mm_cmpistrz(a, b, 90) << 1 | _mm_cmpistrs(a, b, 90) << 2 | _mm_cmpistro(a, b, 90) << 3 | _mm_cmpistra(a, b, 90) << 4;
        re = _mm_cmpestri(a, la, b, lb, 90); rem = _mm_cmpestrm(a, la, b, lb, 90);
        fe = _mm_cmpestrc(a, la, b, lb, 90) | _mm_cmpestrz(a, la, b, lb, 90) << 1 | _mm_cmpestrs(a, la, b, lb, 90) << 2 | _mm_cmpestro(a, la, b, lb, 90) << 3 | _mm_cmpestra(a, la, b, lb, 90) << 4;
        break;
    case 91:
        ri = _mm_cmpistri(a, b, 91); rm = _mm_cmpistrm(a, b, 91);
        fi = _mm_cmpistrc(a, b, 91) | _mm_cmpistrz(a, b, 91) << 1 | _mm_cmpistrs(a, b, 91) << 2 | _mm_cmpistro(a, b, 91) << 3 | _mm_cmpistra(a, b, 91) << 4;
        re = _mm_cmpestri(a, la, b, lb, 91); rem = _mm_cmpestrm(a, la, b, lb, 91);
        fe = _mm_cmpestrc(a, la, b, lb, 91) | _mm_cmpestrz(a, la, b, lb, 91) << 1 | _mm_cmpestrs(a, la, b, lb, 91) << 2 | _mm_cmpestro(a, la, b, lb, 91) << 3 | _mm_cmpestra(a, la, b, lb, 91) << 4;
        break;
    case 92:
        ri = _mm_cmpistri(a, b, 92); rm = _mm_cmpistrm(a, b, 92);
        fi = _mm_cmpistrc(a, b, 92) | _mm_cmpistrz(a, b, 92) << 1 | _mm_cmpistrs(a, b, 92) << 2 | _mm_cmpistro(a, b, 92) << 3 | _mm_cmpistra(a, b, 92) << 4;
        re = _mm_cmpestri(a, la, b, lb, 92); rem = _mm_cmpestrm(a, la, b, lb, 92);
        fe = _mm_cmpestrc(a, la, b, lb, 92) | _mm_cmpestrz(a, la, b, lb, 92) << 1 | _mm_cmpestrs(a, la, b, lb, 92) << 2 | _mm_cmpestro(a, la, b, lb, 92) << 3 | _mm_cmpestra(a, la, b, lb, 92) << 4;
        break;
    case 93:
        ri = _mm_cmpistri(a, b, 93); rm = _mm_cmpistrm(a, b, 93);
        fi = _mm_cmpistrc(a, b, 93) | _mm_cmpistrz(a, b, 93) << 1 | _mm_cmpistrs(a, b, 93) << 2 | _mm_cmpistro(a, b, 93) << 3 | _mm_cmpistra(a, b, 93) << 4;
        re = _mm_cmpestri(a, la, b, lb, 93); rem = _mm_cmpestrm(a, la, b, lb, 93);
        fe = _mm_cmpestrc(a, la, b, lb, 93) | _mm_cmpestrz(a, la, b, lb, 93) << 1 | _mm_cmpestrs(a, la, b, lb, 93) << 2 | _mm_cmpestro(a, la, b, lb, 93) << 3 | _mm_cmpestra(a, la, b, lb, 93) << 4;
        break;
    case 94:
        ri = _mm_cmpistri(a, b, 94); rm = _mm_cmpistrm(a, b, 94);
        fi = _mm_cmpistrc(a, b, 94) | _mm_cmpistrz(a, b, 94) << 1 | _mm_cmpistrs(a, b, 94) << 2 | _mm_cmpistro(a, b, 94) << 3 | _mm_cmpistra(a, b, 94) << 4;
        re = _mm_cmpestri(a, la, b, lb, 94); rem = _mm_cmpestrm(a, la, b, lb, 94);
        fe = _mm_cmpestrc(a, la, b, lb, 94) | _mm_cmpestrz(a, la, b, lb, 94) << 1 | _mm_cmpestrs(a, la, b, lb, 94) << 2 | _mm_cmpestro(a, la, b, lb, 94) << 3 | _mm_cmpestra(a, la, b, lb, 94) << 4;
        break;
    case 95:
        ri = _mm_cmpistri(a, b, 95); rm = _mm_cmpistrm(a, b, 95);
        fi = _mm_cmpistrc(a, b, 95) | _mm_cmpistrz(a, b, 95) << 1 | _mm_cmpistrs(a, b, 95) << 2 | _mm_cmpistro(a, b, 95) << 3 | _mm_cmpistra(a, b, 95) << 4;
        re = _mm_cmpestri(a, la, b, lb, 95); rem = _mm_cmpestrm(a, la, b, lb, 95);
        fe = _mm_cmpestrc(a, la, b, lb, 95) | _mm_cmpestrz(a, la, b, lb, 95) << 1 | _mm_cmpestrs(a, la, b, lb, 95) << 2 | _mm_cmpestro(a, la, b, lb, 95) << 3 | _mm_cmpestra(a, la, b, lb, 95) << 4;
        break;
    case 96:
        ri = _mm_cmpistri(a, b, 96); rm = _mm_cmpistrm(a, b, 96);
        fi = _mm_cmpistrc(a, b, 96) | _mm_cmpistrz(a, b, 96) << 1 | _mm_cmpistrs(a, b, 96) << 2 | _mm_cmpistro(a, b, 96) << 3 | _mm_cmpistra(a, b, 96) << 4;
        re = _mm_cmpestri(a, la, b, lb, 96); rem = _mm_cmpestrm(a, la, b, lb, 96);
        fe = _mm_cmpestrc(a, la, b, lb, 96) | _mm_cmpestrz(a, la, b, lb, 96) << 1 | _mm_cmpestrs(a, la, b, lb, 96) << 2 | _mm_cmpestro(a, la, b, lb, 96) << 3 | _mm_cmpestra(a, la, b, lb, 96) << 4;
        break;
    case 97:
        ri = _mm_cmpistri(a, b, 97); rm = _mm_cmpistrm(a, b, 97);
        fi = _mm_cmpistrc(a, b, 97) | _mm_cmpistrz(a, b, 97) << 1 | _mm_cmpistrs(a, b, 97) << 2 | _mm_cmpistro(a, b, 97) << 3 | _mm_cmpistra(a, b, 97) << 4;
        re = _mm_cmpestri(a, la, b, lb, 97); rem = _mm_cmpestrm(a, la, b, lb, 97);
        fe = _mm_cmpestrc(a, la, b, lb, 97) | _mm_cmpestrz(a, la, b, lb, 97) << 1 | _mm_cmpestrs(a, la, b, lb, 97) << 2 | _mm_cmpestro(a, la, b, lb, 97) << 3 | _mm_cmpestra(a, la, b, lb, 97) << 4;
        break;
    case 98:
        ri = _mm_cmpistri(a, b, 98); rm = _mm_cmpistrm(a, b, 98);
        fi = _mm_cmpistrc(a, b, 98) | _mm_cmpistrz(a, b, 98) << 1 | _mm_cmpistrs(a, b, 98) << 2 | _mm_cmpistro(a, b, 98) << 3 | _mm_cmpistra(a, b, 98) << 4;
        re = _mm_cmpestri(a, la, b, lb, 98); rem = _mm_cmpestrm(a, la, b, lb, 98);
        fe = _mm_cmpestrc(a, la, b, lb, 98) | _mm_cmpestrz(a, la, b, lb, 98) << 1 | _mm_cmpestrs(a, la, b, lb, 98) << 2 | _mm_cmpestro(a, la, b, lb, 98) << 3 | _mm_cmpestra(a, la, b, lb, 98) << 4;
        break;
    case 99:
        ri = _mm_cmpistri(a, b, 99); rm = _mm_cmpistrm(a, b, 99);
        fi = _mm_cmpistrc(a, b, 99) | _mm_cmpistrz(a, b, 99) << 1 | _mm_cmpistrs(a, b, 99) << 2 | _mm_cmpistro(a, b, 99) << 3 | _mm_cmpistra(a, b, 99) << 4;
        re = _mm_cmpestri(a, la, b, lb, 99); rem = _mm_cmpestrm(a, la, b, lb, 99);
        fe = _mm_cmpestrc(a, la, b, lb, 99) | _mm_cmpestrz(a, la, b, lb, 99) << 1 | _mm_cmpestrs(a, la, b, lb, 99) << 2 | _mm_cmpestro(a, la, b, lb, 99) << 3 | _mm_cmpestra(a, la, b, lb, 99) << 4;
        break;
    case 100:
        ri = _mm_cmpistri(a, b, 100); rm = _mm_cmpistrm(a, b, 100);
        fi = _mm_cmpistrc(a, b, 100) | _mm_cmpistrz(a, b, 100) << 1 | _mm_cmpistrs(a, b, 100) << 2 | _mm_cmpistro(a, b, 100) << 3 | _mm_cmpistra(a, b, 100) << 4;
        re = _mm_cmpestri(a, la, b, lb, 100); rem = _mm_cmpestrm(a, la, b, lb, 100);
        fe = _mm_cmpestrc(a, la, b, lb, 100) | _mm_cmpestrz(a, la, b, lb, 100) << 1 | _mm_cmpestrs(a, la, b, lb, 100) << 2 | _mm_cmpestro(a, la, b, lb, 100) << 3 | _mm_cmpestra(a, la, b, lb, 100) << 4;
        break;
    case 101:
        ri = _mm_cmpistri(a, b, 101); rm = _mm_cmpistrm(a, b, 101);
        fi = _mm_cmpistrc(a, b, 101) | _mm_cmpistrz(a, b, 101) << 1 | _mm_cmpistrs(a, b, 101) << 2 | _mm_cmpistro(a, b, 101) << 3 | _mm_cmpistra(a, b, 101) << 4;
        re = _mm_cmpestri(a, la, b, lb, 101); rem = _mm_cmpestrm(a, la, b, lb, 101);
        fe = _mm_cmpestrc(a, la, b, lb, 101) | _mm_cmpestrz(a, la, b, lb, 101) << 1 | _mm_cmpestrs(a, la, b, lb, 101) << 2 | _mm_cmpestro(a, la, b, lb, 101) << 3 | _mm_cmpestra(a, la, b, lb, 101) << 4;
        break;
    case 102:
        ri = _mm_cmpistri(a, b, 102); rm = _mm_cmpistrm(a, b, 102);
        fi = _mm_cmpistrc(a, b, 102) | _mm_cmpistrz(a, b, 102) << 1 | _mm_cmpistrs(a, b, 102) << 2 | _mm_cmpistro(a, b, 102) << 3 | _mm_cmpistra(a, b, 102) << 4;
        re = _mm_cmpestri(a, la, b, lb, 102); rem = _mm_cmpestrm(a, la, b, lb, 102);
        fe = _mm_cmpestrc(a, la, b, lb, 102) | _mm_cmpestrz(a, la, b, lb, 102) << 1 | _mm_cmpestrs(a, la, b, lb, 102) << 2 | _mm_cmpestro(a, la, b, lb, 102) << 3 | _mm_cmpestra(a, la, b, lb, 102) << 4;
        break;
    case 103:
        ri = _mm_cmpistri(a, b, 103); rm = _mm_cmpistrm(a, b, 103);
        fi = _mm_cmpistrc(a, b, 103) | _mm_cmpistrz(a, b, 103) << 1 | _mm_cmpistrs(a, b, 103) << 2 | _mm_cmpistro(a, b, 103) << 3 | _mm_cmpistra(a, b, 103) << 4;
        re = _mm_cmpestri(a, la, b, lb, 103); rem = _mm_cmpestrm(a, la, b, lb, 103);
        fe = _mm_cmpestrc(a, la, b, lb, 103) | _mm_cmpestrz(a, la, b, lb, 103) << 1 | _mm_cmpestrs(a, la, b, lb, 103) << 2 | _mm_cmpestro(a, la, b, lb, 103) << 3 | _mm_cmpestra(a, la, b, lb, 103) << 4;
        break;
    case 104:
        ri = _mm_cmpistri(a, b, 104); rm = _mm_cmpistrm(a, b, 104);
        fi = _mm_cmpistrc(a, b, 104) | _mm_cmpistrz(a, b, 104) << 1 | _mm_cmpistrs(a, b, 104) << 2 | _mm_cmpistro(a, b, 104) << 3 | _mm_cmpistra(a, b, 104) << 4;
        re = _mm_cmpestri(a, la, b, lb, 104); rem = _mm_cmpestrm(a, la, b, lb, 104);
        fe = _mm_cmpestrc(a, la, b, lb, 104) | _mm_cmpestrz(a, la, b, lb, 104) << 1 | _mm_cmpestrs(a, la, b, lb, 104) << 2 | _mm_cmpestro(a, la, b, lb, 104) << 3 | _mm_cmpestra(a, la, b, lb, 104) << 4;
        break;
    case 105:
        ri = _mm_cmpistri(a, b, 105); rm = _mm_cmpistrm(a, b, 105);
        fi = _mm_cmpistrc(a, b, 105) | _mm_cmpistrz(a, b, 105) << 1 | _mm_cmpistrs(a, b, 105) << 2 | _mm_cmpistro(a, b, 105) << 3 | _mm_cmpistra(a, b, 105) << 4;
        re = _mm_cmpestri(a, la, b, lb, 105); rem = _mm_cmpestrm(a, la, b, lb, 105);
        fe = _mm_cmpestrc(a, la, b, lb, 105) | _mm_cmpestrz(a, la, b, lb, 105) << 1 | _mm_cmpestrs(a, la, b, lb, 105) << 2 | _mm_cmpestro(a, la, b, lb, 105) << 3 | _mm_cmpestra(a, la, b, lb, 105) << 4;
        break;
    case 106:
        ri = _mm_cmpistri(a, b, 106); rm = _mm_cmpistrm(a, b, 106);
        fi = _mm_cmpistrc(a, b, 106) | _mm_cmpistrz(a, b, 106) << 1 | _mm_cmpistrs(a, b, 106) << 2 | _mm_cmpistro(a, b, 106) << 3 | _mm_cmpistra(a, b, 106) << 4;
        re = _mm_cmpestri(a, la, b, lb, 106); rem = _mm_cmpestrm(a, la, b, lb, 106);
        fe = _mm_cmpestrc(a, la, b, lb, 106) | _mm_cmpestrz(a, la, b, lb, 106) << 1 | _mm_cmpestrs(a, la, b, lb, 106) << 2 | _mm_cmpestro(a, la, b, lb, 106) << 3 | _mm_cmpestra(a, la, b, lb, 106) << 4;
        break;
    case 107:
        ri = _mm_cmpistri(a, b, 107); rm = _mm_cmpistrm(a, b, 107);
        fi = _mm_cmpistrc(a, b, 107) | _mm_cmpistrz(a, b, 107) << 1 | _mm_cmpistrs(a, b, 107) << 2 | _mm_cmpistro(a, b, 107) << 3 | _mm_cmpistra(a, b, 107) << 4;
        re = _mm_cmpestri(a, la, b, lb, 107); rem = _mm_cmpestrm(a, la, b, lb, 107);
        fe = _mm_cmpestrc(a, la, b, lb, 107) | _mm_cmpestrz(a, la, b, lb, 107) << 1 | _mm_cmpestrs(a, la, b, lb, 107) << 2 | _mm_cmpestro(a, la, b, lb, 107) << 3 | _mm_cmpestra(a, la, b, lb, 107) << 4;
        break;
    case 108:
        ri = _mm_cmpistri(a, b, 108); rm = _mm_cmpistrm(a, b, 108);
        fi = _mm_cmpistrc(a, b, 108) | _mm_cmpistrz(a, b, 108) << 1 | _mm_cmpistrs(a, b, 108) << 2 | _mm_cmpistro(a, b, 108) << 3 | _mm_cmpistra(a, b, 108) << 4;
        re = _mm_cmpestri(a, la, b, lb, 108); rem = _mm_cmpestrm(a, la, b, lb, 108);
        fe = _mm_cmpestrc(a, la, b, lb, 108) | _mm_cmpestrz(a, la, b, lb, 108) << 1 | _mm_cmpestrs(a, la, b, lb, 108) << 2 | _mm_cmpestro(a, la, b, lb, 108) << 3 | _mm_cmpestra(a, la, b, lb, 108) << 4;
        break;
    case 109:
        ri = _mm_cmpistri(a, b, 109); rm = _mm_cmpistrm(a, b, 109);
        fi = _mm_cmpistrc(a, b, 109) | _mm_cmpistrz(a, b, 109) << 1 | _mm_cmpistrs(a, b, 109) << 2 | _mm_cmpistro(a, b, 109) << 3 | _mm_cmpistra(a, b, 109) << 4;
        re = _mm_cmpestri(a, la, b, lb, 109); rem = _mm_cmpestrm(a, la, b, lb, 109);
        fe = _mm_cmpestrc(a, la, b, lb, 109) | _mm_cmpestrz(a, la, b, lb, 109) << 1 | _mm_cmpestrs(a, la, b, lb, 109) << 2 | _mm_cmpestro(a, la, b, lb, 109) << 3 | _mm_cmpestra(a, la, b, lb, 109) << 4;
        break;
    case 110:
        ri = _mm_cmpistri(a, b, 110); rm = _mm_cmpistrm(a, b, 110);
        fi = _mm_cmpistrc(a, b, 110) | _mm_cmpistrz(a, b, 110) << 1 | _mm_cmpistrs(a, b, 110) << 2 | _mm_cmpistro(a, b, 110) << 3 | _mm_cmpistra(a, b, 110) << 4;
        re = _mm_cmpestri(a, la, b, lb, 110); rem = _mm_cmpestrm(a, la, b, lb, 110);
        fe = _mm_cmpestrc(a, la, b, lb, 110) | _mm_cmpestrz(a, la, b, lb, 110) << 1 | _mm_cmpestrs(a, la, b, lb, 110) << 2 | _mm_cmpestro(a, la, b, lb, 110) << 3 | _mm_cmpestra(a, la, b, lb, 110) << 4;
        break;
    case 111:
        ri = _mm_cmpistri(a, b, 111); rm = _mm_cmpistrm(a, b, 111);
        fi = _mm_cmpistrc(a, b, 111) | _mm_cmpistrz(a, b, 111) << 1 | _mm_cmpistrs(a, b, 111) << 2 | _mm_cmpistro(a, b, 111) << 3 | _mm_cmpistra(a, b, 111) << 4;
        re = _mm_cmpestri(a, la, b, lb, 111); rem = _mm_cmpestrm(a, la, b, lb, 111);
        fe = _mm_cmpestrc(a, la, b, lb, 111) | _mm_cmpestrz(a, la, b, lb, 111) << 1 | _mm_cmpestrs(a, la, b, lb, 111) << 2 | _mm_cmpestro(a, la, b, lb, 111) << 3 | _mm_cmpestra(a, la, b, lb, 111) << 4;
        break;
    case 112:
        ri = _mm_cmpistri(a, b, 112); rm = _mm_cmpistrm(a, b, 112);
        fi = _mm_cmpistrc(a, b, 112) | _mm_cmpistrz(a, b, 112) << 1 | _mm_cmpistrs(a, b, 112) << 2 | _mm_cmpistro(a, b, 112) << 3 | _mm_cmpistra(a, b, 112) << 4;
        re = _mm_cmpestri(a, la, b, lb, 112); rem = _mm_cmpestrm(a, la, b, lb, 112);
        fe = _mm_cmpestrc(a, la, b, lb, 112) | _mm_cmpestrz(a, la, b, lb, 112) << 1 | _mm_cmpestrs(a, la, b, lb, 112) << 2 | _mm_cmpestro(a, la, b, lb, 112) << 3 | _mm_cmpestra(a, la, b, lb, 112) << 4;
        break;
    case 113:
        ri = _mm_cmpistri(a, b, 113); rm = _mm_cmpistrm(a, b, 113);
        fi = _mm_cmpistrc(a, b, 113) | _mm_cmpistrz(a, b, 113) << 1 | _mm_cmpistrs(a, b, 113) << 2 | _mm_cmpistro(a, b, 113) << 3 | _mm_cmpistra(a, b, 113) << 4;
        re = _mm_cmpestri(a, la, b, lb, 113); rem = _mm_cmpestrm(a, la, b, lb, 113);
        fe = _mm_cmpestrc(a, la, b, lb, 113) | _mm_cmpestrz(a, la, b, lb, 113) << 1 | _mm_cmpestrs(a, la, b, lb, 113) << 2 | _mm_cmpestro(a, la, b, lb, 113) << 3 | _mm_cmpestra(a, la, b, lb, 113) << 4;
        break;
    case 114:
        ri = _mm_cmpistri(a, b, 114); rm = _mm_cmpistrm(a, b, 114);
        fi = _mm_cmpistrc(a, b, 114) | _mm_cmpistrz(a, b, 114) << 1 | _mm_cmpistrs(a, b, 114) << 2 | _mm_cmpistro(a, b, 114) << 3 | _mm_cmpistra(a, b, 114) << 4;
        re = _mm_cmpestri(a, la, b, lb, 114); rem = _mm_cmpestrm(a, la, b, lb, 114);
        fe = _mm_cmpestrc(a, la, b, lb, 114) | _mm_cmpestrz(a, la, b, lb, 114) << 1 | _mm_cmpestrs(a, la, b, lb, 114) << 2 | _mm_cmpestro(a, la, b, lb, 114) << 3 | _mm_cmpestra(a, la, b, lb, 114) << 4;
        break;
    case 115:
        ri = _mm_cmpistri(a, b, 115); rm = _mm_cmpistrm(a, b, 115);
        fi = _mm_cmpistrc(a, b, 115) | _mm_cmpistrz(a, b, 115) << 1 | _mm_cmpistrs(a, b, 115) << 2 | _mm_cmpistro(a, b, 115) << 3 | _mm_cmpistra(a, b, 115) << 4;
        re = _mm_cmpestri(a, la, b, lb, 115); rem = _mm_cmpestrm(a, la, b, lb, 115);
        fe = _mm_cmpestrc(a, la, b, lb, 115) | _mm_cmpestrz(a, la, b, lb, 115) << 1 | _mm_cmpestrs(a, la, b, lb, 115) << 2 | _mm_cmpestro(a, la, b, lb, 115) << 3 | _mm_cmpestra(a, la, b, lb, 115) << 4;
        break;
    case 116:
        ri = _mm_cmpistri(a, b, 116); rm = _mm_cmpistrm(a, b, 116);
        fi = _mm_cmpistrc(a, b, 116) | _mm_cmpistrz(a, b, 116) << 1 | _mm_cmpistrs(a, b, 116) << 2 | _mm_cmpistro(a, b, 116) << 3 | _mm_cmpistra(a, b, 116) << 4;
        re = _mm_cmpestri(a, la, b, lb, 116); rem = _mm_cmpestrm(a, la, b, lb, 116);
        fe = _mm_cmpestrc(a, la, b, lb, 116) | _mm_cmpestrz(a, la, b, lb, 116) << 1 | _mm_cmpestrs(a, la, b, lb, 116) << 2 | _mm_cmpestro(a, la, b, lb, 116) << 3 | _mm_cmpestra(a, la, b, lb, 116) << 4;
        break;
    case 117:
        ri = _mm_cmpistri(a, b, 117); rm = _mm_cmpistrm(a, b, 117);
        fi = _mm_cmpistrc(a, b, 117) | _mm_cmpistrz(a, b, 117) << 1 | _mm_cmpistrs(a, b, 117) << 2 | _mm_cmpistro(a, b, 117) << 3 | _mm_cmpistra(a, b, 117) << 4;
        re = _mm_cmpestri(a, la, b, lb, 117); rem = _mm_cmpestrm(a, la, b, lb, 117);
        fe = _mm_cmpestrc(a, la, b, lb, 117) | _mm_cmpestrz(a, la, b, lb, 117) << 1 | _mm_cmpestrs(a, la, b, lb, 117) << 2 | _mm_cmpestro(a, la, b, lb, 117) << 3 | _mm_cmpestra(a, la, b, lb, 117) << 4;
        break;
    case 118:
        ri = _mm_cmpistri(a, b, 118); rm = _mm_cmpistrm(a, b, 118);
        fi = _mm_cmpistrc(a, b, 118) | _mm_cmpistrz(a, b, 118) << 1 | _mm_cmpistrs(a, b, 118) << 2 | _mm_cmpistro(a, b, 118) << 3 | _mm_cmpistra(a, b, 118) << 4;
        re = _mm_cmpestri(a, la, b, lb, 118); rem = _mm_cmpestrm(a, la, b, lb, 118);
        fe = _mm_cmpestrc(a, la, b, lb, 118) | _mm_cmpestrz(a, la, b, lb, 118) << 1 | _mm_cmpestrs(a, la, b, lb, 118) << 2 | _mm_cmpestro(a, la, b, lb, 118) << 3 | _mm_cmpestra(a, la, b, lb, 118) << 4;
        break;
    case 119:
        ri = _mm_cmpistri(a, b, 119); rm = _mm_cmpistrm(a, b, 119);
        fi = _mm_cmpistrc(a, b, 119) | _mm_cmpistrz(a, b, 119) << 1 | _mm_cmpistrs(a, b, 119) << 2 | _mm_cmpistro(a, b, 119) << 3 | _mm_cmpistra(a, b, 119) << 4;
        re = _mm_cmpestri(a, la, b, lb, 119); rem = _mm_cmpestrm(a, la, b, lb, 119);
        fe = _mm_cmpestrc(a, la, b, lb, 119) | _mm_cmpestrz(a, la, b, lb, 119) << 1 | _mm_cmpestrs(a, la, b, lb, 119) << 2 | _mm_cmpestro(a, la, b, lb, 119) << 3 | _mm_cmpestra(a, la, b, lb, 119) << 4;
        break;
    case 120:
        ri = _mm_cmpistri(a, b, 120); rm = _mm_cmpistrm(a, b, 120);
        fi = _mm_cmpistrc(a, b, 120) | _mm_cmpistrz(a, b, 120) << 1 | _mm_cmpistrs(a, b, 120) << 2 | _mm_cmpistro(a, b, 120) << 3 | _mm_cmpistra(a, b, 120) << 4;
        re = _mm_cmpestri(a, la, b, lb, 120); rem = _mm_cmpestrm(a, la, b, lb, 120);
        fe = _mm_cmpestrc(a, la, b, lb, 120) | _mm_cmpestrz(a, la, b, lb, 120) << 1 | _mm_cmpestrs(a, la, b, lb, 120) << 2 | _mm_cmpestro(a, la, b, lb, 120) << 3 | _mm_cmpestra(a, la, b, lb, 120) << 4;
        break;
    case 121:
        ri = _mm_cmpistri(a, b, 121); rm = _mm_cmpistrm(a, b, 121);
        fi = _mm_cmpistrc(a, b, 121) | _mm_cmpistrz(a, b, 121) << 1 | _mm_cmpistrs(a, b, 121) << 2 | _mm_cmpistro(a, b, 121) << 3 | _mm_cmpistra(a, b, 121) << 4;
        re = _mm_cmpestri(a, la, b, lb, 121); rem = _mm_cmpestrm(a, la, b, lb, 121);
        fe = _mm_cmpestrc(a, la, b, lb, 121) | _mm_cmpestrz(a, la, b, lb, 121) << 1 | _mm_cmpestrs(a, la, b, lb, 121) << 2 | _mm_cmpestro(a, la, b, lb, 121) << 3 | _mm_cmpestra(a, la, b, lb, 121) << 4;
        break;
    case 122:
        ri = _mm_cmpistri(a, b, 122); rm = _mm_cmpistrm(a, b, 122);
        fi = _mm_cmpistrc(a, b, 122) | _mm_cmpistrz(a, b, 122) << 1 | _mm_cmpistrs(a, b, 122) << 2 | _mm_cmpistro(a, b, 122) << 3 | _mm_cmpistra(a, b, 122) << 4;
        re = _mm_cmpestri(a, la, b, lb, 122); rem = _mm_cmpestrm(a, la, b, lb, 122);
        fe = _mm_cmpestrc(a, la, b, lb, 122) | _mm_cmpestrz(a, la, b, lb, 122) << 1 | _mm_cmpestrs(a, la, b, lb, 122) << 2 | _mm_cmpestro(a, la, b, lb, 122) << 3 | _mm_cmpestra(a, la, b, lb, 122) << 4;
        break;
    case 123:
        ri = _mm_cmpistri(a, b, 123); rm = _mm_cmpistrm(a, b, 123);
        fi = _mm_cmpistrc(a, b, 123) | _mm_cmpistrz(a, b, 123) << 1 | _mm_cmpistrs(a, b, 123) << 2 | _mm_cmpistro(a, b, 123) << 3 | _mm_cmpistra(a, b, 123) << 4;
        re = _mm_cmpestri(a, la, b, lb, 123); rem = _mm_cmpestrm(a, la, b, lb, 123);
        fe = _mm_cmpestrc(a, la, b, lb, 123) | _mm_cmpestrz(a, la, b, lb, 123) << 1 | _mm_cmpestrs(a, la, b, lb, 123) << 2 | _mm_cmpestro(a, la, b, lb, 123) << 3 | _mm_cmpestra(a, la, b, lb, 123) << 4;
        break;
    case 124:
        ri = _mm_cmpistri(a, b, 124); rm = _mm_cmpistrm(a, b, 124);
        fi = _mm_cmpistrc(a, b, 124) | _mm_cmpistrz(a, b, 124) << 1 | _mm_cmpistrs(a, b, 124) << 2 | _mm_cmpistro(a, b, 124) << 3 | _mm_cmpistra(a, b, 124) << 4;
        re = _mm_cmpestri(a, la, b, lb, 124); rem = _mm_cmpestrm(a, la, b, lb, 124);
        fe = _mm_cmpestrc(a, la, b, lb, 124) | _mm_cmpestrz(a, la, b, lb, 124) << 1 | _mm_cmpestrs(a, la, b, lb, 124) << 2 | _mm_cmpestro(a, la, b, lb, 124) << 3 | _mm_cmpestra(a, la, b, lb, 124) << 4;
        break;
    case 125:
        ri = _mm_cmpistri(a, b, 125); rm = _mm_cmpistrm(a, b, 125);
        fi = _mm_cmpistrc(a, b, 125) | _mm_cmpistrz(a, b, 125) << 1 | _mm_cmpistrs(a, b, 125) << 2 | _mm_cmpistro(a, b, 125) << 3 | _mm_cmpistra(a, b, 125) << 4;
        re = _mm_cmpestri(a, la, b, lb, 125); rem = _mm_cmpestrm(a, la, b, lb, 125);
        fe = _mm_cmpestrc(a, la, b, lb, 125) | _mm_cmpestrz(a, la, b, lb, 125) << 1 | _mm_cmpestrs(a, la, b, lb, 125) << 2 | _mm_cmpestro(a, la, b, lb, 125) << 3 | _mm_cmpestra(a, la, b, lb, 125) << 4;
        break;
    case 126:
        ri = _mm_cmpistri(a, b, 126); rm = _mm_cmpistrm(a, b, 126);
        fi = _mm_cmpistrc(a, b, 126) | _mm_cmpistrz(a, b, 126) << 1 | _mm_cmpistrs(a, b, 126) << 2 | _mm_cmpistro(a, b, 126) << 3 | _mm_cmpistra(a, b, 126) << 4;
        re = _mm_cmpestri(a, la, b, lb, 126); rem = _mm_cmpestrm(a, la, b, lb, 126);
        fe = _mm_cmpestrc(a, la, b, lb, 126) | _mm_cmpestrz(a, la, b, lb, 126) << 1 | _mm_cmpestrs(a, la, b, lb, 126) << 2 | _mm_cmpestro(a, la, b, lb, 126) << 3 | _mm_cmpestra(a, la, b, lb, 126) << 4;
        break;
    case 127:
        ri = _mm_cmpistri(a, b, 127); rm = _mm_cmpistrm(a, b, 127);
        fi = _mm_cmpistrc(a, b, 127) | _mm_cmpistrz(a, b, 127) << 1 | _mm_cmpistrs(a, b, 127) << 2 | _mm_cmpistro(a, b, 127) << 3 | _mm_cmpistra(a, b, 127) << 4;
        re = _mm_cmpestri(a, la, b, lb, 127); rem = _mm_cmpestrm(a, la, b, lb, 127);
        fe = _mm_cmpestrc(a, la, b, lb, 127) | _mm_cmpestrz(a, la, b, lb, 127) << 1 | _mm_cmpestrs(a, la, b, lb, 127) << 2 | _mm_cmpestro(a, la, b, lb, 127) << 3 | _mm_cmpestra(a, la, b, lb, 127) << 4;
        break;
    }
    uint64_t m[4];
    memcpy(m, &rm, 16); memcpy(m + 2, &rem, 16);
    uint64_t h = (uint64_t)ri | (uint64_t)re << 8 | (uint64_t)fi << 16 | (uint64_t)fe << 24;
    h ^= m[0] * 3 ^ m[1] * 5 ^ m[2] * 7 ^ m[3] * 11;
    *sum = (*sum ^ h) * 0x100000001B3ull;
}

int main(void)
{
    for (int imm = 0; imm < 128; imm++) {
        uint64_t sum = 0xCBF29CE484222325ull;
        for (int n = 0; n < 300; n++) {
            uint8_t x[16], y[16];
            fill(x); fill(y);
            if (n % 3 == 0)     /* a needle taken from the haystack, anywhere in it */
                memcpy(x, y + next() % 16, 1 + next() % 4);
            int la = (int)(next() % 40) - 20, lb = (int)(next() % 40) - 20;
            one(imm, x, y, la, lb, &sum);
        }
        printf("%02x %016llx\n", imm, (unsigned long long)sum);
    }
    return 0;
}
