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

static int avx512_state = -1;

static int has_avx512(void) {
    if (avx512_state < 0) {
        __builtin_cpu_init();
        avx512_state = __builtin_cpu_supports("avx512f") ? 1 : 0;
    }
    return avx512_state;
}

void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small) {
    if (n >= 8 && has_avx512()) rotate_avx512(x, y, n, c, s, tau, small);
    else rotate_portable(x, y, n, c, s, tau, small);
}

int dln_rotate_rows_uses_avx512(void) { return has_avx512(); }
#else
void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small) {
    rotate_portable(x, y, n, c, s, tau, small);
}

int dln_rotate_rows_uses_avx512(void) { return 0; }
#endif
