/*===- tm_kernels.c - the test model's kernels and weights ----------------===*
 *
 * The kernels of the test model (tm_model.h) as tiny C functions with the
 * signature Halide gives its pipelines, reading and writing through the
 * buffers' dimensions as generated code does (the add runs its rows as a
 * parallel loop, through halide_do_par_for); its weights; and stand-ins
 * for the Halide runtime functions a CPU driver and its thread pool call
 * (halide_set_error_handler, halide_set_num_threads, halide_do_par_for,
 * halide_set_custom_do_par_for, and a default handler that runs the tasks
 * in order; halide_malloc and halide_free with their custom and default
 * forms, as scratch.c uses them), so that the driver is tested without
 * Halide.
 *
 *===----------------------------------------------------------------------===*/
#include "HalideRuntime.h"
#include "tm_test.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

int tm_last_variant = -1;
const float *tm_last_weights = NULL;
int tm_fail_code = 0;
void (*tm_hook)(void) = NULL;
int tm_num_threads = 0;
static atomic_int default_par_for_calls = 0;

int tm_default_par_for_calls(void) {
  return atomic_load(&default_par_for_calls);
}

/* Halide's setters: install `value`, return what was installed. */
#define DEFINE_SETTER(type, name, var)                                         \
  type name(type value) {                                                      \
    type old = var;                                                            \
    var = value;                                                               \
    return old;                                                                \
  }

static halide_error_handler_t error_handler = NULL;

DEFINE_SETTER(halide_error_handler_t, halide_set_error_handler, error_handler)

DEFINE_SETTER(int, halide_set_num_threads, tm_num_threads)

static int default_par_for(void *uc, halide_task_t f, int min, int size,
                           uint8_t *closure) {
  atomic_fetch_add(&default_par_for_calls, 1);
  for (int i = min; i < min + size; ++i) {
    int rc = f(uc, i, closure);
    if (rc)
      return rc;
  }
  return 0;
}

static halide_do_par_for_t par_for = default_par_for;

DEFINE_SETTER(halide_do_par_for_t, halide_set_custom_do_par_for, par_for)

int halide_do_par_for(void *uc, halide_task_t f, int min, int size,
                      uint8_t *closure) {
  return par_for(uc, f, min, size, closure);
}

/* halide_default_malloc as Halide's: 64-byte aligned, a multiple of 64. */
void *halide_default_malloc(void *uc, size_t n) {
  (void)uc;
  return aligned_alloc(64, (n + 63) / 64 * 64);
}

void halide_default_free(void *uc, void *p) {
  (void)uc;
  free(p);
}

static halide_malloc_t custom_malloc = halide_default_malloc;
static halide_free_t custom_free = halide_default_free;

DEFINE_SETTER(halide_malloc_t, halide_set_custom_malloc, custom_malloc)

DEFINE_SETTER(halide_free_t, halide_set_custom_free, custom_free)

void *halide_malloc(void *uc, size_t n) { return custom_malloc(uc, n); }

void halide_free(void *uc, void *p) { custom_free(uc, p); }

/* Weights [16, 24) are the add's; the padding before them is nonzero so
   that a wrong offset shows. */
const float tm_weights[24] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
                              1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
                              10,   20,   30,   40,   50,   60,   70,   80};

/* The element at (x, y, z) (innermost first) of a rank-3 f32 buffer. */
static float *at(struct halide_buffer_t *b, int x, int y, int z) {
  return (float *)b->host + x * b->dim[0].stride + y * b->dim[1].stride +
         z * b->dim[2].stride;
}

/* The rows y of the add, as the tasks of a parallel loop. */
static int add_rows(void *uc, int y, uint8_t *closure) {
  (void)uc;
  struct halide_buffer_t **b = (struct halide_buffer_t **)closure;
  for (int z = 0; z < b[2]->dim[2].extent; ++z)
    for (int x = 0; x < b[2]->dim[0].extent; ++x)
      *at(b[2], x, y, z) = *at(b[0], x, y, z) + *at(b[1], x, y, z);
  return 0;
}

static int add(int variant, void *uc, struct halide_buffer_t *a,
               struct halide_buffer_t *w, struct halide_buffer_t *out) {
  if (tm_hook)
    tm_hook();
  tm_last_variant = variant;
  tm_last_weights = (const float *)w->host;
  struct halide_buffer_t *b[3] = {a, w, out};
  return halide_do_par_for(uc, add_rows, 0, out->dim[1].extent, (uint8_t *)b);
}

static int scale(int variant, void *uc, struct halide_buffer_t *in,
                 struct halide_buffer_t *out) {
  if (tm_fail_code) {
    int rc = tm_fail_code;
    tm_fail_code = 0;
    error_handler(uc, "injected failure \n");
    return rc;
  }
  tm_last_variant = variant;
  for (int z = 0; z < out->dim[2].extent; ++z)
    for (int y = 0; y < out->dim[1].extent; ++y)
      for (int x = 0; x < out->dim[0].extent; ++x)
        *at(out, x, y, z) = 2 * *at(in, x, y, z);
  return 0;
}

int tm_v0_k0(void *uc, struct halide_buffer_t *a, struct halide_buffer_t *w,
             struct halide_buffer_t *out) {
  return add(0, uc, a, w, out);
}

int tm_v0_k1(void *uc, struct halide_buffer_t *in,
             struct halide_buffer_t *out) {
  return scale(0, uc, in, out);
}

int tm_v1_k0(void *uc, struct halide_buffer_t *a, struct halide_buffer_t *w,
             struct halide_buffer_t *out) {
  return add(1, uc, a, w, out);
}

int tm_v1_k1(void *uc, struct halide_buffer_t *in,
             struct halide_buffer_t *out) {
  return scale(1, uc, in, out);
}
