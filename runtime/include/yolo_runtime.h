//===- yolo_runtime.h - C API shared by every generated library -*- C -*-===//
//
// The part of the C API that does not depend on the compiled model: status
// codes and their messages, the tensor descriptor and its validation, the
// detection record, and the post-processing a detector needs after the
// network (decode, confidence threshold, class-aware NMS, top-k, mapping
// letterboxed boxes back to the original image). Every generated NAME.h
// includes this header; the implementation is the static library
// yolo_runtime (C99, libc only). It has no global state, so every function
// may run on several threads at once on distinct arguments, and no function
// aborts on bad input: each validates its arguments and returns a status.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_RUNTIME_H
#define YOLO_RUNTIME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define YOLO_PRINTF_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define YOLO_PRINTF_FORMAT(fmt, args)
#endif

//===----------------------------------------------------------------------===//
// Status codes
//===----------------------------------------------------------------------===//

// Every function that can fail returns one of these (as int). YOLO_OK is 0
// and every error is negative, so both `if (status)` and `if (status < 0)`
// test for failure. The values are part of the ABI and never change.
enum {
  YOLO_OK = 0,
  YOLO_ERR_NULL_ARGUMENT = -1, // a required pointer was NULL
  YOLO_ERR_BAD_SHAPE = -2,     // rank or dimensions differ from expected
  YOLO_ERR_BAD_ALIGNMENT = -3, // a buffer is not aligned as required
  YOLO_ERR_OUT_OF_MEMORY = -4, // an allocation failed or would overflow
  YOLO_ERR_BAD_THREADS = -5,   // a thread count out of range
  YOLO_ERR_BUSY = -6,          // a context is in use by another call
  YOLO_ERR_NO_DEVICE = -7,     // the target device is not available
  YOLO_ERR_INTERNAL = -8,      // a bug: please report it
  YOLO_ERR_IO = -9,            // a file could not be read or written
  YOLO_ERR_BAD_ARGUMENT = -10, // a value argument is out of range
  YOLO_ERR_BAD_IMAGE = -11,    // not an image, unsupported, truncated, corrupt
  YOLO_ERR_TOO_LARGE = -12,    // an image larger than the accepted limit
  YOLO_ERR_UNSUPPORTED_CPU = -13 // the CPU lacks an instruction-set feature
                                 // the library was compiled for
};

// A short, static, lowercase description of `status` ("ok", "null
// argument", ...); "unknown status" for values not listed above. Never NULL.
const char *yolo_status_string(int status);

// snprintf into `buf` that is safe on every input: does nothing when `buf`
// is NULL or `n` is 0, always NUL-terminates, truncates silently. Generated
// libraries keep a last-error message per context and fill it with this.
void yolo_format_error(char *buf, size_t n, const char *fmt, ...)
    YOLO_PRINTF_FORMAT(3, 4);

// The va_list form of yolo_format_error, for wrappers.
void yolo_vformat_error(char *buf, size_t n, const char *fmt, va_list ap);

//===----------------------------------------------------------------------===//
// CPU features
//===----------------------------------------------------------------------===//

// Generated libraries check, in NAME_create and before any of their compiled
// code runs, that the CPU has every instruction-set feature the library (or,
// for a multi-target library, the variant it picks) was compiled for.
// Features are named as Linux's /proc/cpuinfo names them: on x86-64 "sse4_1",
// "avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm" (lzcnt), "movbe",
// "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512ifma",
// "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bitalg",
// "avx512_vpopcntdq", "avx512_bf16", "avx512_fp16", "avx_vnni",
// "amx_tile", "amx_int8", "amx_bf16", ...; on AArch64 (from the kernel's
// HWCAP words) "asimd", "fphp", "asimdhp", "asimddp", "atomics", "asimdrdm",
// "sve", "sve2", "i8mm", "bf16", ... On x86-64 the AVX and AVX-512 features
// also need the operating system to save their registers (XCR0).
//
// Test-only override: the environment variable YOLO_CPU_DISABLE, a comma-
// separated list of feature names, makes these functions report those
// features as absent, e.g. YOLO_CPU_DISABLE=avx512f,avx2 makes a
// multi-target library pick its baseline variant on any CPU. It can only
// take features away, never add them, so it cannot make a library run code
// the CPU lacks.

// 1 when the running CPU has `feature`, 0 when it does not (or the
// override disables it), -1 when the name is not known on this
// architecture (or `feature` is NULL). Thread-safe; reads the CPU once.
int yolo_cpu_has(const char *feature);

// Checks the NULL-terminated list `required` and writes the names of the
// features the CPU lacks into `missing` (comma-separated, may be NULL),
// truncated to `n` bytes. An unknown name counts as missing. Returns how
// many are missing (0: every feature is present).
int yolo_cpu_missing(const char *const *required, char *missing, size_t n);

//===----------------------------------------------------------------------===//
// Profiling
//===----------------------------------------------------------------------===//

// The environment variable YOLO_PROFILE=FILE, set (non-empty) when
// NAME_create runs, makes a generated CPU library time every layer (each
// kernel call) of the context's first 256 successful runs; NAME_destroy
// writes the times to FILE, replacing it: a header line
// `# yolo-profile 1 model=NAME variant=TARGET threads=N steps=S runs=R`,
// then per layer a tab-separated line of its index, class ("conv3x3s1",
// "conv1x1", "conv3x3s2", "conv-other", "matmul", "pool", "elementwise",
// "copy", "other"), FLOPs of the direct algorithm, kernel index, ONNX node
// names, kernel description and the R times in ms (comma-separated).
// bench/profile.py summarizes the file per class. A file that cannot be
// written is reported on stderr, nothing else fails. Unset, it costs
// nothing measurable. CUDA libraries ignore it (their kernel calls return
// before the GPU has finished).

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

#define YOLO_MAX_RANK 8

// A dense float32 tensor in C (row-major) order. Only shape[0..rank) is
// meaningful. The descriptor never owns `data`, except where a function
// (yolo_npy_read) says so.
typedef struct yolo_tensor {
  float *data;
  int32_t rank;
  int64_t shape[YOLO_MAX_RANK];
} yolo_tensor;

// Checks that `t` is a usable tensor of `rank` dimensions matching
// `expected_shape`, with `t->data` aligned to `alignment` bytes.
//
// - `expected_shape` has `rank` entries; an entry of -1 accepts any positive
//   size (a dynamic dimension); a NULL `expected_shape` accepts any positive
//   sizes.
// - `alignment` is 0 or 1 for none, otherwise a power of two.
// - Every dimension of `t` must be positive and the element count must fit
//   in int64_t.
//
// On failure writes a message naming the argument "tensor" into `err` (may
// be NULL) and returns YOLO_ERR_NULL_ARGUMENT (t or t->data is NULL),
// YOLO_ERR_BAD_SHAPE, YOLO_ERR_BAD_ALIGNMENT, or YOLO_ERR_BAD_ARGUMENT (the
// expectation itself is invalid: `rank` outside [0, YOLO_MAX_RANK], an
// expected dimension that is 0 or below -1, an alignment that is not a
// power of two).
int yolo_check_tensor(const yolo_tensor *t, int rank,
                      const int64_t *expected_shape, size_t alignment,
                      char *err, size_t errlen);

// yolo_check_tensor with messages naming the argument `name`, e.g. the
// model input's name: "tensor 'images': expected shape [1, 3, 640, 640],
// got [1, 3, 320, 320]". A NULL `name` gives yolo_check_tensor's messages.
int yolo_check_named_tensor(const yolo_tensor *t, const char *name, int rank,
                            const int64_t *expected_shape, size_t alignment,
                            char *err, size_t errlen);

//===----------------------------------------------------------------------===//
// Detections and post-processing
//===----------------------------------------------------------------------===//

// One detected object: the class with the highest score and its box as
// corners in pixels (x1 <= x2 and y1 <= y2 for well-formed predictions).
typedef struct yolo_detection {
  int32_t class_id;
  float score;
  float x1, y1, x2, y2;
} yolo_detection;

// Decodes one image's prediction of a YOLOv9 detector and applies greedy
// non-maximum suppression, as YOLOv9's non_max_suppression does with
// multi_label=False.
//
// `pred` is one batch item of the model's main output (1, 4 + nc, anchors),
// row-major: pred[c * num_anchors + a] is channel c of anchor a. Channels
// 0..3 are the box (cx, cy, w, h) in input pixels, channels 4.. the class
// scores (already through the sigmoid); `num_channels` = 4 + nc >= 5.
//
// An anchor's confidence is its highest class score (the lowest class id
// wins a tie); anchors whose confidence is not strictly greater than
// `conf_thresh` (NaN included) are dropped. The others are sorted by
// confidence, highest first, ties broken by the lower anchor index, so the
// result is deterministic. Walking that order, a candidate is kept unless
// its IoU with an already kept box of the same class (of any class when
// `class_agnostic` is nonzero) is strictly greater than `iou_thresh`. At
// most `max_det` detections are written to `out`, best first, and their
// number to `*num_out`.
//
// IoU is intersection / (area1 + area2 - intersection) on the corners, as
// torchvision.ops.nms computes it; a pair whose union is not positive
// (degenerate boxes) never suppresses. No pre-NMS cap on the number of
// candidates is applied (YOLOv9 caps at 30000, more than the 8400 anchors
// of a 640x640 input).
//
// Returns YOLO_ERR_NULL_ARGUMENT (pred or num_out NULL, or out NULL while
// max_det > 0), YOLO_ERR_BAD_SHAPE (num_channels < 5, num_anchors < 0, or a
// size that overflows), YOLO_ERR_BAD_ARGUMENT (a threshold NaN or outside
// [0, 1], max_det < 0) or YOLO_ERR_OUT_OF_MEMORY; `*num_out` is 0 on any
// error. Allocates 16 bytes of scratch per anchor, freed before returning.
int yolo_decode_and_nms(const float *pred, int64_t num_channels,
                        int64_t num_anchors, float conf_thresh,
                        float iou_thresh, int max_det, int class_agnostic,
                        yolo_detection *out, int *num_out);

// yolo_decode_and_nms that also says where each kept detection came from:
// `anchors[i]` (when `anchors` is not NULL) receives the anchor index of
// out[i], e.g. to read a segmentation head's mask coefficients for it
// (yolo_mask_coefficients). `anchors` has room for `max_det` entries.
// Same results, errors and scratch as yolo_decode_and_nms.
int yolo_decode_and_nms_anchors(const float *pred, int64_t num_channels,
                                int64_t num_anchors, float conf_thresh,
                                float iou_thresh, int max_det,
                                int class_agnostic, yolo_detection *out,
                                int64_t *anchors, int *num_out);

// Writes to `indices` the positions of the `k` highest of the `n` values in
// `scores`, highest first, ties broken by the lower position; NaN values are
// never selected. `*num_out` = min(k, number of non-NaN scores). Uses no
// scratch memory; O(n log k).
//
// Returns YOLO_ERR_NULL_ARGUMENT (num_out NULL, scores NULL while n > 0,
// indices NULL while k > 0) or YOLO_ERR_BAD_ARGUMENT (n < 0 or k < 0);
// `*num_out` is 0 on any error.
int yolo_topk(const float *scores, int64_t n, int k, int64_t *indices,
              int *num_out);

// The gain and padding that place an `img_w` x `img_h` image into a
// letterboxed `input_w` x `input_h` model input (uniform scale, centred), as
// YOLOv9's scale_boxes computes them: gain = min(input_w / img_w,
// input_h / img_h), pad_x = (input_w - img_w * gain) / 2, pad_y likewise.
// Returns YOLO_ERR_NULL_ARGUMENT or YOLO_ERR_BAD_ARGUMENT (a size <= 0).
int yolo_letterbox_params(int img_w, int img_h, int input_w, int input_h,
                          float *gain, float *pad_x, float *pad_y);

// Maps `n` boxes from letterboxed input coordinates back to the original
// image, in place: x = (x - pad_x) / gain, y = (y - pad_y) / gain, then
// clipped to [0, img_w] and [0, img_h] (YOLOv9's scale_boxes followed by
// clip_boxes). class_id and score are left as they are.
//
// Returns YOLO_ERR_NULL_ARGUMENT (dets NULL while n > 0) or
// YOLO_ERR_BAD_ARGUMENT (n < 0, gain not finite and positive, a pad not
// finite, img_w or img_h <= 0); on error no box is modified.
int yolo_scale_boxes(yolo_detection *dets, int n, float gain, float pad_x,
                     float pad_y, int img_w, int img_h);

//===----------------------------------------------------------------------===//
// Segmentation masks
//===----------------------------------------------------------------------===//

// A YOLOv9 segmentation model has two outputs that matter here: the main
// output (1, 4 + nc + nm, anchors), whose last nm channels are each
// anchor's mask coefficients, and the prototypes (1, nm, mh, mw), usually
// at a quarter of the input resolution. A detection's mask is computed as
// YOLOv9's segment/predict.py does: utils/segment/general.py's
// process_mask(protos, coeffs, boxes, (input_h, input_w), upsample=True)
// at the model input's resolution, then mapped to the original image as
// scale_image does for drawing. The functions work on one detection at a
// time, so memory is bounded by one mask at input and one at image size.

// Copies the `nm` mask coefficients of anchor `anchor` (the last `nm` of
// the `num_channels` rows of `pred`, laid out as for yolo_decode_and_nms)
// into `coeffs`. Returns YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_SHAPE (nm < 1,
// num_channels < 5 + nm, num_anchors < 1, or a size that overflows) or
// YOLO_ERR_BAD_ARGUMENT (anchor outside [0, num_anchors)).
int yolo_mask_coefficients(const float *pred, int64_t num_channels,
                           int64_t num_anchors, int64_t anchor, int64_t nm,
                           float *coeffs);

// One detection's mask at the model input's resolution, as process_mask
// with upsample=True computes it:
//  1. m = sigmoid(coeffs . protos), an mh x mw map (protos is the
//     prototype output [nm, mh, mw], row-major; coeffs has nm values);
//  2. crop: m is zeroed outside the detection's box scaled to the
//     prototype grid (x * mw / input_w, y * mh / input_h, in float as
//     torch computes them): a cell (r, c) is kept when
//     x1' <= c < x2' and y1' <= r < y2';
//  3. upsampled to input_h x input_w bilinearly as torch's
//     F.interpolate(mode='bilinear', align_corners=False): source
//     coordinate (d + 0.5) * (mh / input_h) - 0.5 clamped at 0, the next
//     tap clamped at the edge;
//  4. mask[y * input_w + x] = 1 where the upsampled value is > 0.5, else 0.
// `det` holds the box in input pixels (as yolo_decode_and_nms returns it,
// before yolo_scale_boxes); any box is accepted, including boxes outside
// the input or empty ones (an empty mask). `num_coeffs` must equal `nm`:
// it is the coefficient count the main output's head provides, checked
// against the prototypes. Allocates mh * mw floats and two int/float
// tables of the input's width and height, freed before returning.
//
// Returns YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_SHAPE (nm, mh or mw < 1,
// num_coeffs != nm, a size that overflows), YOLO_ERR_BAD_ARGUMENT
// (input_w or input_h < 1, a box coordinate NaN) or
// YOLO_ERR_OUT_OF_MEMORY; `mask` is unmodified on error.
int yolo_mask_compute(const float *protos, int64_t nm, int64_t mh, int64_t mw,
                      const float *coeffs, int64_t num_coeffs,
                      const yolo_detection *det, int input_w, int input_h,
                      uint8_t *mask);

// Maps a mask from the letterboxed model input (input_w x input_h, one
// byte per pixel, nonzero for set, as yolo_mask_compute writes it) to the
// original img_w x img_h image as YOLOv9's utils/segment/general.py
// scale_image does: the letterbox padding is cut away (gain and pads as
// scale_image computes them, in double: top = int(pad_y), left =
// int(pad_x), bottom = int(input_h - pad_y), right = int(input_w -
// pad_x)) and the rest resized to img_w x img_h with OpenCV's cv2.resize
// INTER_LINEAR on 8-bit data: 11-bit weights (as yolo_letterbox), and a
// vertical pass that computes ((a >> 4) * wa >> 16) + ((b >> 4) * wb >> 16)
// + 2 >> 2 for every pixel. A pixel is set when that is nonzero (OpenCV's
// truncations put the threshold a little above a weight of 0.5). Writes
// img_w * img_h bytes, 0 or 1, to `out`. Allocates a few rows of scratch.
//
// Returns YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_ARGUMENT (a size < 1, or a
// cut that leaves no row or column, as for an image whose letterboxed
// extent is under a pixel: scale_image fails there too) or
// YOLO_ERR_OUT_OF_MEMORY.
int yolo_mask_to_image(const uint8_t *mask, int input_w, int input_h, int img_w,
                       int img_h, uint8_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // YOLO_RUNTIME_H
