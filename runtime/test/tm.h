/* tm.h - the public header of the test model "tm" (runtime/test), written
   by hand in the form yolo-codegen generates NAME.h (Emit.cpp, header()):
   two variants, one input [1, 2, 4], two outputs. */
/* clang-format off */
#ifndef TM_H
#define TM_H

#include <stddef.h>
#include <stdint.h>
#include "yolo_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_TARGET "tm-fast,tm-base"
#define TM_NUM_VARIANTS 2
#define TM_NUM_INPUTS 1
#define TM_NUM_OUTPUTS 2
#define TM_INPUT0_NAME "images"
#define TM_INPUT0_RANK 3
#define TM_INPUT0_SHAPE {1, 2, 4}
#define TM_INPUT0_ELEMENTS 8
#define TM_OUTPUT0_NAME "sum"
#define TM_OUTPUT0_RANK 3
#define TM_OUTPUT0_SHAPE {1, 2, 4}
#define TM_OUTPUT0_ELEMENTS 8
#define TM_OUTPUT1_NAME "right"
#define TM_OUTPUT1_RANK 3
#define TM_OUTPUT1_SHAPE {1, 2, 2}
#define TM_OUTPUT1_ELEMENTS 4
#define TM_SCRATCH_BYTES 96ull
#define TM_WEIGHT_BYTES 96ull

typedef struct tm_context tm_context;

int tm_create(tm_context **ctx, int num_threads);
void tm_destroy(tm_context *ctx);
int tm_set_threads(tm_context *ctx, int num_threads);
int tm_run_multi(tm_context *ctx, const float *const *inputs,
                 float *const *outputs);
int tm_run(tm_context *ctx, const float *input, float *output);
/* Only the CUDA flavour defines it (compiled, never linked, here). */
int tm_run_device(tm_context *ctx, const void *const *inputs,
                  void *const *outputs);
const char *tm_status_string(int status);
const char *tm_variant(const tm_context *ctx);
const char *tm_last_error(const tm_context *ctx);

#ifdef __cplusplus
}
#endif
#endif
