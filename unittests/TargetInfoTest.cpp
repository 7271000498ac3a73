//===- TargetInfoTest.cpp - TargetInfo::parse and the tile rules ----------===//

#include "yolo/Target/TargetInfo.h"

#include "Halide.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace mlir::yolo;

namespace {

TargetInfo parseOk(const std::string &target) {
  std::string error;
  std::optional<TargetInfo> info = TargetInfo::parse(target, error);
  EXPECT_TRUE(info.has_value()) << target << ": " << error;
  EXPECT_TRUE(error.empty()) << error;
  return info.value_or(TargetInfo{});
}

std::string parseError(const std::string &target) {
  std::string error;
  EXPECT_FALSE(TargetInfo::parse(target, error).has_value()) << target;
  return error;
}

TEST(TargetInfoTest, Families) {
  TargetInfo avx2 = parseOk("x86-64-linux-avx-avx2-f16c-fma-sse41");
  EXPECT_EQ(avx2.family, TargetFamily::X86);
  EXPECT_EQ(avx2.vectorLanes, 8);
  EXPECT_EQ(avx2.vectorRegisters, 16);
  EXPECT_EQ(avx2.features,
            (std::vector<std::string>{"avx", "avx2", "f16c", "fma", "sse41"}));
  EXPECT_TRUE(avx2.hasFeature("fma"));
  EXPECT_FALSE(avx2.hasFeature("avx512"));

  TargetInfo sse = parseOk("x86-64-linux");
  EXPECT_EQ(sse.family, TargetFamily::X86);
  EXPECT_EQ(sse.vectorLanes, 4);
  EXPECT_EQ(sse.vectorRegisters, 16);
  EXPECT_TRUE(sse.features.empty());

  TargetInfo avx512 = parseOk("x86-64-linux-avx512-avx512_skylake");
  EXPECT_EQ(avx512.vectorLanes, 16);
  EXPECT_EQ(avx512.vectorRegisters, 32);

  TargetInfo arm = parseOk("arm-64-linux-arm_dot_prod");
  EXPECT_EQ(arm.family, TargetFamily::Arm);
  EXPECT_EQ(arm.vectorLanes, 4);
  EXPECT_EQ(arm.vectorRegisters, 32);

  TargetInfo sve = parseOk("arm-64-linux-sve2-vector_bits_256");
  EXPECT_EQ(sve.family, TargetFamily::Arm);
  EXPECT_EQ(sve.vectorLanes, 8);

  TargetInfo cuda = parseOk("x86-64-linux-avx2-cuda-cuda_capability_50-fma");
  EXPECT_EQ(cuda.family, TargetFamily::Cuda);
  EXPECT_EQ(cuda.target, "x86-64-linux-avx2-cuda-cuda_capability_50-fma");
  EXPECT_EQ(parseOk("arm-64-linux-cuda").family, TargetFamily::Cuda);
}

TEST(TargetInfoTest, UnscheduledFamilies) {
  const char *scheduled = "the families with schedules are x86-64, arm-64, "
                          "and cuda (an x86-64 or arm-64 target with the "
                          "cuda feature)";
  EXPECT_EQ(parseError("riscv-64-linux-rvv"),
            std::string("target 'riscv-64-linux-rvv' is of the riscv-64 "
                        "family, which has no schedules; ") +
                scheduled);
  const std::pair<const char *, const char *> families[] = {
      {"x86-32-linux-sse41", "of the x86-32 family"},
      {"arm-32-android", "of the arm-32 family"},
      {"wasm-32-wasmrt-wasm_simd128", "of the wasm-32 family"},
      {"powerpc-64-linux", "of the powerpc-64 family"},
      {"hexagon-32-qurt-hvx", "of the hexagon-32 family"},
      {"riscv-64-linux-cuda", "of the riscv-64 family"}};
  for (auto [target, why] : families)
    EXPECT_NE(parseError(target).find(why), std::string::npos) << target;
  EXPECT_EQ(parseError("x86-64-linux-avx2-opencl"),
            std::string("target 'x86-64-linux-avx2-opencl' asks for opencl, "
                        "a GPU API with no schedules; ") +
                scheduled);
  const std::pair<const char *, const char *> malformed[] = {
      {"host", "not resolved"},
      {"host-cuda", "not resolved"},
      {"x86-64", "not a resolved Halide target string"},
      {"x86-sixtyfour-linux", "not a resolved Halide target string"},
      {"x86-64-linux--avx2", "not a resolved Halide target string"}};
  for (auto [target, why] : malformed)
    EXPECT_NE(parseError(target).find(why), std::string::npos) << target;
}

// The lanes are what Halide's natural_vector_size<float>() gives, which the
// schedules used before TargetInfo existed: check against Halide itself.
TEST(TargetInfoTest, LanesMatchHalide) {
  for (const char *target : {"x86-64-linux",
                             "x86-64-linux-sse41",
                             "x86-64-linux-avx",
                             "x86-64-linux-avx2-fma",
                             "x86-64-linux-avx512",
                             "x86-64-linux-avx512-avx512_skylake",
                             "x86-64-linux-avx512_skylake",
                             "x86-64-linux-avx512_cannonlake",
                             "x86-64-linux-avx512_knl",
                             "x86-64-linux-avx512_zen4",
                             "x86-64-linux-avx512_zen5",
                             "x86-64-linux-avx512_sapphirerapids",
                             "x86-64-linux-avx10_1-vector_bits_256",
                             "x86-64-osx-avx2-fma",
                             "x86-64-windows-avx2-fma",
                             "x86-64-linux-tune_znver4-avx2",
                             "x86-64-linux-avx2-cuda-cuda_capability_50-fma",
                             "arm-64-linux",
                             "arm-64-linux-arm_dot_prod-arm_fp16",
                             "arm-64-osx",
                             "arm-64-linux-sve-vector_bits_512",
                             "arm-64-linux-sve2-vector_bits_256",
                             "arm-64-linux-sve2",
                             "arm-64-linux-cuda"}) {
    Halide::Target halide(target);
    TargetInfo info = parseOk(halide.to_string());
    EXPECT_EQ(info.vectorLanes, halide.natural_vector_size<float>()) << target;
    EXPECT_EQ(info.vectorRegisters == 32,
              halide.arch == Halide::Target::ARM ||
                  halide.has_feature(Halide::Target::AVX512))
        << target;
    EXPECT_EQ(info.family == TargetFamily::Cuda,
              halide.has_feature(Halide::Target::CUDA))
        << target;
  }
  TargetInfo host = parseOk(Halide::get_host_target().to_string());
  EXPECT_EQ(host.vectorLanes,
            Halide::get_host_target().natural_vector_size<float>());
}

ConvShape conv2d(int x, int channels, int stride = 1) {
  return {x, channels, stride, false, 64, 9, int64_t(x)};
}
ConvShape flat(int x, int channels, int cin) {
  return {x, channels, 1, true, cin, 1, 1};
}

void expectTile(const ConvTile &got, ConvTile want, const char *what) {
  EXPECT_EQ(got.lanes, want.lanes) << what;
  EXPECT_EQ(got.vectors, want.vectors) << what;
  EXPECT_EQ(got.channels, want.channels) << what;
}

// The cases the rules' comments (TileRulesX86.cpp, TileRulesArm.cpp) give.
TEST(TargetInfoTest, ConvTiles) {
  ASSERT_EQ(getenv("YOLO_CONV_TILE"), nullptr);
  TargetInfo avx512 = parseOk("x86-64-linux-avx512-avx512_skylake");
  ASSERT_TRUE(avx512.wideFmaFullRate);
  expectTile(chooseConvTile(conv2d(40, 64), avx512), {16, 3, 8}, "40 wide");
  expectTile(chooseConvTile(conv2d(20, 64), avx512), {16, 2, 8}, "20 wide");
  expectTile(chooseConvTile(conv2d(80, 256), avx512), {16, 5, 4}, "80 wide");
  expectTile(chooseConvTile(conv2d(160, 64, 2), avx512), {16, 5, 4},
             "stride 2");
  expectTile(chooseConvTile(conv2d(96, 64), avx512), {16, 3, 8}, "96 wide");
  expectTile(chooseConvTile(conv2d(10, 64), avx512), {16, 1, 16}, "10 wide");
  expectTile(chooseConvTile(conv2d(64, 64), avx512), {16, 4, 5}, "64 wide");
  expectTile(chooseConvTile(conv2d(52, 64), avx512), {16, 4, 5}, "52 wide");
  expectTile(chooseConvTile(flat(100, 64, 64), avx512), {16, 1, 16},
             "1x1 over 10x10");
  expectTile(chooseConvTile(flat(6400, 256, 1024), avx512), {16, 5, 4},
             "1x1, 1024 in");
  expectTile(chooseConvTile(flat(400, 256, 256), avx512), {16, 5, 4},
             "1x1, 256 in");
  expectTile(chooseConvTile(flat(6400, 2, 256), avx512), {16, 5, 2},
             "1x1, 2 out");
  ConvShape stem{320, 16, 2, false, 3, 9, 320};
  expectTile(chooseConvTile(stem, avx512), {16, 2, 8}, "stem, 16 out");
  stem.channels = 64;
  expectTile(chooseConvTile(stem, avx512), {16, 5, 4}, "stem, 64 out");

  // 512-bit FMAs at half rate: Zen 4 targets, or --avx512-fma=half.
  TargetInfo half = parseOk("x86-64-linux-avx512-avx512_zen4");
  EXPECT_FALSE(half.wideFmaFullRate);
  EXPECT_FALSE(parseOk("x86-64-linux-tune_znver4-avx512-avx512_skylake")
                   .wideFmaFullRate);
  EXPECT_TRUE(parseOk("x86-64-linux-tune_znver5-avx512-avx512_zen4-"
                      "avx512_zen5")
                  .wideFmaFullRate);
  ASSERT_TRUE(setAvx512FmaRate(half, "full"));
  EXPECT_TRUE(half.wideFmaFullRate);
  ASSERT_TRUE(setAvx512FmaRate(half, "auto"));
  EXPECT_FALSE(half.wideFmaFullRate);
  EXPECT_FALSE(setAvx512FmaRate(half, "fast"));
  EXPECT_FALSE(half.wideFmaFullRate);
  half = avx512;
  ASSERT_TRUE(setAvx512FmaRate(half, "half"));
  EXPECT_FALSE(half.wideFmaFullRate);
  expectTile(chooseConvTile(conv2d(40, 64), half), {8, 5, 4}, "half 40 wide");
  expectTile(chooseConvTile(conv2d(20, 64), half), {8, 3, 8}, "half 20 wide");
  expectTile(chooseConvTile(conv2d(80, 256), half), {8, 5, 4}, "half 80 wide");
  expectTile(chooseConvTile(conv2d(80, 64, 2), half), {16, 1, 16},
             "half stride 2");
  expectTile(chooseConvTile(flat(6400, 256, 1024), half), {16, 3, 8},
             "half 1x1, 1024 in");
  expectTile(chooseConvTile(flat(6400, 256, 256), half), {16, 1, 16},
             "half 1x1, 256 in");
  expectTile(chooseConvTile(flat(6400, 4, 256), half), {16, 1, 4},
             "half 1x1, 4 out");

  TargetInfo avx2 = parseOk("x86-64-linux-avx2-fma");
  expectTile(chooseConvTile(conv2d(160, 64), avx2), {8, 2, 6}, "avx2 160");
  expectTile(chooseConvTile(conv2d(40, 256), avx2), {8, 5, 2}, "avx2 40");
  expectTile(chooseConvTile(conv2d(20, 64), avx2), {8, 3, 4}, "avx2 20");
  expectTile(chooseConvTile(flat(1600, 64, 64), avx2), {8, 3, 4}, "avx2 1x1");
  expectTile(chooseConvTile(flat(4, 64, 64), avx2), {8, 1, 8}, "avx2 narrow");
  expectTile(chooseConvTile(conv2d(160, 4), avx2), {8, 2, 4}, "avx2 4 out");
  // Stride 2: 3 vectors by 4 channels, except stems of <= 4 input channels.
  expectTile(chooseConvTile(conv2d(160, 64, 2), avx2), {8, 3, 4},
             "avx2 160 stride 2");
  ConvShape avx2Stem = conv2d(320, 16, 2);
  avx2Stem.inputChannels = 3;
  expectTile(chooseConvTile(avx2Stem, avx2), {8, 2, 6}, "avx2 stem");

  TargetInfo sse = parseOk("x86-64-linux");
  expectTile(chooseConvTile(conv2d(20, 64), sse), {4, 5, 2}, "sse 20");
  expectTile(chooseConvTile(conv2d(160, 64), sse), {4, 2, 6}, "sse 160");
  expectTile(chooseConvTile(conv2d(160, 64, 2), sse), {4, 2, 6},
             "sse 160 stride 2");

  TargetInfo arm = parseOk("arm-64-linux");
  expectTile(chooseConvTile(conv2d(40, 64), arm), {4, 5, 4}, "arm 40");
  expectTile(chooseConvTile(conv2d(160, 64), arm), {4, 4, 4}, "arm 160");
  expectTile(chooseConvTile(conv2d(12, 64), arm), {4, 3, 6}, "arm 12");
  expectTile(chooseConvTile(conv2d(2, 64), arm), {4, 1, 12}, "arm 2");
  expectTile(chooseConvTile(conv2d(160, 2), arm), {4, 4, 2}, "arm 2 out");

  TargetInfo cuda = parseOk("x86-64-linux-avx2-cuda-fma");
  expectTile(chooseConvTile(conv2d(40, 64), cuda), {0, 0, 0}, "cuda");
}

// The blocked kernel's tile (--yolo-channel-blocks): on AVX-512, 2 vectors
// of output channels by 10 pixels where 10 divides the row, else the
// largest divisor from 12 down to 6, else 10; rows narrower than 10 whole.
// On AVX2 by 5 (below). None where that pass never acts (SSE, AVX without
// AVX2, ARM, CUDA).
TEST(TargetInfoTest, BlockedConvTiles) {
  struct Case {
    const char *target;
    int width;
    ConvTile want;
  };
  const Case cases[] = {
      {"x86-64-linux-avx512-avx512_skylake", 20, {16, 2, 10}},
      {"x86-64-linux-avx512-avx512_skylake", 160, {16, 2, 10}},
      {"x86-64-linux-avx512-avx512_skylake", 24, {16, 2, 12}},
      {"x86-64-linux-avx512-avx512_skylake", 14, {16, 2, 7}},
      {"x86-64-linux-avx512-avx512_skylake", 13, {16, 2, 10}},
      {"x86-64-linux-avx512-avx512_skylake", 7, {16, 2, 7}},
      // AVX2: 2 vectors of 8 by 5 pixels, else the largest divisor from 6
      // to 4, else 5; rows narrower than 5 whole.
      {"x86-64-linux-avx2-fma", 20, {8, 2, 5}},
      {"x86-64-linux-avx2-fma", 80, {8, 2, 5}},
      {"x86-64-linux-avx2-fma", 12, {8, 2, 6}},
      {"x86-64-linux-avx2-fma", 8, {8, 2, 4}},
      {"x86-64-linux-avx2-fma", 13, {8, 2, 5}},
      {"x86-64-linux-avx2-fma", 3, {8, 2, 3}},
      {"arm-64-linux", 20, {0, 0, 0}},
      {"x86-64-linux", 20, {0, 0, 0}},
      {"x86-64-linux-avx", 20, {0, 0, 0}},
      {"x86-64-linux-avx2-cuda-fma", 20, {0, 0, 0}},
  };
  for (const Case &c : cases) {
    TargetInfo target = parseOk(c.target);
    std::string what =
        std::string(c.target) + ", " + std::to_string(c.width) + " wide";
    expectTile(chooseBlockedConvTile(conv2d(c.width, 128, 2), target), c.want,
               what.c_str());
    // The weights' block is the tile's two vectors, 0 without a kernel.
    EXPECT_EQ(channelBlockFor(target), c.want.vectors * c.want.lanes) << what;
  }
}

TEST(TargetInfoTest, ConvTileOverride) {
  TargetInfo avx2 = parseOk("x86-64-linux-avx2-fma");
  setenv("YOLO_CONV_TILE", "4x2x32", 1);
  expectTile(chooseConvTile(conv2d(40, 16), avx2), {4, 2, 16}, "override");
  setenv("YOLO_CONV_TILE", "garbage", 1);
  expectTile(chooseConvTile(conv2d(40, 256), avx2), {8, 5, 2}, "ignored");
  unsetenv("YOLO_CONV_TILE");
}

// The measured ratio behind --avx512-fma=auto for host targets: about 2 or
// about 1 on an AVX-512 CPU (so never near 0 or far above 2), nothing
// without AVX-512F. A host that slows the runs of one width can still push
// one probe out of range, so the test takes the first of up to three that
// reads in range; a probe that miscounts its FLOPs (a factor of 2 either
// way) or times nothing reads out of range every time.
TEST(TargetInfoTest, Avx512FmaProbe) {
  std::optional<double> ratio = measureAvx512FmaRatio();
#if defined(__x86_64__)
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("fma")) {
    EXPECT_FALSE(ratio.has_value());
    return;
  }
  auto inRange = [](double r) { return r > 0.6 && r < 2.6; };
  ASSERT_TRUE(ratio.has_value());
  for (int attempt = 1; attempt < 3 && !inRange(*ratio); ++attempt) {
    ratio = measureAvx512FmaRatio();
    ASSERT_TRUE(ratio.has_value());
  }
  EXPECT_GT(*ratio, 0.6);
  EXPECT_LT(*ratio, 2.6);
#else
  EXPECT_FALSE(ratio.has_value());
#endif
}

} // namespace
