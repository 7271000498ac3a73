/*===- fuzz-runtime.c - libFuzzer targets for the runtime's file readers ---===
 *
 * The C runtime that ships inside every generated library reads files users
 * hand it: images (yolo_image_decode: PNG, JPEG, PPM/PGM, BMP through
 * stb_image after our own header walk) and tensors (yolo_npy_parse). Built
 * as yolo-fuzz-image (YOLO_FUZZ_IMAGE) or yolo-fuzz-npy (YOLO_FUZZ_NPY).
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
