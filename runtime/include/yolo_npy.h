//===- yolo_npy.h - float32 .npy files for runners and tests -----*- C -*-===//
//
// Reading and writing NumPy .npy files of little-endian float32 in C order,
// the format the generated runners exchange tensors in (`NAME-run --input
// x.npy --output y.npy`) and the test scripts compare with onnxruntime.
// Files come from users, so reading treats every byte as hostile: a bad
// file gives a status and a message, never a crash, and nothing is
// allocated before the header's declared size has been checked against the
// bytes actually present.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_NPY_H
#define YOLO_NPY_H

#include "yolo_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

// Alignment in bytes of the data yolo_npy_read and yolo_npy_parse return,
// enough for the widest vector loads of the generated kernels.
#define YOLO_NPY_ALIGNMENT 64

// Longest header (the dictionary text) accepted when reading. NumPy's own
// files use a few hundred bytes; the limit bounds what a hostile header can
// make the reader allocate.
#define YOLO_NPY_MAX_HEADER 65536

// Reads the .npy file at `path` into `*out`: rank and shape from the
// header, data in a new buffer aligned to YOLO_NPY_ALIGNMENT that the caller
// releases with yolo_npy_free (not free()). Accepts format versions 1.0,
// 2.0 and 3.0 with dtype '<f4' and fortran_order False, rank 0 to
// YOLO_MAX_RANK, zero-sized dimensions included (data then is a valid,
// empty buffer).
//
// On failure `*out` holds no data and no shape (rank 0, data NULL), a
// message naming the file and the reason goes to `err` (may be NULL), and
// the status is YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_IO (the file cannot be
// opened or read, or is not a float32 C-order .npy: bad magic, unsupported
// version or dtype, Fortran order, malformed or too long header, truncated
// data, bytes after the data), YOLO_ERR_BAD_SHAPE (more than YOLO_MAX_RANK
// dimensions, a size that overflows) or YOLO_ERR_OUT_OF_MEMORY.
int yolo_npy_read(const char *path, yolo_tensor *out, char *err, size_t errlen);

// yolo_npy_read on the `size` bytes at `bytes` (a whole .npy file in
// memory); messages name the source "npy data". The data is copied, so
// `bytes` may be released afterwards. Fuzzers call this.
int yolo_npy_parse(const void *bytes, size_t size, yolo_tensor *out, char *err,
                   size_t errlen);

// Writes `t` to `path` as a version 1.0 '<f4' C-order .npy file, creating
// or truncating it. Dimensions may be 0 (then `t->data` may be NULL).
// Returns YOLO_ERR_NULL_ARGUMENT (path or t NULL, data NULL with elements
// to write), YOLO_ERR_BAD_SHAPE (rank outside [0, YOLO_MAX_RANK], a negative
// dimension, an element count that overflows) or YOLO_ERR_IO (the file
// cannot be written completely; it may then be left truncated, since
// replacing the path atomically is the caller's choice).
int yolo_npy_write(const char *path, const yolo_tensor *t, char *err,
                   size_t errlen);

// Releases the data of a tensor filled by yolo_npy_read or yolo_npy_parse
// and resets it to rank 0 with no data. Safe on NULL and on a tensor that
// holds no data.
void yolo_npy_free(yolo_tensor *t);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // YOLO_NPY_H
