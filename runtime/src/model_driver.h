/*===- model_driver.h - the table a model's C driver runs -----------------===*
 *
 * The types of the per-model table that yolo-codegen generates as
 * NAME_model.h and model_driver.c runs. NAME_model.h includes NAME.h and
 * this header, maps the model's names with YOLO_M(x) (NAME_x),
 * YOLO_M_UPPER(X) (NAME_X) and YOLO_M_NAME ("NAME"), defines the element
 * counts YOLO_M_INPUT_ELEMENTS and YOLO_M_OUTPUT_ELEMENTS ({n0, n1, ...}),
 * YOLO_DRIVER_CUDA (1 for a CUDA library, else 0), model_num_kernels and
 * model_num_steps, declares the kernels and NAME_weights, and defines, as
 * static data:
 *
 *   yolo_kernel_t model_variant_kernels[NUM_VARIANTS][model_num_kernels + 1]
 *       the kernels of each variant (each ends with {0});
 *   const char *const model_variant_targets[NUM_VARIANTS + 1]
 *       their Halide target strings (then NULL);
 *   const char *const *const model_variant_features[NUM_VARIANTS + 1]
 *       the CPU features each needs, as NULL-terminated lists (then NULL);
 *   yolo_view_t model_views[]
 *       the views the steps bind, in step order (then a zero view);
 *   yolo_step_t model_steps[model_num_steps + 1]
 *   const char *const model_step_names[model_num_steps + 1]
 *       the ONNX node names of each step, for error messages (then "");
 *   const char *const model_kernel_classes[model_num_kernels + 1]
 *       each kernel's class in a profile, "conv3x3s1", "conv1x1",
 *       "conv3x3s2", "conv-other", "matmul", "pool", "elementwise", "copy"
 *       or "other" (profileClass() in include/yolo/Target/KernelDesc.h),
 *       then "";
 *   const long long model_kernel_flops[model_num_kernels + 1]
 *       twice the multiply-adds of each kernel's direct algorithm (0 for
 *       those that are not convolutions or matrix products), then 0;
 *   const char *const model_kernel_descs[model_num_kernels + 1]
 *       each kernel's description, "conv 1x3x320x320, 16x3x3x3, 16 ->
 *       1x16x160x160" (then "").
 *
 * The last three are what a profile (YOLO_PROFILE, model_driver.c) writes
 * next to each step's times.
 *
 * Every name is static or model-prefixed, so several models link into one
 * program. No name starts with yolo_ or halide_: those are the runtime's.
 *
 *===----------------------------------------------------------------------===*/
#ifndef YOLO_RUNTIME_MODEL_DRIVER_H
#define YOLO_RUNTIME_MODEL_DRIVER_H

#include "HalideRuntime.h"

/* Where a view lies: the values of StorageKind in
   lib/Target/Halide/ModelPlan.h. */
enum {
  YOLO_VIEW_ARENA = 0,
  YOLO_VIEW_WEIGHTS = 1,
  YOLO_VIEW_INPUT = 2,
  YOLO_VIEW_OUTPUT = 3
};

/* The most dimensions of a view, and the most buffers of a kernel (its
   inputs, then its output). */
#define YOLO_VIEW_MAX_RANK 6
#define YOLO_KERNEL_MAX_ARITY 5

/* A strided f32 window of a storage: `index` is the input or output
   number, `offset` in elements; extents and strides innermost first, as
   Halide's dimensions are. */
typedef struct {
  int kind, index;
  long long offset;
  int rank;
  int extent[YOLO_VIEW_MAX_RANK];
  int stride[YOLO_VIEW_MAX_RANK];
} yolo_view_t;

/* A kernel as Halide generates it: the user context (the context's error
   buffer), then one buffer per argument. The table keeps the exact type
   for each arity; the driver calls the member `arity` names. */
typedef int (*yolo_kernel1_t)(void *, struct halide_buffer_t *);
typedef int (*yolo_kernel2_t)(void *, struct halide_buffer_t *,
                              struct halide_buffer_t *);
typedef int (*yolo_kernel3_t)(void *, struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *);
typedef int (*yolo_kernel4_t)(void *, struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *);
typedef int (*yolo_kernel5_t)(void *, struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *,
                              struct halide_buffer_t *);
typedef struct {
  int arity; /* 1..YOLO_KERNEL_MAX_ARITY */
  union {
    yolo_kernel1_t k1;
    yolo_kernel2_t k2;
    yolo_kernel3_t k3;
    yolo_kernel4_t k4;
    yolo_kernel5_t k5;
  } fn;
} yolo_kernel_t;

/* One kernel call: kernel `kernel` of the context's variant, on the views
   model_views[first_view ...], as many as the kernel's arity. The bytes
   [scratch_offset, scratch_offset + scratch_bytes) of the arena hold
   nothing live at this step: the kernel's temporary buffers go there
   (scratch.h). `pair`: this step and the next are the two row bands of a
   layer (--yolo-split-bands), with the same scratch: on two threads they
   run at once, one per thread. */
typedef struct {
  int kernel, first_view;
  long long scratch_offset, scratch_bytes;
  int pair;
} yolo_step_t;

#endif /* YOLO_RUNTIME_MODEL_DRIVER_H */
