/*===- tm_kernels.c - the test model's kernels and weights ----------------===*
 *
 * The kernels of the test model (tm_model.h) as tiny C functions with the
 * signature Halide gives its pipelines, reading and writing through the
 * buffers' dimensions as generated code does; its weights; and stand-ins
 * for the two Halide runtime functions a CPU driver calls
 * (halide_set_error_handler, halide_set_num_threads), so that the driver is
 * tested without Halide.
 *
 *===----------------------------------------------------------------------===*/
#include "HalideRuntime.h"
#include "tm_test.h"

#include <stddef.h>

int tm_last_variant = -1;
int tm_fail_code = 0;
void (*tm_hook)(void) = NULL;
int tm_num_threads = 0;

static halide_error_handler_t error_handler = NULL;

halide_error_handler_t halide_set_error_handler(halide_error_handler_t h) {
  halide_error_handler_t old = error_handler;
  error_handler = h;
  return old;
}

int halide_set_num_threads(int n) {
  int old = tm_num_threads;
  tm_num_threads = n;
  return old;
}

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

static int add(int variant, struct halide_buffer_t *a,
               struct halide_buffer_t *w, struct halide_buffer_t *out) {
  if (tm_hook)
    tm_hook();
  tm_last_variant = variant;
  for (int z = 0; z < out->dim[2].extent; ++z)
    for (int y = 0; y < out->dim[1].extent; ++y)
      for (int x = 0; x < out->dim[0].extent; ++x)
        *at(out, x, y, z) = *at(a, x, y, z) + *at(w, x, y, z);
  return 0;
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
  (void)uc;
  return add(0, a, w, out);
}

int tm_v0_k1(void *uc, struct halide_buffer_t *in,
             struct halide_buffer_t *out) {
  return scale(0, uc, in, out);
}

int tm_v1_k0(void *uc, struct halide_buffer_t *a, struct halide_buffer_t *w,
             struct halide_buffer_t *out) {
  (void)uc;
  return add(1, a, w, out);
}

int tm_v1_k1(void *uc, struct halide_buffer_t *in,
             struct halide_buffer_t *out) {
  return scale(1, uc, in, out);
}
