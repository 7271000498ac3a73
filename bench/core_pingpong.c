/*
 * core_pingpong.c - how far apart two CPUs are: the round trip of a cache
 * line bounced between two threads pinned to them.
 *
 * Build (run_bench.py does this itself, into a temporary folder):
 *   cc -O2 -pthread bench/core_pingpong.c -o core_pingpong
 *
 * Usage: core_pingpong [--rounds N] [--bandwidth]
 *
 * Pins one thread to each of the first two CPUs the process may run on
 * (its affinity mask) and passes a counter back and forth N times (200000 by
 * default), each thread waiting for the other's increment. Prints
 *   core_pingpong cpus=0,1 round_trip_ns=98
 * or, with fewer than two CPUs allowed, "core_pingpong skipped: ..." (exit
 * status 0). --bandwidth also times, on the first CPU, reading a 2 MB
 * buffer that the second CPU has just written, against one the first CPU
 * wrote itself (medians of 9 reads each), and appends
 *   other_read_gbs=27.1 own_read_gbs=97.2
 * With a shared L3 both are cache speeds; without one, what the other core
 * wrote comes at about the speed of memory.
 *
 * Why: on a VM the host may place two vCPUs on cores that share a cache
 * (Zen 5: one CCD; about 100 ns here) or on cores that do not (about
 * 400 ns), and move them from minute to minute. Multi-threaded inference
 * reads what the other thread wrote, so its 2-thread latency moves with
 * this number (bench/README.md, sessions 12 and 13).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static _Alignas(64) atomic_long counter;
static long rounds = 200000;
static int cpus[2];

static int pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *partner(void *arg) {
  (void)arg;
  pin(cpus[1]);
  for (long i = 0; i < rounds; ++i) {
    while (atomic_load_explicit(&counter, memory_order_acquire) != 2 * i + 1)
      ;
    atomic_store_explicit(&counter, 2 * i + 2, memory_order_release);
  }
  return NULL;
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

enum { buffer_floats = (2 << 20) / sizeof(float), reads = 9 };
static float *buffer;
static atomic_int turn; /* 1: the second CPU writes the buffer; 2: done */

static void fill(float value) {
  volatile float *p = buffer;
  for (size_t i = 0; i < buffer_floats; ++i)
    p[i] = value;
}

/* GB/s of one read of the buffer: one float of each 64-byte line, into 8
   independent sums, so that the time is the lines' transfer and not the
   additions (the file is built with plain -O2, without wide vectors). */
static double read_rate(void) {
  float sums[8] = {0};
  double t0 = seconds();
  for (size_t i = 0; i < buffer_floats; i += 8 * 16)
    for (int k = 0; k < 8; ++k)
      sums[k] += buffer[i + 16 * k];
  double t = seconds() - t0;
  volatile float sink = 0;
  for (int k = 0; k < 8; ++k)
    sink += sums[k];
  (void)sink;
  return (double)buffer_floats * sizeof(float) / t / 1e9;
}

static void *writer(void *arg) {
  (void)arg;
  pin(cpus[1]);
  for (;;) {
    int v;
    while ((v = atomic_load(&turn)) == 0)
      ;
    if (v == 2)
      return NULL;
    fill(1.0f);
    atomic_store(&turn, 0);
  }
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Medians of `reads` reads of the buffer, right after the second CPU wrote
   it (*other) and right after this CPU did (*own). 0: could not run. */
static int bandwidth(double *other, double *own) {
  buffer = aligned_alloc(64, buffer_floats * sizeof(float));
  if (!buffer)
    return 0;
  pthread_t t;
  if (pthread_create(&t, NULL, writer, NULL) != 0) {
    free(buffer);
    return 0;
  }
  double o[reads], s[reads];
  for (int r = 0; r < reads; ++r) {
    atomic_store(&turn, 1);
    while (atomic_load(&turn) != 0)
      ;
    o[r] = read_rate();
    fill(2.0f);
    s[r] = read_rate();
  }
  atomic_store(&turn, 2);
  pthread_join(t, NULL);
  free(buffer);
  qsort(o, reads, sizeof o[0], compare);
  qsort(s, reads, sizeof s[0], compare);
  *other = o[reads / 2];
  *own = s[reads / 2];
  return 1;
}

int main(int argc, char **argv) {
  int withBandwidth = 0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--bandwidth")) {
      withBandwidth = 1;
    } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = strtol(argv[++i], NULL, 10);
      if (rounds < 1) {
        fprintf(stderr, "core_pingpong: --rounds must be at least 1\n");
        return 2;
      }
    } else {
      fprintf(stderr, "usage: core_pingpong [--rounds N] [--bandwidth]\n");
      return 2;
    }
  }
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
    printf("core_pingpong skipped: cannot read the CPU affinity mask\n");
    return 0;
  }
  int found = 0;
  for (int c = 0; c < CPU_SETSIZE && found < 2; ++c)
    if (CPU_ISSET(c, &allowed))
      cpus[found++] = c;
  if (found < 2) {
    printf("core_pingpong skipped: fewer than two CPUs allowed\n");
    return 0;
  }
  if (pin(cpus[0]) != 0) {
    printf("core_pingpong skipped: cannot pin to CPU %d\n", cpus[0]);
    return 0;
  }
  pthread_t t;
  if (pthread_create(&t, NULL, partner, NULL) != 0) {
    printf("core_pingpong skipped: cannot start a thread\n");
    return 0;
  }
  double start = seconds();
  for (long i = 0; i < rounds; ++i) {
    atomic_store_explicit(&counter, 2 * i + 1, memory_order_release);
    while (atomic_load_explicit(&counter, memory_order_acquire) != 2 * i + 2)
      ;
  }
  double ns = (seconds() - start) * 1e9 / (double)rounds;
  pthread_join(t, NULL);
  printf("core_pingpong cpus=%d,%d round_trip_ns=%.0f", cpus[0], cpus[1], ns);
  double other, own;
  if (withBandwidth && bandwidth(&other, &own))
    printf(" other_read_gbs=%.1f own_read_gbs=%.1f", other, own);
  printf("\n");
  return 0;
}
