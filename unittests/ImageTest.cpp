//===- ImageTest.cpp - image loading, letterbox and drawing ---------------===//
//
// Hand-computed cases for the letterbox geometry and pixel values, and the
// errors that bad image files must give (never a crash, never a huge
// allocation from a lying header).
//
//===----------------------------------------------------------------------===//

#include "yolo_image.h"

#include <gtest/gtest.h>

#include <cstdio>
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

TEST(ImageFiles, JpegWithMoreThan256HuffmanCodesIsRefused) {
  // Found by fuzz/fuzz-runtime.c: a DHT segment whose 16 code counts sum
  // past 256 made stb_image write past its Huffman tables. Our structure
  // walk refuses the segment before stb sees it. The first file is the
  // fuzzer's; the second a minimal JPEG with 16 x 255 codes.
  expectRefused("fuzz_jpeg_dht_overflow.jpg",
                "corrupt JPEG file: the Huffman table segment at byte");

  std::string jpeg("\xff\xd8\xff\xc4\x00\x13\x00", 7);
  jpeg += std::string(16, '\xff');
  jpeg += std::string("\xff\xd9", 2);
  int status;
  std::string message;
  EXPECT_TRUE(decode(jpeg, &status, &message).empty());
  EXPECT_EQ(status, YOLO_ERR_BAD_IMAGE);
  EXPECT_NE(message.find("the Huffman table segment at byte 2 is malformed"),
            std::string::npos)
      << message;
  // A class byte out of range (2) is refused the same way.
  std::string badClass("\xff\xd8\xff\xc4\x00\x14\x20", 7);
  badClass += std::string(15, '\0') + std::string("\x01\x00\xff\xd9", 4);
  EXPECT_TRUE(decode(badClass, &status, &message).empty());
  EXPECT_NE(message.find("Huffman table segment"), std::string::npos)
      << message;
}

TEST(ImageFiles, JpegScanWithAnUndefinedHuffmanTableIsRefused) {
  // Found by fuzz/fuzz-runtime.c: a progressive AC scan that uses AC table
  // 0, which no DHT segment defines, made stb_image index its tables at
  // -16776186. Scans may only use tables defined before them.
  expectRefused("fuzz_jpeg_undefined_table.jpg",
                "corrupt JPEG file: the scan at byte 433 uses a Huffman table "
                "that no DHT segment before it defines");
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
