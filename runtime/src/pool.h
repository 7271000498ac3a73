/*===- pool.h - the thread pool of the CPU model libraries ----------------===*
 *
 * Halide runs a parallel loop by calling halide_do_par_for. Its default
 * thread pool puts idle workers to sleep on a condition variable almost at
 * once, which a model of many small layers (gelan-t 640: 252 kernel calls,
 * 0.44 ms each on average at one thread) pays at nearly every parallel
 * loop: a 1x32x20x20 add took 10 us at one thread and 30 us at two with
 * it, 5 us at two with this pool (bench/profile.py, Zen 2 VM). This pool
 * keeps its workers spinning for the length of a run instead: a context of
 * N threads owns N - 1 workers, which sleep between runs.
 *
 * yolo_pool_enter(pool) on the thread that runs the model (the driver's
 * run_steps) routes that thread's Halide parallel loops to the pool until
 * yolo_pool_leave(pool). A parallel loop is a job of `size` tasks; each of
 * the N threads starts on its own part of them (the k-th of N equal
 * ranges, so that a thread works on the same band of the image from layer
 * to layer), and a thread that has finished its part takes half of what
 * another has left (pool.c). The running thread returns once every task
 * has finished. A worker that is late or descheduled loses the tasks it
 * has not taken to the others; the task it is running is waited for, so
 * a loop of one task per thread goes at the pace of its slowest thread.
 *
 * Where the pool does not apply, loops go where they went before: a loop
 * started inside a task (nested) runs its tasks in order on the task's
 * thread; a loop on a thread that is not in a run goes to the handler that
 * was installed before the pool's (Halide's default pool, unless the
 * program set its own).
 *
 * The results do not depend on the pool: the tasks of a Halide parallel
 * loop write disjoint outputs, whichever thread runs them, and a worker
 * runs a job's tasks in the floating-point mode (fpenv.h: denormals
 * flushed or not) of the thread that published the job.
 *
 *===----------------------------------------------------------------------===*/
#ifndef YOLO_POOL_H
#define YOLO_POOL_H

#include "HalideRuntime.h"
#include "scratch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct yolo_pool yolo_pool_t;

/* A pool for `threads` threads (2 to 256): threads - 1 workers, asleep
   until the first yolo_pool_enter. Installs yolo_pool_do_par_for as
   Halide's parallel-loop handler the first time. Worker k (1 .. threads -
   1) takes its kernels' temporary buffers from slot k of `scratch`
   (scratch.h; NULL: from the heap); the running thread binds slot 0
   itself. NULL if the memory or the threads cannot be had. */
yolo_pool_t *yolo_pool_create(int threads, yolo_scratch_t *scratch);

/* Stops and joins the workers. The pool must not be in a run. NULL is a
   no-op. */
void yolo_pool_destroy(yolo_pool_t *pool);

/* Around a run, on the thread that runs it; at most one thread is in a
   run of a given pool at a time. NULL is a no-op. */
void yolo_pool_enter(yolo_pool_t *pool);
void yolo_pool_leave(yolo_pool_t *pool);

/* Around a run without a pool (one thread, or Halide's pool:
   YOLO_THREAD_POOL=halide, a pool that could not start), on the thread
   that runs it: on = 1 installs the pool's handler (once per process) and
   makes this thread's parallel loops, which go to the handler installed
   before it, run each task in this thread's floating-point mode (fpenv.h)
   as read at the loop's start, giving the task's thread its own mode back
   after the task; on = 0 ends that. Halide's workers would otherwise keep
   the mode they were created in. */
void yolo_pool_carry_mode(int on);

/* The number of threads of the pool whose run (or tasks) this thread
   runs, or 1 outside a pool (one thread, or Halide's pool). Kernels whose
   schedule depends on it call this at run time, in their tasks too: a
   pool's workers answer as its running thread does. */
int yolo_pool_threads(void);

/* Runs f(user_context, 0, closure) and f(user_context, 1, closure), the
   two kernels of a pair of row bands. In a run of a pool: as one job,
   task k on thread k unless the other finds it idle and takes it, each
   seeing one thread (yolo_pool_threads() answers 1) and running its
   parallel loops in order. Outside a pool's run (one thread, or Halide's
   pool: YOLO_THREAD_POOL=halide, a pool that could not start) or inside a
   task: in order, each seeing one thread, its loops going where they go
   otherwise. The first nonzero result, else 0. */
int yolo_pool_run_pair(void *user_context, halide_task_t f, uint8_t *closure);

/* The handler (halide_do_par_for_t): f(user_context, i, closure) for i in
   [min, min + size); the first nonzero result, else 0. */
int yolo_pool_do_par_for(void *user_context, halide_task_t f, int min, int size,
                         uint8_t *closure);

#ifdef __cplusplus
}
#endif

#endif /* YOLO_POOL_H */
