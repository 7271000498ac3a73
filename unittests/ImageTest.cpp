//===- ImageTest.cpp - image loading, letterbox and drawing ---------------===//
//
// Hand-computed cases for the letterbox geometry and pixel values, and the
// errors that bad image files must give (never a crash, never a huge
// allocation from a lying header, never a word on stderr). The PNG and
// JPEG files are made here with libpng and libjpeg, the BMP files byte by
// byte.
//
//===----------------------------------------------------------------------===//

#include "yolo_image.h"

#include <gtest/gtest.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::string tempPath(const char *name) {
  return std::string(::testing::TempDir()) + "/yolo-image-" +
         std::to_string(getpid()) + "-" + name;
}

std::vector<uint8_t> readFile(const std::string &path) {
  std::vector<uint8_t> bytes;
  FILE *f = fopen(path.c_str(), "rb");
  if (!f)
    return bytes;
  int c;
  while ((c = fgetc(f)) != EOF)
    bytes.push_back(static_cast<uint8_t>(c));
  fclose(f);
  return bytes;
}

TEST(Letterbox, WideImageIsPaddedTopAndBottom) {
  // 480x360 into 320x320: r = min(320/360, 320/480) = 2/3, 320x240,
  // 40 rows of padding above and below.
  const uint8_t grey[3] = {200, 100, 50};
  yolo_image img;
  ASSERT_EQ(yolo_image_create(480, 360, grey, &img), YOLO_OK);
  std::vector<float> in(3 * 320 * 320);
  yolo_letterbox_info info;
  ASSERT_EQ(yolo_letterbox(&img, 320, 320, in.data(), &info), YOLO_OK);
  EXPECT_EQ(info.new_w, 320);
  EXPECT_EQ(info.new_h, 240);
  EXPECT_EQ(info.left, 0);
  EXPECT_EQ(info.top, 40);
  EXPECT_FLOAT_EQ(info.gain, 320.0f / 480.0f);
  EXPECT_FLOAT_EQ(info.pad_y, 40.0f);
  auto at = [&](int c, int y, int x) { return in[(c * 320 + y) * 320 + x]; };
  // Padding is 114 in every channel; the image keeps its exact colour
  // (a uniform image resizes to itself), RGB order, divided by 255.
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(at(c, 0, 0), 114.0f / 255.0f);
    EXPECT_FLOAT_EQ(at(c, 39, 160), 114.0f / 255.0f);
    EXPECT_FLOAT_EQ(at(c, 280, 160), 114.0f / 255.0f);
    EXPECT_FLOAT_EQ(at(c, 40, 0), grey[c] / 255.0f);
    EXPECT_FLOAT_EQ(at(c, 279, 319), grey[c] / 255.0f);
  }
  yolo_image_free(&img);
}

TEST(Letterbox, OddPaddingPutsTheExtraPixelRightAndBelow) {
  // 100x50 into 64x63: r = 0.64 -> 64x32; 31 rows of padding: 15 above, 16
  // below.
  yolo_image img;
  ASSERT_EQ(yolo_image_create(100, 50, nullptr, &img), YOLO_OK);
  std::vector<float> in(3 * 63 * 64);
  yolo_letterbox_info info;
  ASSERT_EQ(yolo_letterbox(&img, 64, 63, in.data(), &info), YOLO_OK);
  EXPECT_EQ(info.new_w, 64);
  EXPECT_EQ(info.new_h, 32);
  EXPECT_EQ(info.top, 15);
  EXPECT_FLOAT_EQ(in[14 * 64], 114.0f / 255.0f);
  EXPECT_FLOAT_EQ(in[15 * 64], 0.0f);
  EXPECT_FLOAT_EQ(in[46 * 64], 0.0f);
  EXPECT_FLOAT_EQ(in[47 * 64], 114.0f / 255.0f);
  yolo_image_free(&img);
}

TEST(Letterbox, RejectsBadArguments) {
  yolo_image img;
  ASSERT_EQ(yolo_image_create(8, 8, nullptr, &img), YOLO_OK);
  std::vector<float> in(3 * 8 * 8);
  EXPECT_EQ(yolo_letterbox(nullptr, 8, 8, in.data(), nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_letterbox(&img, 8, 8, nullptr, nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_letterbox(&img, 0, 8, in.data(), nullptr),
            YOLO_ERR_BAD_ARGUMENT);
  yolo_image empty = {nullptr, 0, 0}; // no pixels: a null data pointer
  EXPECT_EQ(yolo_letterbox(&empty, 8, 8, in.data(), nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  yolo_image_free(&img);
}

TEST(ImageFiles, PngRoundTripsAndTruncationIsReported) {
  const uint8_t colour[3] = {10, 20, 30};
  yolo_image img;
  ASSERT_EQ(yolo_image_create(33, 17, colour, &img), YOLO_OK);
  char err[512];
  std::string path = tempPath("round.png");
  ASSERT_EQ(yolo_image_write(path.c_str(), &img, err, sizeof err), YOLO_OK)
      << err;
  yolo_image back;
  ASSERT_EQ(yolo_image_load(path.c_str(), 0, &back, err, sizeof err), YOLO_OK)
      << err;
  EXPECT_EQ(back.width, 33);
  EXPECT_EQ(back.height, 17);
  EXPECT_EQ(back.data[0], 10);
  EXPECT_EQ(back.data[3 * 33 * 17 - 1], 30);
  yolo_image_free(&back);

  std::vector<uint8_t> bytes = readFile(path);
  ASSERT_GT(bytes.size(), 40u);
  bytes.resize(bytes.size() / 2);
  int rc = yolo_image_decode(bytes.data(), bytes.size(), "half.png", 0, &back,
                             err, sizeof err);
  EXPECT_EQ(rc, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(std::string(err).find("half.png"), std::string::npos) << err;
  EXPECT_EQ(back.data, nullptr);
  remove(path.c_str());
  yolo_image_free(&img);
}

TEST(ImageFiles, GarbageEmptyAndMissingFilesAreErrors) {
  char err[512];
  yolo_image img;
  const char garbage[] = "this is not an image at all";
  EXPECT_EQ(yolo_image_decode(garbage, sizeof garbage, "notes.txt", 0, &img,
                              err, sizeof err),
            YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(std::string(err).find("notes.txt"), std::string::npos) << err;
  EXPECT_EQ(
      yolo_image_decode(garbage, 0, "empty.png", 0, &img, err, sizeof err),
      YOLO_ERR_BAD_IMAGE);
  EXPECT_EQ(yolo_image_load("/nonexistent/dir/x.png", 0, &img, err, sizeof err),
            YOLO_ERR_IO);
  EXPECT_NE(std::string(err).find("/nonexistent/dir/x.png"), std::string::npos)
      << err;
  EXPECT_EQ(yolo_image_load(nullptr, 0, &img, err, sizeof err),
            YOLO_ERR_NULL_ARGUMENT);
}

TEST(ImageFiles, LyingHeaderIsRejectedBeforeAllocating) {
  // A PPM header declaring 60000 x 60000 pixels (10 GB decoded) over a few
  // bytes of data: refused from the header with the default pixel limit,
  // and against a small explicit limit too.
  const char ppm[] = "P6\n60000 60000\n255\n\x01\x02\x03";
  char err[512];
  yolo_image img;
  EXPECT_EQ(yolo_image_decode(ppm, sizeof ppm - 1, "huge.ppm", 0, &img, err,
                              sizeof err),
            YOLO_ERR_TOO_LARGE);
  const char small[] = "P6\n100 100\n255\n";
  EXPECT_EQ(yolo_image_decode(small, sizeof small - 1, "limited.ppm", 5000,
                              &img, err, sizeof err),
            YOLO_ERR_TOO_LARGE);
  EXPECT_EQ(img.data, nullptr);
}

// Decodes `bytes` and returns its pixels (empty on failure; the status
// and message go to `status` and `err`).
std::vector<uint8_t> decode(const std::string &bytes, int *status,
                            std::string *err, int *w = nullptr,
                            int *h = nullptr) {
  char buf[512] = "";
  yolo_image img;
  *status = yolo_image_decode(bytes.data(), bytes.size(), "x.pnm", 0, &img, buf,
                              sizeof buf);
  *err = buf;
  std::vector<uint8_t> pixels;
  if (*status == YOLO_OK)
    pixels.assign(img.data, img.data + size_t(img.width) * img.height * 3);
  if (w)
    *w = img.width;
  if (h)
    *h = img.height;
  yolo_image_free(&img);
  return pixels;
}

TEST(ImageFiles, SixteenBitGreyPgmIsScaledAndReplicated) {
  // Found by fuzz/fuzz-runtime.c: stb_image's 16-bit PGM path read past its
  // buffer converting grey to RGB. PPM/PGM are decoded by our reader now.
  // 3 x 1 pixels, maxval 65535: 0, 0x8000 (128.5 -> 128), 65535.
  std::string pgm("P5\n3 1\n65535\n\x00\x00\x80\x00\xff\xff", 19);
  int status, w, h;
  std::string err;
  std::vector<uint8_t> px = decode(pgm, &status, &err, &w, &h);
  ASSERT_EQ(status, YOLO_OK) << err;
  EXPECT_EQ(w, 3);
  EXPECT_EQ(h, 1);
  EXPECT_EQ(px, (std::vector<uint8_t>{0, 0, 0, 128, 128, 128, 255, 255, 255}));
}

TEST(ImageFiles, PnmSamplesAreScaledByTheMaximumValue) {
  // 8-bit samples with maxval 15: v -> round(v * 255 / 15); a sample above
  // the maximum is clamped to 255. 16-bit RGB with maxval 1023.
  int status;
  std::string err;
  std::string pgm("P5 2 2 15 \x00\x07\x0f\x10", 14);
  EXPECT_EQ(decode(pgm, &status, &err),
            (std::vector<uint8_t>{0, 0, 0, 119, 119, 119, 255, 255, 255, 255,
                                  255, 255}))
      << err;
  std::string ppm("P6\n# a comment\n1 1\n1023\n\x03\xff\x02\x00\x00\x01", 30);
  EXPECT_EQ(decode(ppm, &status, &err), (std::vector<uint8_t>{255, 128, 0}))
      << err;
}

TEST(ImageFiles, MalformedPnmIsAnError) {
  int status;
  std::string err;
  // No whitespace between the maximum value and the samples.
  EXPECT_TRUE(decode(std::string("P5 1 1 255x", 11), &status, &err).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(err.find("corrupt PGM file: no whitespace after the maximum "
                     "value"),
            std::string::npos)
      << err;
  // 16-bit samples: 2 x 2 grey needs 8 bytes, the file has 7.
  EXPECT_TRUE(
      decode(std::string("P5 2 2 65535\n1234567", 20), &status, &err).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(err.find("truncated PGM file: 8 bytes of samples expected"),
            std::string::npos)
      << err;
}

// Loads unittests/Inputs/`file` (a fuzzer's finding) and expects
// YOLO_ERR_BAD_IMAGE with `message` in the error and no pixels.
void expectRefused(const char *file, const char *message) {
  char err[512];
  yolo_image img;
  std::string path = std::string(YOLO_RUNTIME_TEST_INPUTS) + "/" + file;
  EXPECT_EQ(yolo_image_load(path.c_str(), 0, &img, err, sizeof err),
            YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(std::string(err).find(message), std::string::npos) << err;
  EXPECT_EQ(img.data, nullptr);
}

//===----------------------------------------------------------------------===//
// Test images in memory: PNG through libpng, JPEG through libjpeg, BMP by
// hand.
//===----------------------------------------------------------------------===//

void putBE32(std::string &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out += char((v >> shift) & 0xff);
}

uint32_t getBE32(const std::string &s, size_t at) {
  return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 |
         uint32_t(uint8_t(s[at + 2])) << 8 | uint32_t(uint8_t(s[at + 3]));
}

void appendToString(png_structp png, png_bytep data, size_t len) {
  static_cast<std::string *>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char *>(data), len);
}
void noFlush(png_structp) {}

// A PNG of `rows` (each as libpng takes it: packed below 8 bits, 16-bit
// samples big-endian) with the given bit depth and colour type, an
// optional palette and tRNS chunk, interlaced or not.
std::string makePng(int width, int height, int depth, int colour,
                    const std::vector<std::string> &rows,
                    const std::vector<png_color> &palette = {},
                    const std::string &trns = "", bool interlace = false) {
  std::string out;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    ADD_FAILURE() << "libpng could not write the test image";
    return "";
  }
  png_set_write_fn(png, &out, appendToString, noFlush);
  png_set_IHDR(png, info, width, height, depth, colour,
               interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty())
    png_set_PLTE(png, info, palette.data(), int(palette.size()));
  if (!trns.empty()) {
    png_color_16 grey = {};
    png_set_tRNS(png, info, reinterpret_cast<png_const_bytep>(trns.data()),
                 int(trns.size()), &grey);
  }
  png_write_info(png, info);
  int passes = png_set_interlace_handling(png);
  for (int pass = 0; pass < passes; ++pass)
    for (const std::string &row : rows)
      png_write_row(png, reinterpret_cast<png_const_bytep>(row.data()));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// A PNG's chunks (type, data) and back, CRCs recomputed.
std::vector<std::pair<std::string, std::string>>
pngChunks(const std::string &png) {
  std::vector<std::pair<std::string, std::string>> chunks;
  for (size_t at = 8; at + 12 <= png.size();) {
    uint32_t len = getBE32(png, at);
    chunks.push_back({png.substr(at + 4, 4), png.substr(at + 8, len)});
    at += 12 + len;
  }
  return chunks;
}

std::string
pngFromChunks(const std::vector<std::pair<std::string, std::string>> &chunks) {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  for (const auto &[type, data] : chunks) {
    putBE32(out, uint32_t(data.size()));
    std::string body = type + data;
    out += body;
    putBE32(out, uint32_t(crc32(0, reinterpret_cast<const Bytef *>(body.data()),
                                uInt(body.size()))));
  }
  return out;
}

void jpegFatal(j_common_ptr cinfo) {
  char message[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, message);
  fprintf(stderr, "libjpeg could not write the test image: %s\n", message);
  abort();
}

// A JPEG of `samples` (`components` interleaved bytes per pixel in
// `space`), baseline at `quality`, or with the scan script `scans`.
std::string makeJpeg(int width, int height, const std::vector<uint8_t> &samples,
                     J_COLOR_SPACE space, int components, int quality = 90,
                     const std::vector<jpeg_scan_info> &scans = {},
                     bool adobe = true) {
  jpeg_compress_struct c;
  jpeg_error_mgr jerr;
  c.err = jpeg_std_error(&jerr);
  jerr.error_exit = jpegFatal;
  jpeg_create_compress(&c);
  unsigned char *buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buffer, &size);
  c.image_width = JDIMENSION(width);
  c.image_height = JDIMENSION(height);
  c.input_components = components;
  c.in_color_space = space;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  if (!adobe)
    c.write_Adobe_marker = FALSE;
  if (!scans.empty()) {
    c.scan_info = scans.data();
    c.num_scans = int(scans.size());
  }
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(samples.data()) +
                   size_t(c.next_scanline) * width * components;
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::string out(reinterpret_cast<char *>(buffer), size);
  free(buffer);
  return out;
}

// A width x height RGB test pattern with some detail.
std::vector<uint8_t> pattern(int width, int height) {
  std::vector<uint8_t> rgb(size_t(width) * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t *p = &rgb[(size_t(y) * width + x) * 3];
      p[0] = uint8_t(x * 255 / (width > 1 ? width - 1 : 1));
      p[1] = uint8_t(y * 255 / (height > 1 ? height - 1 : 1));
      p[2] = uint8_t((x * 7 + y * 13) % 256);
    }
  return rgb;
}

void putLE(std::string &out, size_t at, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out[at + i] = char((v >> (8 * i)) & 0xff);
}

// A BMP file: the 14-byte file header, a `headerSize`-byte info header
// (bit field masks after it when `masks` is given and the header has 40
// bytes, inside it otherwise), the palette (BGRX) and `pixels`, the rows
// as stored (bottom-up unless `height` < 0, padded to 4 bytes).
std::string makeBmp(int width, int height, int bits, uint32_t compression,
                    const std::string &pixels, const std::string &palette = "",
                    const std::vector<uint32_t> &masks = {},
                    uint32_t headerSize = 40) {
  size_t extra = masks.empty() || headerSize > 40 ? 0 : 4 * masks.size();
  size_t offset = 14 + headerSize + extra + palette.size();
  std::string out(offset, '\0');
  out[0] = 'B';
  out[1] = 'M';
  putLE(out, 2, uint32_t(offset + pixels.size()), 4);
  putLE(out, 10, uint32_t(offset), 4);
  putLE(out, 14, headerSize, 4);
  putLE(out, 18, uint32_t(width), 4);
  putLE(out, 22, uint32_t(height), 4);
  putLE(out, 26, 1, 2);
  putLE(out, 28, uint32_t(bits), 2);
  putLE(out, 30, compression, 4);
  putLE(out, 46, uint32_t(palette.size() / 4), 4);
  for (size_t k = 0; k < masks.size(); ++k)
    putLE(out, 54 + 4 * k, masks[k], 4);
  out.replace(14 + headerSize + extra, palette.size(), palette);
  return out + pixels;
}

TEST(ImageFiles, JpegWithMoreThan256HuffmanCodesIsRefused) {
  // Found by fuzz/fuzz-runtime.c: a DHT segment whose 16 code counts sum
  // past 256 made stb_image write past its Huffman tables. libjpeg refuses
  // the segment itself ("Bogus Huffman table definition"). The first file
  // is the fuzzer's; the second a minimal JPEG with 16 x 255 codes.
  expectRefused("fuzz_jpeg_dht_overflow.jpg",
                "corrupt JPEG file: Bogus Huffman table definition");

  std::string jpeg("\xff\xd8\xff\xc4\x00\x13\x00", 7);
  jpeg += std::string(16, '\xff');
  jpeg += std::string("\xff\xd9", 2);
  int status;
  std::string message;
  EXPECT_TRUE(decode(jpeg, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt JPEG file: Bogus Huffman table definition"),
            std::string::npos)
      << message;
  // A class byte out of range (2) is refused too.
  std::string badClass("\xff\xd8\xff\xc4\x00\x14\x20", 7);
  badClass += std::string(15, '\0') + std::string("\x01\x00\xff\xd9", 4);
  EXPECT_TRUE(decode(badClass, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt JPEG file: Bogus DHT index 32"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, JpegScanWithAnUndefinedHuffmanTableIsSafe) {
  // Found by fuzz/fuzz-runtime.c: a progressive AC scan that uses AC table
  // 0, which no DHT segment defines, made stb_image index its tables at
  // -16776186. The fuzzer's file is refused: libjpeg finds 105 stray bytes
  // in it first.
  expectRefused("fuzz_jpeg_undefined_table.jpg",
                "corrupt JPEG file: 105 extraneous bytes before marker 0xdb");

  // A well-formed file whose scans use tables no DHT defines: libjpeg-turbo
  // falls back to the standard tables (as Motion-JPEG needs), which are
  // the ones libjpeg wrote, so the pixels do not change.
  std::string jpeg = makeJpeg(16, 8, pattern(16, 8), JCS_RGB, 3);
  std::string stripped;
  for (size_t at = 2; at < jpeg.size();) {
    ASSERT_EQ(uint8_t(jpeg[at]), 0xff);
    uint8_t marker = uint8_t(jpeg[at + 1]);
    size_t len = size_t(uint8_t(jpeg[at + 2])) << 8 | uint8_t(jpeg[at + 3]);
    if (marker == 0xda) { // the scan: everything after it stays
      stripped = jpeg.substr(0, 2) + stripped + jpeg.substr(at);
      break;
    }
    if (marker != 0xc4)
      stripped += jpeg.substr(at, 2 + len);
    at += 2 + len;
  }
  ASSERT_LT(stripped.size(), jpeg.size());
  int status;
  std::string message;
  std::vector<uint8_t> withTables = decode(jpeg, &status, &message);
  ASSERT_EQ(status, YOLO_OK) << message;
  EXPECT_EQ(decode(stripped, &status, &message), withTables) << message;
}

TEST(ImageFiles, TruncatedJpegIsAnError) {
  // libjpeg itself pads a truncated JPEG with grey and only warns; here it
  // is an error, wherever the file is cut: in the scan, just before the
  // end-of-image marker, between the scans of a progressive file.
  std::string jpeg = makeJpeg(64, 48, pattern(64, 48), JCS_RGB, 3);
  int status;
  std::string message;
  ASSERT_EQ(decode(jpeg, &status, &message).size(), 64u * 48 * 3) << message;
  for (size_t cut : {jpeg.size() / 2, jpeg.size() - 2, size_t(700)}) {
    EXPECT_TRUE(decode(jpeg.substr(0, cut), &status, &message).empty());
    EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
    EXPECT_NE(message.find("truncated JPEG file: the data ends at byte " +
                           std::to_string(cut)),
              std::string::npos)
        << message;
  }
  jpeg_scan_info progressive[] = {{3, {0, 1, 2}, 0, 0, 0, 0},
                                  {1, {0}, 1, 63, 0, 0},
                                  {1, {1}, 1, 63, 0, 0},
                                  {1, {2}, 1, 63, 0, 0}};
  std::string prog =
      makeJpeg(64, 48, pattern(64, 48), JCS_RGB, 3, 90,
               std::vector<jpeg_scan_info>(std::begin(progressive),
                                           std::end(progressive)));
  ASSERT_EQ(decode(prog, &status, &message).size(), 64u * 48 * 3) << message;
  size_t lastScan = prog.rfind("\xff\xda");
  ASSERT_NE(lastScan, std::string::npos);
  EXPECT_TRUE(decode(prog.substr(0, lastScan), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("truncated JPEG file"), std::string::npos) << message;
}

TEST(ImageFiles, CorruptJpegDataIsAnError) {
  // Stray bytes before a marker: libjpeg warns "Corrupt JPEG data"; an
  // error here.
  std::string jpeg = makeJpeg(16, 16, pattern(16, 16), JCS_RGB, 3);
  size_t dqt = jpeg.find("\xff\xdb");
  ASSERT_NE(dqt, std::string::npos);
  std::string stray = jpeg.substr(0, dqt) + "\x01\x02\x03" + jpeg.substr(dqt);
  int status;
  std::string message;
  EXPECT_TRUE(decode(stray, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("x.pnm: corrupt JPEG file: 3 extraneous bytes "
                         "before marker 0xdb"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, JpegWithTooManyScansIsRefused) {
  // A valid progressive grey JPEG: a DC scan, then every AC coefficient on
  // its own, first at `al` bits of precision less, then refined bit by
  // bit. 1 + 63 * 7 = 442 scans decode; 1 + 63 * 9 = 568 are refused (each
  // scan passes over the whole image).
  auto script = [](int al) {
    std::vector<jpeg_scan_info> scans = {{1, {0}, 0, 0, 0, 0}};
    for (int k = 1; k < 64; ++k) {
      scans.push_back({1, {0}, k, k, 0, al});
      for (int a = al; a > 0; --a)
        scans.push_back({1, {0}, k, k, a, a - 1});
    }
    return scans;
  };
  std::vector<uint8_t> grey(16 * 16);
  for (size_t k = 0; k < grey.size(); ++k)
    grey[k] = uint8_t(k * 37);
  int status;
  std::string message;
  std::string many = makeJpeg(16, 16, grey, JCS_GRAYSCALE, 1, 95, script(6));
  EXPECT_EQ(decode(many, &status, &message).size(), 16u * 16 * 3) << message;
  std::string tooMany = makeJpeg(16, 16, grey, JCS_GRAYSCALE, 1, 95, script(8));
  EXPECT_TRUE(decode(tooMany, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt JPEG file: more than 500 scans"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, GreyAndCmykJpegBecomeRgb) {
  int status;
  std::string message;
  // Grey is replicated.
  std::vector<uint8_t> grey(8 * 8, 77);
  std::vector<uint8_t> px =
      decode(makeJpeg(8, 8, grey, JCS_GRAYSCALE, 1, 100), &status, &message);
  ASSERT_EQ(px.size(), 8u * 8 * 3) << message;
  for (uint8_t v : px)
    EXPECT_NEAR(v, 77, 1);
  // CMYK with an Adobe marker (libjpeg writes one) is Adobe's inverted
  // CMYK: R = C * K / 255. Without the marker, plain CMYK.
  std::vector<uint8_t> cmyk;
  for (int k = 0; k < 8 * 8; ++k)
    cmyk.insert(cmyk.end(), {200, 100, 50, 128});
  px = decode(makeJpeg(8, 8, cmyk, JCS_CMYK, 4, 100), &status, &message);
  ASSERT_EQ(px.size(), 8u * 8 * 3) << message;
  for (int k = 0; k < 8 * 8; ++k) {
    EXPECT_NEAR(px[3 * k], 100, 2); // 200 * 128 / 255
    EXPECT_NEAR(px[3 * k + 1], 50, 2);
    EXPECT_NEAR(px[3 * k + 2], 25, 2);
  }
  px = decode(makeJpeg(8, 8, cmyk, JCS_CMYK, 4, 100, {}, false), &status,
              &message);
  ASSERT_EQ(px.size(), 8u * 8 * 3) << message;
  EXPECT_NEAR(px[0], 27, 2); // (255 - 200) * (255 - 128) / 255
  EXPECT_NEAR(px[1], 77, 2);
  EXPECT_NEAR(px[2], 102, 2);
}

TEST(ImageFiles, JpegRoundTrips) {
  yolo_image img;
  ASSERT_EQ(yolo_image_create(40, 24, nullptr, &img), YOLO_OK);
  std::vector<uint8_t> rgb = pattern(40, 24);
  std::copy(rgb.begin(), rgb.end(), img.data);
  char err[512];
  std::string path = tempPath("round.JPEG");
  ASSERT_EQ(yolo_image_write(path.c_str(), &img, err, sizeof err), YOLO_OK)
      << err;
  yolo_image back;
  ASSERT_EQ(yolo_image_load(path.c_str(), 0, &back, err, sizeof err), YOLO_OK)
      << err;
  ASSERT_EQ(back.width, 40);
  ASSERT_EQ(back.height, 24);
  // Quality 95, full-resolution chroma: close to the original.
  double sum = 0;
  for (size_t k = 0; k < rgb.size(); ++k)
    sum += std::abs(int(back.data[k]) - int(rgb[k]));
  EXPECT_LT(sum / rgb.size(), 2.0);
  yolo_image_free(&back);
  remove(path.c_str());
  yolo_image_free(&img);
}

TEST(ImageFiles, FuzzerSixteenBitPgmDecodes) {
  // The fuzzer's file behind SixteenBitGreyPgmIsScaledAndReplicated: 7 x 5
  // grey, maxval 65535.
  char err[512];
  yolo_image img;
  std::string path =
      std::string(YOLO_RUNTIME_TEST_INPUTS) + "/fuzz_pgm16_grey.pgm";
  ASSERT_EQ(yolo_image_load(path.c_str(), 0, &img, err, sizeof err), YOLO_OK)
      << err;
  EXPECT_EQ(img.width, 7);
  EXPECT_EQ(img.height, 5);
  for (int k = 0; k < 7 * 5; ++k) {
    EXPECT_EQ(img.data[3 * k], img.data[3 * k + 1]);
    EXPECT_EQ(img.data[3 * k], img.data[3 * k + 2]);
  }
  yolo_image_free(&img);
}

TEST(ImageFiles, TruncatedPngIsAnError) {
  std::vector<std::string> rows;
  for (int y = 0; y < 16; ++y) {
    std::string row;
    for (int x = 0; x < 16 * 3; ++x)
      row += char((x * 31 + y * 17) % 251);
    rows.push_back(row);
  }
  std::string png = makePng(16, 16, 8, PNG_COLOR_TYPE_RGB, rows);
  int status;
  std::string message;
  ASSERT_EQ(decode(png, &status, &message).size(), 16u * 16 * 3) << message;
  // Cut inside the IDAT chunk: the chunk walk sees it.
  EXPECT_TRUE(decode(png.substr(0, png.size() / 2), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("truncated PNG file: chunk 'IDAT'"), std::string::npos)
      << message;
  // The chunks intact (lengths and CRCs right) but the compressed image
  // data cut in half: libpng finds the image data short.
  auto chunks = pngChunks(png);
  for (auto &chunk : chunks)
    if (chunk.first == "IDAT")
      chunk.second.resize(chunk.second.size() / 2);
  EXPECT_TRUE(decode(pngFromChunks(chunks), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("x.pnm: corrupt PNG file: Not enough image data"),
            std::string::npos)
      << message;
  // One flipped bit in the image data (zlib's checksum finds it before
  // the chunk's CRC is read), or in the chunk's CRC.
  std::string flipped = png;
  size_t idat = flipped.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  flipped[idat + 10] ^= 1;
  EXPECT_TRUE(decode(flipped, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt PNG file: IDAT: incorrect data check"),
            std::string::npos)
      << message;
  flipped = png;
  flipped[idat + 4 + getBE32(png, idat - 4) + 3] ^= 1;
  EXPECT_TRUE(decode(flipped, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt PNG file: IDAT: CRC error"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, PngLayoutsBecomeEightBitRgb) {
  int status;
  std::string message;
  // 16-bit RGB: v -> round(v * 255 / 65535), as for PPM/PGM.
  std::string row16("\x00\x00\x80\x00\xff\xff"
                    "\x12\x34\x7f\x7f\x00\xff",
                    12);
  EXPECT_EQ(
      decode(makePng(2, 1, 16, PNG_COLOR_TYPE_RGB, {row16}), &status, &message),
      (std::vector<uint8_t>{0, 128, 255, 18, 127, 1}))
      << message;
  // 16-bit grey + alpha, interlaced: grey replicated, alpha dropped.
  std::string greyAlpha16("\xff\xff\x00\x00\x40\x00\xff\xff", 8);
  EXPECT_EQ(decode(makePng(2, 1, 16, PNG_COLOR_TYPE_GRAY_ALPHA, {greyAlpha16},
                           {}, "", true),
                   &status, &message),
            (std::vector<uint8_t>{255, 255, 255, 64, 64, 64}))
      << message;
  // 8-bit grey + alpha.
  std::string greyAlpha("\x0a\x00\xc8\x80\x37\xff", 6);
  EXPECT_EQ(decode(makePng(3, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, {greyAlpha}),
                   &status, &message),
            (std::vector<uint8_t>{10, 10, 10, 200, 200, 200, 55, 55, 55}))
      << message;
  // 2-bit grey: 0..3 -> 0, 85, 170, 255.
  EXPECT_EQ(
      decode(makePng(4, 1, 2, PNG_COLOR_TYPE_GRAY, {"\x1b"}), &status,
             &message),
      (std::vector<uint8_t>{0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255}))
      << message;
  // 4-bit palette with a transparent entry: the palette's colours, no
  // alpha.
  std::vector<png_color> palette = {{255, 0, 0}, {0, 255, 0}, {10, 20, 30}};
  EXPECT_EQ(decode(makePng(3, 2, 4, PNG_COLOR_TYPE_PALETTE,
                           {std::string("\x01\x20", 2), "\x21\x00"}, palette,
                           std::string("\x00", 1)),
                   &status, &message),
            (std::vector<uint8_t>{255, 0, 0, 0, 255, 0, 10, 20, 30, 10, 20, 30,
                                  0, 255, 0, 255, 0, 0}))
      << message;
  // RGBA: alpha dropped.
  std::string rgba("\x01\x02\x03\x04\xfa\xfb\xfc\x00", 8);
  EXPECT_EQ(
      decode(makePng(2, 1, 8, PNG_COLOR_TYPE_RGBA, {rgba}), &status, &message),
      (std::vector<uint8_t>{1, 2, 3, 250, 251, 252}))
      << message;
}

TEST(ImageFiles, LyingPngJpegAndBmpHeadersAreTooLarge) {
  // Headers alone, no pixel data: the size is refused from the header
  // before the decoder allocates anything (a decode would have found the
  // data missing instead).
  int status;
  std::string message;
  std::string ihdr;
  putBE32(ihdr, 70000);
  putBE32(ihdr, 10);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = pngFromChunks({{"IHDR", ihdr}});
  EXPECT_TRUE(decode(png, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_TOO_LARGE);
  EXPECT_NE(message.find("too large: the PNG header declares 70000 x 10 "
                         "pixels"),
            std::string::npos)
      << message;

  // SOI, a baseline SOF of `height` x `width` grey, and its SOS.
  auto jpegHeader = [](int width, int height) {
    std::string j("\xff\xd8\xff\xc0\x00\x0b\x08", 7);
    j += char(height >> 8);
    j += char(height & 0xff);
    j += char(width >> 8);
    j += char(width & 0xff);
    j += std::string("\x01\x01\x11\x00", 4);
    j += std::string("\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00", 10);
    return j;
  };
  EXPECT_TRUE(decode(jpegHeader(65000, 65000), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_TOO_LARGE);
  EXPECT_NE(message.find("too large: the JPEG header declares 65000 x 65000 "
                         "pixels, the limit is 67108864 pixels"),
            std::string::npos)
      << message;
  // JPEG cannot say 70000; libjpeg's own limit is 65500 per side.
  EXPECT_TRUE(decode(jpegHeader(65535, 10), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_TOO_LARGE);
  EXPECT_NE(message.find("declares 65535 x 10 pixels, the limit is 67108864 "
                         "pixels and 65500 per side"),
            std::string::npos)
      << message;
  // Within the default limit, over an explicit one.
  char err[512];
  yolo_image img;
  std::string small = jpegHeader(300, 200);
  EXPECT_EQ(yolo_image_decode(small.data(), small.size(), "small.jpg", 59999,
                              &img, err, sizeof err),
            YOLO_ERR_TOO_LARGE);
  EXPECT_EQ(img.data, nullptr);

  EXPECT_TRUE(decode(makeBmp(70000, 10, 24, 0, ""), &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_TOO_LARGE);
  EXPECT_NE(message.find("too large: the BMP header declares 70000 x 10"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, BmpRoundTripsAndLayouts) {
  // 24-bit: what yolo_image_write writes (odd width: padded rows) reads
  // back exactly.
  yolo_image img;
  ASSERT_EQ(yolo_image_create(5, 3, nullptr, &img), YOLO_OK);
  std::vector<uint8_t> rgb = pattern(5, 3);
  std::copy(rgb.begin(), rgb.end(), img.data);
  char err[512];
  std::string path = tempPath("round.bmp");
  ASSERT_EQ(yolo_image_write(path.c_str(), &img, err, sizeof err), YOLO_OK)
      << err;
  std::vector<uint8_t> bytes = readFile(path);
  ASSERT_EQ(bytes.size(), 54u + 3 * 16); // rows of 15 bytes padded to 16
  EXPECT_EQ(bytes[28], 24);              // bits per pixel
  yolo_image back;
  ASSERT_EQ(yolo_image_load(path.c_str(), 0, &back, err, sizeof err), YOLO_OK)
      << err;
  ASSERT_EQ(back.width, 5);
  ASSERT_EQ(back.height, 3);
  EXPECT_EQ(std::vector<uint8_t>(back.data, back.data + rgb.size()), rgb);
  yolo_image_free(&back);
  remove(path.c_str());
  yolo_image_free(&img);

  int status;
  std::string message;
  // 32-bit BGRX, bottom-up: the second row stored first.
  std::string bgrx("\x03\x02\x01\x00\x06\x05\x04\x00"
                   "\x0c\x0b\x0a\xff\x0f\x0e\x0d\xff",
                   16);
  EXPECT_EQ(decode(makeBmp(2, 2, 32, 0, bgrx), &status, &message),
            (std::vector<uint8_t>{10, 11, 12, 13, 14, 15, 1, 2, 3, 4, 5, 6}))
      << message;
  // 32-bit bit fields (R, G, B in bytes 0, 1, 2) in a 108-byte V4 header,
  // top-down.
  std::string rgbx("\x01\x02\x03\x00\x04\x05\x06\x00", 8);
  EXPECT_EQ(decode(makeBmp(1, -2, 32, 3, rgbx, "",
                           {0x000000ff, 0x0000ff00, 0x00ff0000}, 108),
                   &status, &message),
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}))
      << message;
  // The same masks after a 40-byte header.
  EXPECT_EQ(decode(makeBmp(1, -2, 32, 3, rgbx, "",
                           {0x000000ff, 0x0000ff00, 0x00ff0000}),
                   &status, &message),
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}))
      << message;
  // 8-bit, a palette of three colours, rows of 3 bytes padded to 4.
  std::string palette("\x00\x00\xff\x00\x00\xff\x00\x00\x1e\x14\x0a\x00", 12);
  std::string indexed("\x02\x01\x00\x00\x00\x00\x02\x00", 8);
  EXPECT_EQ(decode(makeBmp(3, -2, 8, 0, indexed, palette), &status, &message),
            (std::vector<uint8_t>{10, 20, 30, 0, 255, 0, 255, 0, 0, 255, 0, 0,
                                  255, 0, 0, 10, 20, 30}))
      << message;
  // 1-bit, black and white, 10 pixels a row (2 bytes padded to 4); 4-bit.
  std::string mono("\x00\x00\x00\x00\xff\xff\xff\x00", 8);
  std::vector<uint8_t> expected;
  for (int bit : {1, 0, 1, 0, 0, 0, 0, 0, 1, 1})
    expected.insert(expected.end(), 3, uint8_t(bit * 255));
  EXPECT_EQ(decode(makeBmp(10, 1, 1, 0, std::string("\xa0\xc0\0\0", 4), mono),
                   &status, &message),
            expected)
      << message;
  EXPECT_EQ(decode(makeBmp(3, 1, 4, 0, std::string("\x12\0\0\0", 4), palette),
                   &status, &message),
            (std::vector<uint8_t>{0, 255, 0, 10, 20, 30, 255, 0, 0}))
      << message;
  // A colour past the palette.
  indexed[1] = 3;
  EXPECT_TRUE(decode(makeBmp(3, -2, 8, 0, indexed, palette), &status, &message)
                  .empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("corrupt BMP file: pixel (1, 0) is colour 3 of a "
                         "palette of 3"),
            std::string::npos)
      << message;
}

TEST(ImageFiles, UnsupportedAndTruncatedBmpAreErrors) {
  int status;
  std::string message;
  auto refused = [&](const std::string &bmp, const char *what) {
    EXPECT_TRUE(decode(bmp, &status, &message).empty()) << what;
    EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE) << what;
    EXPECT_NE(message.find(what), std::string::npos) << message;
  };
  std::string pixels(16, '\0');
  refused(makeBmp(2, 2, 8, 1, pixels, std::string(8, '\0')),
          "unsupported BMP file: compression 1 (RLE8)");
  refused(makeBmp(2, 2, 16, 0, pixels),
          "unsupported BMP file: 16 bits per pixel");
  refused(makeBmp(2, 2, 32, 3, pixels, "", {0xf800, 0x07e0, 0x001f}),
          "unsupported BMP file: bit field masks red 0x0000F800");
  std::string core = makeBmp(2, 2, 24, 0, pixels);
  putLE(core, 14, 12, 4);
  refused(core, "unsupported BMP file: a 12-byte header (OS/2 1.x");
  refused(makeBmp(2, 2, 24, 0, std::string(15, '\0')),
          "truncated BMP file: 2 rows of 8 bytes from byte 54 need 70 bytes, "
          "the file has 69");
  refused(makeBmp(2, 0, 24, 0, pixels),
          "corrupt BMP file: the header declares 2 x 0 pixels");
  refused(std::string("BM\0\0\0\0", 6), "truncated BMP file");
}

TEST(ImageFiles, WriteErrorsAreReported) {
  yolo_image img;
  ASSERT_EQ(yolo_image_create(4, 4, nullptr, &img), YOLO_OK);
  char err[512];
  EXPECT_EQ(yolo_image_write("/nonexistent/dir/x.png", &img, err, sizeof err),
            YOLO_ERR_IO);
  EXPECT_NE(std::string(err).find("/nonexistent/dir/x.png: cannot write"),
            std::string::npos)
      << err;
  EXPECT_EQ(yolo_image_write("/nonexistent/dir/x.jpg", &img, err, sizeof err),
            YOLO_ERR_IO);
  EXPECT_EQ(yolo_image_write("out.gif", &img, err, sizeof err),
            YOLO_ERR_BAD_ARGUMENT);
  // A full disk (links to /dev/full, named for each format): every
  // encoder notices the failed write.
  if (access("/dev/full", W_OK) == 0) {
    for (const char *name : {"full.png", "full.jpg", "full.bmp"}) {
      std::string path = tempPath(name);
      remove(path.c_str());
      ASSERT_EQ(symlink("/dev/full", path.c_str()), 0) << path;
      EXPECT_EQ(yolo_image_write(path.c_str(), &img, err, sizeof err),
                YOLO_ERR_IO)
          << name;
      EXPECT_NE(std::string(err).find(": cannot write: No space left on "
                                      "device"),
                std::string::npos)
          << err;
      remove(path.c_str());
    }
  }
  yolo_image_free(&img);
}

TEST(ImageFiles, CorruptFilesPrintNothing) {
  // libjpeg and libpng print warnings and errors to stderr by default;
  // ours go into the message only.
  std::string jpeg = makeJpeg(16, 16, pattern(16, 16), JCS_RGB, 3);
  std::string png = makePng(1, 1, 8, PNG_COLOR_TYPE_GRAY, {"\x01"});
  std::string badCrc = png;
  badCrc[badCrc.size() - 1] ^= 1; // IEND's CRC
  std::vector<std::string> inputs = {
      jpeg.substr(0, jpeg.size() / 2),
      jpeg.substr(0, 2) + "\x01" + jpeg.substr(2),
      std::string("\xff\xd8\xff\xc4\x00\x13\x00", 7) + std::string(16, '\xff'),
      png.substr(0, png.size() - 6), badCrc};
  fflush(stderr);
  FILE *capture = tmpfile();
  ASSERT_NE(capture, nullptr);
  int saved = dup(2);
  dup2(fileno(capture), 2);
  std::vector<int> statuses;
  for (const std::string &input : inputs) {
    int status;
    std::string message;
    decode(input, &status, &message);
    statuses.push_back(status);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  long printed =
      ftell(capture) >= 0 ? (fseek(capture, 0, SEEK_END), ftell(capture)) : -1;
  fclose(capture);
  EXPECT_EQ(printed, 0);
  for (int status : statuses)
    EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
}

TEST(Drawing, BoxesAndLabelsAreClippedToTheImage) {
  yolo_image img;
  ASSERT_EQ(yolo_image_create(40, 30, nullptr, &img), YOLO_OK);
  const uint8_t red[3] = {255, 0, 0};
  // Far outside, partly outside, inverted corners: all fine.
  EXPECT_EQ(yolo_draw_box(&img, -1000, -1000, 5000, 5000, 2, red), YOLO_OK);
  EXPECT_EQ(yolo_draw_box(&img, 30, 20, 10, 5, 1, red), YOLO_OK);
  EXPECT_EQ(img.data[(5 * 40 + 10) * 3], 255); // a corner of the second box
  EXPECT_EQ(yolo_draw_box(&img, 0, 0, 10, 10, 0, red), YOLO_ERR_BAD_ARGUMENT);
  yolo_detection det = {3, 0.5f, 35.0f, 25.0f, 60.0f, 60.0f};
  EXPECT_EQ(yolo_draw_detection(&img, &det, "a long class name", 0), YOLO_OK);
  EXPECT_EQ(yolo_draw_text(&img, -50, -50, "clipped", 3, red, nullptr),
            YOLO_OK);
  yolo_image_free(&img);
}

} // namespace
