#include "dln_kernels.h"

/* The same roundings as the Swift loops: no contraction of a * b + c into one FMA. */
#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

static void rotate_portable(double *x, double *y, long n, double c, double s, double tau, int small) {
    if (small) {
        for (long k = 0; k < n; k++) {
            double a = x[k], e = y[k];
            x[k] = a - s * (e + tau * a);
            y[k] = e + s * (a - tau * e);
        }
    } else {
        for (long k = 0; k < n; k++) {
            double a = x[k], e = y[k];
            x[k] = c * a - s * e;
            y[k] = s * a + c * e;
        }
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

/* Eight doubles an instruction, the tail under a mask: one pass for any n. */
__attribute__((target("avx512f")))
static void rotate_avx512(double *x, double *y, long n, double c, double s, double tau, int small) {
    const __m512d vs = _mm512_set1_pd(s);
    const __m512d vt = _mm512_set1_pd(small ? tau : c);
    for (long k = 0; k < n; k += 8) {
        long left = n - k;
        __mmask8 m = left >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << left) - 1);
        __m512d a = _mm512_maskz_loadu_pd(m, x + k);
        __m512d e = _mm512_maskz_loadu_pd(m, y + k);
        __m512d nx, ny;
        if (small) {
            nx = _mm512_sub_pd(a, _mm512_mul_pd(vs, _mm512_add_pd(e, _mm512_mul_pd(vt, a))));
            ny = _mm512_add_pd(e, _mm512_mul_pd(vs, _mm512_sub_pd(a, _mm512_mul_pd(vt, e))));
        } else {
            nx = _mm512_sub_pd(_mm512_mul_pd(vt, a), _mm512_mul_pd(vs, e));
            ny = _mm512_add_pd(_mm512_mul_pd(vs, a), _mm512_mul_pd(vt, e));
        }
        _mm512_mask_storeu_pd(x + k, m, nx);
        _mm512_mask_storeu_pd(y + k, m, ny);
    }
}

/* Four doubles an instruction (AVX2 CPUs without AVX-512, e.g. AMD Zen 2/3); separate multiplies and
   adds, as above, never FMA. The tail takes the portable loop: AMD's masked AVX stores (vmaskmovpd)
   are microcoded, and with them this path ran at 0.65-0.8x the Swift loop's steps/s on Zen 3. */
__attribute__((target("avx2")))
static void rotate_avx2(double *x, double *y, long n, double c, double s, double tau, int small) {
    const __m256d vs = _mm256_set1_pd(s);
    const __m256d vt = _mm256_set1_pd(small ? tau : c);
    long k = 0;
    for (; k + 4 <= n; k += 4) {
        __m256d a = _mm256_loadu_pd(x + k);
        __m256d e = _mm256_loadu_pd(y + k);
        __m256d nx, ny;
        if (small) {
            nx = _mm256_sub_pd(a, _mm256_mul_pd(vs, _mm256_add_pd(e, _mm256_mul_pd(vt, a))));
            ny = _mm256_add_pd(e, _mm256_mul_pd(vs, _mm256_sub_pd(a, _mm256_mul_pd(vt, e))));
        } else {
            nx = _mm256_sub_pd(_mm256_mul_pd(vt, a), _mm256_mul_pd(vs, e));
            ny = _mm256_add_pd(_mm256_mul_pd(vs, a), _mm256_mul_pd(vt, e));
        }
        _mm256_storeu_pd(x + k, nx);
        _mm256_storeu_pd(y + k, ny);
    }
    if (k < n) rotate_portable(x + k, y + k, n - k, c, s, tau, small);
}

/* 2 = AVX-512F, 1 = AVX2, 0 = portable; __builtin_cpu_supports checks the OS's XCR0 as well. */
static int best_path = -1;

static int path(void) {
    if (best_path < 0) {
        __builtin_cpu_init();
        best_path = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return best_path;
}

void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small) {
    int p = n >= 8 ? path() : 0;
    if (p == 2) rotate_avx512(x, y, n, c, s, tau, small);
    else if (p == 1) rotate_avx2(x, y, n, c, s, tau, small);
    else rotate_portable(x, y, n, c, s, tau, small);
}

int dln_rotate_rows_path(void) { return path(); }

int dln_rotate_rows_on(int which, double *x, double *y, long n, double c, double s, double tau, int small) {
    if (which < 0 || which > path()) return 0;
    if (which == 2) rotate_avx512(x, y, n, c, s, tau, small);
    else if (which == 1) rotate_avx2(x, y, n, c, s, tau, small);
    else rotate_portable(x, y, n, c, s, tau, small);
    return 1;
}
#else
void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small) {
    rotate_portable(x, y, n, c, s, tau, small);
}

int dln_rotate_rows_path(void) { return 0; }

int dln_rotate_rows_on(int which, double *x, double *y, long n, double c, double s, double tau, int small) {
    if (which != 0) return 0;
    rotate_portable(x, y, n, c, s, tau, small);
    return 1;
}
#endif
