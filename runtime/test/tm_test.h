/* tm_test.h - what the tests control and observe in the test model's
   kernels and in the stand-ins for the Halide runtime (tm_kernels.c). */
#ifndef TM_TEST_H
#define TM_TEST_H

#ifdef __cplusplus
extern "C" {
#endif

/* The instruction-set features of the two variants (as /proc/cpuinfo
   names them): every CPU of the architecture has the first. */
#if defined(__aarch64__)
#define TM_BASE_FEATURE "asimd"
#define TM_FAST_FEATURE "asimddp"
#else
#define TM_BASE_FEATURE "sse2"
#define TM_FAST_FEATURE "avx"
#endif

/* The variant whose kernels ran last (0 or 1; -1 before any). */
extern int tm_last_variant;
/* The model's weights (NAME_weights in a generated library). */
extern const float tm_weights[];
/* The weights the add read last (its view's first element; NULL before
   any). */
extern const float *tm_last_weights;
/* When nonzero, the next call of kernel 1 (the scale) reports
   "injected failure" through Halide's error handler and returns this code;
   then it is reset. */
extern int tm_fail_code;
/* Called by kernel 0 (the add) before it computes, when set. */
extern void (*tm_hook)(void);
/* The last value passed to halide_set_num_threads (0 before any). */
extern int tm_num_threads;
/* How many parallel loops the stand-in default handler has run: those
   that did not go to a context's thread pool. */
int tm_default_par_for_calls(void);

#ifdef __cplusplus
}
#endif
#endif
