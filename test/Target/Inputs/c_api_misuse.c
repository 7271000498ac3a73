/* Drives a generated library's C API ("tiny", one input, one output) with
 * every kind of bad argument, and one context from two threads at once.
 * Used by test/Target/c-api.test: prints one line per check (the status
 * and message the library gave) and exits with the number of failed
 * checks. */
#include "tiny.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures;

static void expect(const char *what, int got, int want, const char *message) {
  int ok = got == want;
  failures += !ok;
  printf("%s %s: %s (%d)%s%s\n", ok ? "ok  " : "FAIL", what,
         yolo_status_string(got), got, message ? ": " : "",
         message ? message : "");
  if (!ok)
    printf("     expected %s (%d)\n", yolo_status_string(want), want);
}

static float input[TINY_INPUT0_ELEMENTS], reference[TINY_OUTPUT0_ELEMENTS];

/* The busy check: two threads call in a loop on one context until the
   main one has seen YOLO_ERR_BUSY (or 10 s pass); whichever call gets in
   must give the right result. */
static tiny_context *shared;
static atomic_int saw_busy, done, bad_results;

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void *worker(void *arg) {
  (void)arg;
  float out[TINY_OUTPUT0_ELEMENTS];
  double start = seconds();
  while (!atomic_load(&saw_busy) && seconds() - start < 10) {
    memset(out, 0, sizeof out);
    int rc = tiny_run(shared, input, out);
    if (rc == YOLO_ERR_BUSY) /* the main thread's call got in first */
      continue;
    if (rc != YOLO_OK || memcmp(out, reference, sizeof out))
      atomic_fetch_add(&bad_results, 1);
  }
  atomic_store(&done, 1);
  return NULL;
}

int main(void) {
  for (int i = 0; i < TINY_INPUT0_ELEMENTS; ++i)
    input[i] = (float)((i * 37) % 101) / 101.0f - 0.5f;
  float out[TINY_OUTPUT0_ELEMENTS];
  const float *ins[1] = {input};
  float *outs[1] = {out};
  const float *null_ins[1] = {NULL};
  float *null_outs[1] = {NULL};

  /* Creating a context. */
  tiny_context *ctx = (tiny_context *)&failures; /* must be reset to NULL */
  expect("create(NULL, 1)", tiny_create(NULL, 1), YOLO_ERR_NULL_ARGUMENT,
         tiny_last_error(NULL));
  expect("create(&ctx, 0)", tiny_create(&ctx, 0), YOLO_ERR_BAD_THREADS,
         tiny_last_error(NULL));
  expect("ctx is NULL after a failed create", ctx != NULL, 0, NULL);
  expect("create(&ctx, 257)", tiny_create(&ctx, 257), YOLO_ERR_BAD_THREADS,
         tiny_last_error(NULL));
  expect("create(&ctx, -3)", tiny_create(&ctx, -3), YOLO_ERR_BAD_THREADS,
         tiny_last_error(NULL));
  expect("create(&ctx, 2)", tiny_create(&ctx, 2), YOLO_OK, NULL);
  expect("no create error after a good create",
         tiny_last_error(NULL)[0] != 0, 0, NULL);
  if (!ctx)
    return 100;

  /* Thread counts. */
  expect("set_threads(NULL, 1)", tiny_set_threads(NULL, 1),
         YOLO_ERR_NULL_ARGUMENT, NULL);
  expect("set_threads(ctx, 0)", tiny_set_threads(ctx, 0),
         YOLO_ERR_BAD_THREADS, tiny_last_error(ctx));
  expect("set_threads(ctx, 1000)", tiny_set_threads(ctx, 1000),
         YOLO_ERR_BAD_THREADS, tiny_last_error(ctx));
  expect("set_threads(ctx, 1)", tiny_set_threads(ctx, 1), YOLO_OK, NULL);

  /* Null pointers to the entry points. */
  expect("run(NULL, in, out)", tiny_run(NULL, input, out),
         YOLO_ERR_NULL_ARGUMENT, NULL);
  expect("run(ctx, NULL, out)", tiny_run(ctx, NULL, out),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("run(ctx, in, NULL)", tiny_run(ctx, input, NULL),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("run_multi(NULL, ins, outs)", tiny_run_multi(NULL, ins, outs),
         YOLO_ERR_NULL_ARGUMENT, NULL);
  expect("run_multi(ctx, NULL, outs)", tiny_run_multi(ctx, NULL, outs),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("run_multi(ctx, ins, NULL)", tiny_run_multi(ctx, ins, NULL),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("run_multi(ctx, {NULL}, outs)", tiny_run_multi(ctx, null_ins, outs),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("run_multi(ctx, ins, {NULL})", tiny_run_multi(ctx, ins, null_outs),
         YOLO_ERR_NULL_ARGUMENT, tiny_last_error(ctx));
  expect("last_error(NULL) after create succeeded",
         tiny_last_error(NULL)[0] != 0, 0, NULL);

  /* The context still works after all that, and clears its error. */
  expect("run(ctx, in, out)", tiny_run(ctx, input, reference), YOLO_OK, NULL);
  expect("the error is cleared by a good run", tiny_last_error(ctx)[0] != 0,
         0, NULL);
  expect("set_threads(ctx, 2)", tiny_set_threads(ctx, 2), YOLO_OK, NULL);
  memset(out, 0, sizeof out);
  tiny_run(ctx, input, out);
  expect("same result at 2 threads", memcmp(out, reference, sizeof out) != 0,
         0, NULL);

  /* One context from two threads: the second caller gets YOLO_ERR_BUSY
     and the first one's results stay right. */
  shared = ctx;
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL))
    return 101;
  int busy_seen = 0, other = 0;
  while (!atomic_load(&done)) {
    float mine[TINY_OUTPUT0_ELEMENTS];
    int rc = tiny_run(ctx, input, mine);
    if (rc == YOLO_ERR_BUSY) {
      /* (The context's error message is the running call's.) */
      ++busy_seen;
      atomic_store(&saw_busy, 1);
    } else if (rc != YOLO_OK || memcmp(mine, reference, sizeof mine)) {
      ++other;
    }
  }
  pthread_join(t, NULL);
  expect("a concurrent run on one context", busy_seen ? YOLO_ERR_BUSY : 0,
         YOLO_ERR_BUSY, NULL);
  expect("results of the runs that were let in", other + bad_results, 0,
         NULL);

  tiny_destroy(ctx);
  tiny_destroy(NULL);
  printf("destroy(NULL): ok\n");
  printf("%d failure(s)\n", failures);
  return failures;
}
