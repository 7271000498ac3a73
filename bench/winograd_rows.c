/*
 * winograd_rows.c - the Winograd products' register tile over two weight
 * layouts: why --yolo-winograd lays the transformed weights out in blocks
 * of 16 output channels (include/yolo/Target/Winograd.h,
 * kWinogradWeightBlock).
 *
 * Build: cc -O2 bench/winograd_rows.c -o winograd_rows
 *
 * No -m ISA flags: the AVX-512 and AVX2 loops are compiled with
 * __attribute__((target(...))) and chosen at run time with
 * __builtin_cpu_supports() (less what the test-only YOLO_CPU_DISABLE lists);
 * an ISA the CPU lacks gets a "skipped" line. On
 * other architectures the program says it is x86-64 only (exit status 0).
 *
 * Usage: winograd_rows [--cin 128] [--cout 128] [--trials 20]
 *
 * The loop is the kernel's (Schedules/X86.cpp, convWinograd): for each
 * block of output channels (2 vectors), each of 4 tile rows of 20 tiles,
 * each of the 36 points of F(4x4, 3x3) and each group of 10 tiles along
 * the row, 20 accumulators (2 vectors x 10 tiles; AVX2: 5 tiles) summed
 * over the input channels: per input channel 2 vector loads of weights, 10
 * broadcasts of the transformed input, 20 FMAs. Only the weights' layout
 * differs: rows:   [36][cin][cout], output channels innermost over all of cout:
 *           consecutive input channels lie cout * 4 bytes apart;
 *   blocks: [36][cout / 16][cin][16], a block's rows 64 bytes apart.
 * With rows of 512 bytes or more, the rows one block reads map to a few
 * of the L1 cache's sets. GFLOP/s = 2 * cout * 4 * 36 * 20 * cin / the
 * best of --trials runs, one thread.
 *
 * Output, one line per (isa, layout):
 *   winograd_rows isa=avx512 layout=rows row_bytes=512 gflops=90.1 ms=1.032
 *   winograd_rows isa=avx512 layout=blocks row_bytes=64 gflops=151.5 ms=0.623
 */
#define _GNU_SOURCE
#include <stdio.h>

#if defined(__x86_64__)
#include <immintrin.h>
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

enum { T = 36, TILES_W = 20, TILE_ROWS = 4, ALONG_W = 10, BLOCK = 16 };

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The weights (rows or blocks, the same values either way: only the
   addresses matter here), the transformed input and the products. */
typedef struct {
  const float *w;
  const float *v; /* [TILE_ROWS][T][cin][TILES_W] */
  float *out;
  int cin, cout, blocked;
} job_t;

static const float *weights_at(const job_t *j, int k, int co) {
  if (!j->blocked)
    return j->w + (size_t)k * j->cin * j->cout + co;
  /* Input channel 0's vector of output channels co .. co + 15 (co a
     multiple of 16); the next input channel's is 16 floats on. */
  return j->w + ((size_t)k * (j->cout / BLOCK) + co / BLOCK) * j->cin * BLOCK +
         co % BLOCK;
}

__attribute__((target("avx512f"))) static void run_avx512(const job_t *j) {
  size_t rs = j->blocked ? BLOCK : (size_t)j->cout;
  for (int co = 0; co < j->cout; co += 32)
    for (int ty = 0; ty < TILE_ROWS; ++ty)
      for (int k = 0; k < T; ++k)
        for (int g = 0; g < TILES_W / ALONG_W; ++g) {
          __m512 acc[20];
          for (int i = 0; i < 20; ++i)
            acc[i] = _mm512_setzero_ps();
          const float *w0 = weights_at(j, k, co),
                      *w1 = weights_at(j, k, co + 16);
          const float *v =
              j->v + (((size_t)ty * T + k) * j->cin) * TILES_W + g * ALONG_W;
          for (int r = 0; r < j->cin; ++r) {
            __m512 a = _mm512_loadu_ps(w0 + r * rs),
                   b = _mm512_loadu_ps(w1 + r * rs);
#pragma GCC unroll 10
            for (int t = 0; t < ALONG_W; ++t) {
              __m512 x = _mm512_set1_ps(v[r * TILES_W + t]);
              acc[2 * t] = _mm512_fmadd_ps(a, x, acc[2 * t]);
              acc[2 * t + 1] = _mm512_fmadd_ps(b, x, acc[2 * t + 1]);
            }
          }
          float *o = j->out + ((((size_t)co / 32 * TILE_ROWS + ty) * T + k) *
                                   (TILES_W / ALONG_W) +
                               g) *
                                  320;
          for (int i = 0; i < 20; ++i)
            _mm512_storeu_ps(o + 16 * i, acc[i]);
        }
}

/* AVX2: the same loop with the AVX2 Winograd tile, 2 vectors of 8 output
   channels by 5 tiles along the row (10 accumulators of 16 registers). */
__attribute__((target("avx2,fma"))) static void run_avx2(const job_t *j) {
  size_t rs = j->blocked ? BLOCK : (size_t)j->cout;
  for (int co = 0; co < j->cout; co += 16)
    for (int ty = 0; ty < TILE_ROWS; ++ty)
      for (int k = 0; k < T; ++k)
        for (int g = 0; g < TILES_W / 5; ++g) {
          __m256 acc[10];
          for (int i = 0; i < 10; ++i)
            acc[i] = _mm256_setzero_ps();
          const float *w0 = weights_at(j, k, co);
          const float *v =
              j->v + (((size_t)ty * T + k) * j->cin) * TILES_W + g * 5;
          for (int r = 0; r < j->cin; ++r) {
            __m256 a = _mm256_loadu_ps(w0 + r * rs),
                   b = _mm256_loadu_ps(w0 + r * rs + 8);
#pragma GCC unroll 5
            for (int t = 0; t < 5; ++t) {
              __m256 x = _mm256_set1_ps(v[r * TILES_W + t]);
              acc[2 * t] = _mm256_fmadd_ps(a, x, acc[2 * t]);
              acc[2 * t + 1] = _mm256_fmadd_ps(b, x, acc[2 * t + 1]);
            }
          }
          float *o = j->out + ((((size_t)co / 16 * TILE_ROWS + ty) * T + k) *
                                   (TILES_W / 5) +
                               g) *
                                  80;
          for (int i = 0; i < 10; ++i)
            _mm256_storeu_ps(o + 8 * i, acc[i]);
        }
}

static void measure(const char *isa, void (*run)(const job_t *), job_t *j,
                    int trials) {
  double flops = 2.0 * j->cout * TILE_ROWS * T * TILES_W * (double)j->cin;
  for (int blocked = 0; blocked < 2; ++blocked) {
    j->blocked = blocked;
    run(j); /* warm-up */
    double best = 1e30;
    for (int i = 0; i < trials; ++i) {
      double t0 = now_s();
      run(j);
      double dt = now_s() - t0;
      if (dt < best)
        best = dt;
    }
    printf("winograd_rows isa=%s layout=%s row_bytes=%d gflops=%.1f ms=%.3f\n",
           isa, blocked ? "blocks" : "rows", blocked ? BLOCK * 4 : j->cout * 4,
           flops / best * 1e-9, best * 1e3);
  }
}

int main(int argc, char **argv) {
  int cin = 128, cout = 128, trials = 20;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && !strcmp(argv[i], "--cin"))
      cin = atoi(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--cout"))
      cout = atoi(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--trials"))
      trials = atoi(argv[++i]);
    else {
      fprintf(stderr,
              "usage: winograd_rows [--cin N] [--cout N (a multiple of 32)] "
              "[--trials N]\n");
      return 2;
    }
  }
  if (cin < 1 || cout < 32 || cout % 32 || trials < 1) {
    fprintf(stderr, "winograd_rows: --cin must be >= 1, --cout a positive "
                    "multiple of 32, --trials >= 1\n");
    return 2;
  }
  size_t nw = (size_t)T * cin * cout,
         nv = (size_t)TILE_ROWS * T * cin * TILES_W,
         no = (size_t)cout * TILE_ROWS * T * TILES_W;
  /* Cache-line aligned, as the library's weights and buffers are. */
  float *w = aligned_alloc(64, (nw * sizeof(float) + 63) / 64 * 64),
        *v = aligned_alloc(64, (nv * sizeof(float) + 63) / 64 * 64),
        *out = aligned_alloc(64, (no * sizeof(float) + 63) / 64 * 64);
  if (!w || !v || !out) {
    fprintf(stderr, "winograd_rows: out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < nw; ++i)
    w[i] = 1e-3f * (float)(i % 7);
  for (size_t i = 0; i < nv; ++i)
    v[i] = 1e-3f * (float)(i % 5);
  job_t j = {w, v, out, cin, cout, 0};
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && !avx512_disabled())
    measure("avx512", run_avx512, &j, trials);
  else
    printf("winograd_rows isa=avx512 skipped: this CPU lacks avx512f\n");
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      !disabled("avx2") && !disabled("fma"))
    measure("avx2", run_avx2, &j, trials);
  else
    printf("winograd_rows isa=avx2 skipped: this CPU lacks avx2 or fma\n");
  free(w);
  free(v);
  free(out);
  return 0;
}

#else
int main(void) {
  printf("winograd_rows: x86-64 only\n");
  return 0;
}
#endif
