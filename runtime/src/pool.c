/*===- pool.c - the thread pool of the CPU model libraries ----------------===*
 *
 * See pool.h for what it is for. The protocol:
 *
 *  - A job (one parallel loop) lives in one of two slots, by the parity of
 *    its generation g. The running thread (the owner) fills the slot and
 *    gives each of the n threads a range of the tasks, the k-th of n equal
 *    parts (the owner's is the first), then publishes g. Each range is a
 *    word (g, begin, end) on a cache line of its own.
 *  - A thread takes the next task of its own range by a compare-and-swap
 *    of begin. When its range is empty it takes the upper half of what
 *    another range has left (a swap of that range's end), runs the first
 *    of those tasks and makes the rest its own range, which others can
 *    take halves of in turn. So without stealing, thread k runs the same
 *    part of every loop: loops over rows give it the same band of the
 *    image from layer to layer, whose activations sit in its own caches.
 *  - A successful swap proves job g still open: its tasks are not all
 *    taken, so the owner (which moves on only when every task has
 *    finished) has not rewritten the slot, which it does only for job
 *    g + 2. So the slot's fields read after the swap are job g's. Words
 *    of another generation compare unequal and are skipped.
 *  - The owner takes tasks too, then waits for `done` to reach the size.
 *  - Workers spin (with the CPU's pause, yielding the core every 256
 *    pauses) while the owner is in a run and tasks came in the last
 *    spin_ns; then, and outside runs, they sleep on the condition
 *    variable. The owner wakes sleepers at yolo_pool_enter (ahead of the
 *    first loop) and at each job it publishes.
 *    No lost wake-up: a sleeper registers in `sleepers` and re-checks the
 *    published generation and the epoch under the mutex; the owner changes
 *    them before it reads `sleepers` (all sequentially consistent), and
 *    broadcasts under the mutex.
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include "fpenv.h"

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

/* A range word: the job's generation (its low gen_bits bits), the first
   task of the range, and the end of the range. */
enum { task_bits = 22, gen_bits = 64 - 2 * task_bits };
#define task_mask ((1u << task_bits) - 1)
#define gen_mask ((1u << gen_bits) - 1)
/* The most tasks one job holds; a larger loop runs as several jobs. */
static const int max_tasks = (int)task_mask;

/* A job's fields, read-mostly, and its counters, written by every thread,
   on separate cache lines. */
typedef struct {
  _Alignas(cache_line) halide_task_t f;
  void *user_context;
  uint8_t *closure;
  int min;
  uint64_t fpenv; /* the owner's floating-point mode (fpenv.h) */
  _Alignas(cache_line) atomic_int done; /* tasks finished */
  atomic_int error;                     /* the first nonzero result of a task */
} job_t;

/* A worker thread, and its range in each job (1 .. workers; the thread
   that runs the loop has range 0). */
typedef struct {
  pthread_t thread;
  yolo_pool_t *pool;
  int index;
} worker_t;

/* One thread's range of a job's tasks, on a cache line of its own. */
typedef struct {
  _Alignas(cache_line) _Atomic uint64_t word;
} range_t;

struct yolo_pool {
  _Alignas(cache_line) atomic_uint published; /* the last job's generation */
  _Alignas(cache_line) job_t jobs[2];
  _Alignas(cache_line) atomic_int running; /* the owner is in a run */
  atomic_uint epoch;                       /* + 1 at each yolo_pool_enter */
  atomic_int sleepers;
  atomic_int stop;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  uint32_t generation; /* the owner's: the last job published */
  int workers;
  int nthreads;    /* workers + 1 */
  yolo_scratch_t *scratch;
  range_t *ranges; /* [2][nthreads]: by the job's slot, then by thread */
  worker_t threads[];
};

/* The pool of the run on this thread, and whether this thread is running
   a task (a loop started there is nested: it runs in order). */
static _Thread_local yolo_pool_t *tls_pool;
static _Thread_local int tls_in_task;
/* The thread count of the pool whose run or tasks this thread runs (0:
   none). A kernel reads it in its tasks as well as before them, so the
   workers hold the same value as the running thread. */
static _Thread_local int tls_threads;
/* Whether this thread's loops that go to the previous handler carry its
   floating-point mode to their tasks (yolo_pool_carry_mode). */
static _Thread_local int tls_carry_mode;

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

/* Runs tasks [i, i + n) of job j (none after a task failed), in the
   floating-point mode of the thread that published it. */
static void run_tasks(job_t *j, int i, int n) {
  yolo_fpenv_match(j->fpenv);
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

static _Atomic uint64_t *range_of(yolo_pool_t *p, uint32_t g, int thread) {
  return &p->ranges[(g & 1) * (uint32_t)p->nthreads + (uint32_t)thread].word;
}

static uint64_t pack(uint32_t g, uint32_t begin, uint32_t end) {
  return (uint64_t)(g & gen_mask) << (2 * task_bits) |
         (uint64_t)begin << task_bits | end;
}

/* Takes tasks of job g for thread `self`: the next one of its own range,
   else the upper half of what is left of another thread's, which becomes
   its own range. Runs what it took: 1. Job g has no task left in any
   range (or is over): 0. */
static int take(yolo_pool_t *p, uint32_t g, int self) {
  job_t *j = &p->jobs[g & 1];
  _Atomic uint64_t *own = range_of(p, g, self);
  uint64_t ow = atomic_load(own);
  for (;;) {
    uint32_t b = (uint32_t)(ow >> task_bits) & task_mask,
             e = (uint32_t)ow & task_mask;
    if ((uint32_t)(ow >> (2 * task_bits)) != (g & gen_mask))
      return 0; /* not job g's range: job g is over */
    if (b >= e)
      break;
    if (atomic_compare_exchange_weak(own, &ow, pack(g, b + 1, e))) {
      run_tasks(j, (int)b, 1);
      return 1;
    }
  }
  for (int k = 1; k < p->nthreads; ++k) {
    _Atomic uint64_t *r = range_of(p, g, (self + k) % p->nthreads);
    uint64_t w = atomic_load(r);
    for (;;) {
      uint32_t b = (uint32_t)(w >> task_bits) & task_mask,
               e = (uint32_t)w & task_mask;
      if ((uint32_t)(w >> (2 * task_bits)) != (g & gen_mask) || b >= e)
        break;
      uint32_t mid = e - (e - b + 1) / 2;
      if (!atomic_compare_exchange_weak(r, &w, pack(g, b, mid)))
        continue;
      /* The swap proves job g open (its tasks [mid, e) were not taken),
         so the slot is still job g's and this thread's range in it still
         the empty one read above: only a range's thread shortens it from
         below, others only take from non-empty ranges, and the owner
         rewrites the slot for job g + 2. The rest of the stolen tasks
         become this thread's range, where others can take from them
         (all run here if the range moved anyway: the generation is kept
         modulo 2^gen_bits). */
      if (e - mid > 1 &&
          atomic_compare_exchange_strong(own, &ow, pack(g, mid + 1, e))) {
        run_tasks(j, (int)mid, 1);
      } else {
        run_tasks(j, (int)mid, (int)(e - mid));
      }
      return 1;
    }
  }
  return 0;
}

/* Sleeps until the published job is no longer g, the epoch no longer e,
   or the pool stops. */
static void sleep_on(yolo_pool_t *p, uint32_t g, unsigned e) {
  pthread_mutex_lock(&p->mutex);
  atomic_fetch_add(&p->sleepers, 1);
  while (atomic_load(&p->published) == g && atomic_load(&p->epoch) == e &&
         !atomic_load(&p->stop))
    pthread_cond_wait(&p->wake, &p->mutex);
  atomic_fetch_sub(&p->sleepers, 1);
  pthread_mutex_unlock(&p->mutex);
}

static void *worker(void *arg) {
  yolo_pool_t *p = ((worker_t *)arg)->pool;
  int self = ((worker_t *)arg)->index;
  tls_threads = p->nthreads;
  yolo_scratch_bind(p->scratch, self);
  uint32_t seen = 0;        /* the generation before the first job */
  uint32_t exhausted = 0;   /* the last job found with no task left */
  long long idle_since = 0; /* 0: not measured yet */
  unsigned spins = 0;
  for (;;) {
    unsigned e = atomic_load(&p->epoch);
    uint32_t g = atomic_load(&p->published);
    if (g != seen) { /* a new job: not idle */
      seen = g;
      idle_since = 0;
    }
    if (g != exhausted) {
      if (take(p, g, self))
        continue;
      exhausted = g;
    }
    if (atomic_load(&p->stop))
      return NULL;
    if (!atomic_load(&p->running)) {
      sleep_on(p, g, e);
      idle_since = 0;
      continue;
    }
    if ((++spins & 255) == 0) {
      long long now = now_ns();
      if (!idle_since)
        idle_since = now;
      else if (now - idle_since > spin_ns) {
        sleep_on(p, g, e);
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

yolo_pool_t *yolo_pool_create(int threads, yolo_scratch_t *scratch) {
  if (threads < 2 || threads > max_threads)
    return NULL;
  pthread_once(&install_once, install);
  int workers = threads - 1;
  size_t bytes = sizeof(yolo_pool_t) + (size_t)workers * sizeof(worker_t);
  bytes = (bytes + cache_line - 1) / cache_line * cache_line;
  yolo_pool_t *p = (yolo_pool_t *)aligned_alloc(cache_line, bytes);
  if (!p)
    return NULL;
  memset(p, 0, bytes);
  size_t rangeBytes = 2 * (size_t)threads * sizeof(range_t);
  p->ranges = (range_t *)aligned_alloc(cache_line, rangeBytes);
  if (!p->ranges) {
    free(p);
    return NULL;
  }
  for (int k = 0; k < 2 * threads; ++k)
    atomic_init(&p->ranges[k].word, 0);
  atomic_init(&p->published, 0);
  for (int k = 0; k < 2; ++k) {
    atomic_init(&p->jobs[k].done, 0);
    atomic_init(&p->jobs[k].error, 0);
  }
  atomic_init(&p->running, 0);
  atomic_init(&p->epoch, 0);
  atomic_init(&p->sleepers, 0);
  atomic_init(&p->stop, 0);
  p->nthreads = threads;
  p->scratch = scratch;
  if (pthread_mutex_init(&p->mutex, NULL) != 0) {
    free(p->ranges);
    free(p);
    return NULL;
  }
  if (pthread_cond_init(&p->wake, NULL) != 0) {
    pthread_mutex_destroy(&p->mutex);
    free(p->ranges);
    free(p);
    return NULL;
  }
  for (p->workers = 0; p->workers < workers; ++p->workers) {
    worker_t *w = &p->threads[p->workers];
    w->pool = p;
    w->index = p->workers + 1;
    if (pthread_create(&w->thread, NULL, worker, w) != 0) {
      yolo_pool_destroy(p);
      return NULL;
    }
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
    pthread_join(p->threads[k].thread, NULL);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->mutex);
  free(p->ranges);
  free(p);
}

void yolo_pool_enter(yolo_pool_t *p) {
  if (!p)
    return;
  tls_pool = p;
  tls_threads = p->nthreads;
  atomic_store(&p->running, 1);
  atomic_fetch_add(&p->epoch, 1);
  wake_sleepers(p);
}

void yolo_pool_leave(yolo_pool_t *p) {
  if (!p)
    return;
  atomic_store(&p->running, 0);
  tls_pool = NULL;
  tls_threads = 0;
}

int yolo_pool_threads(void) { return tls_threads ? tls_threads : 1; }

static int run_in_order(void *uc, halide_task_t f, int min, int size,
                        uint8_t *closure) {
  for (int i = 0; i < size; ++i) {
    int rc = f(uc, min + i, closure);
    if (rc)
      return rc;
  }
  return 0;
}

/* One job of at most max_tasks tasks: thread k's range is the k-th of
   `nthreads` equal parts of the tasks, so that with the same split of
   the image from layer to layer (rows), each thread mostly reads what it
   wrote itself; a thread that runs out takes half of what another has
   left. */
static int run_job(yolo_pool_t *p, halide_task_t f, void *uc, int min, int size,
                   uint8_t *closure) {
  uint32_t g = ++p->generation;
  job_t *j = &p->jobs[g & 1];
  j->f = f;
  j->user_context = uc;
  j->closure = closure;
  j->min = min;
  j->fpenv = yolo_fpenv_get();
  atomic_store_explicit(&j->done, 0, memory_order_relaxed);
  atomic_store_explicit(&j->error, 0, memory_order_relaxed);
  int n = p->nthreads;
  for (int k = 0; k < n; ++k) {
    uint32_t b = (uint32_t)((int64_t)size * k / n),
             e = (uint32_t)((int64_t)size * (k + 1) / n);
    atomic_store(range_of(p, g, k), pack(g, b, e));
  }
  atomic_store(&p->published, g);
  wake_sleepers(p);
  while (take(p, g, 0))
    ;
  /* Tasks workers took may still run. */
  for (unsigned spins = 0;
       atomic_load_explicit(&j->done, memory_order_acquire) != size; ++spins)
    if (spins < 4096)
      cpu_relax();
    else
      sched_yield();
  return atomic_load_explicit(&j->error, memory_order_relaxed);
}

/* A task of yolo_pool_run_pair: the pair's task, seeing one thread. */
typedef struct {
  halide_task_t f;
  uint8_t *closure;
} pair_t;

static int run_pair_task(void *uc, int k, uint8_t *closure) {
  const pair_t *pair = (const pair_t *)closure;
  int threads = tls_threads;
  tls_threads = 1;
  int rc = pair->f(uc, k, pair->closure);
  tls_threads = threads;
  return rc;
}

int yolo_pool_run_pair(void *uc, halide_task_t f, uint8_t *closure) {
  pair_t pair = {f, closure};
  yolo_pool_t *p = tls_pool;
  if (tls_in_task || !p)
    return run_in_order(uc, run_pair_task, 0, 2, (uint8_t *)&pair);
  return run_job(p, run_pair_task, uc, 0, 2, (uint8_t *)&pair);
}

void yolo_pool_carry_mode(int on) {
  if (on)
    pthread_once(&install_once, install);
  tls_carry_mode = on;
}

/* A task of a loop that carries its thread's floating-point mode. */
typedef struct {
  halide_task_t f;
  uint8_t *closure;
  uint64_t fpenv;
} carried_t;

static int run_carried_task(void *uc, int i, uint8_t *closure) {
  const carried_t *c = (const carried_t *)closure;
  uint64_t own = yolo_fpenv_get();
  int carry = tls_carry_mode;
  yolo_fpenv_match(c->fpenv);
  tls_carry_mode = 1; /* the task's own loops carry the mode too */
  int rc = c->f(uc, i, c->closure);
  tls_carry_mode = carry;
  yolo_fpenv_match(own);
  return rc;
}

int yolo_pool_do_par_for(void *uc, halide_task_t f, int min, int size,
                         uint8_t *closure) {
  yolo_pool_t *p = tls_pool;
  if (tls_in_task || size <= 1 || (!p && !previous_handler))
    return run_in_order(uc, f, min, size, closure);
  if (!p && tls_carry_mode) {
    carried_t c = {f, closure, yolo_fpenv_get()};
    return previous_handler(uc, run_carried_task, min, size, (uint8_t *)&c);
  }
  if (!p)
    return previous_handler(uc, f, min, size, closure);
  for (int done = 0; done < size;) {
    int n = size - done < max_tasks ? size - done : max_tasks;
    int rc = run_job(p, f, uc, min + done, n, closure);
    if (rc)
      return rc;
    done += n;
  }
  return 0;
}
