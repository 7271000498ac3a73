//===- runtime.c - status codes, error messages, tensor checks ------------===//
//
// The model-independent checks every generated entry point runs before it
// touches a caller's buffer: a descriptor that is present, of the expected
// rank and shape, and aligned as the compiled kernels assume. Failures are
// reported as a status code plus a message that shows what was expected and
// what was found, so a caller sees "tensor 'images': expected shape
// [1, 3, 640, 640], got [1, 3, 320, 320]" rather than a crash in a kernel.
//
//===----------------------------------------------------------------------===//

#include "yolo_runtime.h"

#include <inttypes.h>
#include <stdio.h>

const char *yolo_status_string(int status) {
  switch (status) {
  case YOLO_OK:
    return "ok";
  case YOLO_ERR_NULL_ARGUMENT:
    return "null argument";
  case YOLO_ERR_BAD_SHAPE:
    return "bad shape";
  case YOLO_ERR_BAD_ALIGNMENT:
    return "bad alignment";
  case YOLO_ERR_OUT_OF_MEMORY:
    return "out of memory";
  case YOLO_ERR_BAD_THREADS:
    return "bad thread count";
  case YOLO_ERR_BUSY:
    return "context busy";
  case YOLO_ERR_NO_DEVICE:
    return "no device";
  case YOLO_ERR_INTERNAL:
    return "internal error";
  case YOLO_ERR_IO:
    return "i/o error";
  case YOLO_ERR_BAD_ARGUMENT:
    return "bad argument";
  case YOLO_ERR_BAD_IMAGE:
    return "bad image";
  case YOLO_ERR_TOO_LARGE:
    return "too large";
  case YOLO_ERR_UNSUPPORTED_CPU:
    return "unsupported CPU";
  default:
    return "unknown status";
  }
}

void yolo_vformat_error(char *buf, size_t n, const char *fmt, va_list ap) {
  if (!buf || n == 0)
    return;
  buf[0] = '\0';
  if (!fmt)
    return;
  // vsnprintf NUL-terminates whenever n > 0; on an encoding error it may
  // leave the buffer unspecified, so terminate again.
  if (vsnprintf(buf, n, fmt, ap) < 0)
    buf[0] = '\0';
  buf[n - 1] = '\0';
}

void yolo_format_error(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  yolo_vformat_error(buf, n, fmt, ap);
  va_end(ap);
}

// Longest text formatShape writes: 8 dimensions of up to 20 characters,
// separators and brackets.
enum { SHAPE_TEXT_SIZE = YOLO_MAX_RANK * 22 + 4 };

// Writes "[1, 3, ?, 640]" into `buf`; -1 (a dynamic dimension) reads "?".
static void formatShape(char *buf, size_t n, const int64_t *shape, int rank) {
  size_t used = 0;
  int i;
  used += (size_t)snprintf(buf, n, "[");
  for (i = 0; i < rank && used < n; ++i) {
    const char *sep = i ? ", " : "";
    if (shape[i] == -1)
      used += (size_t)snprintf(buf + used, n - used, "%s?", sep);
    else
      used +=
          (size_t)snprintf(buf + used, n - used, "%s%" PRId64, sep, shape[i]);
  }
  if (used < n)
    snprintf(buf + used, n - used, "]");
}

int yolo_check_named_tensor(const yolo_tensor *t, const char *name, int rank,
                            const int64_t *expected_shape, size_t alignment,
                            char *err, size_t errlen) {
  char what[160];
  char want[SHAPE_TEXT_SIZE], got[SHAPE_TEXT_SIZE];
  int64_t numel = 1;
  int i;

  if (name)
    snprintf(what, sizeof(what), "tensor '%s'", name);
  else
    snprintf(what, sizeof(what), "tensor");

  // The expectation comes from the generated code, not the user; a bad one
  // is still reported rather than trusted.
  if (rank < 0 || rank > YOLO_MAX_RANK) {
    yolo_format_error(err, errlen, "%s: expected rank %d is outside [0, %d]",
                      what, rank, YOLO_MAX_RANK);
    return YOLO_ERR_BAD_ARGUMENT;
  }
  for (i = 0; expected_shape && i < rank; ++i) {
    if (expected_shape[i] == 0 || expected_shape[i] < -1) {
      yolo_format_error(err, errlen,
                        "%s: expected dimension %d is %" PRId64
                        ", must be positive or -1",
                        what, i, expected_shape[i]);
      return YOLO_ERR_BAD_ARGUMENT;
    }
  }
  if (alignment > 1 && (alignment & (alignment - 1)) != 0) {
    yolo_format_error(err, errlen, "%s: alignment %zu is not a power of two",
                      what, alignment);
    return YOLO_ERR_BAD_ARGUMENT;
  }

  if (!t) {
    yolo_format_error(err, errlen, "%s: descriptor is NULL", what);
    return YOLO_ERR_NULL_ARGUMENT;
  }
  if (!t->data) {
    yolo_format_error(err, errlen, "%s: data pointer is NULL", what);
    return YOLO_ERR_NULL_ARGUMENT;
  }
  if (t->rank < 0 || t->rank > YOLO_MAX_RANK) {
    yolo_format_error(err, errlen, "%s: rank %" PRId32 " is outside [0, %d]",
                      what, t->rank, YOLO_MAX_RANK);
    return YOLO_ERR_BAD_SHAPE;
  }
  if (t->rank != rank) {
    yolo_format_error(err, errlen, "%s: expected rank %d, got %" PRId32, what,
                      rank, t->rank);
    return YOLO_ERR_BAD_SHAPE;
  }
  for (i = 0; i < rank; ++i) {
    if (t->shape[i] <= 0) {
      yolo_format_error(err, errlen,
                        "%s: dimension %d is %" PRId64
                        ", expected a positive size",
                        what, i, t->shape[i]);
      return YOLO_ERR_BAD_SHAPE;
    }
  }
  for (i = 0; expected_shape && i < rank; ++i) {
    if (expected_shape[i] != -1 && expected_shape[i] != t->shape[i]) {
      formatShape(want, sizeof(want), expected_shape, rank);
      formatShape(got, sizeof(got), t->shape, rank);
      yolo_format_error(err, errlen, "%s: expected shape %s, got %s", what,
                        want, got);
      return YOLO_ERR_BAD_SHAPE;
    }
  }
  for (i = 0; i < rank; ++i) {
    if (numel > INT64_MAX / t->shape[i]) {
      formatShape(got, sizeof(got), t->shape, rank);
      yolo_format_error(err, errlen, "%s: element count of shape %s overflows",
                        what, got);
      return YOLO_ERR_BAD_SHAPE;
    }
    numel *= t->shape[i];
  }
  if (alignment > 1 && ((uintptr_t)t->data & (uintptr_t)(alignment - 1))) {
    yolo_format_error(err, errlen,
                      "%s: data pointer %p is not aligned to %zu bytes", what,
                      (void *)t->data, alignment);
    return YOLO_ERR_BAD_ALIGNMENT;
  }
  return YOLO_OK;
}

int yolo_check_tensor(const yolo_tensor *t, int rank,
                      const int64_t *expected_shape, size_t alignment,
                      char *err, size_t errlen) {
  return yolo_check_named_tensor(t, NULL, rank, expected_shape, alignment, err,
                                 errlen);
}
