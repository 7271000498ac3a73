/* tm_model.h - the driver's table for the test model "tm", written by hand
   in the form yolo-codegen generates NAME_model.h (Emit.cpp,
   driverTable()); runtime/src/model_driver.c is compiled with
   -include tm_model.h (and tm_model_cuda.h for the CUDA flavour).

   Three steps, two kernels, two variants:
     step 0  add    (kernel 0): scratch[16..24) = images + weights[16..24)
     step 1  scale  (kernel 1): sum   = 2 * scratch, [1, 2, 4]
     step 2  scale  (kernel 1): right = 2 * scratch[:, :, 2:4], a strided
                                view at scratch offset 18
   Variant 0 ("tm-fast") needs TM_BASE_FEATURE and TM_FAST_FEATURE, the
   baseline ("tm-base") TM_BASE_FEATURE; their kernels record which ran. */
#include "tm_glue.h"
#ifndef YOLO_DRIVER_CUDA
#define YOLO_DRIVER_CUDA 0
#endif
#include "model_driver.h"
#include "tm_test.h"

/* The test model's 96 bytes of weights are copied as a large model's are
   (model_driver.c, take_weights), so that the tests see the copy. */
#define YOLO_DRIVER_WEIGHTS_COPY_MIN_BYTES 0

enum { model_num_kernels = 2, model_num_steps = 3 };

extern int tm_v0_k0(void *, struct halide_buffer_t *, struct halide_buffer_t *,
                    struct halide_buffer_t *);
extern int tm_v0_k1(void *, struct halide_buffer_t *, struct halide_buffer_t *);
extern int tm_v1_k0(void *, struct halide_buffer_t *, struct halide_buffer_t *,
                    struct halide_buffer_t *);
extern int tm_v1_k1(void *, struct halide_buffer_t *, struct halide_buffer_t *);
extern const float tm_weights[];

static const yolo_kernel_t model_variant_kernels[2][model_num_kernels + 1] = {
    {{3, {.k3 = tm_v0_k0}}, {2, {.k2 = tm_v0_k1}}, {0, {0}}},
    {{3, {.k3 = tm_v1_k0}}, {2, {.k2 = tm_v1_k1}}, {0, {0}}},
};
static const char *const model_variant_targets[] = {"tm-fast", "tm-base", NULL};
static const char *const model_variant_features_0[] = {TM_BASE_FEATURE,
                                                       TM_FAST_FEATURE, NULL};
static const char *const model_variant_features_1[] = {TM_BASE_FEATURE, NULL};
static const char *const *const model_variant_features[] = {
    model_variant_features_0, model_variant_features_1, NULL};

static const yolo_view_t model_views[] = {
    {2, 0, 0, 3, {4, 2, 1}, {1, 4, 8}},  /* step 0: images */
    {1, 0, 16, 3, {4, 2, 1}, {1, 4, 8}}, /*         weights[16..24) */
    {0, 0, 16, 3, {4, 2, 1}, {1, 4, 8}}, /*         scratch[16..24) */
    {0, 0, 16, 3, {4, 2, 1}, {1, 4, 8}}, /* step 1: scratch */
    {3, 0, 0, 3, {4, 2, 1}, {1, 4, 8}},  /*         sum */
    {0, 0, 18, 3, {2, 2, 1}, {1, 4, 8}}, /* step 2: scratch[:, :, 2:4] */
    {3, 1, 0, 3, {2, 2, 1}, {1, 2, 4}},  /*         right */
    {0, 0, 0, 0, {0}, {0}}};

static const yolo_step_t model_steps[model_num_steps + 1] = {
    {0, 0, 0, 0, 0}, {1, 3, 0, 0, 0}, {1, 5, 0, 0, 0}, {0, 0, 0, 0, 0}};

static const char *const model_step_names[model_num_steps + 1] = {
    "add_0", "scale_1", "scale_2+slice_3", ""};

static const char *const model_kernel_classes[model_num_kernels + 1] = {
    "elementwise", "elementwise", ""};
static const long long model_kernel_flops[model_num_kernels + 1] = {0, 0, 0};
static const char *const model_kernel_descs[model_num_kernels + 1] = {
    "add (test kernel)", "scale (test kernel)", ""};
