//===- npy.c - float32 .npy reading and writing ---------------------------===//
//
// A reader and writer for the NumPy .npy format (version 1.0, 2.0 and 3.0
// headers) restricted to what the project exchanges: little-endian float32
// in C order. The header is a Python dict literal; the reader parses exactly
// the three keys NumPy writes and nothing else, so a file it accepts is one
// NumPy would load the same way. Reading is defensive: every length is
// checked against the bytes present before anything is allocated, and
// every failure is a status with a message naming the file.
//
//===----------------------------------------------------------------------===//

#include "yolo_npy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char npyMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

// Magic, version, and the header length field (2 bytes in 1.0, 4 after).
enum { PREAMBLE_V1 = 10, PREAMBLE_V2 = 12 };

static int hostIsLittleEndian(void) {
  const uint16_t one = 1;
  unsigned char first;
  memcpy(&first, &one, 1);
  return first == 1;
}

static void swapFloats(float *data, size_t count) {
  size_t i;
  for (i = 0; i < count; ++i) {
    unsigned char b[4], r[4];
    memcpy(b, &data[i], 4);
    r[0] = b[3];
    r[1] = b[2];
    r[2] = b[1];
    r[3] = b[0];
    memcpy(&data[i], r, 4);
  }
}

//===----------------------------------------------------------------------===//
// Aligned buffers
//===----------------------------------------------------------------------===//

// C99 has no aligned allocation, so over-allocate and keep the pointer
// malloc returned just below the aligned block.
static float *allocAligned(size_t bytes) {
  unsigned char *raw, *aligned;
  size_t extra = YOLO_NPY_ALIGNMENT + sizeof(void *);
  if (bytes > SIZE_MAX - extra)
    return NULL;
  raw = (unsigned char *)malloc(bytes + extra);
  if (!raw)
    return NULL;
  aligned = raw + sizeof(void *);
  aligned += (YOLO_NPY_ALIGNMENT - (uintptr_t)aligned % YOLO_NPY_ALIGNMENT) %
             YOLO_NPY_ALIGNMENT;
  memcpy(aligned - sizeof(void *), &raw, sizeof(void *));
  return (float *)(void *)aligned;
}

static void freeAligned(float *data) {
  void *raw;
  if (!data)
    return;
  memcpy(&raw, (unsigned char *)data - sizeof(void *), sizeof(void *));
  free(raw);
}

void yolo_npy_free(yolo_tensor *t) {
  if (!t)
    return;
  freeAligned(t->data);
  memset(t, 0, sizeof(*t));
}

//===----------------------------------------------------------------------===//
// Header parsing
//===----------------------------------------------------------------------===//

// Reads the preamble in the first `n` bytes (n may be short of a full
// preamble): sets the offset and length of the dict text.
static int parsePreamble(const unsigned char *p, size_t n, const char *src,
                         size_t *textStart, size_t *textLen, char *err,
                         size_t errlen) {
  if (n < sizeof(npyMagic) || memcmp(p, npyMagic, sizeof(npyMagic)) != 0) {
    yolo_format_error(err, errlen, "%s: not a .npy file (bad magic)", src);
    return YOLO_ERR_IO;
  }
  if (n < 8) {
    yolo_format_error(err, errlen, "%s: truncated header", src);
    return YOLO_ERR_IO;
  }
  if (p[6] == 1 && p[7] == 0) {
    if (n < PREAMBLE_V1) {
      yolo_format_error(err, errlen, "%s: truncated header", src);
      return YOLO_ERR_IO;
    }
    *textStart = PREAMBLE_V1;
    *textLen = (size_t)p[8] | (size_t)p[9] << 8;
  } else if ((p[6] == 2 || p[6] == 3) && p[7] == 0) {
    uint32_t len;
    if (n < PREAMBLE_V2) {
      yolo_format_error(err, errlen, "%s: truncated header", src);
      return YOLO_ERR_IO;
    }
    len = (uint32_t)p[8] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 |
          (uint32_t)p[11] << 24;
    if (len > YOLO_NPY_MAX_HEADER) {
      yolo_format_error(err, errlen,
                        "%s: header length %" PRIu32
                        " exceeds the limit of %d bytes",
                        src, len, YOLO_NPY_MAX_HEADER);
      return YOLO_ERR_IO;
    }
    *textStart = PREAMBLE_V2;
    *textLen = len;
  } else {
    yolo_format_error(err, errlen,
                      "%s: unsupported .npy format version %u.%u (expected "
                      "1.0, 2.0 or 3.0)",
                      src, (unsigned)p[6], (unsigned)p[7]);
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}

// A cursor over the dict text; messages give offsets into it.
typedef struct Cursor {
  const char *begin, *p, *end;
  const char *src;
  char *err;
  size_t errlen;
} Cursor;

// Copies at most 40 characters of untrusted text for a message, with
// anything unprintable (terminal escapes included) shown as '?'.
static void sanitize(char *dst, size_t n, const char *s, size_t len) {
  size_t i, limit = len < 40 ? len : 40;
  if (n == 0)
    return;
  if (limit > n - 1)
    limit = n - 1;
  for (i = 0; i < limit; ++i)
    dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
  dst[limit] = '\0';
}

static void skipSpace(Cursor *c) {
  while (c->p < c->end &&
         (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    ++c->p;
}

static int expected(Cursor *c, const char *what) {
  if (c->p >= c->end) {
    yolo_format_error(c->err, c->errlen,
                      "%s: malformed header: expected %s before its end",
                      c->src, what);
  } else {
    char found[2];
    sanitize(found, sizeof(found), c->p, 1);
    yolo_format_error(c->err, c->errlen,
                      "%s: malformed header: expected %s at offset %ld, "
                      "found '%s'",
                      c->src, what, (long)(c->p - c->begin), found);
  }
  return YOLO_ERR_IO;
}

static int consume(Cursor *c, char ch) {
  skipSpace(c);
  if (c->p < c->end && *c->p == ch) {
    ++c->p;
    return 1;
  }
  return 0;
}

// A Python string literal without escapes; `*s` points into the text.
static int parseString(Cursor *c, const char **s, size_t *len) {
  char quote;
  skipSpace(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return expected(c, "a quoted string");
  quote = *c->p++;
  *s = c->p;
  while (c->p < c->end && *c->p != quote) {
    if (*c->p == '\\' || *c->p == '\n')
      return expected(c, "a plain string without escapes");
    ++c->p;
  }
  if (c->p >= c->end)
    return expected(c, "a closing quote");
  *len = (size_t)(c->p - *s);
  ++c->p;
  return YOLO_OK;
}

static int equals(const char *s, size_t len, const char *lit) {
  return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static int parseDescr(Cursor *c) {
  const char *s = NULL;
  size_t len = 0;
  char shown[48];
  int status;
  skipSpace(c);
  if (c->p < c->end && (*c->p == '[' || *c->p == '{')) {
    yolo_format_error(c->err, c->errlen,
                      "%s: unsupported dtype: structured arrays are not "
                      "supported, only little-endian float32 ('<f4')",
                      c->src);
    return YOLO_ERR_IO;
  }
  if ((status = parseString(c, &s, &len)))
    return status;
  if (!equals(s, len, "<f4")) {
    sanitize(shown, sizeof(shown), s, len);
    yolo_format_error(c->err, c->errlen,
                      "%s: unsupported dtype '%s': only little-endian "
                      "float32 ('<f4') is supported",
                      c->src, shown);
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}

static int parseFortranOrder(Cursor *c) {
  const char *word;
  size_t len;
  skipSpace(c);
  word = c->p;
  while (c->p < c->end &&
         ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z')))
    ++c->p;
  len = (size_t)(c->p - word);
  if (equals(word, len, "False"))
    return YOLO_OK;
  if (equals(word, len, "True")) {
    yolo_format_error(c->err, c->errlen,
                      "%s: Fortran-order arrays are not supported "
                      "(fortran_order is True); save a C-order array",
                      c->src);
    return YOLO_ERR_IO;
  }
  c->p = word;
  return expected(c, "True or False for 'fortran_order'");
}

static int parseShape(Cursor *c, yolo_tensor *t) {
  if (!consume(c, '('))
    return expected(c, "'(' starting the shape");
  t->rank = 0;
  while (!consume(c, ')')) {
    int64_t dim = 0;
    const char *digits;
    skipSpace(c);
    if (c->p < c->end && *c->p == '-') {
      yolo_format_error(c->err, c->errlen,
                        "%s: negative dimension in shape at offset %ld", c->src,
                        (long)(c->p - c->begin));
      return YOLO_ERR_BAD_SHAPE;
    }
    digits = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      int digit = *c->p - '0';
      if (dim > (INT64_MAX - digit) / 10) {
        yolo_format_error(c->err, c->errlen,
                          "%s: dimension %d of the shape does not fit in "
                          "64 bits",
                          c->src, (int)t->rank);
        return YOLO_ERR_BAD_SHAPE;
      }
      dim = dim * 10 + digit;
      ++c->p;
    }
    if (c->p == digits)
      return expected(c, "a dimension or ')'");
    if (t->rank == YOLO_MAX_RANK) {
      yolo_format_error(c->err, c->errlen,
                        "%s: shape has more than %d dimensions", c->src,
                        YOLO_MAX_RANK);
      return YOLO_ERR_BAD_SHAPE;
    }
    t->shape[t->rank++] = dim;
    if (consume(c, ','))
      continue;
    if (consume(c, ')'))
      break;
    return expected(c, "',' or ')' in the shape");
  }
  return YOLO_OK;
}

// Parses the dict text into the rank and shape of `t` and the data size in
// bytes the shape implies.
static int parseDict(const char *text, size_t len, const char *src,
                     yolo_tensor *t, size_t *bytes, char *err, size_t errlen) {
  Cursor cur;
  Cursor *c = &cur;
  int seenDescr = 0, seenFortran = 0, seenShape = 0, status, i;
  uint64_t numel = 1;

  cur.begin = cur.p = text;
  cur.end = text + len;
  cur.src = src;
  cur.err = err;
  cur.errlen = errlen;

  if (!consume(c, '{'))
    return expected(c, "'{' starting the header dict");
  while (!consume(c, '}')) {
    const char *key = NULL;
    size_t keyLen = 0;
    int *seen;
    char shown[48];
    if ((status = parseString(c, &key, &keyLen)))
      return status;
    if (equals(key, keyLen, "descr"))
      seen = &seenDescr;
    else if (equals(key, keyLen, "fortran_order"))
      seen = &seenFortran;
    else if (equals(key, keyLen, "shape"))
      seen = &seenShape;
    else {
      sanitize(shown, sizeof(shown), key, keyLen);
      yolo_format_error(
          err, errlen, "%s: malformed header: unexpected key '%s'", src, shown);
      return YOLO_ERR_IO;
    }
    if (*seen) {
      sanitize(shown, sizeof(shown), key, keyLen);
      yolo_format_error(err, errlen, "%s: malformed header: duplicate key '%s'",
                        src, shown);
      return YOLO_ERR_IO;
    }
    *seen = 1;
    if (!consume(c, ':'))
      return expected(c, "':' after a key");
    if (seen == &seenDescr)
      status = parseDescr(c);
    else if (seen == &seenFortran)
      status = parseFortranOrder(c);
    else
      status = parseShape(c, t);
    if (status)
      return status;
    if (consume(c, ','))
      continue;
    if (consume(c, '}'))
      break;
    return expected(c, "',' or '}' in the header dict");
  }
  skipSpace(c);
  if (c->p != c->end)
    return expected(c, "only padding after the header dict");
  if (!seenDescr || !seenFortran || !seenShape) {
    yolo_format_error(err, errlen, "%s: malformed header: no '%s' key", src,
                      !seenDescr     ? "descr"
                      : !seenFortran ? "fortran_order"
                                     : "shape");
    return YOLO_ERR_IO;
  }

  for (i = 0; i < t->rank; ++i) {
    uint64_t dim = (uint64_t)t->shape[i];
    if (dim != 0 && numel > (uint64_t)INT64_MAX / sizeof(float) / dim) {
      yolo_format_error(err, errlen,
                        "%s: shape has too many elements (size overflow)", src);
      return YOLO_ERR_BAD_SHAPE;
    }
    numel *= dim;
  }
  if (numel > SIZE_MAX / sizeof(float)) {
    yolo_format_error(err, errlen,
                      "%s: shape has too many elements (size overflow)", src);
    return YOLO_ERR_BAD_SHAPE;
  }
  *bytes = (size_t)numel * sizeof(float);
  return YOLO_OK;
}

static int checkDataSize(const char *src, uint64_t declared, uint64_t available,
                         char *err, size_t errlen) {
  if (available < declared) {
    yolo_format_error(err, errlen,
                      "%s: truncated data: the shape needs %" PRIu64
                      " bytes, the file has %" PRIu64,
                      src, declared, available);
    return YOLO_ERR_IO;
  }
  if (available > declared) {
    yolo_format_error(err, errlen,
                      "%s: %" PRIu64 " unexpected bytes after the %" PRIu64
                      " bytes of data",
                      src, available - declared, declared);
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

// Allocates the data of `t` (its shape already set) and hands the caller the
// buffer to fill.
static int allocData(yolo_tensor *t, size_t bytes, const char *src, char *err,
                     size_t errlen) {
  t->data = allocAligned(bytes);
  if (!t->data) {
    yolo_format_error(err, errlen,
                      "%s: cannot allocate %" PRIu64 " bytes for the data", src,
                      (uint64_t)bytes);
    return YOLO_ERR_OUT_OF_MEMORY;
  }
  return YOLO_OK;
}

int yolo_npy_parse(const void *bytes, size_t size, yolo_tensor *out, char *err,
                   size_t errlen) {
  const char *src = "npy data";
  const unsigned char *p = (const unsigned char *)bytes;
  size_t textStart = 0, textLen = 0, dataBytes = 0, offset;
  yolo_tensor t;
  int status;

  yolo_format_error(err, errlen, "%s", "");
  if (out)
    memset(out, 0, sizeof(*out));
  if (!out || (!bytes && size > 0)) {
    yolo_format_error(err, errlen, "%s: NULL argument", src);
    return YOLO_ERR_NULL_ARGUMENT;
  }
  memset(&t, 0, sizeof(t));
  if ((status = parsePreamble(p, size, src, &textStart, &textLen, err, errlen)))
    return status;
  if (textLen > size - textStart) {
    yolo_format_error(err, errlen,
                      "%s: truncated header: it declares %" PRIu64
                      " bytes, %" PRIu64 " are present",
                      src, (uint64_t)textLen, (uint64_t)(size - textStart));
    return YOLO_ERR_IO;
  }
  if ((status = parseDict((const char *)p + textStart, textLen, src, &t,
                          &dataBytes, err, errlen)))
    return status;
  offset = textStart + textLen;
  if ((status = checkDataSize(src, dataBytes, size - offset, err, errlen)))
    return status;
  if ((status = allocData(&t, dataBytes, src, err, errlen)))
    return status;
  if (dataBytes)
    memcpy(t.data, p + offset, dataBytes);
  if (!hostIsLittleEndian())
    swapFloats(t.data, dataBytes / sizeof(float));
  *out = t;
  return YOLO_OK;
}

// fread that reports a short read as truncation and a failed one with the
// system's reason.
static int readExactly(FILE *f, void *buf, size_t n, const char *path,
                       const char *what, char *err, size_t errlen) {
  size_t got = fread(buf, 1, n, f);
  if (got == n)
    return YOLO_OK;
  if (ferror(f))
    yolo_format_error(err, errlen, "%s: cannot read the %s: %s", path, what,
                      strerror(errno));
  else
    yolo_format_error(err, errlen,
                      "%s: truncated %s: expected %" PRIu64
                      " bytes, read %" PRIu64,
                      path, what, (uint64_t)n, (uint64_t)got);
  return YOLO_ERR_IO;
}

static int readFile(FILE *f, const char *path, yolo_tensor *t, char *err,
                    size_t errlen) {
  unsigned char preamble[PREAMBLE_V2];
  char *text;
  size_t textStart = 0, textLen = 0, dataBytes = 0, preLen;
  long end;
  uint64_t fileSize;
  int status;

  // The file's size bounds every allocation below.
  if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    yolo_format_error(err, errlen,
                      "%s: cannot determine the file size (not a regular "
                      "file?): %s",
                      path, strerror(errno));
    return YOLO_ERR_IO;
  }
  fileSize = (uint64_t)end;
  preLen = fileSize < sizeof(preamble) ? (size_t)fileSize : sizeof(preamble);
  if ((status = readExactly(f, preamble, preLen, path, "header", err, errlen)))
    return status;
  if ((status = parsePreamble(preamble, preLen, path, &textStart, &textLen, err,
                              errlen)))
    return status;
  if (textLen > fileSize - textStart) {
    yolo_format_error(err, errlen,
                      "%s: truncated header: it declares %" PRIu64
                      " bytes, the file has %" PRIu64 " after the preamble",
                      path, (uint64_t)textLen, fileSize - textStart);
    return YOLO_ERR_IO;
  }
  if (fseek(f, (long)textStart, SEEK_SET) != 0) {
    yolo_format_error(err, errlen, "%s: cannot seek: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  // textLen <= YOLO_NPY_MAX_HEADER, checked by parsePreamble.
  text = (char *)malloc(textLen ? textLen : 1);
  if (!text) {
    yolo_format_error(err, errlen, "%s: cannot allocate the header", path);
    return YOLO_ERR_OUT_OF_MEMORY;
  }
  status = readExactly(f, text, textLen, path, "header", err, errlen);
  if (!status)
    status = parseDict(text, textLen, path, t, &dataBytes, err, errlen);
  free(text);
  if (status)
    return status;
  if ((status = checkDataSize(path, dataBytes, fileSize - textStart - textLen,
                              err, errlen)))
    return status;
  if ((status = allocData(t, dataBytes, path, err, errlen)))
    return status;
  if ((status = readExactly(f, t->data, dataBytes, path, "data", err, errlen)))
    return status;
  if (!hostIsLittleEndian())
    swapFloats(t->data, dataBytes / sizeof(float));
  return YOLO_OK;
}

int yolo_npy_read(const char *path, yolo_tensor *out, char *err,
                  size_t errlen) {
  FILE *f;
  yolo_tensor t;
  int status;

  yolo_format_error(err, errlen, "%s", "");
  if (out)
    memset(out, 0, sizeof(*out));
  if (!path || !out) {
    yolo_format_error(err, errlen, "npy: NULL %s",
                      !path ? "path" : "output tensor");
    return YOLO_ERR_NULL_ARGUMENT;
  }
  f = fopen(path, "rb");
  if (!f) {
    yolo_format_error(err, errlen, "%s: cannot open: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  memset(&t, 0, sizeof(t));
  status = readFile(f, path, &t, err, errlen);
  fclose(f);
  if (status) {
    yolo_npy_free(&t);
    return status;
  }
  *out = t;
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

// Formats the header exactly as NumPy's np.save does, so files compare
// byte for byte: the dict, padded with spaces to a multiple of 64 bytes
// including the preamble, ending in '\n'.
static size_t formatHeader(char *buf, size_t n, const yolo_tensor *t) {
  size_t used;
  int i;
  used = (size_t)snprintf(buf, n,
                          "{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (");
  for (i = 0; i < t->rank; ++i)
    used += (size_t)snprintf(buf + used, n - used, "%s%" PRId64, i ? ", " : "",
                             t->shape[i]);
  used +=
      (size_t)snprintf(buf + used, n - used, "%s), }", t->rank == 1 ? "," : "");
  while ((PREAMBLE_V1 + used + 1) % 64 != 0)
    buf[used++] = ' ';
  buf[used++] = '\n';
  return used;
}

static int writeAll(FILE *f, const void *buf, size_t n) {
  return fwrite(buf, 1, n, f) == n;
}

int yolo_npy_write(const char *path, const yolo_tensor *t, char *err,
                   size_t errlen) {
  // 8 dimensions of up to 20 digits and the fixed text fit well within
  // 320 bytes; padding adds at most 63.
  char header[512];
  unsigned char preamble[PREAMBLE_V1];
  size_t headerLen, numel = 1;
  FILE *f;
  int i, ok;

  yolo_format_error(err, errlen, "%s", "");
  if (!path || !t) {
    yolo_format_error(err, errlen, "npy: NULL %s", !path ? "path" : "tensor");
    return YOLO_ERR_NULL_ARGUMENT;
  }
  if (t->rank < 0 || t->rank > YOLO_MAX_RANK) {
    yolo_format_error(err, errlen, "%s: rank %" PRId32 " is outside [0, %d]",
                      path, t->rank, YOLO_MAX_RANK);
    return YOLO_ERR_BAD_SHAPE;
  }
  for (i = 0; i < t->rank; ++i) {
    if (t->shape[i] < 0) {
      yolo_format_error(err, errlen,
                        "%s: dimension %d is negative (%" PRId64 ")", path, i,
                        t->shape[i]);
      return YOLO_ERR_BAD_SHAPE;
    }
  }
  for (i = 0; i < t->rank; ++i) {
    uint64_t dim = (uint64_t)t->shape[i];
    if (dim != 0 && numel > SIZE_MAX / sizeof(float) / dim) {
      yolo_format_error(
          err, errlen, "%s: shape has too many elements (size overflow)", path);
      return YOLO_ERR_BAD_SHAPE;
    }
    numel *= (size_t)dim;
  }
  if (!t->data && numel > 0) {
    yolo_format_error(err, errlen, "%s: data pointer is NULL", path);
    return YOLO_ERR_NULL_ARGUMENT;
  }

  headerLen = formatHeader(header, sizeof(header), t);
  memcpy(preamble, npyMagic, sizeof(npyMagic));
  preamble[6] = 1;
  preamble[7] = 0;
  preamble[8] = (unsigned char)(headerLen & 0xff);
  preamble[9] = (unsigned char)(headerLen >> 8);

  f = fopen(path, "wb");
  if (!f) {
    yolo_format_error(err, errlen, "%s: cannot open for writing: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  ok =
      writeAll(f, preamble, sizeof(preamble)) && writeAll(f, header, headerLen);
  if (ok && hostIsLittleEndian()) {
    ok = numel == 0 || writeAll(f, t->data, numel * sizeof(float));
  } else if (ok) {
    float chunk[1024];
    size_t done = 0;
    while (ok && done < numel) {
      size_t n = numel - done < 1024 ? numel - done : 1024;
      memcpy(chunk, t->data + done, n * sizeof(float));
      swapFloats(chunk, n);
      ok = writeAll(f, chunk, n * sizeof(float));
      done += n;
    }
  }
  if (!ok) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      strerror(errno));
    fclose(f);
    return YOLO_ERR_IO;
  }
  if (fclose(f) != 0) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}
