/*===- pool.c - the thread pool of the CPU model libraries ----------------===*
 *
 * See pool.h for what it is for. The protocol:
 *
 *  - A job (one parallel loop) lives in one of two slots, by the parity of
 *    its generation g. The running thread (the owner) fills the slot, then
 *    publishes the ticket (g << 32 | 0).
 *  - A thread takes tasks [i, i + c) by a compare-and-swap of the ticket
 *    from (g << 32 | i) to (g << 32 | i + c), when i < the slot's size;
 *    c is 1 / (2 x threads) of what is left, at least 1 (guided
 *    scheduling), so a loop of many small tasks costs a few swaps, not one
 *    per task. A successful swap
 *    proves job g is still open: the owner moves on only when every task
 *    taken has finished, and rewrites this slot only for job g + 2. So the
 *    slot's fields read after the swap are job g's. Only `size` is read
 *    before the swap, where it may be a later job's; it is atomic, and the
 *    failed swap then discards it.
 *  - The owner takes tasks too, then waits for `done` to reach `size`.
 *  - Workers spin (with the CPU's pause, yielding the core every 256
 *    pauses) while the owner is in a run and tasks came in the last
 *    spin_ns; then, and outside runs, they sleep on the condition
 *    variable. The owner wakes sleepers at yolo_pool_enter (ahead of the
 *    first loop) and at each job it publishes.
 *    No lost wake-up: a sleeper registers in `sleepers` and re-checks the
 *    ticket and the epoch under the mutex; the owner changes them before
 *    it reads `sleepers` (all sequentially consistent), and broadcasts
 *    under the mutex.
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { max_threads = 256, cache_line = 64 };

/* How long a worker in a run spins without a new job before it sleeps:
   several times gelan-t 640's average kernel call (0.44 ms at one thread:
   111.8 ms of step medians over 252 steps, bench/profile.py), so that it
   bridges the serial work between two parallel loops, yet short enough
   not to hold a core through a long serial stretch. */
static const long long spin_ns = 2000000;

/* A job's fields, read-mostly, and its counters, written by every thread,
   on separate cache lines. */
typedef struct {
  _Alignas(cache_line) halide_task_t f;
  void *user_context;
  uint8_t *closure;
  int min;
  atomic_int size;                      /* read before the swap: atomic */
  _Alignas(cache_line) atomic_int done; /* tasks finished */
  atomic_int error;                     /* the first nonzero result of a task */
} job_t;

struct yolo_pool {
  _Alignas(cache_line) _Atomic uint64_t ticket; /* generation << 32 | task */
  _Alignas(cache_line) job_t jobs[2];
  _Alignas(cache_line) atomic_int running; /* the owner is in a run */
  atomic_uint epoch;                       /* + 1 at each yolo_pool_enter */
  atomic_int sleepers;
  atomic_int stop;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  uint32_t generation; /* the owner's: the last job published */
  int workers;
  int nthreads; /* workers + 1: the guided share's divisor */
  pthread_t threads[];
};

/* The pool of the run on this thread, and whether this thread is running
   a task (a loop started there is nested: it runs in order). */
static _Thread_local yolo_pool_t *tls_pool;
static _Thread_local int tls_in_task;

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static halide_do_par_for_t previous_handler;

static void install(void) {
  previous_handler = halide_set_custom_do_par_for(yolo_pool_do_par_for);
  if (previous_handler == yolo_pool_do_par_for)
    previous_handler = NULL;
}

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void wake_sleepers(yolo_pool_t *p) {
  if (atomic_load(&p->sleepers) == 0)
    return;
  pthread_mutex_lock(&p->mutex);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mutex);
}

/* Runs tasks [i, i + n) of job j (none after a task failed). */
static void run_tasks(job_t *j, int i, int n) {
  int outer = tls_in_task;
  tls_in_task = 1;
  for (int k = i; k < i + n; ++k) {
    if (atomic_load_explicit(&j->error, memory_order_relaxed) != 0)
      break;
    int rc = j->f(j->user_context, j->min + k, j->closure);
    int none = 0;
    if (rc)
      atomic_compare_exchange_strong(&j->error, &none, rc);
  }
  tls_in_task = outer;
  atomic_fetch_add_explicit(&j->done, n, memory_order_release);
}

/* Takes and runs the next share of the tasks the ticket `t` names, if job
   t's slot has tasks left and the ticket still reads t. 1: ran them; 0:
   the job has no task left; -1: the ticket moved (read it again). */
static int take(yolo_pool_t *p, uint64_t t) {
  job_t *j = &p->jobs[(t >> 32) & 1];
  uint32_t i = (uint32_t)t;
  uint32_t size =
      (uint32_t)atomic_load_explicit(&j->size, memory_order_relaxed);
  if (i >= size)
    return 0;
  uint32_t n = (size - i) / (2u * (uint32_t)p->nthreads);
  if (n == 0)
    n = 1;
  if (!atomic_compare_exchange_strong(&p->ticket, &t, t + n))
    return -1;
  run_tasks(j, (int)i, (int)n);
  return 1;
}

/* Sleeps until the ticket is no longer t, the epoch no longer e, or the
   pool stops. */
static void sleep_on(yolo_pool_t *p, uint64_t t, unsigned e) {
  pthread_mutex_lock(&p->mutex);
  atomic_fetch_add(&p->sleepers, 1);
  while (atomic_load(&p->ticket) == t && atomic_load(&p->epoch) == e &&
         !atomic_load(&p->stop))
    pthread_cond_wait(&p->wake, &p->mutex);
  atomic_fetch_sub(&p->sleepers, 1);
  pthread_mutex_unlock(&p->mutex);
}

static void *worker(void *arg) {
  yolo_pool_t *p = (yolo_pool_t *)arg;
  uint64_t seen = atomic_load(&p->ticket);
  long long idle_since = 0; /* 0: not measured yet */
  unsigned spins = 0;
  for (;;) {
    unsigned e = atomic_load(&p->epoch);
    uint64_t t = atomic_load(&p->ticket);
    if (t != seen) { /* a new job, or a task taken: not idle */
      seen = t;
      idle_since = 0;
    }
    if (take(p, t))
      continue;
    if (atomic_load(&p->stop))
      return NULL;
    if (!atomic_load(&p->running)) {
      sleep_on(p, t, e);
      idle_since = 0;
      continue;
    }
    if ((++spins & 255) == 0) {
      long long now = now_ns();
      if (!idle_since)
        idle_since = now;
      else if (now - idle_since > spin_ns) {
        sleep_on(p, t, e);
        idle_since = 0;
        continue;
      }
      /* Every 256 pauses (a few microseconds), the core goes to any other
         thread that is ready to run on it: with more threads than cores
         (two contexts running at once), spinning would take the core
         from a thread with work. On an idle core this returns at once. */
      sched_yield();
    }
    cpu_relax();
  }
}

yolo_pool_t *yolo_pool_create(int threads) {
  if (threads < 2 || threads > max_threads)
    return NULL;
  pthread_once(&install_once, install);
  int workers = threads - 1;
  size_t bytes = sizeof(yolo_pool_t) + (size_t)workers * sizeof(pthread_t);
  bytes = (bytes + cache_line - 1) / cache_line * cache_line;
  yolo_pool_t *p = (yolo_pool_t *)aligned_alloc(cache_line, bytes);
  if (!p)
    return NULL;
  memset(p, 0, bytes);
  atomic_init(&p->ticket, 0);
  for (int k = 0; k < 2; ++k) {
    atomic_init(&p->jobs[k].size, 0);
    atomic_init(&p->jobs[k].done, 0);
    atomic_init(&p->jobs[k].error, 0);
  }
  atomic_init(&p->running, 0);
  atomic_init(&p->epoch, 0);
  atomic_init(&p->sleepers, 0);
  atomic_init(&p->stop, 0);
  p->nthreads = threads;
  if (pthread_mutex_init(&p->mutex, NULL) != 0) {
    free(p);
    return NULL;
  }
  if (pthread_cond_init(&p->wake, NULL) != 0) {
    pthread_mutex_destroy(&p->mutex);
    free(p);
    return NULL;
  }
  for (p->workers = 0; p->workers < workers; ++p->workers)
    if (pthread_create(&p->threads[p->workers], NULL, worker, p) != 0) {
      yolo_pool_destroy(p);
      return NULL;
    }
  return p;
}

void yolo_pool_destroy(yolo_pool_t *p) {
  if (!p)
    return;
  atomic_store(&p->stop, 1);
  pthread_mutex_lock(&p->mutex);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mutex);
  for (int k = 0; k < p->workers; ++k)
    pthread_join(p->threads[k], NULL);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->mutex);
  free(p);
}

void yolo_pool_enter(yolo_pool_t *p) {
  if (!p)
    return;
  tls_pool = p;
  atomic_store(&p->running, 1);
  atomic_fetch_add(&p->epoch, 1);
  wake_sleepers(p);
}

void yolo_pool_leave(yolo_pool_t *p) {
  if (!p)
    return;
  atomic_store(&p->running, 0);
  tls_pool = NULL;
}

static int run_in_order(void *uc, halide_task_t f, int min, int size,
                        uint8_t *closure) {
  for (int i = 0; i < size; ++i) {
    int rc = f(uc, min + i, closure);
    if (rc)
      return rc;
  }
  return 0;
}

int yolo_pool_do_par_for(void *uc, halide_task_t f, int min, int size,
                         uint8_t *closure) {
  yolo_pool_t *p = tls_pool;
  if (tls_in_task || size <= 1 || (!p && !previous_handler))
    return run_in_order(uc, f, min, size, closure);
  if (!p)
    return previous_handler(uc, f, min, size, closure);
  uint32_t g = ++p->generation;
  job_t *j = &p->jobs[g & 1];
  j->f = f;
  j->user_context = uc;
  j->closure = closure;
  j->min = min;
  atomic_store_explicit(&j->done, 0, memory_order_relaxed);
  atomic_store_explicit(&j->error, 0, memory_order_relaxed);
  atomic_store_explicit(&j->size, size, memory_order_relaxed);
  atomic_store(&p->ticket, (uint64_t)g << 32); /* publishes the slot */
  wake_sleepers(p);
  for (;;) {
    uint64_t t = atomic_load(&p->ticket);
    if (take(p, t) == 0)
      break;
  }
  /* Tasks workers took may still run. */
  for (unsigned spins = 0;
       atomic_load_explicit(&j->done, memory_order_acquire) != size; ++spins)
    if (spins < 4096)
      cpu_relax();
    else
      sched_yield();
  return atomic_load_explicit(&j->error, memory_order_relaxed);
}
