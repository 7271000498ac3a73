//===- SegmentMaskTest.cpp - segmentation masks of the C runtime ---------===//
//
// Unit tests for the mask half of yolo_runtime.h: the anchor indices
// yolo_decode_and_nms_anchors reports, reading a detection's mask
// coefficients, yolo_mask_compute (upstream YOLOv9's process_mask with
// upsample=True: sigmoid of coefficients times prototypes, crop on the
// prototype grid, bilinear upsampling, > 0.5) and yolo_mask_to_image
// (scale_image: cut the letterbox padding, cv2.resize INTER_LINEAR on
// 8-bit masks). Expected crops are worked out by hand in the comments;
// the cv2.resize patterns were printed by OpenCV 4.6 (the command is next
// to them); random cases are checked against a straightforward double
// precision rendering of the same formulas, written here from torch's
// definitions. test/python/test_segment.py checks the whole path against
// upstream's own code.
//
//===----------------------------------------------------------------------===//

#include "yolo_runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

yolo_detection box(float x1, float y1, float x2, float y2) {
  yolo_detection d;
  d.class_id = 0;
  d.score = 1.0f;
  d.x1 = x1;
  d.y1 = y1;
  d.x2 = x2;
  d.y2 = y2;
  return d;
}

// One prototype (nm = 1) of constant value: with coefficient 50 the
// sigmoid is exactly 1.0f, so the upsampled value is the bilinear weight
// of the cells kept by the crop.
struct OneProto {
  int mh, mw;
  std::vector<float> protos;
  float coeff = 50.0f;
  OneProto(int h, int w) : mh(h), mw(w), protos((size_t)h * w, 1.0f) {}
  std::vector<uint8_t> mask(const yolo_detection &d, int inW, int inH) {
    std::vector<uint8_t> m((size_t)inW * inH, 7);
    EXPECT_EQ(yolo_mask_compute(protos.data(), 1, mh, mw, &coeff, 1, &d, inW,
                                inH, m.data()),
              YOLO_OK);
    return m;
  }
};

// The set columns of row `y` of a mask, as a string of 0 and 1.
std::string row(const std::vector<uint8_t> &m, int w, int y) {
  std::string s;
  for (int x = 0; x < w; ++x)
    s += m[(size_t)y * w + x] ? '1' : '0';
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// Anchors and coefficients
//===----------------------------------------------------------------------===//

TEST(SegmentMask, NmsReportsAnchors) {
  // 7 channels (box, 1 class, 2 coefficients) x 4 anchors; anchors 1 and 3
  // are confident, 3 more so; 0 and 2 are below the threshold.
  const int64_t a = 4;
  std::vector<float> pred(7 * a, 0.0f);
  float cx[] = {10, 20, 30, 40}, score[] = {0.1f, 0.6f, 0.2f, 0.9f};
  for (int k = 0; k < a; ++k) {
    pred[0 * a + k] = cx[k];
    pred[1 * a + k] = 10;
    pred[2 * a + k] = 4;
    pred[3 * a + k] = 4;
    pred[4 * a + k] = score[k];
    pred[5 * a + k] = 100.0f + k; // coefficient 0 of anchor k
    pred[6 * a + k] = 200.0f + k; // coefficient 1
  }
  yolo_detection out[4], plain[4];
  int64_t anchors[4] = {-1, -1, -1, -1};
  int n = 0, m = 0;
  // Only the box and class rows are decoded: num_channels 5.
  ASSERT_EQ(yolo_decode_and_nms_anchors(pred.data(), 5, a, 0.25f, 0.45f, 4, 0,
                                        out, anchors, &n),
            YOLO_OK);
  ASSERT_EQ(n, 2);
  EXPECT_EQ(anchors[0], 3);
  EXPECT_EQ(anchors[1], 1);
  EXPECT_EQ(anchors[2], -1);
  EXPECT_FLOAT_EQ(out[0].x1, 38.0f);
  // Same detections as yolo_decode_and_nms, and NULL anchors are fine.
  ASSERT_EQ(
      yolo_decode_and_nms(pred.data(), 5, a, 0.25f, 0.45f, 4, 0, plain, &m),
      YOLO_OK);
  ASSERT_EQ(m, n);
  EXPECT_EQ(out[1].x1, plain[1].x1);
  ASSERT_EQ(yolo_decode_and_nms_anchors(pred.data(), 5, a, 0.25f, 0.45f, 4, 0,
                                        out, nullptr, &n),
            YOLO_OK);
  EXPECT_EQ(n, 2);

  // The coefficients of the kept anchors: the last 2 of the 7 rows.
  float c[2];
  ASSERT_EQ(yolo_mask_coefficients(pred.data(), 7, a, anchors[0], 2, c),
            YOLO_OK);
  EXPECT_EQ(c[0], 103.0f);
  EXPECT_EQ(c[1], 203.0f);
  ASSERT_EQ(yolo_mask_coefficients(pred.data(), 7, a, 1, 1, c), YOLO_OK);
  EXPECT_EQ(c[0], 201.0f);
}

TEST(SegmentMask, CoefficientsValidateArguments) {
  std::vector<float> pred(7 * 4, 0.0f);
  float c[4];
  EXPECT_EQ(yolo_mask_coefficients(nullptr, 7, 4, 0, 2, c),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 4, 0, 2, nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 4, 0, 0, c),
            YOLO_ERR_BAD_SHAPE);
  // 7 channels cannot hold 4 box rows, a class and 3 coefficients.
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 4, 0, 3, c),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 0, 0, 2, c),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 4, 4, 2, c),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), 7, 4, -1, 2, c),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_mask_coefficients(pred.data(), INT64_MAX / 2, 4, 0, 2, c),
            YOLO_ERR_BAD_SHAPE);
}

//===----------------------------------------------------------------------===//
// yolo_mask_compute
//===----------------------------------------------------------------------===//

TEST(SegmentMask, CropKeepsCellsOfTheScaledBox) {
  // Prototypes 4x4 for a 16x16 input: the box is divided by 4. x1 = 4,
  // x2 = 8 keep the cells c with 1 <= c < 2: cell (1, 1) only.
  // Upsampled (scale 1/4): output x reads source (x + 0.5) / 4 - 0.5, so
  // column 1's weight is 0.375, 0.625, 0.875, 0.875, 0.625, 0.375 for
  // x = 3..8, rows alike, and a pixel's value is the product of the two:
  // 0.625 * 0.625 = 0.39 at the corners of 4..7 x 4..7 is not above 0.5,
  // 0.625 * 0.875 = 0.55 is.
  OneProto p(4, 4);
  std::vector<uint8_t> m = p.mask(box(4, 4, 8, 8), 16, 16);
  for (int y = 0; y < 16; ++y)
    EXPECT_EQ(row(m, 16, y), y == 4 || y == 7   ? "0000011000000000"
                             : y == 5 || y == 6 ? "0000111100000000"
                                                : "0000000000000000")
        << "row " << y;
  // x2 just above 8: cell 2 is kept too (2 < 2.0025), so x = 4..11.
  m = p.mask(box(4, 4, 8.01f, 8), 16, 16);
  EXPECT_EQ(row(m, 16, 5), "0000111111110000");
  // x1 just above 4: cell 1 is dropped (1 < 1.0025): x = 8..11.
  m = p.mask(box(4.01f, 4, 8.01f, 8), 16, 16);
  EXPECT_EQ(row(m, 16, 5), "0000000011110000");
}

TEST(SegmentMask, BoxesOutsideTheInput) {
  OneProto p(4, 4);
  // Far beyond every edge: every cell is kept, the whole input is set
  // (edge pixels read the edge cell twice).
  std::vector<uint8_t> m = p.mask(box(-100, -50, 1000, 1e30f), 16, 16);
  for (uint8_t v : m)
    EXPECT_EQ(v, 1);
  // Entirely outside, or empty, or inverted: nothing is set.
  for (yolo_detection d :
       {box(100, 0, 200, 16), box(0, -20, 16, -1), box(6, 6, 6, 10),
        box(10, 10, 2, 2), box(-INFINITY, 0, -1e9f, 16)}) {
    m = p.mask(d, 16, 16);
    for (uint8_t v : m)
      EXPECT_EQ(v, 0);
  }
  // Overlapping the left edge: cells 0..1 (x2 = 8 -> 2), x = 0..7.
  m = p.mask(box(-30, 0, 8, 16), 16, 16);
  EXPECT_EQ(row(m, 16, 8), "1111111100000000");
}

TEST(SegmentMask, NonSquareGridAndInput) {
  // Prototypes 2 rows x 3 columns for a 12 x 8 (w x h) input: x / 4,
  // y / 4. The box keeps cell (0, 2). Column 2's weight: x = 7 reads
  // 1.375 -> 0.375, x = 8 reads 1.625 -> 0.625, x = 9 0.875, x = 10 and
  // 11 clamp onto it -> 1. Row 0's weight: y = 0 and 1 read 0 (clamped)
  // -> 1, y = 2 reads 0.125 -> 0.875, y = 3 reads 0.375 -> 0.625, y = 4
  // reads 0.625 -> 0.375. Products above 0.5: all but (3, 8), 0.39.
  OneProto p(2, 3);
  std::vector<uint8_t> m = p.mask(box(8, 0, 12, 4), 12, 8);
  for (int y = 0; y < 8; ++y)
    EXPECT_EQ(row(m, 12, y), y < 3    ? "000000001111"
                             : y == 3 ? "000000000111"
                                      : "000000000000")
        << "row " << y;
}

TEST(SegmentMask, SigmoidOfCoefficientsTimesPrototypes) {
  // Two prototypes over 1 x 2 cells, the input 1 x 2 too (no resampling):
  // cell 0: 1 * 2 + (-1) * 1 = 1 -> set; cell 1: 1 * 0 + (-1) * 3 = -3.
  float protos[] = {2, 0, 1, 3};
  float coeffs[] = {1, -1};
  yolo_detection d = box(0, 0, 2, 1);
  uint8_t m[2] = {9, 9};
  ASSERT_EQ(yolo_mask_compute(protos, 2, 1, 2, coeffs, 2, &d, 2, 1, m),
            YOLO_OK);
  EXPECT_EQ(m[0], 1);
  EXPECT_EQ(m[1], 0);
  // Exactly 0.5 (logit 0) is not above the threshold.
  float zero[] = {0, 0, 0, 0};
  ASSERT_EQ(yolo_mask_compute(zero, 2, 1, 2, coeffs, 2, &d, 2, 1, m), YOLO_OK);
  EXPECT_EQ(m[0], 0);
  EXPECT_EQ(m[1], 0);
}

namespace {

// process_mask(upsample=True) in double, from torch's definitions.
std::vector<double> referenceProbability(const std::vector<float> &protos,
                                         int nm, int mh, int mw,
                                         const std::vector<float> &coeffs,
                                         const yolo_detection &d, int inW,
                                         int inH) {
  std::vector<double> m((size_t)mh * mw);
  float sx = (float)((double)mw / inW), sy = (float)((double)mh / inH);
  float x1 = d.x1 * sx, x2 = d.x2 * sx, y1 = d.y1 * sy, y2 = d.y2 * sy;
  for (int r = 0; r < mh; ++r)
    for (int c = 0; c < mw; ++c) {
      double s = 0;
      for (int j = 0; j < nm; ++j)
        s += (double)coeffs[j] * protos[((size_t)j * mh + r) * mw + c];
      bool keep = c >= x1 && c < x2 && r >= y1 && r < y2;
      m[(size_t)r * mw + c] = keep ? 1 / (1 + std::exp(-s)) : 0.0;
    }
  auto taps = [](int src, int dst, int d, int &i0, int &i1, double &l1) {
    double real = (double)src / dst * (d + 0.5) - 0.5;
    if (real < 0)
      real = 0;
    i0 = (int)real;
    i1 = i0 < src - 1 ? i0 + 1 : i0;
    l1 = real - i0;
  };
  std::vector<double> out((size_t)inW * inH);
  for (int y = 0; y < inH; ++y)
    for (int x = 0; x < inW; ++x) {
      int x0, xb, y0, yb;
      double lx, ly;
      taps(mw, inW, x, x0, xb, lx);
      taps(mh, inH, y, y0, yb, ly);
      auto at = [&](int r, int c) { return m[(size_t)r * mw + c]; };
      double t0 = at(y0, x0) * (1 - lx) + at(y0, xb) * lx;
      double t1 = at(yb, x0) * (1 - lx) + at(yb, xb) * lx;
      out[(size_t)y * inW + x] = t0 * (1 - ly) + t1 * ly;
    }
  return out;
}

} // namespace

TEST(SegmentMask, MatchesReferenceOnRandomCases) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> val(-2.0f, 2.0f);
  int decided = 0, ambiguous = 0;
  for (int trial = 0; trial < 60; ++trial) {
    int nm = 1 + trial % 8, mh = 3 + trial % 5, mw = 2 + trial % 7;
    int inH = mh * (1 + trial % 4) + trial % 3, inW = mw * 4 - trial % 2;
    std::vector<float> protos((size_t)nm * mh * mw), coeffs(nm);
    for (float &v : protos)
      v = val(rng);
    for (float &v : coeffs)
      v = val(rng);
    std::uniform_real_distribution<float> px(-0.3f * inW, 1.3f * inW);
    std::uniform_real_distribution<float> py(-0.3f * inH, 1.3f * inH);
    float a = px(rng), b = px(rng), c = py(rng), e = py(rng);
    yolo_detection d =
        box(std::min(a, b), std::min(c, e), std::max(a, b), std::max(c, e));
    std::vector<uint8_t> m((size_t)inW * inH);
    ASSERT_EQ(yolo_mask_compute(protos.data(), nm, mh, mw, coeffs.data(), nm,
                                &d, inW, inH, m.data()),
              YOLO_OK);
    std::vector<double> ref =
        referenceProbability(protos, nm, mh, mw, coeffs, d, inW, inH);
    for (size_t i = 0; i < m.size(); ++i) {
      if (std::fabs(ref[i] - 0.5) < 1e-5) {
        ++ambiguous;
        continue;
      }
      ++decided;
      ASSERT_EQ(m[i], ref[i] > 0.5 ? 1 : 0)
          << "trial " << trial << " pixel " << i << " p " << ref[i];
    }
  }
  EXPECT_GT(decided, 10000);
  EXPECT_LT(ambiguous, decided / 1000 + 1);
}

TEST(SegmentMask, ComputeValidatesArgumentsAndLeavesTheMask) {
  float protos[16] = {0}, coeffs[2] = {1, 1};
  yolo_detection d = box(0, 0, 8, 8);
  std::vector<uint8_t> m(64, 7);
  auto untouched = [&] {
    for (uint8_t v : m)
      if (v != 7)
        return false;
    return true;
  };
  // The head's coefficient count must match the prototypes.
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, coeffs, 2, &d, 8, 8, m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 2, 2, 4, coeffs, 1, &d, 8, 8, m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 0, 4, 4, coeffs, 0, &d, 8, 8, m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 0, 4, coeffs, 1, &d, 8, 8, m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, -1, coeffs, 1, &d, 8, 8, m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 1, INT64_MAX / 2, 4, coeffs, 1, &d, 8, 8,
                              m.data()),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, coeffs, 1, &d, 0, 8, m.data()),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, coeffs, 1, &d, 8, -3, m.data()),
            YOLO_ERR_BAD_ARGUMENT);
  yolo_detection nan = box(0, NAN, 8, 8);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, coeffs, 1, &nan, 8, 8, m.data()),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_mask_compute(nullptr, 1, 4, 4, coeffs, 1, &d, 8, 8, m.data()),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, nullptr, 1, &d, 8, 8, m.data()),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(
      yolo_mask_compute(protos, 1, 4, 4, coeffs, 1, nullptr, 8, 8, m.data()),
      YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_compute(protos, 1, 4, 4, coeffs, 1, &d, 8, 8, nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_TRUE(untouched());
}

//===----------------------------------------------------------------------===//
// yolo_mask_to_image
//===----------------------------------------------------------------------===//

TEST(SegmentMask, ToImageSameSizeIsACopy) {
  std::mt19937 rng(3);
  std::vector<uint8_t> in(15 * 9), out(15 * 9, 7);
  for (uint8_t &v : in)
    v = rng() & 1;
  ASSERT_EQ(yolo_mask_to_image(in.data(), 15, 9, 15, 9, out.data()), YOLO_OK);
  EXPECT_EQ(in, out);
}

TEST(SegmentMask, ToImageResizesAsOpenCV) {
  // Masks whose image has the input's aspect (no padding to cut), as
  // OpenCV 4.6 resizes them:
  //   m = np.zeros((4, 4), np.uint8); m[1:3, 1:3] = 1; cv2.resize(m, (6, 6))
  //   m = np.zeros((4, 6), np.uint8); m[1:3, 1:4] = 1; m[3, 5] = 1
  //   cv2.resize(m, (9, 6))
  // OpenCV's vertical pass truncates, so in the first, rows with a weight
  // of 0.5 stay set while columns with 0.5 do not.
  std::vector<uint8_t> in(16, 0);
  in[5] = in[6] = in[9] = in[10] = 1;
  std::vector<uint8_t> out(36);
  ASSERT_EQ(yolo_mask_to_image(in.data(), 4, 4, 6, 6, out.data()), YOLO_OK);
  const char *six[] = {"000000", "001100", "001100",
                       "001100", "001100", "000000"};
  for (int y = 0; y < 6; ++y)
    EXPECT_EQ(row(out, 6, y), six[y]) << "row " << y;
  in.assign(24, 0);
  for (int y = 1; y < 3; ++y)
    for (int x = 1; x < 4; ++x)
      in[y * 6 + x] = 1;
  in[3 * 6 + 5] = 1;
  out.assign(54, 9);
  ASSERT_EQ(yolo_mask_to_image(in.data(), 6, 4, 9, 6, out.data()), YOLO_OK);
  const char *nine[] = {"000000000", "001110000", "001111000",
                        "001111000", "001110001", "000000001"};
  for (int y = 0; y < 6; ++y)
    EXPECT_EQ(row(out, 9, y), nine[y]) << "row " << y;
}

TEST(SegmentMask, ToImageCutsTheLetterbox) {
  // An 8x8 input holding a 12x6 (w x h) image: gain = min(8 / 6, 8 / 12) =
  // 2/3, pad_y = (8 - 6 * 2/3) / 2 = 2: rows 2..5 are the image, resized
  // to 12x6. From scale_image itself:
  //   m = np.zeros((8, 8), np.uint8); m[3:5, 2:6] = 1; m[2, 3] = 1
  //   scale_image((8, 8), m[:, :, None].copy(), (6, 12, 3))[:, :, 0]
  // Pixels in the padding rows (here row 0, set) are cut away.
  std::vector<uint8_t> in(64, 0);
  for (int y = 3; y < 5; ++y)
    for (int x = 2; x < 6; ++x)
      in[y * 8 + x] = 1;
  in[2 * 8 + 3] = 1;
  in[0 * 8 + 0] = in[7 * 8 + 7] = 1;
  std::vector<uint8_t> out(72, 9);
  ASSERT_EQ(yolo_mask_to_image(in.data(), 8, 8, 12, 6, out.data()), YOLO_OK);
  const char *want[] = {"000001000000", "000011110000", "000111111000",
                        "000111111000", "000011110000", "000000000000"};
  for (int y = 0; y < 6; ++y)
    EXPECT_EQ(row(out, 12, y), want[y]) << "row " << y;
}

TEST(SegmentMask, ToImageValidatesArguments) {
  std::vector<uint8_t> in(9, 1), out(1000, 7);
  EXPECT_EQ(yolo_mask_to_image(nullptr, 3, 3, 3, 3, out.data()),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_to_image(in.data(), 3, 3, 3, 3, nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_mask_to_image(in.data(), 0, 3, 3, 3, out.data()),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_mask_to_image(in.data(), 3, 3, 3, -1, out.data()),
            YOLO_ERR_BAD_ARGUMENT);
  // A 1 x 1000 image in a 3x3 input: gain 0.003, pad_x = 1.4985, so
  // left = 1 and right = int(1.5015) = 1: no column is left.
  EXPECT_EQ(yolo_mask_to_image(in.data(), 3, 3, 1, 1000, out.data()),
            YOLO_ERR_BAD_ARGUMENT);
  for (uint8_t v : out)
    EXPECT_EQ(v, 7);
}
