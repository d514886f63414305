#ifndef DLNTUI_CKERNELS_H
#define DLNTUI_CKERNELS_H
/* Small numerical kernels that need instructions beyond the baseline x86-64 build (AVX2, AVX-512), chosen
   at run time from what the CPU and the operating system support, with a portable fallback. Each
   computes exactly the same expressions as the Swift code it replaces (no fused multiply-adds:
   FP_CONTRACT is off), so results are the same to the bit on every path. */

/* Rotation of two contiguous rows of n entries: with small != 0, Rutishauser's increment form
   x <- x - s (y + tau x), y <- y + s (x - tau y); otherwise x <- c x - s y, y <- s x + c y. */
void dln_rotate_rows(double *x, double *y, long n, double c, double s, double tau, int small);

/* The path dln_rotate_rows takes for rows of 8 or more on this machine: 2 = AVX-512F, 1 = AVX2,
   0 = portable (shorter rows always take the portable one). */
int dln_rotate_rows_path(void);

/* The same rotation on a named path (as above), for tests of every path this machine can run;
   returns 0, touching nothing, when the CPU or OS cannot run it. */
int dln_rotate_rows_on(int which, double *x, double *y, long n, double c, double s, double tau, int small);

#endif
