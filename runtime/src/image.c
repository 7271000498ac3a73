//===- image.c - loading, letterboxing, drawing and writing images --------===//
//
// The image side of a detector (yolo_image.h). Decoding and encoding are
// stb_image's and stb_image_write's (Debian's libstb-dev headers), compiled
// into this file with static linkage and only the four formats we accept,
// so a program that links a generated library can still use its own copy
// of stb. Everything stb does not check is checked here first: the format
// by its magic bytes, the declared size against a pixel limit (before any
// allocation), and the file's structure up to its last byte, since stb
// quietly pads truncated JPEG, BMP and PPM data with zeros.
//
//===----------------------------------------------------------------------===//

#include "yolo_image.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// stb declares functions the formats we compile in do not define.
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
#define STBI_MAX_DIMENSIONS 65535
#include "stb_image.h"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include "stb_image_write.h"

// The largest dimension accepted anywhere (the letterbox arithmetic and
// stb's int sizes rely on it).
#define MAX_DIM 65535
// The largest file read: far above any image of the default pixel limit.
#define MAX_FILE_BYTES (1024ull * 1024ull * 1024ull)

//===----------------------------------------------------------------------===//
// Reading the file
//===----------------------------------------------------------------------===//

static int readFile(const char *path, unsigned char **data, size_t *size,
                    char *err, size_t errlen) {
  FILE *f;
  unsigned char *buf = NULL;
  size_t cap = 0, len = 0;
  *data = NULL;
  *size = 0;
  errno = 0;
  f = fopen(path, "rb");
  if (!f) {
    const char *why = errno == ENOENT   ? "not found"
                      : errno == EACCES ? "permission denied"
                                        : strerror(errno);
    yolo_format_error(err, errlen, "%s: cannot open: %s", path, why);
    return YOLO_ERR_IO;
  }
  for (;;) {
    size_t got;
    if (len == cap) {
      unsigned char *grown;
      if (cap >= MAX_FILE_BYTES) {
        fclose(f);
        free(buf);
        yolo_format_error(err, errlen,
                          "%s: too large: the file is over %llu bytes", path,
                          (unsigned long long)MAX_FILE_BYTES);
        return YOLO_ERR_TOO_LARGE;
      }
      cap = cap ? cap * 2 : 65536;
      grown = (unsigned char *)realloc(buf, cap);
      if (!grown) {
        fclose(f);
        free(buf);
        yolo_format_error(err, errlen, "%s: out of memory reading the file",
                          path);
        return YOLO_ERR_OUT_OF_MEMORY;
      }
      buf = grown;
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    free(buf);
    yolo_format_error(err, errlen, "%s: cannot read: %s", path,
                      e == EISDIR ? "is a directory"
                      : e         ? strerror(e)
                                  : "read error");
    return YOLO_ERR_IO;
  }
  fclose(f);
  *data = buf;
  *size = len;
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Recognising the format and walking its structure
//===----------------------------------------------------------------------===//

typedef struct Scan {
  const char *format;
  long long width, height; // -1 until the header gives them
  int truncated;           // the structure ends before the data does
  char detail[160];        // why it is truncated or corrupt
  int corrupt;
  // PPM/PGM, which we decode ourselves: where the samples start, samples
  // per pixel (0 for other formats) and the maximum sample value.
  size_t pnmOffset;
  int pnmChannels;
  long long pnmMaxval;
} Scan;

static unsigned be16(const unsigned char *p) { return (p[0] << 8) | p[1]; }
static unsigned long be32(const unsigned char *p) {
  return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
         ((unsigned long)p[2] << 8) | p[3];
}
static unsigned le16(const unsigned char *p) { return p[0] | (p[1] << 8); }
static unsigned long le32(const unsigned char *p) {
  return p[0] | ((unsigned long)p[1] << 8) | ((unsigned long)p[2] << 16) |
         ((unsigned long)p[3] << 24);
}

// PNG: the signature, then chunks (length, type, data, CRC) up to IEND.
static void scanPNG(const unsigned char *d, size_t n, Scan *s) {
  size_t at = 8;
  int first = 1;
  s->format = "PNG";
  for (;;) {
    unsigned long len;
    char type[5];
    if (n - at < 8) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "the file ends at byte %zu, before the IEND chunk", n);
      return;
    }
    len = be32(d + at);
    memcpy(type, d + at + 4, 4);
    type[4] = 0;
    if (first) {
      if (strcmp(type, "IHDR") != 0 || len != 13 || n - at < 8 + 13) {
        if (n - at < 8 + 13 && !strcmp(type, "IHDR")) {
          s->truncated = 1;
          snprintf(s->detail, sizeof s->detail,
                   "the file ends inside the IHDR chunk");
        } else {
          s->corrupt = 1;
          snprintf(s->detail, sizeof s->detail,
                   "the first chunk is not a 13-byte IHDR");
        }
        return;
      }
      s->width = (long long)be32(d + at + 8);
      s->height = (long long)be32(d + at + 12);
      first = 0;
    }
    if (len > 0x7fffffffUL) {
      s->corrupt = 1;
      snprintf(s->detail, sizeof s->detail,
               "chunk '%.4s' at byte %zu declares %lu bytes", type, at, len);
      return;
    }
    if (n - at - 8 < (size_t)len + 4) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "chunk '%.4s' at byte %zu needs %lu bytes, the file ends at "
               "byte %zu",
               type, at, len + 12, n);
      return;
    }
    at += 12 + (size_t)len;
    if (!strcmp(type, "IEND"))
      return;
  }
}

// JPEG: marker segments; after each start of scan, entropy-coded data in
// which 0xFF is followed only by 0x00 (stuffing) or a restart marker, so the
// next other marker ends the scan. The image is complete at EOI.
// The tables of a DHT segment's payload `p` (`n` bytes): each is a class
// (0 DC, 1 AC) and id (0..3) byte, 16 code counts summing to at most 256,
// then that many symbols, and together they fill the payload exactly. Sets
// bit class * 4 + id of `*defined` for each.
static int validHuffmanTables(const unsigned char *p, size_t n,
                              unsigned *defined) {
  size_t at = 0;
  while (at < n) {
    unsigned codes = 0, i;
    if (n - at < 17 || (p[at] >> 4) > 1 || (p[at] & 15) > 3)
      return 0;
    for (i = 1; i <= 16; ++i)
      codes += p[at + i];
    if (codes > 256 || n - at - 17 < codes)
      return 0;
    *defined |= 1u << ((p[at] >> 4) * 4 + (p[at] & 15));
    at += 17 + codes;
  }
  return 1;
}

// Whether the scan whose SOS payload is `p` (`n` bytes) uses only Huffman
// tables in `defined` (validHuffmanTables' bits): every component's DC
// table in a baseline scan or a first DC scan, its AC table in a baseline
// or an AC scan (a DC refinement scan reads raw bits). stb_image decodes
// with whatever a table never defined holds, reading past its arrays.
static int scanTablesDefined(const unsigned char *p, size_t n, int progressive,
                             unsigned defined) {
  unsigned k, comps, ss, ah;
  if (n < 1)
    return 0;
  comps = p[0];
  if (n < 1 + 2 * (size_t)comps + 3)
    return 0;
  ss = p[1 + 2 * comps];
  ah = p[3 + 2 * comps] >> 4;
  for (k = 0; k < comps; ++k) {
    unsigned dc = p[2 + 2 * k] >> 4, ac = p[2 + 2 * k] & 15;
    int needDC = !progressive || (ss == 0 && ah == 0);
    int needAC = !progressive || ss != 0;
    if ((needDC && (dc > 3 || !(defined & (1u << dc)))) ||
        (needAC && (ac > 3 || !(defined & (1u << (4 + ac))))))
      return 0;
  }
  return 1;
}

static void scanJPEG(const unsigned char *d, size_t n, Scan *s) {
  size_t at = 2;
  unsigned defined = 0; // Huffman tables so far: bit class * 4 + id
  int progressive = 0;
  s->format = "JPEG";
  for (;;) {
    unsigned m, len;
    while (at < n && d[at] != 0xFF)
      ++at; // tolerate junk between segments, as decoders do
    while (at < n && d[at] == 0xFF)
      ++at;
    if (at >= n)
      break;
    m = d[at++];
    if (m == 0xD9)
      return; // EOI
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8)
      continue;
    if (n - at < 2)
      break;
    len = be16(d + at);
    if (len < 2) {
      s->corrupt = 1;
      snprintf(s->detail, sizeof s->detail,
               "marker 0x%02X at byte %zu has a bad length", m, at - 2);
      return;
    }
    if (n - at < len)
      break;
    if (m == 0xC4 && !validHuffmanTables(d + at + 2, len - 2, &defined)) {
      // stb_image trusts the code counts: more than 256 codes write past
      // its tables (found by fuzz/fuzz-runtime.c).
      s->corrupt = 1;
      snprintf(s->detail, sizeof s->detail,
               "the Huffman table segment at byte %zu is malformed (a "
               "table class or id out of range, more than 256 codes, or "
               "codes beyond the segment)",
               at - 2);
      return;
    }
    if (m == 0xDA &&
        !scanTablesDefined(d + at + 2, len - 2, progressive, defined)) {
      // Found by fuzz/fuzz-runtime.c: an AC scan using a table no DHT
      // defined made stb_image index its tables at -16776186.
      s->corrupt = 1;
      snprintf(s->detail, sizeof s->detail,
               "the scan at byte %zu uses a Huffman table that no DHT "
               "segment before it defines",
               at - 2);
      return;
    }
    if (m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE)
      progressive = 1;
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC &&
        len >= 7 && s->width < 0) {
      s->height = be16(d + at + 3);
      s->width = be16(d + at + 5);
    }
    at += len;
    if (m == 0xDA) {
      for (; at + 1 < n; ++at)
        if (d[at] == 0xFF && d[at + 1] != 0 &&
            !(d[at + 1] >= 0xD0 && d[at + 1] <= 0xD7))
          break;
      if (at + 1 >= n)
        break;
    }
  }
  s->truncated = 1;
  snprintf(s->detail, sizeof s->detail,
           "the file ends at byte %zu, before the end-of-image marker", n);
}

// BMP: the pixel rows of an uncompressed bitmap must all be present.
static void scanBMP(const unsigned char *d, size_t n, Scan *s) {
  unsigned long offset, hsize, compression = 0;
  unsigned bpp;
  long long w, h;
  s->format = "BMP";
  if (n < 26) {
    s->truncated = 1;
    snprintf(s->detail, sizeof s->detail, "the header is cut at byte %zu", n);
    return;
  }
  offset = le32(d + 10);
  hsize = le32(d + 14);
  if (hsize == 12) {
    w = le16(d + 18);
    h = le16(d + 20);
    bpp = le16(d + 24);
  } else {
    if (n < 34) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail, "the header is cut at byte %zu", n);
      return;
    }
    w = (int32_t)le32(d + 18);
    h = (int32_t)le32(d + 22);
    bpp = le16(d + 28);
    compression = le32(d + 30);
  }
  if (h < 0)
    h = -h; // top-down rows
  s->width = w;
  s->height = h;
  if (w <= 0 || h <= 0 || bpp == 0 || bpp > 32) {
    s->corrupt = 1;
    snprintf(s->detail, sizeof s->detail,
             "the header declares %lld x %lld pixels at %u bits", w, h, bpp);
    return;
  }
  if ((compression == 0 || compression == 3) && w <= MAX_DIM && h <= MAX_DIM) {
    unsigned long long row = ((unsigned long long)bpp * w + 31) / 32 * 4;
    unsigned long long need = offset + row * h;
    if (need > n) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "%lld rows of %llu bytes from byte %lu need %llu bytes, the "
               "file has %zu",
               h, row, offset, need, n);
    }
  }
}

// Binary PPM (P6) and PGM (P5): "P6 width height maxval" with whitespace
// and comments, one whitespace byte, then the samples.
static int pnmInt(const unsigned char *d, size_t n, size_t *at, long long *v) {
  for (;;) {
    while (*at < n && (d[*at] == ' ' || d[*at] == '\t' || d[*at] == '\n' ||
                       d[*at] == '\r' || d[*at] == '\v' || d[*at] == '\f'))
      ++*at;
    if (*at < n && d[*at] == '#') {
      while (*at < n && d[*at] != '\n' && d[*at] != '\r')
        ++*at;
      continue;
    }
    break;
  }
  if (*at >= n || d[*at] < '0' || d[*at] > '9')
    return 0;
  *v = 0;
  while (*at < n && d[*at] >= '0' && d[*at] <= '9') {
    if (*v < 100000000)
      *v = *v * 10 + (d[*at] - '0');
    ++*at;
  }
  return 1;
}

static void scanPNM(const unsigned char *d, size_t n, Scan *s) {
  size_t at = 2;
  long long w, h, maxval;
  int channels = d[1] == '6' ? 3 : 1;
  s->format = d[1] == '6' ? "PPM" : "PGM";
  if (!pnmInt(d, n, &at, &w) || !pnmInt(d, n, &at, &h)) {
    s->truncated = at >= n;
    s->corrupt = !s->truncated;
    snprintf(s->detail, sizeof s->detail, "the header has no %s",
             s->truncated ? "size (the file ends)" : "valid size");
    return;
  }
  s->width = w;
  s->height = h;
  if (!pnmInt(d, n, &at, &maxval)) {
    s->truncated = at >= n;
    s->corrupt = !s->truncated;
    snprintf(s->detail, sizeof s->detail, "the header has no maximum value");
    return;
  }
  if (w <= 0 || h <= 0 || maxval <= 0 || maxval > 65535) {
    s->corrupt = 1;
    snprintf(s->detail, sizeof s->detail,
             "the header declares %lld x %lld pixels, maximum value %lld", w, h,
             maxval);
    return;
  }
  // One whitespace byte separates the header from the samples.
  if (at < n && !(d[at] == ' ' || d[at] == '\t' || d[at] == '\n' ||
                  d[at] == '\r' || d[at] == '\v' || d[at] == '\f')) {
    s->corrupt = 1;
    snprintf(s->detail, sizeof s->detail,
             "no whitespace after the maximum value (byte %zu)", at);
    return;
  }
  ++at;
  s->pnmOffset = at;
  s->pnmChannels = channels;
  s->pnmMaxval = maxval;
  if (w <= MAX_DIM && h <= MAX_DIM) {
    unsigned long long need =
        (unsigned long long)w * h * channels * (maxval > 255 ? 2 : 1);
    if (at > n || n - at < need) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "%llu bytes of samples expected from byte %zu, the file has "
               "%zu",
               need, at, n);
    }
  }
}

// Decodes the samples of a PPM/PGM file scanPNM accepted (the header is
// valid and the file holds all samples) into RGB: grey is replicated and
// each sample v (one byte, or two big-endian bytes when the maximum value
// is above 255) becomes round(v * 255 / maxval), clamped to 255 for samples
// above the maximum. stb_image is not used: its PGM path with 16-bit
// samples reads past its buffer when converting to RGB.
static unsigned char *decodePNM(const unsigned char *d, const Scan *s) {
  size_t pixels = (size_t)s->width * (size_t)s->height;
  unsigned char *out = (unsigned char *)malloc(pixels * 3);
  const unsigned char *in = d + s->pnmOffset;
  int wide = s->pnmMaxval > 255;
  unsigned long long maxval = (unsigned long long)s->pnmMaxval;
  size_t k;
  if (!out)
    return NULL;
  for (k = 0; k < pixels * (size_t)s->pnmChannels; ++k) {
    unsigned long long v =
        wide ? ((unsigned)in[2 * k] << 8) | in[2 * k + 1] : in[k];
    unsigned long long scaled =
        v >= maxval ? 255 : (v * 255 + maxval / 2) / maxval;
    if (s->pnmChannels == 3) {
      out[k] = (unsigned char)scaled;
    } else {
      out[3 * k] = out[3 * k + 1] = out[3 * k + 2] = (unsigned char)scaled;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

int yolo_image_decode(const void *bytes, size_t size, const char *name,
                      uint64_t max_pixels, yolo_image *img, char *err,
                      size_t errlen) {
  const unsigned char *d = (const unsigned char *)bytes;
  Scan s;
  int w = 0, h = 0, comp = 0;
  unsigned char *pixels;
  if (img) {
    img->data = NULL;
    img->width = img->height = 0;
  }
  if (!name)
    name = "image data";
  if (!img || (!bytes && size > 0)) {
    yolo_format_error(err, errlen, "%s: null argument", name);
    return YOLO_ERR_NULL_ARGUMENT;
  }
  if (max_pixels == 0)
    max_pixels = YOLO_IMAGE_DEFAULT_MAX_PIXELS;
  if (size == 0) {
    yolo_format_error(err, errlen, "%s: not an image: the file is empty", name);
    return YOLO_ERR_BAD_IMAGE;
  }
  memset(&s, 0, sizeof s);
  s.width = s.height = -1;
  if (size >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
    scanPNG(d, size, &s);
  else if (size >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    scanJPEG(d, size, &s);
  else if (size >= 2 && d[0] == 'B' && d[1] == 'M')
    scanBMP(d, size, &s);
  else if (size >= 2 && d[0] == 'P' && (d[1] == '5' || d[1] == '6'))
    scanPNM(d, size, &s);
  else if (size >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '7') {
    yolo_format_error(err, errlen,
                      "%s: unsupported image: only binary PPM (P6) and PGM "
                      "(P5) are read, this is P%c",
                      name, d[1]);
    return YOLO_ERR_BAD_IMAGE;
  } else {
    yolo_format_error(err, errlen,
                      "%s: not an image: not a PNG, JPEG, PPM/PGM or BMP file",
                      name);
    return YOLO_ERR_BAD_IMAGE;
  }
  if (s.width > MAX_DIM || s.height > MAX_DIM ||
      (s.width > 0 && s.height > 0 &&
       (uint64_t)s.width * (uint64_t)s.height > max_pixels)) {
    yolo_format_error(err, errlen,
                      "%s: too large: the %s header declares %lld x %lld "
                      "pixels, the limit is %llu pixels and %d per side",
                      name, s.format, s.width, s.height,
                      (unsigned long long)max_pixels, MAX_DIM);
    return YOLO_ERR_TOO_LARGE;
  }
  if (s.truncated) {
    yolo_format_error(err, errlen, "%s: truncated %s file: %s", name, s.format,
                      s.detail);
    return YOLO_ERR_BAD_IMAGE;
  }
  if (s.corrupt) {
    yolo_format_error(err, errlen, "%s: corrupt %s file: %s", name, s.format,
                      s.detail);
    return YOLO_ERR_BAD_IMAGE;
  }
  if (size > 0x7fffffff) {
    yolo_format_error(err, errlen, "%s: too large: %zu bytes", name, size);
    return YOLO_ERR_TOO_LARGE;
  }
  if (s.pnmChannels) {
    pixels = decodePNM(d, &s);
    if (!pixels) {
      yolo_format_error(err, errlen, "%s: out of memory decoding %lld x %lld",
                        name, s.width, s.height);
      return YOLO_ERR_OUT_OF_MEMORY;
    }
    img->data = pixels;
    img->width = (int32_t)s.width;
    img->height = (int32_t)s.height;
    return YOLO_OK;
  }
  // The header as stb reads it must agree with the limit too (a JPEG may
  // declare its height later, in a DNL marker).
  if (!stbi_info_from_memory(d, (int)size, &w, &h, &comp)) {
    yolo_format_error(err, errlen, "%s: corrupt %s file: %s", name, s.format,
                      stbi_failure_reason());
    return YOLO_ERR_BAD_IMAGE;
  }
  if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > max_pixels) {
    yolo_format_error(err, errlen,
                      "%s: too large: %d x %d pixels, the limit is %llu", name,
                      w, h, (unsigned long long)max_pixels);
    return YOLO_ERR_TOO_LARGE;
  }
  pixels = stbi_load_from_memory(d, (int)size, &w, &h, &comp, 3);
  if (!pixels) {
    const char *why = stbi_failure_reason();
    if (why && !strcmp(why, "Out of memory")) {
      yolo_format_error(err, errlen, "%s: out of memory decoding %d x %d", name,
                        w, h);
      return YOLO_ERR_OUT_OF_MEMORY;
    }
    yolo_format_error(err, errlen, "%s: corrupt %s file: %s", name, s.format,
                      why ? why : "decoding failed");
    return YOLO_ERR_BAD_IMAGE;
  }
  img->data = pixels;
  img->width = w;
  img->height = h;
  return YOLO_OK;
}

int yolo_image_load(const char *path, uint64_t max_pixels, yolo_image *img,
                    char *err, size_t errlen) {
  unsigned char *data;
  size_t size;
  int rc;
  if (img) {
    img->data = NULL;
    img->width = img->height = 0;
  }
  if (!path || !img) {
    yolo_format_error(err, errlen, "yolo_image_load: %s is NULL",
                      !path ? "path" : "img");
    return YOLO_ERR_NULL_ARGUMENT;
  }
  rc = readFile(path, &data, &size, err, errlen);
  if (rc != YOLO_OK)
    return rc;
  rc = yolo_image_decode(data, size, path, max_pixels, img, err, errlen);
  free(data);
  return rc;
}

int yolo_image_create(int width, int height, const uint8_t *rgb,
                      yolo_image *img) {
  size_t i, n;
  if (img) {
    img->data = NULL;
    img->width = img->height = 0;
  }
  if (!img)
    return YOLO_ERR_NULL_ARGUMENT;
  if (width <= 0 || height <= 0 || width > MAX_DIM || height > MAX_DIM)
    return YOLO_ERR_BAD_ARGUMENT;
  n = (size_t)width * height;
  // stb's free releases what stb allocates; STBI_FREE is free.
  img->data = (uint8_t *)malloc(n * 3);
  if (!img->data)
    return YOLO_ERR_OUT_OF_MEMORY;
  for (i = 0; i < n; ++i) {
    img->data[3 * i] = rgb ? rgb[0] : 0;
    img->data[3 * i + 1] = rgb ? rgb[1] : 0;
    img->data[3 * i + 2] = rgb ? rgb[2] : 0;
  }
  img->width = width;
  img->height = height;
  return YOLO_OK;
}

void yolo_image_free(yolo_image *img) {
  if (!img)
    return;
  free(img->data); // stbi_image_free is free() as well
  img->data = NULL;
  img->width = img->height = 0;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

static int endsWith(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix), i;
  if (n < m)
    return 0;
  for (i = 0; i < m; ++i) {
    char c = s[n - m + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != suffix[i])
      return 0;
  }
  return 1;
}

static void writeToFile(void *context, void *data, int size) {
  FILE *f = (FILE *)context;
  if (size > 0)
    fwrite(data, 1, (size_t)size, f);
}

int yolo_image_write(const char *path, const yolo_image *img, char *err,
                     size_t errlen) {
  FILE *f;
  int ok, kind;
  if (!path || !img || !img->data) {
    yolo_format_error(err, errlen, "yolo_image_write: %s is NULL",
                      !path  ? "path"
                      : !img ? "img"
                             : "img->data");
    return YOLO_ERR_NULL_ARGUMENT;
  }
  if (img->width <= 0 || img->height <= 0) {
    yolo_format_error(err, errlen, "%s: the image is empty", path);
    return YOLO_ERR_BAD_ARGUMENT;
  }
  kind = endsWith(path, ".png")                              ? 1
         : endsWith(path, ".jpg") || endsWith(path, ".jpeg") ? 2
         : endsWith(path, ".bmp")                            ? 3
                                                             : 0;
  if (!kind) {
    yolo_format_error(err, errlen,
                      "%s: unsupported extension: write .png, .jpg/.jpeg or "
                      ".bmp",
                      path);
    return YOLO_ERR_BAD_ARGUMENT;
  }
  errno = 0;
  f = fopen(path, "wb");
  if (!f) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  if (kind == 1)
    ok = stbi_write_png_to_func(writeToFile, f, img->width, img->height, 3,
                                img->data, img->width * 3);
  else if (kind == 2)
    ok = stbi_write_jpg_to_func(writeToFile, f, img->width, img->height, 3,
                                img->data, 95);
  else
    ok = stbi_write_bmp_to_func(writeToFile, f, img->width, img->height, 3,
                                img->data);
  if (ferror(f))
    ok = 0;
  if (fclose(f) != 0)
    ok = 0;
  if (!ok) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      errno ? strerror(errno) : "encoding failed");
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Letterbox
//===----------------------------------------------------------------------===//

// OpenCV's INTER_LINEAR weights in 8-bit mode: 11 fractional bits, each
// rounded from float on its own.
#define COEF_SCALE 2048

static void linearTaps(int src, int dst, int clampFrac, int *first, short *w0,
                       short *w1) {
  // OpenCV computes the scale as 1 / (dst / src) in double.
  double scale = 1.0 / ((double)dst / src);
  int d;
  for (d = 0; d < dst; ++d) {
    float f = (float)((d + 0.5) * scale - 0.5);
    int s = (int)floorf(f);
    f -= (float)s;
    if (clampFrac) { // columns: outside taps collapse onto the edge pixel
      if (s < 0)
        f = 0, s = 0;
      if (s >= src - 1)
        f = 0, s = src - 1;
    }
    first[d] = s;
    w0[d] = (short)lrintf((1.f - f) * COEF_SCALE);
    w1[d] = (short)lrintf(f * COEF_SCALE);
  }
}

static int clampi(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

// One resized row, columns first: sums of two taps with 11-bit weights.
static void resizeRowH(const uint8_t *src, int srcW, const int *xs,
                       const short *a0, const short *a1, int dstW, int *out) {
  int x, c;
  for (x = 0; x < dstW; ++x) {
    int s = xs[x];
    int s1 = s + 1 < srcW ? s + 1 : s;
    for (c = 0; c < 3; ++c)
      out[3 * x + c] = src[3 * s + c] * a0[x] + src[3 * s1 + c] * a1[x];
  }
}

int yolo_letterbox(const yolo_image *img, int input_w, int input_h, float *out,
                   yolo_letterbox_info *info) {
  double r;
  int nw, nh, left, top, x, y, c;
  size_t plane;
  float pad = 114.0f / 255.0f;
  if (!img || !img->data || !out)
    return YOLO_ERR_NULL_ARGUMENT;
  if (img->width <= 0 || img->height <= 0 || img->width > MAX_DIM ||
      img->height > MAX_DIM || input_w <= 0 || input_h <= 0 ||
      input_w > MAX_DIM || input_h > MAX_DIM)
    return YOLO_ERR_BAD_ARGUMENT;

  r = (double)input_h / img->height;
  if ((double)input_w / img->width < r)
    r = (double)input_w / img->width;
  // Python's round() rounds half to even, as rint does by default.
  nw = (int)rint(img->width * r);
  nh = (int)rint(img->height * r);
  nw = clampi(nw, 1, input_w);
  nh = clampi(nh, 1, input_h);
  left = (input_w - nw) / 2; // round(dw / 2 - 0.1) with dw = input_w - nw
  top = (input_h - nh) / 2;
  if (info) {
    info->new_w = nw;
    info->new_h = nh;
    info->left = left;
    info->top = top;
    yolo_letterbox_params(img->width, img->height, input_w, input_h,
                          &info->gain, &info->pad_x, &info->pad_y);
  }

  plane = (size_t)input_w * input_h;
  for (c = 0; c < 3; ++c)
    for (y = 0; y < input_h; ++y)
      for (x = 0; x < input_w; ++x)
        if (y < top || y >= top + nh || x < left || x >= left + nw)
          out[c * plane + (size_t)y * input_w + x] = pad;

#define STORE(yy, xx, c, v)                                                    \
  out[(c)*plane + (size_t)(top + (yy)) * input_w + left + (xx)] =              \
      (float)(v) / 255.0f

  if (nw == img->width && nh == img->height) {
    for (y = 0; y < nh; ++y)
      for (x = 0; x < nw; ++x)
        for (c = 0; c < 3; ++c)
          STORE(y, x, c, img->data[((size_t)y * img->width + x) * 3 + c]);
    return YOLO_OK;
  }
  if (img->width == 2 * nw && img->height == 2 * nh) {
    // OpenCV turns an exact halving into INTER_AREA: the rounded mean of
    // each 2x2 block.
    for (y = 0; y < nh; ++y)
      for (x = 0; x < nw; ++x)
        for (c = 0; c < 3; ++c) {
          const uint8_t *p =
              img->data + ((size_t)2 * y * img->width + 2 * x) * 3;
          const uint8_t *q = p + (size_t)img->width * 3;
          STORE(y, x, c, (p[c] + p[3 + c] + q[c] + q[3 + c] + 2) >> 2);
        }
    return YOLO_OK;
  }

  {
    // Per destination column and row: the first tap and the two weights;
    // the two source rows of an output row, resized horizontally.
    size_t rowLen = (size_t)nw * 3;
    int *xs = (int *)malloc(sizeof(int) * nw);
    int *ys = (int *)malloc(sizeof(int) * nh);
    short *wx = (short *)malloc(sizeof(short) * 2 * nw);
    short *wy = (short *)malloc(sizeof(short) * 2 * nh);
    int *rows = (int *)malloc(sizeof(int) * rowLen * 2);
    // OpenCV's vector path (128-bit) covers the row in blocks of 16
    // bytes; the remainder goes through its scalar path, which rounds
    // once instead of three times.
    size_t vecEnd = rowLen / 16 * 16;
    if (!xs || !ys || !wx || !wy || !rows) {
      free(xs);
      free(ys);
      free(wx);
      free(wy);
      free(rows);
      return YOLO_ERR_OUT_OF_MEMORY;
    }
    linearTaps(img->width, nw, 1, xs, wx, wx + nw);
    linearTaps(img->height, nh, 0, ys, wy, wy + nh);
    for (y = 0; y < nh; ++y) {
      // Rows outside the image repeat the edge row (weights unchanged).
      int r0 = clampi(ys[y], 0, img->height - 1);
      int r1 = clampi(ys[y] + 1, 0, img->height - 1);
      int b0 = wy[y], b1 = wy[nh + y];
      const int *s0 = rows, *s1 = rows + rowLen;
      size_t i;
      resizeRowH(img->data + (size_t)r0 * img->width * 3, img->width, xs, wx,
                 wx + nw, nw, rows);
      resizeRowH(img->data + (size_t)r1 * img->width * 3, img->width, xs, wx,
                 wx + nw, nw, rows + rowLen);
      for (i = 0; i < rowLen; ++i) {
        int v;
        if (i < vecEnd)
          v = ((((s0[i] >> 4) * b0) >> 16) + (((s1[i] >> 4) * b1) >> 16) + 2) >>
              2;
        else
          v = (s0[i] * b0 + s1[i] * b1 + (1 << 21)) >> 22;
        v = clampi(v, 0, 255);
        STORE(y, (int)(i / 3), (int)(i % 3), v);
      }
    }
    free(xs);
    free(ys);
    free(wx);
    free(wy);
    free(rows);
  }
#undef STORE
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Font and drawing
//===----------------------------------------------------------------------===//

typedef struct Glyph {
  char c;
  uint8_t rows[7];
} Glyph;

// A 5x7 font drawn for this project; bit 4 is the leftmost column.
static const Glyph kFont[] = {
    {' ', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'A', {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
    {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
    {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},
    {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
    {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
    {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
    {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
    {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
    {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
    {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
    {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
    {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
    {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
    {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
    {'Y', {0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04}},
    {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
    {',', {0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08}},
    {':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}},
    {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'_', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F}},
    {'+', {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00}},
    {'%', {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}},
    {'/', {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00}},
    {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
    {'[', {0x0E, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0E}},
    {']', {0x0E, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0E}},
    {'#', {0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A}},
    {'\'', {0x0C, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00}},
    {'"', {0x0A, 0x0A, 0x0A, 0x00, 0x00, 0x00, 0x00}},
    {'=', {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00}},
    {'!', {0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04}},
    {'?', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04}},
    {'<', {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02}},
    {'>', {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08}},
    {'*', {0x00, 0x04, 0x15, 0x0E, 0x15, 0x04, 0x00}},
};

static const uint8_t kMissing[7] = {0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F};

const uint8_t *yolo_font_glyph(char c) {
  size_t i;
  if (c >= 'a' && c <= 'z')
    c = (char)(c - 'a' + 'A');
  for (i = 0; i < sizeof kFont / sizeof kFont[0]; ++i)
    if (kFont[i].c == c)
      return kFont[i].rows;
  return NULL;
}

// Fills the inclusive rectangle [x0, x1] x [y0, y1], clipped to the image.
static void fillRect(yolo_image *img, long x0, long y0, long x1, long y1,
                     const uint8_t *rgb) {
  long x, y;
  if (x0 < 0)
    x0 = 0;
  if (y0 < 0)
    y0 = 0;
  if (x1 > img->width - 1)
    x1 = img->width - 1;
  if (y1 > img->height - 1)
    y1 = img->height - 1;
  for (y = y0; y <= y1; ++y)
    for (x = x0; x <= x1; ++x) {
      uint8_t *p = img->data + ((size_t)y * img->width + x) * 3;
      p[0] = rgb[0];
      p[1] = rgb[1];
      p[2] = rgb[2];
    }
}

// A coordinate rounded to a pixel and kept a little outside the image, so
// that huge values cannot overflow a conversion.
static long toPixel(float v, int size) {
  if (v < -2.0f)
    v = -2.0f;
  if (v > (float)size + 2.0f)
    v = (float)size + 2.0f;
  return lrintf(v);
}

int yolo_draw_box(yolo_image *img, float x1, float y1, float x2, float y2,
                  int thickness, const uint8_t *rgb) {
  long l, t, r, b, k;
  if (!img || !img->data || !rgb)
    return YOLO_ERR_NULL_ARGUMENT;
  if (thickness < 1 || !isfinite(x1) || !isfinite(y1) || !isfinite(x2) ||
      !isfinite(y2) || img->width <= 0 || img->height <= 0)
    return YOLO_ERR_BAD_ARGUMENT;
  l = toPixel(x1 < x2 ? x1 : x2, img->width);
  r = toPixel(x1 < x2 ? x2 : x1, img->width) - 1;
  t = toPixel(y1 < y2 ? y1 : y2, img->height);
  b = toPixel(y1 < y2 ? y2 : y1, img->height) - 1;
  if (r < l)
    r = l;
  if (b < t)
    b = t;
  k = thickness - 1;
  fillRect(img, l, t, r, t + k, rgb);
  fillRect(img, l, b - k, r, b, rgb);
  fillRect(img, l, t, l + k, b, rgb);
  fillRect(img, r - k, t, r, b, rgb);
  return YOLO_OK;
}

void yolo_text_size(const char *text, int scale, int *width, int *height) {
  size_t n = text ? strlen(text) : 0;
  if (scale < 1)
    scale = 1;
  if (width)
    *width = (int)((n ? n * YOLO_FONT_ADVANCE - 1 : 0) + 2) * scale;
  if (height)
    *height = (YOLO_FONT_HEIGHT + 2) * scale;
}

int yolo_draw_text(yolo_image *img, int x, int y, const char *text, int scale,
                   const uint8_t *fg, const uint8_t *bg) {
  size_t i;
  if (!img || !img->data || !text || !fg)
    return YOLO_ERR_NULL_ARGUMENT;
  if (scale < 1 || scale > 16 || img->width <= 0 || img->height <= 0)
    return YOLO_ERR_BAD_ARGUMENT;
  if (bg) {
    int w, h;
    yolo_text_size(text, scale, &w, &h);
    fillRect(img, x, y, (long)x + w - 1, (long)y + h - 1, bg);
  }
  for (i = 0; text[i]; ++i) {
    const uint8_t *g = yolo_font_glyph(text[i]);
    long gx = (long)x + scale + (long)i * YOLO_FONT_ADVANCE * scale;
    long gy = (long)y + scale;
    int row, col;
    if (gx > img->width)
      break;
    if (!g)
      g = kMissing;
    for (row = 0; row < YOLO_FONT_HEIGHT; ++row)
      for (col = 0; col < YOLO_FONT_WIDTH; ++col)
        if (g[row] & (0x10 >> col))
          fillRect(img, gx + (long)col * scale, gy + (long)row * scale,
                   gx + (long)(col + 1) * scale - 1,
                   gy + (long)(row + 1) * scale - 1, fg);
  }
  return YOLO_OK;
}

// Twenty colours that stay apart from each other.
static const uint8_t kPalette[20][3] = {
    {230, 25, 75},  {60, 180, 75},   {255, 225, 25}, {0, 130, 200},
    {245, 130, 48}, {145, 30, 180},  {70, 240, 240}, {240, 50, 230},
    {210, 245, 60}, {250, 190, 212}, {0, 128, 128},  {220, 190, 255},
    {170, 110, 40}, {255, 250, 200}, {128, 0, 0},    {170, 255, 195},
    {128, 128, 0},  {255, 215, 180}, {0, 0, 128},    {128, 128, 128}};

const uint8_t *yolo_class_color(int class_id) {
  if (class_id < 0)
    class_id = -(class_id + 1);
  return kPalette[class_id % 20];
}

int yolo_draw_detection(yolo_image *img, const yolo_detection *det,
                        const char *name, int scale) {
  static const uint8_t black[3] = {0, 0, 0}, white[3] = {255, 255, 255};
  const uint8_t *color, *fg;
  char label[96];
  int line, tw, th, lx, ly, rc;
  if (!img || !img->data || !det)
    return YOLO_ERR_NULL_ARGUMENT;
  if (scale < 0 || scale > 16)
    return YOLO_ERR_BAD_ARGUMENT;
  color = yolo_class_color(det->class_id);
  if (scale == 0) {
    // A line about 0.3% of the image's mean side, at least 2 pixels.
    line = (int)lrint((img->width + img->height) / 2.0 * 0.003);
    if (line < 2)
      line = 2;
    scale = line / 2 > 0 ? line / 2 : 1;
    if (scale > 16)
      scale = 16;
  } else {
    line = scale + 1;
  }
  rc = yolo_draw_box(img, det->x1, det->y1, det->x2, det->y2, line, color);
  if (rc != YOLO_OK)
    return rc;
  if (name)
    snprintf(label, sizeof label, "%.80s %.2f", name, det->score);
  else
    snprintf(label, sizeof label, "class %d %.2f", (int)det->class_id,
             det->score);
  yolo_text_size(label, scale, &tw, &th);
  lx = (int)toPixel(det->x1 < det->x2 ? det->x1 : det->x2, img->width);
  ly = (int)toPixel(det->y1 < det->y2 ? det->y1 : det->y2, img->height);
  ly = ly - th >= 0 ? ly - th : ly; // above the box, else inside it
  if (lx + tw > img->width)
    lx = img->width - tw;
  if (lx < 0)
    lx = 0;
  // Dark text on light colours, white on dark ones.
  fg =
      color[0] * 299 + color[1] * 587 + color[2] * 114 > 150000 ? black : white;
  return yolo_draw_text(img, lx, ly, label, scale, fg, color);
}
