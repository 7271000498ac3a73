/* yolo_cuda_check.c - runs, checks and times a CUDA library.
 *
 *   cuda-check [--output Y.npy] [--repeat N]
 *
 * Built by scripts/gpu_check.sh against a library named "model" (built
 * with a cuda target); one program per model, so that a GPU machine gets
 * the weights once. The input is the fixed pattern of hash_input (the
 * script computes onnxruntime's reference on the same). It runs the input
 * through model_run_multi (host buffers) and writes output 0 to Y.npy;
 * then through model_run_device on buffers it allocates with the CUDA
 * driver API in the device's primary context (what cudaMalloc would give),
 * and checks that the outputs are bit-identical. Then it times both entry
 * points: N runs each after 5 warm-ups (the first run compiles the PTX).
 * Exit 0 on success, 1 on any failure. The driver is loaded with dlopen,
 * like the library does, so this builds on a machine without CUDA.
 * Against a CPU library (no MODEL_HAS_RUN_DEVICE) it does the host half
 * only: scripts/gpu_check.sh --target host tests the check itself.
 */
#include "model.h"
#include "yolo_npy.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*cu_init_t)(unsigned);
typedef int (*cu_device_get_t)(int *, int);
typedef int (*cu_retain_t)(void **, int);
typedef int (*cu_push_t)(void *);
typedef int (*cu_alloc_t)(unsigned long long *, size_t);
typedef int (*cu_free_t)(unsigned long long);
typedef int (*cu_htod_t)(unsigned long long, const void *, size_t);
typedef int (*cu_dtoh_t)(void *, unsigned long long, size_t);

/* x[i] = (bits 16..31 of i * 2654435761 mod 2^32) / 65536, in [0, 1). */
static void hash_input(float *x, long long n) {
  for (long long i = 0; i < n; ++i)
    x[i] = (float)(((uint32_t)((uint64_t)i * 2654435761u)) >> 16) / 65536.0f;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

#define CU_CHECK(call, what)                                                   \
  do {                                                                         \
    int cu_rc = (call);                                                        \
    if (cu_rc) {                                                               \
      fprintf(stderr, "FAIL cuda-check: %s failed with CUDA error %d\n",      \
              what, cu_rc);                                                    \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  int repeat = 20;
  const char *output = NULL;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--output") && i + 1 < argc)
      output = argv[++i];
    else
      repeat = 0;
  }
  if (repeat < 1) {
    fprintf(stderr, "usage: %s [--output Y.npy] [--repeat N]\n", argv[0]);
    return 2;
  }
  if (MODEL_NUM_INPUTS != 1) {
    fprintf(stderr, "FAIL cuda-check: the model has %d inputs\n",
            MODEL_NUM_INPUTS);
    return 1;
  }
  char err[512];
  yolo_tensor x;
  memset(&x, 0, sizeof x);
  x.data = malloc(MODEL_INPUT0_ELEMENTS * sizeof(float));
  if (!x.data) {
    fprintf(stderr, "FAIL cuda-check: out of memory\n");
    return 1;
  }
  hash_input(x.data, MODEL_INPUT0_ELEMENTS);
  model_context *ctx;
  int rc = model_create(&ctx, 1);
  if (rc != YOLO_OK) {
    fprintf(stderr, "FAIL cuda-check: model_create: %s: %s\n",
            yolo_status_string(rc), model_last_error(NULL));
    return 1;
  }

  /* Reference: the host entry point. */
  static const long long counts[] = {MODEL_OUTPUT0_ELEMENTS
#if MODEL_NUM_OUTPUTS > 1
                                     , MODEL_OUTPUT1_ELEMENTS
#endif
  };
  int outs = MODEL_NUM_OUTPUTS > 2 ? 2 : MODEL_NUM_OUTPUTS;
  float *host[2] = {0}, *back[2] = {0};
  for (int k = 0; k < outs; ++k) {
    host[k] = malloc(counts[k] * sizeof(float));
    back[k] = malloc(counts[k] * sizeof(float));
    if (!host[k] || !back[k]) {
      fprintf(stderr, "FAIL cuda-check: out of memory\n");
      return 1;
    }
  }
  const float *in[1] = {x.data};
  double t0 = now_ms();
  if ((rc = model_run_multi(ctx, in, host)) != YOLO_OK) {
    fprintf(stderr, "FAIL cuda-check: model_run_multi: %s: %s\n",
            yolo_status_string(rc), model_last_error(ctx));
    return 1;
  }
  printf("first run: %.1f ms (CUDA: compiles the PTX; weights uploaded "
         "by create)\n",
         now_ms() - t0);
  if (output) {
    static const int64_t shape[] = MODEL_OUTPUT0_SHAPE;
    yolo_tensor y;
    memset(&y, 0, sizeof y);
    y.data = host[0];
    y.rank = MODEL_OUTPUT0_RANK;
    for (int d = 0; d < y.rank; ++d)
      y.shape[d] = shape[d];
    if (yolo_npy_write(output, &y, err, sizeof err) != YOLO_OK) {
      fprintf(stderr, "FAIL cuda-check: %s\n", err);
      return 1;
    }
  }

  int status = 0;
#ifdef MODEL_HAS_RUN_DEVICE
  /* Device buffers in the primary context of device 0 (the library's
     default; HL_GPU_DEVICE moves both). */
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!lib) {
    fprintf(stderr, "FAIL cuda-check: %s\n", dlerror());
    return 1;
  }
  cu_init_t init = (cu_init_t)dlsym(lib, "cuInit");
  cu_device_get_t device_get = (cu_device_get_t)dlsym(lib, "cuDeviceGet");
  cu_retain_t retain = (cu_retain_t)dlsym(lib, "cuDevicePrimaryCtxRetain");
  cu_push_t push = (cu_push_t)dlsym(lib, "cuCtxPushCurrent_v2");
  cu_alloc_t alloc = (cu_alloc_t)dlsym(lib, "cuMemAlloc_v2");
  cu_free_t release = (cu_free_t)dlsym(lib, "cuMemFree_v2");
  cu_htod_t htod = (cu_htod_t)dlsym(lib, "cuMemcpyHtoD_v2");
  cu_dtoh_t dtoh = (cu_dtoh_t)dlsym(lib, "cuMemcpyDtoH_v2");
  if (!init || !device_get || !retain || !push || !alloc || !release ||
      !htod || !dtoh) {
    fprintf(stderr, "FAIL cuda-check: the driver lacks a function\n");
    return 1;
  }
  const char *env = getenv("HL_GPU_DEVICE");
  int ordinal = env ? atoi(env) : 0, device;
  void *primary;
  CU_CHECK(init(0), "cuInit");
  CU_CHECK(device_get(&device, ordinal), "cuDeviceGet");
  CU_CHECK(retain(&primary, device), "cuDevicePrimaryCtxRetain");
  CU_CHECK(push(primary), "cuCtxPushCurrent");
  unsigned long long din, dout[2] = {0};
  size_t in_bytes = MODEL_INPUT0_ELEMENTS * sizeof(float);
  CU_CHECK(alloc(&din, in_bytes), "cuMemAlloc (input)");
  CU_CHECK(htod(din, x.data, in_bytes), "cuMemcpyHtoD");
  for (int k = 0; k < outs; ++k)
    CU_CHECK(alloc(&dout[k], counts[k] * sizeof(float)), "cuMemAlloc (output)");
  const void *dev_in[1] = {(const void *)(uintptr_t)din};
  void *dev_out[2] = {(void *)(uintptr_t)dout[0], (void *)(uintptr_t)dout[1]};
  if ((rc = model_run_device(ctx, dev_in, dev_out)) != YOLO_OK) {
    fprintf(stderr, "FAIL cuda-check: model_run_device: %s: %s\n",
            yolo_status_string(rc), model_last_error(ctx));
    return 1;
  }
  for (int k = 0; k < outs; ++k) {
    CU_CHECK(dtoh(back[k], dout[k], counts[k] * sizeof(float)),
             "cuMemcpyDtoH");
    if (memcmp(back[k], host[k], counts[k] * sizeof(float))) {
      double worst = 0;
      for (long long i = 0; i < counts[k]; ++i) {
        double d = back[k][i] - host[k][i];
        if (d < 0)
          d = -d;
        if (d > worst)
          worst = d;
      }
      printf("FAIL cuda-check: output %d of model_run_device differs from "
             "model_run_multi (max abs diff %g)\n", k, worst);
      status = 1;
    }
  }
  if (!status)
    printf("OK   cuda-check: model_run_device (device pointers) matches "
           "model_run_multi bit for bit\n");

#endif
  /* Latency: host buffers (copies in and out included), then device
     buffers. */
  double *ms = malloc(repeat * sizeof(double));
  if (!ms) {
    fprintf(stderr, "FAIL cuda-check: out of memory\n");
    return 1;
  }
#ifdef MODEL_HAS_RUN_DEVICE
  int modes = 2;
#else
  int modes = 1;
#endif
  for (int mode = 0; mode < modes; ++mode) {
    for (int i = 0; i < 5 + repeat; ++i) {
      double a = now_ms();
#ifdef MODEL_HAS_RUN_DEVICE
      rc = mode ? model_run_device(ctx, dev_in, dev_out)
                : model_run_multi(ctx, in, host);
#else
      rc = model_run_multi(ctx, in, host);
#endif
      double b = now_ms();
      if (rc != YOLO_OK) {
        fprintf(stderr, "FAIL cuda-check: %s\n", model_last_error(ctx));
        return 1;
      }
      if (i >= 5)
        ms[i - 5] = b - a;
    }
    qsort(ms, repeat, sizeof(double), cmp);
    printf("%s runs=%d median_ms=%.3f min_ms=%.3f\n",
           mode ? "device buffers:" : "host buffers:  ", repeat,
           ms[repeat / 2], ms[0]);
  }
  free(ms);
#ifdef MODEL_HAS_RUN_DEVICE
  release(din);
  for (int k = 0; k < outs; ++k)
    release(dout[k]);
#endif
  model_destroy(ctx);
  free(x.data);
  return status;
}
