//===- image.c - loading, letterboxing, drawing and writing images --------===//
//
// The image side of a detector (yolo_image.h). JPEG is decoded and encoded
// by libjpeg-turbo, PNG by libpng (with zlib): maintained decoders, fuzzed
// upstream, whose every error and warning comes back here through
// setjmp/longjmp handlers, so nothing is printed and nothing aborts. BMP
// and binary PPM/PGM are read by our own small readers, BMP written by our
// own writer. Before any decoder runs, the format is recognised by its
// magic bytes and the size the header declares is checked against a pixel
// limit; PNG, BMP and PPM/PGM are also walked to their last byte so that a
// truncated file is reported as such. Truncated or corrupt JPEG data, which
// libjpeg only warns about, is an error here too.
//
// This file is the only part of the runtime that needs more than libc and
// libm: link it with -ljpeg -lpng -lz (CMake: the yolo_image library).
//
//===----------------------------------------------------------------------===//

#include "yolo_image.h"

#include "cv_linear.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> // after stdio.h, which it needs

#include <jerror.h>
#include <png.h>

// The largest dimension accepted anywhere (the letterbox arithmetic and
// int32 sizes rely on it).
#define MAX_DIM 65535
// The largest file read: far above any image of the default pixel limit.
#define MAX_FILE_BYTES (1024ull * 1024ull * 1024ull)
// The most scans a JPEG may have: a progressive file has about ten, and
// every scan passes over the whole image, so thousands of tiny scans would
// make a small file decode for minutes (libjpeg-turbo's own fuzzers stop at
// 500 too).
#define MAX_JPEG_SCANS 500

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
  int corrupt;
  int unsupported;  // a valid file in a variant we do not read
  char detail[160]; // why it is truncated, corrupt or unsupported
  // PPM/PGM, which we decode ourselves: where the samples start, samples
  // per pixel (0 for other formats) and the maximum sample value.
  size_t pnmOffset;
  int pnmChannels;
  long long pnmMaxval;
  // BMP, which we decode ourselves: where the rows and the palette start,
  // the bytes per row, bits per pixel (0 for other formats), palette
  // colours, whether the rows run top to bottom, and for 32-bit pixels the
  // bit position of the red, green and blue bytes.
  size_t bmpOffset, bmpStride, bmpPalette;
  int bmpBits, bmpColours, bmpTopDown;
  int bmpShift[3];
} Scan;

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
// libpng checks the chunks' contents and CRCs; this walk gives the size
// from IHDR before libpng runs and names where a truncated file ends.
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

// BMP: a 14-byte file header, then a BITMAPINFOHEADER (40 bytes) or one of
// its later versions (52, 56, 108, 124 bytes); uncompressed 24-bit BGR,
// 32-bit BGRX (or bit fields that are whole bytes) or 1-, 4- or 8-bit
// palettised rows, each padded to 4 bytes, bottom-up unless the height is
// negative.
// The whole header, the palette and every row must be in the file.
static const char *bmpCompressionName(unsigned long c) {
  switch (c) {
  case 1:
    return "RLE8";
  case 2:
    return "RLE4";
  case 3:
    return "bit fields";
  case 4:
    return "JPEG";
  case 5:
    return "PNG";
  case 6:
    return "alpha bit fields";
  default:
    return "unknown";
  }
}

// The bit position of a mask that is one whole byte of a 32-bit pixel, or
// -1.
static int byteMaskShift(unsigned long mask) {
  int shift;
  for (shift = 0; shift < 32; shift += 8)
    if (mask == 0xFFUL << shift)
      return shift;
  return -1;
}

static void scanBMP(const unsigned char *d, size_t n, Scan *s) {
  unsigned long offset, hsize, compression, colours = 0, headerEnd;
  unsigned bpp;
  long long w, h;
  s->format = "BMP";
  if (n < 18) {
    s->truncated = 1;
    snprintf(s->detail, sizeof s->detail, "the header is cut at byte %zu", n);
    return;
  }
  offset = le32(d + 10);
  hsize = le32(d + 14);
  if (hsize != 40 && hsize != 52 && hsize != 56 && hsize != 108 &&
      hsize != 124) {
    s->unsupported = 1;
    snprintf(s->detail, sizeof s->detail,
             "a %lu-byte header (%s; BITMAPINFOHEADER and its later versions "
             "of 40, 52, 56, 108 and 124 bytes are read)",
             hsize,
             hsize == 12   ? "OS/2 1.x"
             : hsize == 64 ? "OS/2 2.x"
                           : "?");
    return;
  }
  if (n < 14 + hsize) {
    s->truncated = 1;
    snprintf(s->detail, sizeof s->detail,
             "the %lu-byte header is cut at byte %zu", hsize, n);
    return;
  }
  w = (int32_t)le32(d + 18);
  h = (int32_t)le32(d + 22);
  bpp = le16(d + 28);
  compression = le32(d + 30);
  s->bmpTopDown = h < 0;
  if (h < 0)
    h = -h;
  s->width = w;
  s->height = h;
  if (w <= 0 || h <= 0) {
    s->corrupt = 1;
    snprintf(s->detail, sizeof s->detail,
             "the header declares %lld x %lld pixels", w, h);
    return;
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 24 && bpp != 32) {
    s->unsupported = 1;
    snprintf(s->detail, sizeof s->detail,
             "%u bits per pixel (1, 4, 8, 24 and 32 are read)", bpp);
    return;
  }
  headerEnd = 14 + hsize;
  if (compression == 3 && bpp == 32) {
    // The masks follow a 40-byte header, or are its later versions' first
    // fields after those 40 bytes: at byte 54 either way.
    unsigned long r, g, b;
    if (hsize == 40)
      headerEnd += 12;
    if (n < 66) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "the bit field masks are cut at byte %zu", n);
      return;
    }
    r = le32(d + 54);
    g = le32(d + 58);
    b = le32(d + 62);
    s->bmpShift[0] = byteMaskShift(r);
    s->bmpShift[1] = byteMaskShift(g);
    s->bmpShift[2] = byteMaskShift(b);
    if (s->bmpShift[0] < 0 || s->bmpShift[1] < 0 || s->bmpShift[2] < 0) {
      s->unsupported = 1;
      snprintf(s->detail, sizeof s->detail,
               "bit field masks red 0x%08lX, green 0x%08lX, blue 0x%08lX "
               "(only masks of one whole byte are read)",
               r, g, b);
      return;
    }
  } else if (compression != 0) {
    s->unsupported = 1;
    snprintf(s->detail, sizeof s->detail,
             "compression %lu (%s) at %u bits per pixel (only uncompressed "
             "BMP, and 32-bit bit fields, are read)",
             compression, bmpCompressionName(compression), bpp);
    return;
  } else if (bpp == 32) {
    s->bmpShift[0] = 16; // BGRX
    s->bmpShift[1] = 8;
    s->bmpShift[2] = 0;
  }
  if (bpp <= 8) {
    colours = le32(d + 46);
    if (colours == 0)
      colours = 1ul << bpp;
    if (colours > 1ul << bpp) {
      s->corrupt = 1;
      snprintf(s->detail, sizeof s->detail,
               "the header declares %lu palette colours at %u bits per pixel",
               colours, bpp);
      return;
    }
    s->bmpPalette = headerEnd;
    headerEnd += 4 * colours;
    if (n < headerEnd) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "the palette of %lu colours is cut at byte %zu", colours, n);
      return;
    }
  }
  if (offset < headerEnd) {
    s->corrupt = 1;
    snprintf(s->detail, sizeof s->detail,
             "the pixels start at byte %lu, inside the header%s (which ends "
             "at byte %lu)",
             offset, bpp <= 8 ? " and palette" : "", headerEnd);
    return;
  }
  s->bmpBits = (int)bpp;
  s->bmpColours = (int)colours;
  s->bmpOffset = offset;
  if (w <= MAX_DIM && h <= MAX_DIM) {
    unsigned long long row = ((unsigned long long)bpp * w + 31) / 32 * 4;
    unsigned long long need = offset + row * h;
    s->bmpStride = (size_t)row;
    if (need > n) {
      s->truncated = 1;
      snprintf(s->detail, sizeof s->detail,
               "%lld rows of %llu bytes from byte %lu need %llu bytes, the "
               "file has %zu",
               h, row, offset, need, n);
    }
  }
}

// Decodes the rows of a BMP file scanBMP accepted into `out` (width *
// height * 3 bytes). Returns 0, or -1 with `why` filled when a palettised
// pixel names a colour past the palette.
static int decodeBMP(const unsigned char *d, const Scan *s, unsigned char *out,
                     char *why, size_t whylen) {
  size_t w = (size_t)s->width, h = (size_t)s->height, x, y;
  for (y = 0; y < h; ++y) {
    const unsigned char *row =
        d + s->bmpOffset + s->bmpStride * (s->bmpTopDown ? y : h - 1 - y);
    unsigned char *o = out + y * w * 3;
    if (s->bmpBits <= 8) {
      // Pixels packed from the high bits of each byte down.
      const unsigned char *pal = d + s->bmpPalette;
      unsigned bits = (unsigned)s->bmpBits, mask = (1u << bits) - 1;
      for (x = 0; x < w; ++x) {
        size_t bit = x * bits;
        unsigned k = (row[bit / 8] >> (8 - bits - bit % 8)) & mask;
        if (k >= (unsigned)s->bmpColours) {
          snprintf(why, whylen,
                   "pixel (%zu, %zu) is colour %u of a palette of %d", x, y, k,
                   s->bmpColours);
          return -1;
        }
        o[3 * x] = pal[4 * k + 2];
        o[3 * x + 1] = pal[4 * k + 1];
        o[3 * x + 2] = pal[4 * k];
      }
    } else if (s->bmpBits == 24) {
      for (x = 0; x < w; ++x) {
        o[3 * x] = row[3 * x + 2];
        o[3 * x + 1] = row[3 * x + 1];
        o[3 * x + 2] = row[3 * x];
      }
    } else {
      for (x = 0; x < w; ++x) {
        unsigned long v = le32(row + 4 * x);
        o[3 * x] = (unsigned char)(v >> s->bmpShift[0]);
        o[3 * x + 1] = (unsigned char)(v >> s->bmpShift[1]);
        o[3 * x + 2] = (unsigned char)(v >> s->bmpShift[2]);
      }
    }
  }
  return 0;
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
// valid and the file holds all samples) into `out` (width * height * 3
// bytes): grey is replicated and each sample v (one byte, or two big-endian
// bytes when the maximum value is above 255) becomes round(v * 255 /
// maxval), clamped to 255 for samples above the maximum.
static void decodePNM(const unsigned char *d, const Scan *s,
                      unsigned char *out) {
  size_t pixels = (size_t)s->width * (size_t)s->height;
  const unsigned char *in = d + s->pnmOffset;
  int wide = s->pnmMaxval > 255;
  unsigned long long maxval = (unsigned long long)s->pnmMaxval;
  size_t k;
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
}

//===----------------------------------------------------------------------===//
// Decoding JPEG (libjpeg-turbo)
//===----------------------------------------------------------------------===//

// Where a decode stands. Everything libjpeg/libpng may change before
// longjmp-ing back lives here, in the caller's frame, never in a local of
// the function that called setjmp (whose locals are indeterminate after
// the jump).
typedef struct Codec {
  const unsigned char *data; // what is decoded
  FILE *file;                // where an encoder writes
  size_t size, pos;          // pos: how far libpng has read
  uint64_t maxPixels;
  unsigned char *pixels; // the RGB result, width * height * 3 bytes
  unsigned char *row;    // scratch: one CMYK row
  unsigned char **rows;  // scratch: libpng's row pointers
  unsigned long width, height;
  int status;        // YOLO_OK once decoded
  int truncated;     // the data ended before the decoder was done
  int code;          // libjpeg's message code, -1 for our own errors
  int errnum;        // errno when an encoder's write failed (or 0)
  char message[200]; // the decoder's reason (JMSG_LENGTH_MAX is 200)
  jmp_buf jmp;
  struct jpeg_error_mgr jerr;
  struct jpeg_progress_mgr progress;
  union {
    struct jpeg_decompress_struct d;
    struct jpeg_compress_struct c;
  } jpeg;
} Codec;

static void jpegErrorExit(j_common_ptr cinfo) {
  Codec *job = (Codec *)cinfo->client_data;
  job->errnum = errno; // kept for a failed write (JERR_FILE_WRITE)
  if (job->code != -1) {
    job->code = cinfo->err->msg_code;
    (*cinfo->err->format_message)(cinfo, job->message);
  }
  longjmp(job->jmp, 1);
}

// Warnings (msg_level -1) are errors: libjpeg only warns about truncated
// data (it pads the image with grey), bad Huffman codes, missing data
// before a marker and the like, each of which leaves wrong pixels. The one
// harmless warning, an unknown JFIF revision, is let through. Trace
// messages (levels 0 and up) are dropped.
static void jpegEmitMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code != JWRN_JFIF_MAJOR)
    jpegErrorExit(cinfo);
}

// Never print; keep the text should anything ask for it.
static void jpegOutputMessage(j_common_ptr cinfo) {
  Codec *job = (Codec *)cinfo->client_data;
  (*cinfo->err->format_message)(cinfo, job->message);
}

static void jpegProgress(j_common_ptr cinfo) {
  Codec *job = (Codec *)cinfo->client_data;
  if (cinfo->is_decompressor &&
      ((j_decompress_ptr)cinfo)->input_scan_number > MAX_JPEG_SCANS) {
    job->code = -1;
    snprintf(job->message, sizeof job->message, "more than %d scans",
             MAX_JPEG_SCANS);
    jpegErrorExit(cinfo);
  }
}

static void setJpegErrorHandlers(Codec *job, j_common_ptr cinfo) {
  cinfo->err = jpeg_std_error(&job->jerr);
  job->jerr.error_exit = jpegErrorExit;
  job->jerr.emit_message = jpegEmitMessage;
  job->jerr.output_message = jpegOutputMessage;
  cinfo->client_data = job;
}

// Decodes job->data; sets job->status to YOLO_OK with job->pixels, or
// returns early (straight or through longjmp) with the reason in job.
static void jpegDecode(Codec *job) {
  j_decompress_ptr c = &job->jpeg.d;
  uint64_t cap;
  int cmyk;
  setJpegErrorHandlers(job, (j_common_ptr)c);
  if (setjmp(job->jmp))
    return;
  jpeg_create_decompress(c);
  jpeg_mem_src(c, job->data, (unsigned long)job->size);
  job->progress.progress_monitor = jpegProgress;
  c->progress = &job->progress;
  // Working memory beyond the image itself (the whole-image coefficient
  // buffer of a progressive file) is bounded by the pixel limit: up to
  // four full-size components of 2-byte coefficients, plus slack for MCU
  // padding. Past it libjpeg stops with "Backing store not supported".
  cap = 64ull * 1024 * 1024 + (job->maxPixels < (uint64_t)1 << 40
                                   ? job->maxPixels * 8
                                   : (uint64_t)1 << 43);
  c->mem->max_memory_to_use = cap > LONG_MAX ? LONG_MAX : (long)cap;
  jpeg_read_header(c, TRUE);
  job->width = c->image_width;
  job->height = c->image_height;
  if (c->image_width > MAX_DIM || c->image_height > MAX_DIM ||
      (uint64_t)c->image_width * c->image_height > job->maxPixels) {
    job->status = YOLO_ERR_TOO_LARGE;
    return;
  }
  // CMYK (Adobe's inverted CMYK, or YCCK) comes out as CMYK and is
  // converted below; grey and YCbCr come out as RGB.
  cmyk = c->jpeg_color_space == JCS_CMYK || c->jpeg_color_space == JCS_YCCK;
  c->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(c);
  if (c->output_width != c->image_width ||
      c->output_height != c->image_height ||
      c->output_components != (cmyk ? 4 : 3)) {
    job->code = -1;
    snprintf(job->message, sizeof job->message,
             "libjpeg gives %u x %u x %d samples for %u x %u pixels",
             c->output_width, c->output_height, c->output_components,
             c->image_width, c->image_height);
    return;
  }
  job->pixels = (unsigned char *)malloc((size_t)job->width * job->height * 3);
  if (cmyk)
    job->row = (unsigned char *)malloc((size_t)job->width * 4);
  if (!job->pixels || (cmyk && !job->row)) {
    job->status = YOLO_ERR_OUT_OF_MEMORY;
    return;
  }
  while (c->output_scanline < c->output_height) {
    unsigned char *out =
        job->pixels + (size_t)c->output_scanline * 3 * job->width;
    JSAMPROW row = cmyk ? job->row : out;
    if (jpeg_read_scanlines(c, &row, 1) != 1) {
      job->code = -1;
      snprintf(job->message, sizeof job->message, "libjpeg stopped at row %u",
               c->output_scanline);
      return;
    }
    if (cmyk) {
      // Adobe's files store CMYK inverted (255 is no ink): red is then
      // C * K / 255; plain CMYK is inverted first.
      int inverted = c->saw_Adobe_marker;
      size_t x;
      for (x = 0; x < job->width; ++x) {
        unsigned k = job->row[4 * x + 3], i;
        if (!inverted)
          k = 255 - k;
        for (i = 0; i < 3; ++i) {
          unsigned v = job->row[4 * x + i];
          if (!inverted)
            v = 255 - v;
          out[3 * x + i] = (unsigned char)((v * k + 127) / 255);
        }
      }
    }
  }
  jpeg_finish_decompress(c);
  job->status = YOLO_OK;
}

static int decodeJPEG(const unsigned char *d, size_t n, const char *name,
                      uint64_t maxPixels, yolo_image *img, char *err,
                      size_t errlen) {
  Codec job;
  int code;
#if SIZE_MAX > ULONG_MAX
  if (n > ULONG_MAX) { // jpeg_mem_src takes an unsigned long
    yolo_format_error(err, errlen, "%s: too large: %zu bytes", name, n);
    return YOLO_ERR_TOO_LARGE;
  }
#endif
  memset(&job, 0, sizeof job);
  job.data = d;
  job.size = n;
  job.maxPixels = maxPixels;
  job.status = YOLO_ERR_BAD_IMAGE;
  jpegDecode(&job);
  if (!job.width) { // an error in jpeg_read_header: its size so far
    job.width = job.jpeg.d.image_width;
    job.height = job.jpeg.d.image_height;
  }
  jpeg_destroy_decompress(&job.jpeg.d); // safe on a failed create
  free(job.row);
  if (job.status == YOLO_OK) {
    img->data = job.pixels;
    img->width = (int32_t)job.width;
    img->height = (int32_t)job.height;
    return YOLO_OK;
  }
  free(job.pixels);
  code = job.code;
  if (job.status == YOLO_ERR_TOO_LARGE || code == JERR_IMAGE_TOO_BIG ||
      code == JERR_WIDTH_OVERFLOW) {
    yolo_format_error(
        err, errlen,
        "%s: too large: the JPEG header declares %lu x %lu "
        "pixels, the limit is %llu pixels and %d per side",
        name, job.width, job.height, (unsigned long long)maxPixels,
        code == JERR_IMAGE_TOO_BIG ? (int)JPEG_MAX_DIMENSION : MAX_DIM);
    return YOLO_ERR_TOO_LARGE;
  }
  if (code == JERR_NO_BACKING_STORE) {
    yolo_format_error(err, errlen,
                      "%s: too large: decoding the %lu x %lu JPEG needs more "
                      "working memory than its pixel limit allows",
                      name, job.width, job.height);
    return YOLO_ERR_TOO_LARGE;
  }
  if (job.status == YOLO_ERR_OUT_OF_MEMORY || code == JERR_OUT_OF_MEMORY) {
    yolo_format_error(err, errlen, "%s: out of memory decoding %lu x %lu", name,
                      job.width, job.height);
    return YOLO_ERR_OUT_OF_MEMORY;
  }
  if (code == JWRN_JPEG_EOF) {
    yolo_format_error(err, errlen,
                      "%s: truncated JPEG file: the data ends at byte %zu, "
                      "before the image does",
                      name, n);
    return YOLO_ERR_BAD_IMAGE;
  }
  if (code == JERR_CONVERSION_NOTIMPL || code == JERR_BAD_PRECISION ||
      code == JERR_SOF_UNSUPPORTED || code == JERR_NOT_COMPILED ||
      code == JERR_BAD_J_COLORSPACE) {
    yolo_format_error(err, errlen, "%s: unsupported JPEG file: %s", name,
                      job.message);
    return YOLO_ERR_BAD_IMAGE;
  }
  // libjpeg's corrupt-data warnings start "Corrupt JPEG data: ".
  yolo_format_error(err, errlen, "%s: corrupt JPEG file: %s", name,
                    !strncmp(job.message, "Corrupt JPEG data: ", 19)
                        ? job.message + 19
                    : job.message[0] ? job.message
                                     : "decoding failed");
  return YOLO_ERR_BAD_IMAGE;
}

//===----------------------------------------------------------------------===//
// Decoding PNG (libpng)
//===----------------------------------------------------------------------===//

static void pngError(png_structp png, png_const_charp message) {
  Codec *job = (Codec *)png_get_error_ptr(png);
  if (!job->truncated)
    snprintf(job->message, sizeof job->message, "%s", message);
  png_longjmp(png, 1);
}

// libpng warns about what it can safely skip (a bad ancillary chunk, extra
// data after the image); nothing to print, nothing to stop for.
static void pngWarning(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

static void pngRead(png_structp png, png_bytep out, size_t len) {
  Codec *job = (Codec *)png_get_io_ptr(png);
  if (len > job->size - job->pos) {
    job->truncated = 1;
    snprintf(job->message, sizeof job->message,
             "the file ends at byte %zu, libpng reads %zu bytes from byte %zu",
             job->size, len, job->pos);
    png_error(png, "truncated");
  }
  memcpy(out, job->data + job->pos, len);
  job->pos += len;
}

static void pngDecode(Codec *job, png_structp png, png_infop info) {
  png_uint_32 w, h, y;
  int depth, colour;
  if (setjmp(png_jmpbuf(png)))
    return;
  png_set_read_fn(png, job, pngRead);
  png_set_user_limits(png, MAX_DIM, MAX_DIM);
  // Only IHDR, PLTE, tRNS, IDAT and IEND are read; every other chunk
  // (text, colour profiles, ...) is skipped unparsed: less code to trust,
  // and none of it changes the RGB samples we hand back.
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
  png_read_info(png, info);
  png_get_IHDR(png, info, &w, &h, &depth, &colour, NULL, NULL, NULL);
  job->width = w;
  job->height = h;
  if (w > MAX_DIM || h > MAX_DIM || (uint64_t)w * h > job->maxPixels) {
    job->status = YOLO_ERR_TOO_LARGE;
    return;
  }
  // To 8-bit RGB: palettes expanded, grey replicated, 16-bit samples
  // scaled (round(v * 255 / 65535), as for PPM/PGM), alpha dropped.
  if (colour == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb(png);
  if (!(colour & PNG_COLOR_MASK_COLOR)) {
    if (depth < 8)
      png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
  }
  if (depth == 16)
    png_set_scale_16(png);
  png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8 ||
      png_get_rowbytes(png, info) != (size_t)w * 3)
    png_error(png, "libpng's output is not 8-bit RGB");
  job->pixels = (unsigned char *)malloc((size_t)w * h * 3);
  job->rows = (unsigned char **)malloc(sizeof(unsigned char *) * h);
  if (!job->pixels || !job->rows) {
    job->status = YOLO_ERR_OUT_OF_MEMORY;
    return;
  }
  for (y = 0; y < h; ++y)
    job->rows[y] = job->pixels + (size_t)y * w * 3;
  png_read_image(png, job->rows);
  // The chunks after the image up to IEND: their CRCs, and no IDAT data
  // left over.
  png_read_end(png, NULL);
  job->status = YOLO_OK;
}

static int decodePNG(const unsigned char *d, size_t n, const char *name,
                     uint64_t maxPixels, yolo_image *img, char *err,
                     size_t errlen) {
  Codec job;
  png_structp png;
  png_infop info = NULL;
  memset(&job, 0, sizeof job);
  job.data = d;
  job.size = n;
  job.maxPixels = maxPixels;
  job.status = YOLO_ERR_BAD_IMAGE;
  png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, pngError, pngWarning);
  if (png)
    info = png_create_info_struct(png);
  if (!png || !info)
    job.status = YOLO_ERR_OUT_OF_MEMORY;
  else
    pngDecode(&job, png, info);
  png_destroy_read_struct(&png, &info, NULL); // safe on NULL
  free(job.rows);
  if (job.status == YOLO_OK) {
    img->data = job.pixels;
    img->width = (int32_t)job.width;
    img->height = (int32_t)job.height;
    return YOLO_OK;
  }
  free(job.pixels);
  if (job.status == YOLO_ERR_TOO_LARGE) {
    yolo_format_error(err, errlen,
                      "%s: too large: the PNG header declares %lu x %lu "
                      "pixels, the limit is %llu pixels and %d per side",
                      name, job.width, job.height,
                      (unsigned long long)maxPixels, MAX_DIM);
    return YOLO_ERR_TOO_LARGE;
  }
  // libpng says "Out of memory" or "CHUNK: out of memory".
  if (job.status == YOLO_ERR_OUT_OF_MEMORY ||
      strstr(job.message, "ut of memory")) {
    yolo_format_error(err, errlen, "%s: out of memory decoding %lu x %lu", name,
                      job.width, job.height);
    return YOLO_ERR_OUT_OF_MEMORY;
  }
  yolo_format_error(err, errlen, "%s: %s PNG file: %s", name,
                    job.truncated ? "truncated" : "corrupt",
                    job.message[0] ? job.message : "decoding failed");
  return YOLO_ERR_BAD_IMAGE;
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

int yolo_image_decode(const void *bytes, size_t size, const char *name,
                      uint64_t max_pixels, yolo_image *img, char *err,
                      size_t errlen) {
  const unsigned char *d = (const unsigned char *)bytes;
  Scan s;
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
  if (size >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    // libjpeg reads the header itself; the size is checked there.
    return decodeJPEG(d, size, name, max_pixels, img, err, errlen);
  if (size >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
    scanPNG(d, size, &s);
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
  if (s.truncated || s.corrupt || s.unsupported) {
    yolo_format_error(err, errlen, "%s: %s %s file: %s", name,
                      s.truncated ? "truncated"
                      : s.corrupt ? "corrupt"
                                  : "unsupported",
                      s.format, s.detail);
    return YOLO_ERR_BAD_IMAGE;
  }
  if (!strcmp(s.format, "PNG"))
    return decodePNG(d, size, name, max_pixels, img, err, errlen);
  pixels = (unsigned char *)malloc((size_t)s.width * (size_t)s.height * 3);
  if (!pixels) {
    yolo_format_error(err, errlen, "%s: out of memory decoding %lld x %lld",
                      name, s.width, s.height);
    return YOLO_ERR_OUT_OF_MEMORY;
  }
  if (s.pnmChannels) {
    decodePNM(d, &s, pixels);
  } else if (decodeBMP(d, &s, pixels, s.detail, sizeof s.detail) != 0) {
    free(pixels);
    yolo_format_error(err, errlen, "%s: corrupt BMP file: %s", name, s.detail);
    return YOLO_ERR_BAD_IMAGE;
  }
  img->data = pixels;
  img->width = (int32_t)s.width;
  img->height = (int32_t)s.height;
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
  free(img->data); // every image's pixels come from malloc
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

// Encoders: write `img` to job->file; on failure the reason is in
// job->message (and job->errnum when a write failed).
static void jpegEncode(Codec *job, const yolo_image *img) {
  j_compress_ptr c = &job->jpeg.c;
  setJpegErrorHandlers(job, (j_common_ptr)c);
  if (setjmp(job->jmp))
    return;
  jpeg_create_compress(c);
  jpeg_stdio_dest(c, job->file);
  c->image_width = (JDIMENSION)img->width;
  c->image_height = (JDIMENSION)img->height;
  c->input_components = 3;
  c->in_color_space = JCS_RGB;
  jpeg_set_defaults(c);
  jpeg_set_quality(c, 95, TRUE);
  // Full-resolution chroma (4:4:4), as at this quality one wants.
  c->comp_info[0].h_samp_factor = c->comp_info[0].v_samp_factor = 1;
  jpeg_start_compress(c, TRUE);
  while (c->next_scanline < c->image_height) {
    // libjpeg's rows are not const; it only reads them.
    JSAMPROW row =
        (JSAMPROW)(img->data + (size_t)c->next_scanline * img->width * 3);
    jpeg_write_scanlines(c, &row, 1);
  }
  jpeg_finish_compress(c);
  job->status = YOLO_OK;
}

static void pngWrite(png_structp png, png_bytep data, size_t len) {
  Codec *job = (Codec *)png_get_io_ptr(png);
  errno = 0;
  if (fwrite(data, 1, len, job->file) != len) {
    job->errnum = errno ? errno : EIO;
    png_error(png, "write failed");
  }
}

static void pngFlush(png_structp png) { (void)png; }

static void pngEncode(Codec *job, png_structp png, png_infop info,
                      const yolo_image *img) {
  int y;
  if (setjmp(png_jmpbuf(png)))
    return;
  png_set_write_fn(png, job, pngWrite, pngFlush);
  png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (y = 0; y < img->height; ++y)
    png_write_row(png, img->data + (size_t)y * img->width * 3);
  png_write_end(png, NULL);
  job->status = YOLO_OK;
}

static void putLE(unsigned char *p, unsigned long v, int bytes) {
  int i;
  for (i = 0; i < bytes; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

// 24-bit BMP: BITMAPINFOHEADER, bottom-up BGR rows padded to 4 bytes.
// Returns 0, or -1 when a write failed.
static int writeBMP(FILE *f, const yolo_image *img) {
  unsigned char header[54], chunk[3 * 1024];
  size_t stride = ((size_t)img->width * 3 + 3) / 4 * 4;
  unsigned long long bytes = 54 + (unsigned long long)stride * img->height;
  int y;
  memset(header, 0, sizeof header);
  header[0] = 'B';
  header[1] = 'M';
  putLE(header + 2, (unsigned long)bytes, 4);
  putLE(header + 10, 54, 4);
  putLE(header + 14, 40, 4);
  putLE(header + 18, (unsigned long)img->width, 4);
  putLE(header + 22, (unsigned long)img->height, 4); // positive: bottom-up
  putLE(header + 26, 1, 2);                          // planes
  putLE(header + 28, 24, 2);                         // bits per pixel
  putLE(header + 34, (unsigned long)(bytes - 54), 4);
  putLE(header + 38, 2835, 4); // 72 dpi
  putLE(header + 42, 2835, 4);
  if (fwrite(header, 1, sizeof header, f) != sizeof header)
    return -1;
  for (y = img->height - 1; y >= 0; --y) {
    const uint8_t *row = img->data + (size_t)y * img->width * 3;
    size_t x = 0, w = (size_t)img->width;
    while (x < w) {
      size_t k, m = w - x < 1024 ? w - x : 1024, len = 3 * m;
      for (k = 0; k < m; ++k) {
        chunk[3 * k] = row[3 * (x + k) + 2];
        chunk[3 * k + 1] = row[3 * (x + k) + 1];
        chunk[3 * k + 2] = row[3 * (x + k)];
      }
      x += m;
      if (fwrite(chunk, 1, len, f) != len)
        return -1;
    }
    if (stride > w * 3) {
      static const unsigned char zeros[3] = {0, 0, 0};
      if (fwrite(zeros, 1, stride - w * 3, f) != stride - w * 3)
        return -1;
    }
  }
  return 0;
}

int yolo_image_write(const char *path, const yolo_image *img, char *err,
                     size_t errlen) {
  FILE *f;
  int ok, kind, e;
  Codec job;
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
  if (kind == 2 &&
      (img->width > JPEG_MAX_DIMENSION || img->height > JPEG_MAX_DIMENSION)) {
    yolo_format_error(err, errlen,
                      "%s: %d x %d pixels is too large for JPEG (at most %d "
                      "per side)",
                      path, img->width, img->height, (int)JPEG_MAX_DIMENSION);
    return YOLO_ERR_BAD_ARGUMENT;
  }
  if (kind == 3 &&
      54 + ((unsigned long long)img->width * 3 + 3) / 4 * 4 * img->height >
          0xFFFFFFFFull) {
    yolo_format_error(err, errlen,
                      "%s: %d x %d pixels is too large for BMP (4 GiB at most)",
                      path, img->width, img->height);
    return YOLO_ERR_BAD_ARGUMENT;
  }
  errno = 0;
  f = fopen(path, "wb");
  if (!f) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      strerror(errno));
    return YOLO_ERR_IO;
  }
  memset(&job, 0, sizeof job);
  job.status = YOLO_ERR_IO;
  job.file = f;
  errno = 0;
  if (kind == 1) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &job,
                                              pngError, pngWarning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info)
      snprintf(job.message, sizeof job.message, "out of memory");
    else
      pngEncode(&job, png, info, img);
    png_destroy_write_struct(&png, &info);
  } else if (kind == 2) {
    jpegEncode(&job, img);
    if (job.status == YOLO_OK || job.code != JERR_FILE_WRITE)
      job.errnum = 0; // errno only explains a failed write
    else if (!job.errnum)
      job.errnum = EIO;
    jpeg_destroy_compress(&job.jpeg.c);
  } else {
    job.status = writeBMP(f, img) == 0 ? YOLO_OK : YOLO_ERR_IO;
    if (job.status != YOLO_OK)
      job.errnum = errno ? errno : EIO;
  }
  ok = job.status == YOLO_OK;
  e = job.errnum;
  if (ferror(f) && ok) {
    ok = 0;
    e = errno ? errno : EIO;
  }
  if (fclose(f) != 0 && ok) {
    ok = 0;
    e = errno ? errno : EIO;
  }
  if (!ok) {
    yolo_format_error(err, errlen, "%s: cannot write: %s", path,
                      e                ? strerror(e)
                      : job.message[0] ? job.message
                                       : "encoding failed");
    return YOLO_ERR_IO;
  }
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Letterbox
//===----------------------------------------------------------------------===//

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
    if (!xs || !ys || !wx || !wy || !rows) {
      free(xs);
      free(ys);
      free(wx);
      free(wy);
      free(rows);
      return YOLO_ERR_OUT_OF_MEMORY;
    }
    yolo_cv_linear_taps(img->width, nw, 1, xs, wx, wx + nw);
    yolo_cv_linear_taps(img->height, nh, 0, ys, wy, wy + nh);
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
      // OpenCV's 8-bit vertical pass rounds three times in its vector
      // code and, for 8-bit output, in its scalar tail too (the uchar
      // specialization of VResizeLinear), so every byte of the row.
      for (i = 0; i < rowLen; ++i) {
        int v =
            ((((s0[i] >> 4) * b0) >> 16) + (((s1[i] >> 4) * b1) >> 16) + 2) >>
            2;
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
