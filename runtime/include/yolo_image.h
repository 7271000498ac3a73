//===- yolo_image.h - images in and out of a detector ------------*- C -*-===//
//
// What a detector needs around the network: load an image file (JPEG
// decoded by libjpeg-turbo, PNG by libpng; uncompressed BMP and binary
// PPM/PGM by our own readers), letterbox it into the model's NCHW float
// input exactly as YOLOv9's letterbox + detect.py do, draw labelled boxes
// onto it and write it back as PNG, JPEG or BMP.
//
// Files come from users, so loading treats every byte as hostile: the
// format is recognised by its magic bytes, the declared size is checked
// against a pixel limit before any pixels are allocated, and a truncated
// or corrupt file is an error, never an image padded with grey (which is
// what libjpeg itself makes of a truncated JPEG, with a mere warning). The
// libraries' errors and warnings are caught, never printed: every error is
// a status plus a message naming the file and the reason.
//
// Unlike the rest of the runtime (yolo_runtime.h: libc and libm only),
// these functions need libjpeg, libpng and zlib: link with -ljpeg -lpng -lz
// (CMake: the yolo_image library, runtime/CMakeLists.txt).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_IMAGE_H
#define YOLO_IMAGE_H

#include "yolo_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

// An 8-bit RGB image, rows top to bottom, pixels interleaved (HWC):
// data[(y * width + x) * 3 + c]. Images from yolo_image_load own `data`;
// release them with yolo_image_free.
typedef struct yolo_image {
  uint8_t *data;
  int32_t width, height;
} yolo_image;

// The largest image (width * height) yolo_image_load accepts when its
// `max_pixels` is 0: 8192 x 8192, 192 MiB once decoded.
#define YOLO_IMAGE_DEFAULT_MAX_PIXELS (8192ull * 8192ull)

// Loads the image file `path` as RGB (grey is replicated, alpha dropped,
// palettes expanded, 16-bit samples v become round(v * 255 / 65535), CMYK
// JPEG is converted; PPM/PGM samples are scaled by the header's maximum
// value). Read are: baseline and progressive JPEG (8-bit grey, YCbCr, RGB,
// CMYK, YCCK), every PNG, BMP with a 40-byte BITMAPINFOHEADER or a later one
// (uncompressed 1-, 4- and 8-bit palettised, 24-bit, 32-bit, and 32-bit bit
// fields of whole bytes), binary PPM (P6) and PGM (P5). `max_pixels` bounds
// width * height (0: YOLO_IMAGE_DEFAULT_MAX_PIXELS); the check runs on the
// header, before the pixels are allocated. On failure `*img` is empty (data
// NULL, sizes 0), a message naming `path` and the reason goes to `err` (may
// be NULL), and the status is YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_IO (the file
// cannot be opened or read: "not found", "permission denied", ...),
// YOLO_ERR_BAD_IMAGE (empty, not a PNG/JPEG/PPM/PGM/BMP file, a variant of
// one that is not read, truncated, or corrupt), YOLO_ERR_TOO_LARGE (the
// header declares more than `max_pixels` pixels or a dimension above 65535,
// or above 65500 for JPEG) or YOLO_ERR_OUT_OF_MEMORY.
int yolo_image_load(const char *path, uint64_t max_pixels, yolo_image *img,
                    char *err, size_t errlen);

// yolo_image_load on the `size` bytes at `bytes` (a whole file in memory);
// messages name the source `name` (may be NULL: "image data").
int yolo_image_decode(const void *bytes, size_t size, const char *name,
                      uint64_t max_pixels, yolo_image *img, char *err,
                      size_t errlen);

// Allocates a `width` x `height` image filled with the colour `rgb` (three
// bytes; NULL: black). Returns YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_ARGUMENT
// (a size <= 0 or above 65535) or YOLO_ERR_OUT_OF_MEMORY.
int yolo_image_create(int width, int height, const uint8_t *rgb,
                      yolo_image *img);

// Releases an image's data and empties it. Safe on NULL and on empty images.
void yolo_image_free(yolo_image *img);

// Writes `img` to `path`, the format chosen by the extension (case
// insensitive): .png (libpng, 8-bit RGB), .jpg/.jpeg (libjpeg, quality 95,
// full-resolution chroma) or .bmp (24-bit, bottom-up). Returns
// YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_ARGUMENT (another extension; an
// empty image; more than 65500 pixels a side for JPEG or 4 GiB for BMP) or
// YOLO_ERR_IO (the file cannot be written, or the encoder failed), with a
// message naming `path`.
int yolo_image_write(const char *path, const yolo_image *img, char *err,
                     size_t errlen);

//===----------------------------------------------------------------------===//
// Letterbox
//===----------------------------------------------------------------------===//

// Where a letterboxed image lies in the model input. The image is resized
// to new_w x new_h and placed at (left, top); gain, pad_x and pad_y are what
// yolo_scale_boxes takes to map boxes back (YOLOv9's scale_boxes in
// detect.py: pad = (input - size * gain) / 2, which equals left/top except
// for half a pixel when the padding is odd).
typedef struct yolo_letterbox_info {
  int new_w, new_h, left, top;
  float gain, pad_x, pad_y;
} yolo_letterbox_info;

// Letterboxes `img` into `out`, a dense 1 x 3 x input_h x input_w float
// tensor (NCHW, RGB, values / 255), as YOLOv9's letterbox(auto=False):
//  - r = min(input_w / width, input_h / height) (scaling up too), new size
//    (round(width * r), round(height * r)), rounding half to even as Python
//    does, at least 1;
//  - resized with OpenCV's INTER_LINEAR (half-pixel centres, edge pixels
//    replicated) in its 8-bit fixed-point arithmetic: 11-bit weights
//    rounded from float, rows then columns, ((a >> 4) * wa >> 16) +
//    ((b >> 4) * wb >> 16) + 2 >> 2; no resize when the size is unchanged;
//  - padded with 114 on all sides: left = (input_w - new_w) / 2 rounded
//    down, top likewise, the rest right and bottom;
//  - each byte v stored as (float)v / 255.
// `info` (may be NULL) receives the geometry. Allocates two rows of scratch.
// Returns YOLO_ERR_NULL_ARGUMENT, YOLO_ERR_BAD_ARGUMENT (an empty image, an
// input size <= 0 or above 65535) or YOLO_ERR_OUT_OF_MEMORY.
int yolo_letterbox(const yolo_image *img, int input_w, int input_h, float *out,
                   yolo_letterbox_info *info);

//===----------------------------------------------------------------------===//
// Drawing
//===----------------------------------------------------------------------===//

// The built-in bitmap font: every glyph is YOLO_FONT_WIDTH x
// YOLO_FONT_HEIGHT pixels at scale 1, advanced by YOLO_FONT_ADVANCE.
// Lowercase letters are drawn as capitals; characters without a glyph as a
// hollow box.
#define YOLO_FONT_WIDTH 5
#define YOLO_FONT_HEIGHT 7
#define YOLO_FONT_ADVANCE 6

// The 7 rows of the glyph of `c`, bit 4 the leftmost pixel, or NULL when
// the font has no glyph for it (space has an empty glyph).
const uint8_t *yolo_font_glyph(char c);

// Draws the outline of the box with corners (x1, y1), (x2, y2) (pixel
// coordinates, in any order, rounded to the nearest pixel) `thickness`
// pixels wide, inwards, in `rgb`. Everything is clipped to the image, so
// any box is safe. Returns YOLO_ERR_NULL_ARGUMENT or YOLO_ERR_BAD_ARGUMENT
// (thickness < 1, a non-finite coordinate).
int yolo_draw_box(yolo_image *img, float x1, float y1, float x2, float y2,
                  int thickness, const uint8_t *rgb);

// Draws `text` with its top-left corner at (x, y) at `scale` (1..16) in
// `fg`, on a filled rectangle of `bg` one scaled pixel wider on every side
// when `bg` is not NULL. Clipped to the image. Returns the status as
// yolo_draw_box does.
int yolo_draw_text(yolo_image *img, int x, int y, const char *text, int scale,
                   const uint8_t *fg, const uint8_t *bg);

// The size in pixels yolo_draw_text covers for `text` at `scale`, its
// background included.
void yolo_text_size(const char *text, int scale, int *width, int *height);

// Draws a detection: its box in a colour chosen by class id and a label
// ("name 0.93", or "class 3 0.93" when `name` is NULL) on the colour above
// the box, or inside it when there is no room above. `scale` 0 picks a
// line width and font scale from the image size.
int yolo_draw_detection(yolo_image *img, const yolo_detection *det,
                        const char *name, int scale);

// The colour (three bytes) yolo_draw_detection uses for `class_id`.
const uint8_t *yolo_class_color(int class_id);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // YOLO_IMAGE_H
