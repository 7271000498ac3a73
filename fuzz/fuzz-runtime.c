/*===- fuzz-runtime.c - libFuzzer targets for the runtime's file readers ---===
 *
 * The C runtime that ships inside every generated library reads files users
 * hand it: images (yolo_image_decode: JPEG through libjpeg-turbo, PNG
 * through libpng after our chunk walk, our own BMP and PPM/PGM readers)
 * and tensors (yolo_npy_parse); and post-processes what a model hands it,
 * whatever the floats (NaN and infinities included): yolo_decode_and_nms,
 * yolo_scale_boxes, drawing.
 * Built as yolo-fuzz-image (YOLO_FUZZ_IMAGE), yolo-fuzz-npy (YOLO_FUZZ_NPY)
 * or yolo-fuzz-postprocess (YOLO_FUZZ_POSTPROCESS).
 * Besides crashes and sanitizer reports, a broken contract is a finding: a
 * failure must leave the result empty and give a message, a success must
 * give a result within the declared limits; a decoded image is also
 * letterboxed and drawn on, as the detector's main program does.
 *
 *===----------------------------------------------------------------------===*/

#include "yolo_image.h"
#include "yolo_npy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void finding(const char *what, int status, const char *err) {
  fprintf(stderr, "broken contract: %s (status %d, message '%s')\n", what,
          status, err);
  abort();
}

#ifdef YOLO_FUZZ_IMAGE
/* 1 Mpixel: lying headers above it must be refused before any allocation,
   and what is below it decodes quickly. */
#define MAX_PIXELS (1024u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[512] = "";
  yolo_image img;
  int status = yolo_image_decode(data, size, "fuzz.img", MAX_PIXELS, &img, err,
                                 sizeof err);
  if (status != YOLO_OK) {
    if (img.data || img.width || img.height)
      finding("a failed decode left pixels behind", status, err);
    if (!err[0] || !strstr(err, "fuzz.img"))
      finding("a failed decode without a message naming the source", status,
              err);
    return 0;
  }
  if (!img.data || img.width <= 0 || img.height <= 0 ||
      (uint64_t)img.width * (uint64_t)img.height > MAX_PIXELS)
    finding("a decoded image outside the limits", status, err);
  /* Touch every byte (ASan checks the allocation's extent). */
  unsigned sum = 0;
  for (size_t k = 0; k < (size_t)img.width * img.height * 3; ++k)
    sum += img.data[k];
  float input[3 * 48 * 64];
  yolo_letterbox_info info;
  status = yolo_letterbox(&img, 64, 48, input, &info);
  if (status != YOLO_OK)
    finding("letterboxing a decoded image failed", status, "");
  for (size_t k = 0; k < sizeof input / sizeof *input; ++k)
    if (!(input[k] >= 0.0f && input[k] <= 1.0f))
      finding("a letterboxed value outside [0, 1]", status, "");
  yolo_detection det;
  memset(&det, 0, sizeof det);
  det.x1 = -5.0f + (float)(sum % 7);
  det.y1 = 1.0f;
  det.x2 = (float)img.width + 3.0f;
  det.y2 = (float)img.height * 0.5f;
  det.score = 0.5f;
  det.class_id = (int)(sum % 80);
  yolo_draw_detection(&img, &det, sum % 2 ? "person" : NULL, (int)(sum % 3));
  yolo_image_free(&img);
  if (img.data || img.width || img.height)
    finding("yolo_image_free left the image non-empty", 0, "");
  return 0;
}
#endif

#ifdef YOLO_FUZZ_NPY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[512] = "";
  yolo_tensor t;
  int status = yolo_npy_parse(data, size, &t, err, sizeof err);
  if (status != YOLO_OK) {
    if (t.data || t.rank)
      finding("a failed parse left a tensor behind", status, err);
    if (!err[0])
      finding("a failed parse without a message", status, err);
    return 0;
  }
  if (t.rank < 0 || t.rank > YOLO_MAX_RANK)
    finding("a parsed rank outside [0, YOLO_MAX_RANK]", status, err);
  uint64_t numel = 1;
  for (int d = 0; d < t.rank; ++d) {
    if (t.shape[d] < 0)
      finding("a negative parsed dimension", status, err);
    numel *= (uint64_t)t.shape[d];
  }
  /* The data was copied out of the file: its size bounds the count. */
  if (numel * sizeof(float) > size)
    finding("more elements than the file holds", status, err);
  if (!t.data || (uintptr_t)t.data % YOLO_NPY_ALIGNMENT)
    finding("parsed data missing or misaligned", status, err);
  volatile float sink = 0;
  for (uint64_t k = 0; k < numel; ++k)
    sink += t.data[k];
  (void)sink;
  yolo_npy_free(&t);
  if (t.data || t.rank)
    finding("yolo_npy_free left the tensor non-empty", 0, "");
  return 0;
}
#endif

#ifdef YOLO_FUZZ_POSTPROCESS
/* Bytes 0-3 choose the number of classes (1..16), max_det (0..63), the
   thresholds (0..1) and class-agnostic NMS; the rest are the prediction's
   floats, [4 + classes, anchors] channel-major, as the model writes it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4)
    return 0;
  int classes = 1 + data[0] % 16, max_det = data[1] % 64;
  float conf = (float)(data[2] & 0x7f) / 127.0f;
  float iou = (float)(data[3] & 0x7f) / 127.0f;
  int agnostic = data[2] >> 7;
  int64_t channels = 4 + classes;
  int64_t anchors = (int64_t)((size - 4) / sizeof(float)) / channels;
  float *pred =
      (float *)malloc(sizeof(float) * (size_t)(channels * anchors) + 1);
  memcpy(pred, data + 4, sizeof(float) * (size_t)(channels * anchors));
  yolo_detection dets[64];
  int n = -1;
  int status = yolo_decode_and_nms(pred, channels, anchors, conf, iou, max_det,
                                   agnostic, dets, &n);
  if (status != YOLO_OK)
    finding("post-processing a well-formed prediction failed", status, "");
  if (n < 0 || n > max_det || n > anchors)
    finding("a detection count outside [0, min(max_det, anchors)]", n, "");
  for (int k = 0; k < n; ++k) {
    if (!(dets[k].score > conf) || dets[k].class_id < 0 ||
        dets[k].class_id >= classes)
      finding("a detection below the threshold or of no class", k, "");
    if (k > 0 && dets[k].score > dets[k - 1].score)
      finding("detections out of score order", k, "");
  }
  /* Back to a 37 x 23 image letterboxed into 64 x 64, then drawn. */
  float gain, padX, padY;
  if (yolo_letterbox_params(37, 23, 64, 64, &gain, &padX, &padY) != YOLO_OK ||
      yolo_scale_boxes(dets, n, gain, padX, padY, 37, 23) != YOLO_OK)
    finding("scaling boxes failed", 0, "");
  yolo_image img;
  if (yolo_image_create(37, 23, NULL, &img) != YOLO_OK)
    finding("creating an image failed", 0, "");
  for (int k = 0; k < n; ++k) {
    if (!(dets[k].x1 >= 0 && dets[k].x2 <= 37 && dets[k].y1 >= 0 &&
          dets[k].y2 <= 23) &&
        dets[k].x1 == dets[k].x1 && dets[k].x2 == dets[k].x2 &&
        dets[k].y1 == dets[k].y1 && dets[k].y2 == dets[k].y2)
      finding("a scaled box outside the image", k, "");
    yolo_draw_detection(&img, &dets[k], k % 2 ? "x" : NULL, k % 3);
  }
  yolo_image_free(&img);
  free(pred);
  return 0;
}
#endif
