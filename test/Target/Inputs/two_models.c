/* Two generated libraries in one program ("det", the demo detector, and
 * "gelan", gelan-t at 320), both built with --no-runtime and linked with
 * one libyolo_runtime.a: each runs on its own thread, several times, and
 * writes its last output, which test/Target/two-models.test compares with
 * what each model's own runner computes alone.
 *   two_models DET_IN.npy GELAN_IN.npy DET_OUT.npy GELAN_OUT.npy */
#include "det.h"
#include "gelan.h"
#include "yolo_npy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *in, *out, *name;
  int rank;
  const int64_t *shape;
  int64_t out_elements;
  int out_rank;
  const int64_t *out_shape;
  int (*run)(const float *, float *);
  int status;
} job_t;

static det_context *det_ctx;
static gelan_context *gelan_ctx;
static int run_det(const float *x, float *y) {
  return det_run_multi(det_ctx, &x, &y);
}
static int run_gelan(const float *x, float *y) {
  return gelan_run_multi(gelan_ctx, &x, &y);
}

static void *work(void *arg) {
  job_t *j = (job_t *)arg;
  char err[512];
  yolo_tensor x, y;
  j->status = 1;
  if (yolo_npy_read(j->in, &x, err, sizeof err) != YOLO_OK ||
      yolo_check_named_tensor(&x, j->name, j->rank, j->shape, 0, err,
                              sizeof err) != YOLO_OK) {
    fprintf(stderr, "error: %s\n", err);
    return NULL;
  }
  float *out = malloc(j->out_elements * sizeof(float));
  for (int i = 0; i < 3; ++i)
    if (j->run(x.data, out) != YOLO_OK) {
      fprintf(stderr, "error: %s failed\n", j->name);
      return NULL;
    }
  memset(&y, 0, sizeof y);
  y.data = out;
  y.rank = j->out_rank;
  for (int d = 0; d < y.rank; ++d)
    y.shape[d] = j->out_shape[d];
  if (yolo_npy_write(j->out, &y, err, sizeof err) != YOLO_OK) {
    fprintf(stderr, "error: %s\n", err);
    return NULL;
  }
  free(out);
  yolo_npy_free(&x);
  j->status = 0;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 5)
    return 2;
  if (det_create(&det_ctx, 1) != YOLO_OK ||
      gelan_create(&gelan_ctx, 1) != YOLO_OK) {
    fprintf(stderr, "error: create: %s%s\n", det_last_error(NULL),
            gelan_last_error(NULL));
    return 1;
  }
  static const int64_t det_in[] = DET_INPUT0_SHAPE,
                       det_out[] = DET_OUTPUT0_SHAPE,
                       gelan_in[] = GELAN_INPUT0_SHAPE,
                       gelan_out[] = GELAN_OUTPUT0_SHAPE;
  job_t jobs[2] = {
      {argv[1], argv[3], DET_INPUT0_NAME, DET_INPUT0_RANK, det_in,
       DET_OUTPUT0_ELEMENTS, DET_OUTPUT0_RANK, det_out, run_det, 1},
      {argv[2], argv[4], GELAN_INPUT0_NAME, GELAN_INPUT0_RANK, gelan_in,
       GELAN_OUTPUT0_ELEMENTS, GELAN_OUTPUT0_RANK, gelan_out, run_gelan, 1}};
  pthread_t t[2];
  for (int k = 0; k < 2; ++k)
    pthread_create(&t[k], NULL, work, &jobs[k]);
  for (int k = 0; k < 2; ++k)
    pthread_join(t[k], NULL);
  printf("det: %s (%s), gelan: %s (%s)\n", jobs[0].status ? "FAILED" : "ok",
         det_variant(det_ctx), jobs[1].status ? "FAILED" : "ok",
         gelan_variant(gelan_ctx));
  det_destroy(det_ctx);
  gelan_destroy(gelan_ctx);
  return jobs[0].status || jobs[1].status;
}
