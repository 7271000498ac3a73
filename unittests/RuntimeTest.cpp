//===- RuntimeTest.cpp - the C runtime shared by generated libraries ------===//
//
// Unit tests for runtime/ (yolo_runtime.h, yolo_npy.h): status strings,
// tensor validation and its messages, decoding and class-aware NMS of a
// YOLOv9 prediction, top-k, mapping letterboxed boxes back to the image, and
// .npy reading and writing including every kind of bad file. Expected
// boxes, IoUs and header bytes were worked out by hand (the arithmetic is in
// the comments), never by calling the code under test.
//
//===----------------------------------------------------------------------===//

#include "ScopedEnv.h"
#include "yolo_npy.h"
#include "yolo_runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

//===----------------------------------------------------------------------===//
// Status codes and messages
//===----------------------------------------------------------------------===//

TEST(RuntimeStatus, EveryCodeHasItsOwnString) {
  const int codes[] = {YOLO_OK,
                       YOLO_ERR_NULL_ARGUMENT,
                       YOLO_ERR_BAD_SHAPE,
                       YOLO_ERR_BAD_ALIGNMENT,
                       YOLO_ERR_OUT_OF_MEMORY,
                       YOLO_ERR_BAD_THREADS,
                       YOLO_ERR_BUSY,
                       YOLO_ERR_NO_DEVICE,
                       YOLO_ERR_INTERNAL,
                       YOLO_ERR_IO,
                       YOLO_ERR_BAD_ARGUMENT,
                       YOLO_ERR_BAD_IMAGE,
                       YOLO_ERR_TOO_LARGE,
                       YOLO_ERR_UNSUPPORTED_CPU};
  std::vector<std::string> seen;
  for (int code : codes) {
    const char *s = yolo_status_string(code);
    ASSERT_NE(s, nullptr);
    EXPECT_NE(std::string(s), "unknown status") << "code " << code;
    EXPECT_EQ(std::count(seen.begin(), seen.end(), s), 0) << s;
    seen.push_back(s);
  }
  EXPECT_STREQ(yolo_status_string(YOLO_OK), "ok");
  EXPECT_STREQ(yolo_status_string(YOLO_ERR_BAD_SHAPE), "bad shape");
  EXPECT_STREQ(yolo_status_string(1), "unknown status");
  EXPECT_STREQ(yolo_status_string(YOLO_ERR_UNSUPPORTED_CPU), "unsupported CPU");
  EXPECT_STREQ(yolo_status_string(-14), "unknown status");
}

TEST(RuntimeStatus, ErrorsAreNegativeAndStable) {
  // Part of the ABI: generated headers and users' code compare against them.
  EXPECT_EQ(YOLO_OK, 0);
  EXPECT_EQ(YOLO_ERR_NULL_ARGUMENT, -1);
  EXPECT_EQ(YOLO_ERR_IO, -9);
  EXPECT_EQ(YOLO_ERR_BAD_ARGUMENT, -10);
  EXPECT_EQ(YOLO_ERR_BAD_IMAGE, -11);
  EXPECT_EQ(YOLO_ERR_TOO_LARGE, -12);
  EXPECT_EQ(YOLO_ERR_UNSUPPORTED_CPU, -13);
}

//===----------------------------------------------------------------------===//
// CPU features
//===----------------------------------------------------------------------===//

namespace {
/// The "flags" (x86) or "Features" (AArch64) of /proc/cpuinfo's first CPU,
/// less those the test-only YOLO_CPU_DISABLE lists (set around the whole
/// run, it makes this CPU stand for one without them: README.md).
std::vector<std::string> procCpuFlags() {
  std::vector<std::string> off;
  if (const char *list = getenv("YOLO_CPU_DISABLE")) {
    std::istringstream names(list);
    for (std::string n; std::getline(names, n, ',');)
      off.push_back(n);
  }
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0 && line.rfind("Features", 0) != 0)
      continue;
    std::vector<std::string> flags;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;)
      if (std::count(off.begin(), off.end(), w) == 0)
        flags.push_back(w);
    return flags;
  }
  return {};
}
} // namespace

// Every feature the generated libraries may require agrees with what the
// kernel reports in /proc/cpuinfo, present or absent.
TEST(RuntimeCpu, AgreesWithProcCpuinfo) {
  std::vector<std::string> flags = procCpuFlags();
  if (flags.empty())
    GTEST_SKIP() << "no /proc/cpuinfo flags here";
#if defined(__x86_64__)
  const char *names[] = {
      "sse2",         "ssse3",       "sse4_1",        "sse4_2",
      "popcnt",       "avx",         "avx2",          "fma",
      "f16c",         "bmi1",        "bmi2",          "abm",
      "movbe",        "avx512f",     "avx512cd",      "avx512bw",
      "avx512dq",     "avx512vl",    "avx512ifma",    "avx512vbmi",
      "avx512_vbmi2", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq",
      "avx512_bf16",  "avx512_fp16", "avx_vnni",      "gfni",
      "vaes",         "vpclmulqdq",  "amx_tile",      "amx_int8"};
#elif defined(__aarch64__)
  const char *names[] = {"asimd",    "asimddp", "fphp", "asimdhp", "atomics",
                         "asimdrdm", "sve",     "sve2", "i8mm",    "bf16"};
#else
  const char *names[] = {"none"};
  GTEST_SKIP() << "no CPU feature table for this architecture";
#endif
  for (const char *name : names) {
    bool listed = std::count(flags.begin(), flags.end(), name) > 0;
    EXPECT_EQ(yolo_cpu_has(name), listed ? 1 : 0) << name;
  }
}

TEST(RuntimeCpu, UnknownNamesAndNull) {
  EXPECT_EQ(yolo_cpu_has(nullptr), -1);
  EXPECT_EQ(yolo_cpu_has("no_such_feature"), -1);
  EXPECT_EQ(yolo_cpu_has(""), -1);
  const char *required[] = {"no_such_feature", nullptr};
  char missing[64];
  EXPECT_EQ(yolo_cpu_missing(required, missing, sizeof missing), 1);
  EXPECT_STREQ(missing, "no_such_feature");
  EXPECT_EQ(yolo_cpu_missing(nullptr, missing, sizeof missing), 0);
  EXPECT_STREQ(missing, "");
}

#if defined(__x86_64__)
TEST(RuntimeCpu, DisableOverrideOnlyTakesAway) {
  ASSERT_EQ(yolo_cpu_has("sse2"), 1); // every x86-64 CPU
  const char *required[] = {"sse2", "sse4_1", "popcnt", nullptr};
  char missing[64];
  {
    ScopedEnv env("YOLO_CPU_DISABLE", "popcnt,sse2,no_such_feature");
    EXPECT_EQ(yolo_cpu_has("sse2"), 0);
    EXPECT_EQ(yolo_cpu_has("popcnt"), 0);
    EXPECT_EQ(yolo_cpu_has("no_such_feature"), -1);
    // A prefix of a listed name is not listed.
    EXPECT_EQ(yolo_cpu_has("sse"), 1);
    int n = yolo_cpu_missing(required, missing, sizeof missing);
    EXPECT_GE(n, 2);
    EXPECT_EQ(std::string(missing).rfind("sse2, ", 0), 0u) << missing;
    EXPECT_NE(std::string(missing).find("popcnt"), std::string::npos);
  }
  EXPECT_EQ(yolo_cpu_has("sse2"), 1);
  // Truncation keeps whole names and the terminator.
  ScopedEnv env("YOLO_CPU_DISABLE", "sse2,sse4_1,popcnt");
  char small[12];
  EXPECT_EQ(yolo_cpu_missing(required, small, sizeof small), 3);
  EXPECT_STREQ(small, "sse2");
  EXPECT_EQ(yolo_cpu_missing(required, nullptr, 0), 3);
}
#endif

TEST(RuntimeStatus, FormatErrorTruncatesAndTerminates) {
  char buf[8];
  std::memset(buf, 'x', sizeof(buf));
  yolo_format_error(buf, sizeof(buf), "%s-%d", "abcdef", 42);
  EXPECT_STREQ(buf, "abcdef-");

  char one[1] = {'x'};
  yolo_format_error(one, 1, "hello");
  EXPECT_EQ(one[0], '\0');

  std::memset(buf, 'x', sizeof(buf));
  yolo_format_error(buf, 0, "hello"); // n = 0: must not write
  EXPECT_EQ(buf[0], 'x');
  yolo_format_error(nullptr, 16, "hello"); // must not crash

  char big[64];
  yolo_format_error(big, sizeof(big), "rank %d", 4);
  EXPECT_STREQ(big, "rank 4");
}

//===----------------------------------------------------------------------===//
// Tensor validation
//===----------------------------------------------------------------------===//

struct AlignedBuffer {
  alignas(64) float data[64];
};

yolo_tensor makeTensor(float *data, std::vector<int64_t> shape) {
  yolo_tensor t;
  std::memset(&t, 0, sizeof(t));
  t.data = data;
  t.rank = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size() && i < YOLO_MAX_RANK; ++i)
    t.shape[i] = shape[i];
  return t;
}

class TensorCheck : public ::testing::Test {
protected:
  AlignedBuffer buf;
  char err[256];
  const int64_t input[4] = {1, 3, 640, 640};

  int check(const yolo_tensor *t, int rank, const int64_t *shape,
            size_t alignment = 0, const char *name = "images") {
    std::strcpy(err, "untouched");
    return yolo_check_named_tensor(t, name, rank, shape, alignment, err,
                                   sizeof(err));
  }
};

TEST_F(TensorCheck, AcceptsMatchingTensor) {
  yolo_tensor t = makeTensor(buf.data, {1, 3, 640, 640});
  EXPECT_EQ(check(&t, 4, input, 64), YOLO_OK);
  EXPECT_EQ(yolo_check_tensor(&t, 4, input, 64, nullptr, 0), YOLO_OK);
  // -1 is a dynamic dimension; a NULL shape accepts any positive sizes.
  const int64_t dynamicBatch[4] = {-1, 3, 640, 640};
  t.shape[0] = 8;
  EXPECT_EQ(check(&t, 4, dynamicBatch), YOLO_OK);
  EXPECT_EQ(check(&t, 4, nullptr), YOLO_OK);
  yolo_tensor scalar = makeTensor(buf.data, {});
  EXPECT_EQ(check(&scalar, 0, nullptr), YOLO_OK);
}

TEST_F(TensorCheck, NullDescriptorAndData) {
  EXPECT_EQ(check(nullptr, 4, input), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(err, "tensor 'images': descriptor is NULL");
  yolo_tensor t = makeTensor(nullptr, {1, 3, 640, 640});
  EXPECT_EQ(check(&t, 4, input), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(err, "tensor 'images': data pointer is NULL");
}

TEST_F(TensorCheck, WrongRank) {
  yolo_tensor t = makeTensor(buf.data, {3, 640, 640});
  EXPECT_EQ(check(&t, 4, input), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': expected rank 4, got 3");
  t.rank = 9;
  EXPECT_EQ(check(&t, 4, input), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': rank 9 is outside [0, 8]");
  t.rank = -1;
  EXPECT_EQ(check(&t, 4, input), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': rank -1 is outside [0, 8]");
}

TEST_F(TensorCheck, WrongShapeShowsBoth) {
  yolo_tensor t = makeTensor(buf.data, {1, 3, 320, 320});
  EXPECT_EQ(check(&t, 4, input), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': expected shape [1, 3, 640, 640], got "
                    "[1, 3, 320, 320]");
  const int64_t dynamicBatch[4] = {-1, 3, 640, 640};
  EXPECT_EQ(check(&t, 4, dynamicBatch), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': expected shape [?, 3, 640, 640], got "
                    "[1, 3, 320, 320]");
}

TEST_F(TensorCheck, NonPositiveDimension) {
  yolo_tensor t = makeTensor(buf.data, {1, 0, 640, 640});
  EXPECT_EQ(check(&t, 4, nullptr), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err,
               "tensor 'images': dimension 1 is 0, expected a positive size");
  t.shape[1] = -3;
  const int64_t dynamicAll[4] = {-1, -1, -1, -1};
  EXPECT_EQ(check(&t, 4, dynamicAll), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err,
               "tensor 'images': dimension 1 is -3, expected a positive size");
}

TEST_F(TensorCheck, ElementCountOverflow) {
  // 2^62 * 4 = 2^64 elements does not fit in int64_t.
  yolo_tensor t = makeTensor(buf.data, {int64_t(1) << 62, 4});
  EXPECT_EQ(check(&t, 2, nullptr), YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor 'images': element count of shape "
                    "[4611686018427387904, 4] overflows");
}

TEST_F(TensorCheck, Alignment) {
  yolo_tensor t = makeTensor(buf.data + 1, {1, 3, 640, 640});
  EXPECT_EQ(check(&t, 4, input, 64), YOLO_ERR_BAD_ALIGNMENT);
  EXPECT_NE(std::string(err).find("tensor 'images': data pointer 0x"),
            std::string::npos)
      << err;
  EXPECT_NE(std::string(err).find(" is not aligned to 64 bytes"),
            std::string::npos)
      << err;
  // buf.data + 1 is 4-byte aligned.
  EXPECT_EQ(check(&t, 4, input, 4), YOLO_OK);
  EXPECT_EQ(check(&t, 4, input, 8), YOLO_ERR_BAD_ALIGNMENT);
  EXPECT_EQ(check(&t, 4, input, 0), YOLO_OK);
  EXPECT_EQ(check(&t, 4, input, 1), YOLO_OK);
}

TEST_F(TensorCheck, InvalidExpectation) {
  yolo_tensor t = makeTensor(buf.data, {1, 3, 640, 640});
  EXPECT_EQ(check(&t, 9, nullptr), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_STREQ(err, "tensor 'images': expected rank 9 is outside [0, 8]");
  const int64_t zero[4] = {1, 0, 640, 640};
  EXPECT_EQ(check(&t, 4, zero), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_STREQ(err, "tensor 'images': expected dimension 1 is 0, must be "
                    "positive or -1");
  EXPECT_EQ(check(&t, 4, input, 48), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_STREQ(err, "tensor 'images': alignment 48 is not a power of two");
}

TEST_F(TensorCheck, UnnamedMessages) {
  yolo_tensor t = makeTensor(buf.data, {1, 3, 640});
  EXPECT_EQ(yolo_check_tensor(&t, 4, input, 0, err, sizeof(err)),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(err, "tensor: expected rank 4, got 3");
  // A short buffer still gets a terminated prefix of the message.
  char small[10];
  EXPECT_EQ(yolo_check_tensor(&t, 4, input, 0, small, sizeof(small)),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_STREQ(small, "tensor: e");
}

//===----------------------------------------------------------------------===//
// Decode and NMS
//===----------------------------------------------------------------------===//

/// One anchor of a hand-made prediction: box centre and size, class scores.
struct Anchor {
  float cx, cy, w, h;
  std::vector<float> scores;
};

/// Lays anchors out as the (4 + nc, anchors) slab of YOLOv9's output.
std::vector<float> predictionOf(const std::vector<Anchor> &anchors, int nc) {
  size_t n = anchors.size();
  std::vector<float> pred((4 + nc) * n, 0.0f);
  for (size_t a = 0; a < n; ++a) {
    pred[0 * n + a] = anchors[a].cx;
    pred[1 * n + a] = anchors[a].cy;
    pred[2 * n + a] = anchors[a].w;
    pred[3 * n + a] = anchors[a].h;
    for (int c = 0; c < nc; ++c)
      pred[(4 + c) * n + a] = anchors[a].scores.at(c);
  }
  return pred;
}

struct NmsResult {
  int status;
  std::vector<yolo_detection> dets;
};

NmsResult runNms(const std::vector<Anchor> &anchors, int nc, float conf,
                 float iou, int maxDet = 300, int agnostic = 0) {
  std::vector<float> pred = predictionOf(anchors, nc);
  std::vector<yolo_detection> out(std::max(maxDet, 1));
  int n = -1;
  int status = yolo_decode_and_nms(pred.data(), 4 + nc, anchors.size(), conf,
                                   iou, maxDet, agnostic, out.data(), &n);
  out.resize(status == YOLO_OK ? n : 0);
  return {status, out};
}

/// Anchor indices are not part of a detection; identify boxes by x1.
std::vector<float> x1s(const NmsResult &r) {
  std::vector<float> v;
  for (const yolo_detection &d : r.dets)
    v.push_back(d.x1);
  return v;
}

TEST(DecodeAndNms, DecodesHandMadePrediction) {
  // nc = 2, 3 anchors, written out channel by channel.
  const float pred[] = {
      // cx, cy, w, h of anchors 0, 1, 2
      100, 300, 500, //
      50, 60, 70,    //
      20, 40, 10,    //
      10, 30, 6,     //
      // class 0, class 1
      0.10f, 0.80f, 0.30f, //
      0.70f, 0.20f, 0.30f, //
  };
  yolo_detection out[4];
  int n = -1;
  ASSERT_EQ(yolo_decode_and_nms(pred, 6, 3, 0.25f, 0.45f, 4, 0, out, &n),
            YOLO_OK);
  ASSERT_EQ(n, 3);
  // Sorted by score: anchor 1 (0.8, class 0), anchor 0 (0.7, class 1),
  // anchor 2 (0.3: a tie between classes, the lower id wins).
  EXPECT_EQ(out[0].class_id, 0);
  EXPECT_FLOAT_EQ(out[0].score, 0.80f);
  // Anchor 1: cx 300, cy 60, w 40, h 30 -> (280, 45, 320, 75).
  EXPECT_FLOAT_EQ(out[0].x1, 280);
  EXPECT_FLOAT_EQ(out[0].y1, 45);
  EXPECT_FLOAT_EQ(out[0].x2, 320);
  EXPECT_FLOAT_EQ(out[0].y2, 75);
  // Anchor 0: cx 100, cy 50, w 20, h 10 -> (90, 45, 110, 55).
  EXPECT_EQ(out[1].class_id, 1);
  EXPECT_FLOAT_EQ(out[1].score, 0.70f);
  EXPECT_FLOAT_EQ(out[1].x1, 90);
  EXPECT_FLOAT_EQ(out[1].y1, 45);
  EXPECT_FLOAT_EQ(out[1].x2, 110);
  EXPECT_FLOAT_EQ(out[1].y2, 55);
  // Anchor 2: cx 500, cy 70, w 10, h 6 -> (495, 67, 505, 73).
  EXPECT_EQ(out[2].class_id, 0);
  EXPECT_FLOAT_EQ(out[2].score, 0.30f);
  EXPECT_FLOAT_EQ(out[2].x1, 495);
  EXPECT_FLOAT_EQ(out[2].y1, 67);
  EXPECT_FLOAT_EQ(out[2].x2, 505);
  EXPECT_FLOAT_EQ(out[2].y2, 73);
}

// A = (40, 40, 60, 60) and B = (45, 40, 65, 60): intersection 15 x 20 = 300,
// union 400 + 400 - 300 = 500, IoU = 0.6 exactly (300/500 rounds to 0.6f).
const Anchor boxA0 = {50, 50, 20, 20, {0.9f, 0.0f}};
const Anchor boxB0 = {55, 50, 20, 20, {0.8f, 0.0f}};
const Anchor boxB1 = {55, 50, 20, 20, {0.0f, 0.8f}};

TEST(DecodeAndNms, SuppressesOverlappingSameClass) {
  NmsResult r = runNms({boxB0, boxA0}, 2, 0.25f, 0.5f);
  ASSERT_EQ(r.status, YOLO_OK);
  ASSERT_EQ(r.dets.size(), 1u);
  EXPECT_FLOAT_EQ(r.dets[0].x1, 40); // A, the higher score, survives
  EXPECT_FLOAT_EQ(r.dets[0].score, 0.9f);
}

TEST(DecodeAndNms, IouThresholdIsStrict) {
  // IoU 0.6 is not greater than 0.6: both kept.
  EXPECT_EQ(x1s(runNms({boxA0, boxB0}, 2, 0.25f, 0.6f)),
            (std::vector<float>{40, 45}));
  EXPECT_EQ(x1s(runNms({boxA0, boxB0}, 2, 0.25f, 0.59f)),
            (std::vector<float>{40}));
  // iou 1 never suppresses, not even identical boxes.
  EXPECT_EQ(runNms({boxA0, boxA0}, 2, 0.25f, 1.0f).dets.size(), 2u);
  // iou 0 suppresses any overlap, but boxes that only touch (intersection
  // 0) are kept: (40..60) and (60..80).
  Anchor touching = {70, 50, 20, 20, {0.5f, 0.0f}};
  EXPECT_EQ(x1s(runNms({boxA0, boxB0, touching}, 2, 0.25f, 0.0f)),
            (std::vector<float>{40, 60}));
}

TEST(DecodeAndNms, DifferentClassesAreKept) {
  NmsResult r = runNms({boxA0, boxB1}, 2, 0.25f, 0.5f);
  ASSERT_EQ(r.dets.size(), 2u);
  EXPECT_EQ(r.dets[0].class_id, 0);
  EXPECT_EQ(r.dets[1].class_id, 1);
  EXPECT_FLOAT_EQ(r.dets[1].x1, 45);
}

TEST(DecodeAndNms, ClassAgnosticSuppressesAcrossClasses) {
  NmsResult r = runNms({boxA0, boxB1}, 2, 0.25f, 0.5f, 300, /*agnostic=*/1);
  ASSERT_EQ(r.dets.size(), 1u);
  EXPECT_EQ(r.dets[0].class_id, 0);
  EXPECT_FLOAT_EQ(r.dets[0].x1, 40);
}

TEST(DecodeAndNms, GreedyComparesOnlyWithKeptBoxes) {
  // Boxes 10 wide and 10 high at x = 0, 4, 8. IoU(A, B) = IoU(B, C) =
  // 60 / 140 = 0.43, IoU(A, C) = 20 / 180 = 0.11. B falls to A; C overlaps
  // only the suppressed B above the threshold, so it stays.
  Anchor a = {5, 5, 10, 10, {0.9f}};
  Anchor b = {9, 5, 10, 10, {0.8f}};
  Anchor c = {13, 5, 10, 10, {0.7f}};
  EXPECT_EQ(x1s(runNms({c, b, a}, 1, 0.25f, 0.4f)), (std::vector<float>{0, 8}));
  // At 0.45 nothing is suppressed.
  EXPECT_EQ(x1s(runNms({c, b, a}, 1, 0.25f, 0.45f)),
            (std::vector<float>{0, 4, 8}));
}

TEST(DecodeAndNms, ConfidenceThresholdIsStrict) {
  Anchor half = {10, 10, 4, 4, {0.5f}};
  Anchor quarter = {30, 10, 4, 4, {0.25f}};
  EXPECT_EQ(x1s(runNms({half, quarter}, 1, 0.5f, 0.5f)),
            (std::vector<float>{}));
  EXPECT_EQ(x1s(runNms({half, quarter}, 1, 0.25f, 0.5f)),
            (std::vector<float>{8}));
  EXPECT_EQ(x1s(runNms({half, quarter}, 1, 0.0f, 0.5f)),
            (std::vector<float>{8, 28}));
  // A zero score never passes, even at threshold 0.
  Anchor zero = {50, 10, 4, 4, {0.0f}};
  EXPECT_EQ(runNms({zero}, 1, 0.0f, 0.5f).dets.size(), 0u);
}

TEST(DecodeAndNms, OrderedByScoreAndCappedAtMaxDet) {
  // Disjoint boxes, given in an order unrelated to their scores.
  std::vector<Anchor> anchors = {{10, 10, 4, 4, {0.3f}},
                                 {30, 10, 4, 4, {0.9f}},
                                 {50, 10, 4, 4, {0.6f}},
                                 {70, 10, 4, 4, {0.8f}}};
  EXPECT_EQ(x1s(runNms(anchors, 1, 0.1f, 0.5f)),
            (std::vector<float>{28, 68, 48, 8}));
  EXPECT_EQ(x1s(runNms(anchors, 1, 0.1f, 0.5f, 2)),
            (std::vector<float>{28, 68}));
  // max_det counts kept boxes, not candidates: with the 0.9 box's twin
  // suppressed, the cap of 2 still yields two boxes.
  anchors.push_back({30, 10, 4, 4, {0.85f}});
  EXPECT_EQ(x1s(runNms(anchors, 1, 0.1f, 0.5f, 2)),
            (std::vector<float>{28, 68}));
  NmsResult none = runNms(anchors, 1, 0.1f, 0.5f, 0);
  EXPECT_EQ(none.status, YOLO_OK);
  EXPECT_EQ(none.dets.size(), 0u);
}

TEST(DecodeAndNms, TiesGoToTheLowerAnchorIndex) {
  // Equal scores, disjoint boxes: anchor order.
  Anchor p = {10, 10, 4, 4, {0.5f}};
  Anchor q = {30, 10, 4, 4, {0.5f}};
  EXPECT_EQ(x1s(runNms({p, q}, 1, 0.1f, 0.5f)), (std::vector<float>{8, 28}));
  EXPECT_EQ(x1s(runNms({q, p}, 1, 0.1f, 0.5f)), (std::vector<float>{28, 8}));
  // Equal scores, overlapping boxes (IoU 0.6): the lower index survives.
  Anchor a = {50, 50, 20, 20, {0.5f}};
  Anchor b = {55, 50, 20, 20, {0.5f}};
  EXPECT_EQ(x1s(runNms({a, b}, 1, 0.1f, 0.5f)), (std::vector<float>{40}));
  EXPECT_EQ(x1s(runNms({b, a}, 1, 0.1f, 0.5f)), (std::vector<float>{45}));
}

TEST(DecodeAndNms, DeterministicOnManyTies) {
  // 2000 anchors with 4 distinct scores on a grid of disjoint boxes: the
  // result is ordered by (score descending, anchor ascending) exactly.
  std::vector<Anchor> anchors;
  for (int i = 0; i < 2000; ++i)
    anchors.push_back({float(10 * i + 5), 5, 4, 4, {0.2f + 0.2f * (i % 4)}});
  NmsResult r = runNms(anchors, 1, 0.1f, 0.5f, 3000);
  ASSERT_EQ(r.dets.size(), 2000u);
  for (size_t k = 1; k < r.dets.size(); ++k) {
    const yolo_detection &prev = r.dets[k - 1], &cur = r.dets[k];
    ASSERT_TRUE(prev.score > cur.score ||
                (prev.score == cur.score && prev.x1 < cur.x1))
        << "at " << k;
  }
}

TEST(DecodeAndNms, NaNScoresAreDropped) {
  Anchor first = {10, 10, 4, 4, {kNaN, 0.9f}};
  Anchor second = {30, 10, 4, 4, {0.9f, kNaN}};
  Anchor fine = {50, 10, 4, 4, {0.1f, 0.6f}};
  NmsResult r = runNms({first, second, fine}, 2, 0.25f, 0.5f);
  ASSERT_EQ(r.status, YOLO_OK);
  EXPECT_EQ(x1s(r), (std::vector<float>{48}));
  EXPECT_EQ(r.dets[0].class_id, 1);
}

TEST(DecodeAndNms, DegenerateBoxesNeverSuppress) {
  // Two identical zero-area boxes: union 0, no suppression.
  Anchor dot = {10, 10, 0, 0, {0.9f}};
  EXPECT_EQ(runNms({dot, dot}, 1, 0.25f, 0.0f).dets.size(), 2u);
}

TEST(DecodeAndNms, ValidatesArguments) {
  float pred[10] = {0};
  yolo_detection out[2];
  int n = 123;
  EXPECT_EQ(yolo_decode_and_nms(nullptr, 5, 2, 0.25f, 0.45f, 2, 0, out, &n),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, 0.25f, 0.45f, 2, 0, out, nullptr),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, 0.25f, 0.45f, 2, 0, nullptr, &n),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, 0.25f, 0.45f, 0, 0, nullptr, &n),
            YOLO_OK);
  n = 123;
  EXPECT_EQ(yolo_decode_and_nms(pred, 4, 2, 0.25f, 0.45f, 2, 0, out, &n),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, -1, 0.25f, 0.45f, 2, 0, out, &n),
            YOLO_ERR_BAD_SHAPE);
  // Sizes whose product overflows are refused before pred is read.
  EXPECT_EQ(yolo_decode_and_nms(pred, std::numeric_limits<int64_t>::max(), 2,
                                0.25f, 0.45f, 2, 0, out, &n),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, int64_t(1) << 61, 0.25f, 0.45f, 2, 0,
                                out, &n),
            YOLO_ERR_BAD_SHAPE);
  for (float bad : {-0.01f, 1.01f, kNaN, kInf}) {
    EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, bad, 0.45f, 2, 0, out, &n),
              YOLO_ERR_BAD_ARGUMENT)
        << bad;
    EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, 0.25f, bad, 2, 0, out, &n),
              YOLO_ERR_BAD_ARGUMENT)
        << bad;
  }
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, 2, 0.25f, 0.45f, -1, 0, out, &n),
            YOLO_ERR_BAD_ARGUMENT);
  n = 123;
  EXPECT_EQ(yolo_decode_and_nms(pred, 5, 0, 0.25f, 0.45f, 2, 0, out, &n),
            YOLO_OK);
  EXPECT_EQ(n, 0);
}

//===----------------------------------------------------------------------===//
// Top-k
//===----------------------------------------------------------------------===//

std::vector<int64_t> topk(const std::vector<float> &scores, int k) {
  std::vector<int64_t> idx(std::max(k, 1), -1);
  int n = -1;
  EXPECT_EQ(yolo_topk(scores.data(), scores.size(), k, idx.data(), &n),
            YOLO_OK);
  idx.resize(std::max(n, 0));
  return idx;
}

TEST(TopK, HighestFirstTiesByPosition) {
  std::vector<float> s = {0.1f, 0.9f, 0.5f, 0.9f, kNaN, 0.3f};
  EXPECT_EQ(topk(s, 3), (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(topk(s, 1), (std::vector<int64_t>{1}));
  // More than the non-NaN count: all of them, NaN left out.
  EXPECT_EQ(topk(s, 10), (std::vector<int64_t>{1, 3, 2, 5, 0}));
  EXPECT_EQ(topk(s, 0), (std::vector<int64_t>{}));
  EXPECT_EQ(topk({-kInf, kInf, 0.0f}, 2), (std::vector<int64_t>{1, 2}));
}

TEST(TopK, MatchesStableSortOnRandomScoresWithTies) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> level(0, 9);
  std::vector<float> s(1000);
  for (float &v : s)
    v = level(rng) / 10.0f;
  std::vector<int64_t> ref(s.size());
  for (size_t i = 0; i < s.size(); ++i)
    ref[i] = i;
  std::stable_sort(ref.begin(), ref.end(),
                   [&](int64_t a, int64_t b) { return s[a] > s[b]; });
  for (int k : {1, 7, 100, 999, 1000}) {
    std::vector<int64_t> want(ref.begin(), ref.begin() + k);
    EXPECT_EQ(topk(s, k), want) << "k = " << k;
  }
}

TEST(TopK, ValidatesArguments) {
  float s[2] = {1, 2};
  int64_t idx[2];
  int n = 5;
  EXPECT_EQ(yolo_topk(nullptr, 2, 1, idx, &n), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(yolo_topk(s, 2, 1, nullptr, &n), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_topk(s, 2, 1, idx, nullptr), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_topk(s, -1, 1, idx, &n), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_topk(s, 2, -1, idx, &n), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_topk(nullptr, 0, 0, nullptr, &n), YOLO_OK);
  EXPECT_EQ(n, 0);
}

//===----------------------------------------------------------------------===//
// Letterbox mapping
//===----------------------------------------------------------------------===//

TEST(Letterbox, Params) {
  float gain = 0, padX = -1, padY = -1;
  // 1280x720 into 640x640: gain min(640/1280, 640/720) = 0.5, the image is
  // 640x360, so pad_y = (640 - 360) / 2 = 140.
  ASSERT_EQ(yolo_letterbox_params(1280, 720, 640, 640, &gain, &padX, &padY),
            YOLO_OK);
  EXPECT_FLOAT_EQ(gain, 0.5f);
  EXPECT_FLOAT_EQ(padX, 0.0f);
  EXPECT_FLOAT_EQ(padY, 140.0f);
  // 100x200 into 640x640: gain min(6.4, 3.2) = 3.2, image 320x640, pad_x
  // (640 - 320) / 2 = 160.
  ASSERT_EQ(yolo_letterbox_params(100, 200, 640, 640, &gain, &padX, &padY),
            YOLO_OK);
  EXPECT_FLOAT_EQ(gain, 3.2f);
  EXPECT_FLOAT_EQ(padX, 160.0f);
  EXPECT_FLOAT_EQ(padY, 0.0f);
  // 640x480 into 320x256: gain min(0.5, 0.5333) = 0.5, image 320x240,
  // pad_y (256 - 240) / 2 = 8.
  ASSERT_EQ(yolo_letterbox_params(640, 480, 320, 256, &gain, &padX, &padY),
            YOLO_OK);
  EXPECT_FLOAT_EQ(gain, 0.5f);
  EXPECT_FLOAT_EQ(padX, 0.0f);
  EXPECT_FLOAT_EQ(padY, 8.0f);

  EXPECT_EQ(yolo_letterbox_params(0, 720, 640, 640, &gain, &padX, &padY),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_letterbox_params(1280, 720, 640, -1, &gain, &padX, &padY),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_letterbox_params(1280, 720, 640, 640, nullptr, &padX, &padY),
            YOLO_ERR_NULL_ARGUMENT);
}

yolo_detection det(float x1, float y1, float x2, float y2) {
  return {7, 0.75f, x1, y1, x2, y2};
}

TEST(Letterbox, ScaleBoxesRemovesPaddingAndGain) {
  // gain 0.5, pad (0, 140): x / 0.5, (y - 140) / 0.5.
  yolo_detection d[1] = {det(10, 150, 100, 300)};
  ASSERT_EQ(yolo_scale_boxes(d, 1, 0.5f, 0.0f, 140.0f, 1280, 720), YOLO_OK);
  EXPECT_FLOAT_EQ(d[0].x1, 20);
  EXPECT_FLOAT_EQ(d[0].y1, 20);
  EXPECT_FLOAT_EQ(d[0].x2, 200);
  EXPECT_FLOAT_EQ(d[0].y2, 320);
  EXPECT_EQ(d[0].class_id, 7);
  EXPECT_FLOAT_EQ(d[0].score, 0.75f);

  // gain 3.2, pad (160, 0): (x - 160) / 3.2, y / 3.2.
  yolo_detection e[1] = {det(192, 32, 320, 320)};
  ASSERT_EQ(yolo_scale_boxes(e, 1, 3.2f, 160.0f, 0.0f, 100, 200), YOLO_OK);
  EXPECT_FLOAT_EQ(e[0].x1, 10);
  EXPECT_FLOAT_EQ(e[0].y1, 10);
  EXPECT_FLOAT_EQ(e[0].x2, 50);
  EXPECT_FLOAT_EQ(e[0].y2, 100);
}

TEST(Letterbox, ScaleBoxesClipsToTheImage) {
  // (-10, 100, 700, 600) -> (-20, -80, 1400, 920) -> clipped to
  // (0, 0, 1280, 720); a box fully inside the padding collapses onto the
  // edge.
  yolo_detection d[2] = {det(-10, 100, 700, 600), det(5, 10, 20, 30)};
  ASSERT_EQ(yolo_scale_boxes(d, 2, 0.5f, 0.0f, 140.0f, 1280, 720), YOLO_OK);
  EXPECT_FLOAT_EQ(d[0].x1, 0);
  EXPECT_FLOAT_EQ(d[0].y1, 0);
  EXPECT_FLOAT_EQ(d[0].x2, 1280);
  EXPECT_FLOAT_EQ(d[0].y2, 720);
  EXPECT_FLOAT_EQ(d[1].x1, 10);
  EXPECT_FLOAT_EQ(d[1].y1, 0);
  EXPECT_FLOAT_EQ(d[1].x2, 40);
  EXPECT_FLOAT_EQ(d[1].y2, 0);
}

TEST(Letterbox, ScaleBoxesValidatesAndLeavesBoxesAlone) {
  yolo_detection d[1] = {det(1, 2, 3, 4)};
  EXPECT_EQ(yolo_scale_boxes(d, 1, 0.0f, 0, 0, 10, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, -1.0f, 0, 0, 10, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, kInf, 0, 0, 10, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, kNaN, 0, 0, 10, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, 1.0f, kNaN, 0, 10, 10),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, 1.0f, 0, kInf, 10, 10),
            YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, 1.0f, 0, 0, 0, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, 1, 1.0f, 0, 0, 10, -5), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(d, -1, 1.0f, 0, 0, 10, 10), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(nullptr, 1, 1.0f, 0, 0, 10, 10),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_scale_boxes(nullptr, 0, 1.0f, 0, 0, 10, 10), YOLO_OK);
  EXPECT_FLOAT_EQ(d[0].x1, 1);
  EXPECT_FLOAT_EQ(d[0].y1, 2);
  EXPECT_FLOAT_EQ(d[0].x2, 3);
  EXPECT_FLOAT_EQ(d[0].y2, 4);
}

//===----------------------------------------------------------------------===//
// .npy files
//===----------------------------------------------------------------------===//

/// A .npy file as bytes: preamble of version `major`.0, then `dict` (not
/// padded: the format's padding is a convention the reader must not rely
/// on), then `data`.
std::string npyBytes(const std::string &dict, const std::string &data = "",
                     int major = 1) {
  std::string s("\x93NUMPY", 6);
  s += char(major);
  s += char(0);
  size_t n = dict.size();
  s += char(n & 0xff);
  s += char((n >> 8) & 0xff);
  if (major >= 2) {
    s += char((n >> 16) & 0xff);
    s += char((n >> 24) & 0xff);
  }
  return s + dict + data;
}

std::string floatBytes(const std::vector<float> &v) {
  return std::string(reinterpret_cast<const char *>(v.data()),
                     v.size() * sizeof(float));
}

std::string dictFor(const std::string &shape,
                    const std::string &descr = "'<f4'",
                    const std::string &fortran = "False") {
  return "{'descr': " + descr + ", 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }\n";
}

class Npy : public ::testing::Test {
protected:
  std::filesystem::path dir;
  char err[512];

  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "yolo-runtime-test-XXXXXX")
            .string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  std::string path(const std::string &name) { return (dir / name).string(); }

  std::string writeFile(const std::string &name, const std::string &bytes) {
    std::string p = path(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  std::string readFile(const std::string &p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  /// Reads `bytes` both from a file and from memory; expects `status` from
  /// both and `message` in both messages.
  void expectBad(const std::string &bytes, int status,
                 const std::string &message) {
    std::string p = writeFile("bad.npy", bytes);
    yolo_tensor t;
    std::memset(&t, 0x5a, sizeof(t));
    EXPECT_EQ(yolo_npy_read(p.c_str(), &t, err, sizeof(err)), status) << err;
    EXPECT_NE(std::string(err).find(message), std::string::npos)
        << "message: " << err;
    EXPECT_EQ(std::string(err).rfind(p + ": ", 0), 0u) << err;
    EXPECT_EQ(t.data, nullptr);
    EXPECT_EQ(t.rank, 0);

    std::memset(&t, 0x5a, sizeof(t));
    EXPECT_EQ(yolo_npy_parse(bytes.data(), bytes.size(), &t, err, sizeof(err)),
              status)
        << err;
    EXPECT_NE(std::string(err).find(message), std::string::npos)
        << "message: " << err;
    EXPECT_EQ(std::string(err).rfind("npy data: ", 0), 0u) << err;
    EXPECT_EQ(t.data, nullptr);
  }
};

TEST_F(Npy, RoundTrip) {
  std::vector<float> values = {1.5f, -2.25f, 0.0f, 3e38f, -kInf, 1e-40f};
  yolo_tensor t = makeTensor(values.data(), {2, 3});
  std::string p = path("x.npy");
  ASSERT_EQ(yolo_npy_write(p.c_str(), &t, err, sizeof(err)), YOLO_OK) << err;

  yolo_tensor back;
  ASSERT_EQ(yolo_npy_read(p.c_str(), &back, err, sizeof(err)), YOLO_OK) << err;
  EXPECT_STREQ(err, "");
  ASSERT_EQ(back.rank, 2);
  EXPECT_EQ(back.shape[0], 2);
  EXPECT_EQ(back.shape[1], 3);
  ASSERT_NE(back.data, nullptr);
  EXPECT_EQ(std::memcmp(back.data, values.data(), 24), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(back.data) % YOLO_NPY_ALIGNMENT, 0u);
  yolo_npy_free(&back);
  EXPECT_EQ(back.data, nullptr);
  EXPECT_EQ(back.rank, 0);
}

TEST_F(Npy, WritesExactlyWhatNumPyWrites) {
  // np.save of np.zeros((2, 3), np.float32): 10-byte preamble, the dict
  // padded with spaces so preamble + header = 128 bytes, '\n' last.
  std::vector<float> zeros(6, 0.0f);
  yolo_tensor t = makeTensor(zeros.data(), {2, 3});
  std::string p = path("z.npy");
  ASSERT_EQ(yolo_npy_write(p.c_str(), &t, err, sizeof(err)), YOLO_OK);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(2, 3), }";
  std::string header = dict + std::string(117 - dict.size(), ' ') + "\n";
  std::string want = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header +
                     std::string(24, '\0');
  EXPECT_EQ(readFile(p), want);

  // Rank 1 needs the trailing comma of a Python 1-tuple; rank 0 is ().
  float one = 4.0f;
  yolo_tensor vec = makeTensor(&one, {1});
  ASSERT_EQ(yolo_npy_write(p.c_str(), &vec, err, sizeof(err)), YOLO_OK);
  EXPECT_NE(readFile(p).find("'shape': (1,), }"), std::string::npos);
  yolo_tensor scalar = makeTensor(&one, {});
  ASSERT_EQ(yolo_npy_write(p.c_str(), &scalar, err, sizeof(err)), YOLO_OK);
  std::string bytes = readFile(p);
  EXPECT_NE(bytes.find("'shape': (), }"), std::string::npos);
  EXPECT_EQ(bytes.size(), 128u + 4u);
}

TEST_F(Npy, RoundTripsScalarsEmptyAndRank8) {
  float one = -7.0f;
  std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {4, 0, 3}, {1, 1, 1, 1, 1, 1, 1, 1}};
  for (const auto &shape : shapes) {
    yolo_tensor t = makeTensor(&one, shape);
    std::string p = path("s.npy");
    ASSERT_EQ(yolo_npy_write(p.c_str(), &t, err, sizeof(err)), YOLO_OK) << err;
    yolo_tensor back;
    ASSERT_EQ(yolo_npy_read(p.c_str(), &back, err, sizeof(err)), YOLO_OK)
        << err;
    ASSERT_EQ(back.rank, int32_t(shape.size()));
    for (size_t i = 0; i < shape.size(); ++i)
      EXPECT_EQ(back.shape[i], shape[i]);
    ASSERT_NE(back.data, nullptr); // non-NULL even when empty
    int64_t numel = 1;
    for (int64_t d : shape)
      numel *= d;
    if (numel == 1) {
      EXPECT_EQ(back.data[0], -7.0f);
    }
    yolo_npy_free(&back);
  }
  // Empty tensors may have no data pointer at all.
  yolo_tensor empty = makeTensor(nullptr, {0, 5});
  EXPECT_EQ(yolo_npy_write(path("e.npy").c_str(), &empty, err, sizeof(err)),
            YOLO_OK);
}

TEST_F(Npy, ReadsVersion2And3AndLenientSpelling) {
  std::string data = floatBytes({1, 2, 3});
  // Double quotes, no trailing comma, no padding, key order changed.
  std::string dict = "{\"shape\": (3,), \"fortran_order\": False, "
                     "\"descr\": \"<f4\"}";
  for (int major : {1, 2, 3}) {
    std::string bytes = npyBytes(dict, data, major);
    yolo_tensor t;
    ASSERT_EQ(yolo_npy_parse(bytes.data(), bytes.size(), &t, err, sizeof(err)),
              YOLO_OK)
        << "version " << major << ": " << err;
    ASSERT_EQ(t.rank, 1);
    EXPECT_EQ(t.shape[0], 3);
    EXPECT_EQ(t.data[2], 3.0f);
    yolo_npy_free(&t);
  }
}

TEST_F(Npy, ReadsAFileNumPyWrote) {
  // np.save(f, np.array([[1, 2], [3, 4]], np.float32)), byte for byte.
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(2, 2), }";
  std::string bytes =
      npyBytes(dict + std::string(117 - dict.size(), ' ') + "\n",
               floatBytes({1, 2, 3, 4}));
  ASSERT_EQ(bytes.size(), 128u + 16u);
  std::string p = writeFile("np.npy", bytes);
  yolo_tensor t;
  ASSERT_EQ(yolo_npy_read(p.c_str(), &t, err, sizeof(err)), YOLO_OK) << err;
  EXPECT_EQ(t.rank, 2);
  EXPECT_EQ(t.shape[0], 2);
  EXPECT_EQ(t.shape[1], 2);
  EXPECT_EQ(t.data[0], 1.0f);
  EXPECT_EQ(t.data[3], 4.0f);
  yolo_npy_free(&t);
}

TEST_F(Npy, MissingFileAndDirectory) {
  yolo_tensor t;
  std::string p = path("nope.npy");
  EXPECT_EQ(yolo_npy_read(p.c_str(), &t, err, sizeof(err)), YOLO_ERR_IO);
  EXPECT_EQ(std::string(err), p + ": cannot open: No such file or directory");
  EXPECT_EQ(yolo_npy_read(dir.string().c_str(), &t, err, sizeof(err)),
            YOLO_ERR_IO);
  EXPECT_EQ(std::string(err).rfind(dir.string() + ": ", 0), 0u) << err;
  EXPECT_EQ(t.data, nullptr);
}

TEST_F(Npy, BadMagicAndVersion) {
  expectBad("", YOLO_ERR_IO, "not a .npy file (bad magic)");
  expectBad("PK\x03\x04 a zip file", YOLO_ERR_IO,
            "not a .npy file (bad magic)");
  std::string v4 = npyBytes(dictFor("(1,)"), floatBytes({1}), 2);
  v4[6] = 4;
  expectBad(v4, YOLO_ERR_IO,
            "unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)");
  std::string v11 = npyBytes(dictFor("(1,)"), floatBytes({1}));
  v11[7] = 1;
  expectBad(v11, YOLO_ERR_IO, "unsupported .npy format version 1.1");
}

TEST_F(Npy, WrongDtype) {
  expectBad(npyBytes(dictFor("(1,)", "'<f8'"), std::string(8, '\0')),
            YOLO_ERR_IO,
            "unsupported dtype '<f8': only little-endian float32 ('<f4') is "
            "supported");
  expectBad(npyBytes(dictFor("(1,)", "'>f4'"), std::string(4, '\0')),
            YOLO_ERR_IO, "unsupported dtype '>f4'");
  expectBad(npyBytes(dictFor("(1,)", "'|u1'"), std::string(1, '\0')),
            YOLO_ERR_IO, "unsupported dtype '|u1'");
  expectBad(npyBytes(dictFor("(1,)", "[('a', '<f4')]"), std::string(4, '\0')),
            YOLO_ERR_IO, "structured arrays are not supported");
  // Unprintable bytes in a dtype are not echoed to the terminal.
  expectBad(npyBytes(dictFor("(1,)", "'\x1b[2J'")), YOLO_ERR_IO,
            "unsupported dtype '?[2J'");
}

TEST_F(Npy, FortranOrder) {
  expectBad(
      npyBytes(dictFor("(2, 2)", "'<f4'", "True"), floatBytes({1, 2, 3, 4})),
      YOLO_ERR_IO,
      "Fortran-order arrays are not supported (fortran_order is True)");
  expectBad(npyBytes(dictFor("(2, 2)", "'<f4'", "0"), floatBytes({1, 2, 3, 4})),
            YOLO_ERR_IO, "expected True or False for 'fortran_order'");
}

TEST_F(Npy, TruncatedAndTrailingData) {
  // (2, 3) needs 24 bytes.
  expectBad(npyBytes(dictFor("(2, 3)"), std::string(20, '\0')), YOLO_ERR_IO,
            "truncated data: the shape needs 24 bytes, the file has 20");
  expectBad(npyBytes(dictFor("(2, 3)")), YOLO_ERR_IO,
            "truncated data: the shape needs 24 bytes, the file has 0");
  expectBad(npyBytes(dictFor("(2, 3)"), std::string(25, '\0')), YOLO_ERR_IO,
            "1 unexpected bytes after the 24 bytes of data");
}

TEST_F(Npy, TruncatedHeader) {
  std::string full = npyBytes(dictFor("(1,)"), floatBytes({1}));
  // The preamble itself cut short.
  expectBad(full.substr(0, 7), YOLO_ERR_IO, "truncated header");
  expectBad(full.substr(0, 9), YOLO_ERR_IO, "truncated header");
  // The length field promises more header than the file holds.
  expectBad(full.substr(0, 30), YOLO_ERR_IO, "truncated header: it declares");
}

TEST_F(Npy, HeaderTooLong) {
  // A version 2.0 length field of 2^32 - 1: refused before any allocation.
  std::string bytes = npyBytes(dictFor("(1,)"), floatBytes({1}), 2);
  bytes[8] = bytes[9] = bytes[10] = bytes[11] = '\xff';
  expectBad(bytes, YOLO_ERR_IO,
            "header length 4294967295 exceeds the limit of 65536 bytes");
  std::string padded = dictFor("(1,)") + std::string(70000, ' ');
  expectBad(npyBytes(padded, floatBytes({1}), 2), YOLO_ERR_IO,
            "header length 70058 exceeds the limit of 65536 bytes");
}

TEST_F(Npy, TooManyDimensions) {
  expectBad(npyBytes(dictFor("(1, 1, 1, 1, 1, 1, 1, 1, 1)"), floatBytes({1})),
            YOLO_ERR_BAD_SHAPE, "shape has more than 8 dimensions");
}

TEST_F(Npy, SizeOverflowAndHugeDeclaredShapes) {
  // 2^62 elements * 4 bytes overflows 64 bits.
  expectBad(npyBytes(dictFor("(4611686018427387904,)")), YOLO_ERR_BAD_SHAPE,
            "shape has too many elements (size overflow)");
  expectBad(npyBytes(dictFor("(65536, 65536, 65536, 65536)")),
            YOLO_ERR_BAD_SHAPE, "size overflow");
  expectBad(npyBytes(dictFor("(99999999999999999999,)")), YOLO_ERR_BAD_SHAPE,
            "dimension 0 of the shape does not fit in 64 bits");
  // 4 TB declared, 4 bytes present: a truncation error, not an attempt to
  // allocate 4 TB (which would report out of memory).
  expectBad(npyBytes(dictFor("(1000000, 1000000)"), floatBytes({1})),
            YOLO_ERR_IO,
            "truncated data: the shape needs 4000000000000 bytes, the file "
            "has 4");
  expectBad(npyBytes(dictFor("(2, -3)")), YOLO_ERR_BAD_SHAPE,
            "negative dimension in shape");
}

TEST_F(Npy, MalformedHeaders) {
  std::string one = floatBytes({1});
  expectBad(npyBytes("", one), YOLO_ERR_IO,
            "malformed header: expected '{' starting the header dict before "
            "its end");
  expectBad(npyBytes("['descr']", one), YOLO_ERR_IO,
            "expected '{' starting the header dict at offset 0, found '['");
  expectBad(npyBytes("{'descr': '<f4', 'shape': (1,)}", one), YOLO_ERR_IO,
            "malformed header: no 'fortran_order' key");
  expectBad(npyBytes("{'descr': '<f4', 'fortran_order': False}", one),
            YOLO_ERR_IO, "malformed header: no 'shape' key");
  expectBad(npyBytes("{'descr': '<f4', 'descr': '<f4', 'fortran_order': "
                     "False, 'shape': (1,)}",
                     one),
            YOLO_ERR_IO, "malformed header: duplicate key 'descr'");
  expectBad(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(1,), 'extra': 1}",
                     one),
            YOLO_ERR_IO, "malformed header: unexpected key 'extra'");
  expectBad(npyBytes(dictFor("(1,)") + "garbage", one), YOLO_ERR_IO,
            "expected only padding after the header dict");
  expectBad(npyBytes("{'descr' '<f4'}", one), YOLO_ERR_IO,
            "expected ':' after a key");
  expectBad(npyBytes("{'descr", one), YOLO_ERR_IO,
            "expected a closing quote before its end");
  expectBad(npyBytes("{'de\\x63r': '<f4'}", one), YOLO_ERR_IO,
            "expected a plain string without escapes");
  expectBad(npyBytes(dictFor("(1; 2)"), one), YOLO_ERR_IO,
            "expected ',' or ')' in the shape");
  expectBad(npyBytes(dictFor("[1]"), one), YOLO_ERR_IO,
            "expected '(' starting the shape");
  expectBad(npyBytes(dictFor("(1,,)"), one), YOLO_ERR_IO,
            "expected a dimension or ')'");
  expectBad(npyBytes("{'descr': '<f4' 'fortran_order': False}", one),
            YOLO_ERR_IO, "expected ',' or '}' in the header dict");
  // A NUL inside the header is just an unexpected character.
  expectBad(npyBytes(std::string("{\0}", 3), one), YOLO_ERR_IO, "found '?'");
}

TEST_F(Npy, EveryPrefixOfAValidFileIsRefused) {
  std::vector<float> values = {1, 2, 3, 4, 5, 6};
  yolo_tensor t = makeTensor(values.data(), {3, 2});
  std::string p = path("v.npy");
  ASSERT_EQ(yolo_npy_write(p.c_str(), &t, err, sizeof(err)), YOLO_OK);
  std::string bytes = readFile(p);
  for (size_t n = 0; n < bytes.size(); ++n) {
    yolo_tensor back;
    int status = yolo_npy_parse(bytes.data(), n, &back, err, sizeof(err));
    EXPECT_EQ(status, YOLO_ERR_IO) << "prefix of " << n << " bytes: " << err;
    EXPECT_EQ(back.data, nullptr);
  }
  yolo_tensor back;
  ASSERT_EQ(yolo_npy_parse(bytes.data(), bytes.size(), &back, err, sizeof(err)),
            YOLO_OK);
  yolo_npy_free(&back);
}

TEST_F(Npy, CorruptedBytesNeverCrash) {
  // Every byte of the preamble and header set to each of a few values: the
  // result is an error, or a tensor whose size matches the bytes present.
  std::vector<float> values = {1, 2, 3, 4};
  yolo_tensor t = makeTensor(values.data(), {2, 2});
  std::string p = path("c.npy");
  ASSERT_EQ(yolo_npy_write(p.c_str(), &t, err, sizeof(err)), YOLO_OK);
  const std::string good = readFile(p);
  int accepted = 0;
  for (size_t i = 0; i < 128; ++i) {
    for (int v :
         {0x00, 0x09, 0x20, 0x27, 0x28, 0x29, 0x2c, 0x31, 0x7b, 0x7d, 0xff}) {
      std::string bytes = good;
      bytes[i] = char(v);
      yolo_tensor back;
      int status =
          yolo_npy_parse(bytes.data(), bytes.size(), &back, err, sizeof(err));
      if (status != YOLO_OK) {
        EXPECT_EQ(back.data, nullptr);
        continue;
      }
      ++accepted;
      int64_t numel = 1;
      for (int d = 0; d < back.rank; ++d)
        numel *= back.shape[d];
      EXPECT_EQ(numel, 4) << "byte " << i << " = " << v;
      yolo_npy_free(&back);
    }
  }
  // Changing padding spaces to tabs, say, keeps the file valid.
  EXPECT_GT(accepted, 0);
}

TEST_F(Npy, WriteValidatesArguments) {
  float one = 1.0f;
  yolo_tensor t = makeTensor(&one, {1});
  std::string p = path("w.npy");
  EXPECT_EQ(yolo_npy_write(nullptr, &t, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(err, "npy: NULL path");
  EXPECT_EQ(yolo_npy_write(p.c_str(), nullptr, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  yolo_tensor noData = makeTensor(nullptr, {2});
  EXPECT_EQ(yolo_npy_write(p.c_str(), &noData, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(std::string(err), p + ": data pointer is NULL");
  yolo_tensor neg = makeTensor(&one, {2, -1});
  EXPECT_EQ(yolo_npy_write(p.c_str(), &neg, err, sizeof(err)),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_EQ(std::string(err), p + ": dimension 1 is negative (-1)");
  yolo_tensor rank9 = makeTensor(&one, {});
  rank9.rank = 9;
  EXPECT_EQ(yolo_npy_write(p.c_str(), &rank9, err, sizeof(err)),
            YOLO_ERR_BAD_SHAPE);
  yolo_tensor huge = makeTensor(&one, {int64_t(1) << 62, 4});
  EXPECT_EQ(yolo_npy_write(p.c_str(), &huge, err, sizeof(err)),
            YOLO_ERR_BAD_SHAPE);
  EXPECT_FALSE(std::filesystem::exists(p)) << "nothing written on error";
  std::string noDir = path("missing/dir/w.npy");
  EXPECT_EQ(yolo_npy_write(noDir.c_str(), &t, err, sizeof(err)), YOLO_ERR_IO);
  EXPECT_EQ(std::string(err),
            noDir + ": cannot open for writing: No such file or directory");
}

TEST_F(Npy, ReadValidatesArguments) {
  yolo_tensor t;
  EXPECT_EQ(yolo_npy_read(nullptr, &t, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(err, "npy: NULL path");
  EXPECT_EQ(yolo_npy_read("x.npy", nullptr, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_npy_parse(nullptr, 10, &t, err, sizeof(err)),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(yolo_npy_parse("x", 1, nullptr, nullptr, 0),
            YOLO_ERR_NULL_ARGUMENT);
  yolo_npy_free(nullptr);
  std::memset(&t, 0, sizeof(t));
  yolo_npy_free(&t);
  EXPECT_EQ(t.data, nullptr);
}

} // namespace
