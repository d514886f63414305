#ifndef DLNTUI_CKERNELS_H
#define DLNTUI_CKERNELS_H
/* Small numerical kernels that need instructions beyond the baseline x86-64 build (AVX-512), chosen
   at run time from what the CPU and the operating system support, with a portable fallback. Each
   computes exactly the same expressions as the Swift code it replaces (no fused multiply-adds:
   FP_CONTRACT is off), so results are the same to the bit on every path. */

/* Rotation of two contiguous rows of n entries: with small != 0, Rutishauser's increment form
   x <- x - s (y + tau x), y <- y + s (x - tau y); otherwise x <- c x - s y, y <- s x + c y. */
void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small);

/* 1 when dln_rotate_rows runs its AVX-512 path on this machine. */
int dln_rotate_rows_uses_avx512(void);

#endif
