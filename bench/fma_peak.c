/*
 * fma_peak.c - fp32 FMA throughput microbenchmark (the machine's compute peak).
 *
 * Build (run_bench.py does this itself, into a temporary folder):
 *   cc -O2 -pthread bench/fma_peak.c -o fma_peak
 *
 * No -m ISA flags: the binary runs on every x86-64 CPU. The AVX-512 and AVX2
 * kernels are compiled with __attribute__((target(...))) and chosen at run
 * time with __builtin_cpu_supports() (less what the test-only YOLO_CPU_DISABLE
 * lists): every ISA the CPU supports is measured
 * (avx512 and avx2 on an AVX-512 CPU, avx2 only on an AVX2+FMA CPU), and for
 * each one it lacks a "skipped" line says why. A CPU without AVX2+FMA gets a
 * message and no measurement lines (exit status 0). On other architectures the
 * program only says that it is x86-64 only (exit status 0).
 *
 * Usage: fma_peak [--threads 1,2] [--ms 200] [--trials 5]
 *
 * Each thread runs a loop of independent FMA chains (acc[i] = acc[i] * m + c),
 * 16 zmm chains for AVX-512 and 12 ymm chains for AVX2: with a 4-cycle FMA
 * latency and 2 FMA pipes, 8 chains in flight already saturate both pipes, so
 * the loop is throughput-bound, not latency-bound. The FLOP count is
 * 2 * lanes * chains * iterations per thread; GFLOP/s = sum over threads /
 * wall time of the slowest thread. The best of --trials trials is reported
 * (the machine is shared; the best trial is the closest to the hardware peak).
 *
 * Output: one line per measured (isa, threads), one line per skipped isa:
 *   fma_peak isa=avx512 threads=1 gflops=204.3 ms=200.1
 *   fma_peak isa=avx512 skipped: this CPU lacks avx512f
 */
#define _GNU_SOURCE
#include <stdio.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The test-only YOLO_CPU_DISABLE (comma-separated /proc/cpuinfo names, as
 * the generated libraries read it: runtime/include/yolo_runtime.h) takes
 * features away, so that the suite can run as on a CPU without them. */
static int disabled(const char *feature) {
  const char *list = getenv("YOLO_CPU_DISABLE");
  size_t n = strlen(feature);
  while (list && *list) {
    const char *end = strchr(list, ',');
    size_t len = end ? (size_t)(end - list) : strlen(list);
    if (len == n && !strncmp(list, feature, n))
      return 1;
    list = end ? end + 1 : NULL;
  }
  return 0;
}

/* AVX-512 as lit's cpu-avx512 feature has it (test/lit.cfg.py): none of
 * F, CD, BW, DQ and VL listed in YOLO_CPU_DISABLE. */
static int avx512_disabled(void) {
  return disabled("avx512f") || disabled("avx512cd") || disabled("avx512bw") ||
         disabled("avx512dq") || disabled("avx512vl");
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Keeps results observable so the compiler cannot delete the loops. */
static volatile float g_sink;

#define INNER 64 /* unrolled FMA rounds per loop iteration check */

#define NZ 16
__attribute__((target("avx512f"))) static double run_avx512(int64_t iters) {
  __m512 acc[NZ];
  const __m512 m = _mm512_set1_ps(0.999999f);
  const __m512 c = _mm512_set1_ps(1e-6f);
  for (int i = 0; i < NZ; ++i)
    acc[i] = _mm512_set1_ps((float)i);
  for (int64_t it = 0; it < iters; ++it) {
    for (int r = 0; r < INNER; ++r) {
#pragma GCC unroll 16
      for (int i = 0; i < NZ; ++i)
        acc[i] = _mm512_fmadd_ps(acc[i], m, c);
    }
  }
  __m512 s = acc[0];
  for (int i = 1; i < NZ; ++i)
    s = _mm512_add_ps(s, acc[i]);
  g_sink = _mm512_reduce_add_ps(s);
  return 2.0 * 16 * NZ * INNER * (double)iters;
}

#define NY 12
__attribute__((target("avx2,fma"))) static double run_avx2(int64_t iters) {
  __m256 acc[NY];
  const __m256 m = _mm256_set1_ps(0.999999f);
  const __m256 c = _mm256_set1_ps(1e-6f);
  for (int i = 0; i < NY; ++i)
    acc[i] = _mm256_set1_ps((float)i);
  for (int64_t it = 0; it < iters; ++it) {
    for (int r = 0; r < INNER; ++r) {
#pragma GCC unroll 12
      for (int i = 0; i < NY; ++i)
        acc[i] = _mm256_fmadd_ps(acc[i], m, c);
    }
  }
  __m256 s = acc[0];
  for (int i = 1; i < NY; ++i)
    s = _mm256_add_ps(s, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, s);
  g_sink =
      out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
  return 2.0 * 8 * NY * INNER * (double)iters;
}

typedef double (*kernel_fn)(int64_t);

typedef struct {
  kernel_fn fn;
  int64_t iters;
  pthread_barrier_t *barrier;
  double flops, t0, t1;
} job_t;

static void *worker(void *arg) {
  job_t *j = (job_t *)arg;
  pthread_barrier_wait(j->barrier);
  j->t0 = now_s();
  j->flops = j->fn(j->iters);
  j->t1 = now_s();
  return NULL;
}

/* One timed trial with nthreads threads; returns GFLOP/s, sets *ms. */
static double trial(kernel_fn fn, int nthreads, int64_t iters, double *ms) {
  pthread_t tid[64];
  job_t jobs[64];
  pthread_barrier_t barrier;
  pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
  for (int t = 0; t < nthreads; ++t) {
    jobs[t].fn = fn;
    jobs[t].iters = iters;
    jobs[t].barrier = &barrier;
    pthread_create(&tid[t], NULL, worker, &jobs[t]);
  }
  double flops = 0, t0 = 1e300, t1 = 0;
  for (int t = 0; t < nthreads; ++t) {
    pthread_join(tid[t], NULL);
    flops += jobs[t].flops;
    if (jobs[t].t0 < t0)
      t0 = jobs[t].t0;
    if (jobs[t].t1 > t1)
      t1 = jobs[t].t1;
  }
  pthread_barrier_destroy(&barrier);
  *ms = (t1 - t0) * 1e3;
  return flops / (t1 - t0) * 1e-9;
}

static void measure(const char *isa, kernel_fn fn, const int *threads, int nt,
                    double target_ms, int trials) {
  /* Calibrate the iteration count so one trial takes about target_ms. */
  int64_t iters = 1000;
  double ms = 0;
  for (;;) {
    trial(fn, 1, iters, &ms);
    if (ms > 20.0 || iters > ((int64_t)1 << 40))
      break;
    iters *= 4;
  }
  iters = (int64_t)((double)iters * target_ms / ms);
  if (iters < 1)
    iters = 1;
  for (int k = 0; k < nt; ++k) {
    double best = 0, best_ms = 0;
    for (int r = 0; r < trials; ++r) {
      double g = trial(fn, threads[k], iters, &ms);
      if (g > best) {
        best = g;
        best_ms = ms;
      }
    }
    printf("fma_peak isa=%s threads=%d gflops=%.1f ms=%.1f\n", isa, threads[k],
           best, best_ms);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  int threads[64] = {1, 2}, nt = 2, trials = 5;
  double target_ms = 200.0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      nt = 0;
      for (char *tok = strtok(argv[++i], ","); tok && nt < 64;
           tok = strtok(NULL, ","))
        if (atoi(tok) > 0 && atoi(tok) <= 64)
          threads[nt++] = atoi(tok);
    } else if (!strcmp(argv[i], "--ms") && i + 1 < argc) {
      target_ms = atof(argv[++i]);
    } else if (!strcmp(argv[i], "--trials") && i + 1 < argc) {
      trials = atoi(argv[++i]);
      if (trials < 1)
        trials = 1;
    } else {
      fprintf(stderr, "usage: %s [--threads 1,2] [--ms 200] [--trials 5]\n",
              argv[0]);
      return 2;
    }
  }
  __builtin_cpu_init();
  const int has_avx512f =
      __builtin_cpu_supports("avx512f") && !avx512_disabled();
  const int has_avx2 = __builtin_cpu_supports("avx2") && !disabled("avx2");
  const int has_fma = __builtin_cpu_supports("fma") && !disabled("fma");
  int measured = 0;
  if (has_avx512f) {
    measure("avx512", run_avx512, threads, nt, target_ms, trials);
    ++measured;
  } else {
    printf("fma_peak isa=avx512 skipped: this CPU lacks avx512f\n");
  }
  if (has_avx2 && has_fma) {
    measure("avx2", run_avx2, threads, nt, target_ms, trials);
    ++measured;
  } else {
    printf("fma_peak isa=avx2 skipped: this CPU lacks %s\n",
           !has_avx2 && !has_fma ? "avx2 and fma"
           : !has_avx2           ? "avx2"
                                 : "fma");
  }
  if (!measured)
    printf("fma_peak: nothing measured: this CPU has neither avx512f nor "
           "avx2+fma\n");
  return 0;
}

#else /* !__x86_64__ */

int main(void) {
  printf("fma_peak: this benchmark is x86-64 only (AVX-512 / AVX2+FMA "
         "kernels); nothing measured on this architecture\n");
  return 0;
}

#endif
