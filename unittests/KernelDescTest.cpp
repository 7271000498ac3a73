//===- KernelDescTest.cpp - kernel descriptors: keys, descriptions --------===//

#include "yolo/Target/KernelDesc.h"

#include <gtest/gtest.h>

using namespace mlir::yolo;

namespace {

ConvDesc stem() {
  ConvDesc d;
  d.input = {1, 3, 320, 320};
  d.weight = {16, 3, 3, 3};
  d.output = {1, 16, 160, 160};
  d.strideH = d.strideW = 2;
  d.padTop = d.padLeft = 1;
  d.activation = Activation::silu;
  d.tiles = {{8, 2, 6}};
  return d;
}

// The progress lines and error messages show these (codegen.test checks
// the "conv" of one).
TEST(KernelDescTest, Describe) {
  EXPECT_EQ(describe(stem()), "conv 1x3x320x320, 16x3x3x3, 16 -> 1x16x160x160");
  EXPECT_EQ(describe(Conv1x1Desc{{1, 32, 1600}, {1, 64, 1600}}),
            "conv1x1 1x32x1600, 64x32, 64 -> 1x64x1600");
  EXPECT_EQ(describe(PoolDesc{PoolKind::Max, {1, 8, 20, 20}, {1, 8, 20, 20}}),
            "max_pool 1x8x20x20 -> 1x8x20x20");
  EXPECT_EQ(describe(BinaryDesc{mlir::ykernel::BinaryKind::mul,
                                {1, 4, 8400},
                                {1, 1, 8400},
                                {1, 4, 8400}}),
            "binary 1x4x8400, 1x1x8400 -> 1x4x8400");
  EXPECT_EQ(describe(SoftmaxDesc{{1, 4, 16, 8400}, 2}),
            "softmax 1x4x16x8400 -> 1x4x16x8400");
}

// A residual (--yolo-fuse-residual) is one buffer more, of the output's
// shape, before the output, and a different kernel.
TEST(KernelDescTest, Residual) {
  ConvDesc conv = stem();
  conv.residual = true;
  EXPECT_EQ(describe(conv), "conv 1x3x320x320, 16x3x3x3, 16, 1x16x160x160 "
                            "-> 1x16x160x160");
  EXPECT_EQ(arity(conv), 5u);
  EXPECT_NE(kernelKey(conv), kernelKey(stem()));
  Conv1x1Desc gemm{{1, 32, 16}, {1, 64, 16}};
  gemm.residual = true;
  EXPECT_EQ(bufferShapes(gemm)[3], (Shape{1, 64, 16}));
  WinogradDesc wino;
  wino.input = {1, 32, 20, 20};
  wino.output = {1, 32, 20, 20};
  std::string plain = kernelKey(wino);
  wino.residual = true;
  EXPECT_EQ(arity(wino), 5u);
  EXPECT_NE(kernelKey(wino), plain);
}

TEST(KernelDescTest, Arity) {
  EXPECT_EQ(arity(stem()), 4u);
  EXPECT_EQ(arity(Conv1x1Desc{{1, 32, 16}, {1, 64, 16}}), 4u);
  EXPECT_EQ(arity(BinaryDesc{}), 3u);
  EXPECT_EQ(arity(CopyDesc{{1, 8}, {1, 8}}), 2u);
  EXPECT_EQ(arity(ReduceSumDesc{{1, 8}, {1}, false, {1}}), 2u);
}

// Two layers share a kernel exactly when everything that changes its code
// is equal.
TEST(KernelDescTest, Key) {
  EXPECT_EQ(kernelKey(stem()), kernelKey(stem()));
  auto differs = [](auto change) {
    ConvDesc d = stem();
    change(d);
    return kernelKey(d) != kernelKey(stem());
  };
  EXPECT_TRUE(differs([](ConvDesc &d) { d.strideW = 1; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.padLeft = 0; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.dilationH = 2; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.groups = 3; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.activation = Activation::relu; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.alpha = -0.0f; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.tiles[0].channels = 4; }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.tiles.push_back({4, 5, 2}); }));
  EXPECT_TRUE(differs([](ConvDesc &d) { d.output[1] = 8; }));
  // Weights of fixed strides: a kernel that refuses a strided view.
  EXPECT_TRUE(differs([](ConvDesc &d) { d.denseWeights = true; }));
  Conv1x1Desc flat{{1, 32, 16}, {1, 64, 16}}, flatDense = flat;
  flatDense.denseWeights = true;
  EXPECT_NE(kernelKey(flat), kernelKey(flatDense));
  // Same shapes, other kinds.
  EXPECT_NE(kernelKey(CopyDesc{{1, 8}, {1, 8}}),
            kernelKey(UnaryDesc{Activation::none, 0.0f, {1, 8}}));
  EXPECT_NE(kernelKey(PoolDesc{PoolKind::Max, {1, 1, 4, 4}, {1, 1, 4, 4}}),
            kernelKey(PoolDesc{PoolKind::Avg, {1, 1, 4, 4}, {1, 1, 4, 4}}));
  EXPECT_NE(kernelKey(PadDesc{{1, 4}, {1, 6}, {0, 1}, 0.0f}),
            kernelKey(PadDesc{{1, 4}, {1, 6}, {0, 2}, 0.0f}));
}

// Weights in blocks of output channels (--yolo-channel-blocks): the same
// layer with its weights [Co / 32, C, 3, 3, 32]. The bias is still [Co]
// (not [Co / 32], the weights' first dimension), the class and the FLOPs
// are the layer's, and the kernel is another.
TEST(KernelDescTest, ChannelBlocks) {
  ConvDesc d;
  d.input = {1, 256, 39, 39};
  d.weight = {256, 256, 3, 3};
  d.output = {1, 256, 20, 20};
  d.strideH = d.strideW = 2;
  d.padTop = d.padLeft = 1;
  d.tiles = {{16, 2, 8}};
  ConvDesc blocked = d;
  blocked.weight = {8, 256, 3, 3, 32};
  blocked.tiles = {{16, 2, 10}};
  EXPECT_EQ(d.channelBlock(), 0);
  EXPECT_EQ(blocked.channelBlock(), 32);
  EXPECT_EQ(describe(blocked),
            "conv 1x256x39x39, 8x256x3x3x32, 256 -> 1x256x20x20");
  EXPECT_EQ(arity(blocked), 4u);
  EXPECT_STREQ(profileClass(blocked), "conv3x3s2");
  EXPECT_EQ(directFlops(blocked), directFlops(d));
  EXPECT_EQ(directFlops(blocked), 2LL * 256 * 20 * 20 * 256 * 9);
  blocked.tiles = d.tiles;
  EXPECT_NE(kernelKey(blocked), kernelKey(d));
  ConvShape a = convShape(d), b = convShape(blocked);
  EXPECT_EQ(b.extentX, 20);
  EXPECT_EQ(b.channels, a.channels);
  EXPECT_EQ(b.inputChannels, 256);
  EXPECT_EQ(b.taps, 9);
  // 240 output channels in 8 blocks, the last one half used: the FLOPs and
  // the tile's channels count the 240.
  ConvDesc partial = blocked;
  partial.output = {1, 240, 20, 20};
  EXPECT_EQ(partial.channelBlock(), 32);
  EXPECT_EQ(describe(partial),
            "conv 1x256x39x39, 8x256x3x3x32, 240 -> 1x240x20x20");
  EXPECT_EQ(directFlops(partial), 2LL * 240 * 20 * 20 * 256 * 9);
  EXPECT_EQ(convShape(partial).channels, 240);
}

// Ultralytics' mask prototype upsampling: kernel 2, stride 2.
ConvTransposeDesc upsample() {
  ConvTransposeDesc d;
  d.input = {1, 256, 80, 80};
  d.weight = {256, 256, 2, 2};
  d.output = {1, 256, 160, 160};
  d.strideH = d.strideW = 2;
  return d;
}

TEST(KernelDescTest, ConvTranspose) {
  // The weights keep ONNX's layout [Cin, Cout / groups, KH, KW]; the bias
  // has the output's channels.
  EXPECT_EQ(describe(upsample()), "conv_transpose 1x256x80x80, 256x256x2x2, "
                                  "256 -> 1x256x160x160");
  ConvTransposeDesc grouped = upsample();
  grouped.weight = {256, 64, 2, 2};
  grouped.groups = 2;
  grouped.output = {1, 128, 160, 160};
  EXPECT_EQ(bufferShapes(grouped)[2], Shape({128}));
  EXPECT_EQ(arity(upsample()), 4u);
  EXPECT_EQ(convTiles(upsample()), nullptr);
  EXPECT_EQ(kernelKey(upsample()), kernelKey(upsample()));
  auto differs = [](auto change) {
    ConvTransposeDesc d = upsample();
    change(d);
    return kernelKey(d) != kernelKey(upsample());
  };
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.strideH = 1; }));
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.padTop = 1; }));
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.padLeft = 1; }));
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.dilationW = 2; }));
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.groups = 2; }));
  // Output padding shows in the output shape.
  EXPECT_TRUE(differs([](ConvTransposeDesc &d) { d.output[3] = 161; }));
  // A convolution of the same shapes is another kernel.
  ConvDesc conv;
  conv.input = {1, 256, 80, 80};
  conv.weight = {256, 256, 2, 2};
  conv.output = {1, 256, 160, 160};
  EXPECT_NE(kernelKey(conv), kernelKey(upsample()));
}

// A bilinear resize is its own kernel kind, specialized on its coordinate
// mode and scales (which the output shape does not imply); nearest keys
// are what they were.
TEST(KernelDescTest, ResizeLinear) {
  ResizeDesc nearest{{1, 8, 7, 5}, {1, 8, 14, 10}, 2, 2};
  EXPECT_EQ(kernelKey(nearest), "resize:[1,8,7,5,][1,8,14,10,]2,2,");
  auto linear = [] {
    return ResizeDesc{{1, 8, 7, 5},
                      {1, 8, 10, 7},
                      1,
                      1,
                      ResizeMode::linear,
                      CoordinateMode::half_pixel,
                      1.5f,
                      1.5f};
  };
  EXPECT_STREQ(kernelKind(linear()), "resize_linear");
  EXPECT_EQ(describe(linear()), "resize_linear 1x8x7x5 -> 1x8x10x7");
  EXPECT_EQ(kernelKey(linear()), kernelKey(linear()));
  auto differs = [&](auto change) {
    ResizeDesc d = linear();
    change(d);
    return kernelKey(d) != kernelKey(linear());
  };
  EXPECT_TRUE(differs([](ResizeDesc &d) {
    d.coordinateMode = CoordinateMode::pytorch_half_pixel;
  }));
  // 7 * 10 / 7 rows: the same output, another mapping.
  EXPECT_TRUE(differs([](ResizeDesc &d) { d.coordScaleH = 10.0f / 7.0f; }));
  EXPECT_TRUE(differs([](ResizeDesc &d) { d.coordScaleW = 1.4f; }));
  ResizeDesc n = linear();
  n.mode = ResizeMode::nearest;
  EXPECT_NE(kernelKey(n), kernelKey(linear()));
}

TEST(KernelDescTest, ConvShape) {
  ConvShape s = convShape(stem());
  EXPECT_EQ(s.extentX, 160);
  EXPECT_EQ(s.channels, 16);
  EXPECT_EQ(s.stride, 2);
  EXPECT_FALSE(s.flat);
  EXPECT_EQ(s.inputChannels, 3);
  EXPECT_EQ(s.taps, 9);
  EXPECT_EQ(s.rows, 160);
  ConvShape f = convShape(Conv1x1Desc{{2, 32, 1600}, {2, 64, 1600}});
  EXPECT_EQ(f.extentX, 1600);
  EXPECT_EQ(f.channels, 64);
  EXPECT_TRUE(f.flat);
  EXPECT_EQ(f.inputChannels, 32);
  EXPECT_EQ(f.rows, 2);
}

// A batched matrix product: its buffers are lhs, rhs and output, and the
// broadcast batch dimensions are part of its key.
TEST(KernelDescTest, MatMul) {
  MatMulDesc d{{1, 2, 25, 8}, {1, 2, 8, 25}, {1, 2, 25, 25}};
  EXPECT_EQ(describe(d), "matmul 1x2x25x8, 1x2x8x25 -> 1x2x25x25");
  EXPECT_EQ(arity(d), 3u);
  EXPECT_EQ(kernelKind(d), std::string("matmul"));
  EXPECT_EQ(convTiles(d), nullptr);
  MatMulDesc broadcast{{1, 1, 25, 8}, {1, 2, 8, 25}, {1, 2, 25, 25}};
  EXPECT_NE(kernelKey(d), kernelKey(broadcast));
  EXPECT_EQ(kernelKey(d), kernelKey(MatMulDesc{d}));
}

// The classes of a profile (YOLO_PROFILE, bench/profile.py): convolutions
// by their kernel and stride, whichever algorithm runs them.
TEST(KernelDescTest, ProfileClass) {
  EXPECT_STREQ(profileClass(stem()), "conv3x3s2");
  auto conv = [](auto change) {
    ConvDesc d = stem();
    d.strideH = d.strideW = 1;
    d.output = {1, 16, 320, 320};
    change(d);
    return profileClass(d);
  };
  EXPECT_STREQ(conv([](ConvDesc &) {}), "conv3x3s1");
  EXPECT_STREQ(conv([](ConvDesc &d) { d.weight = {16, 3, 1, 1}; }), "conv1x1");
  // Grouped, depthwise, dilated, other sizes, unequal strides.
  EXPECT_STREQ(conv([](ConvDesc &d) {
                 d.weight = {16, 1, 3, 3};
                 d.groups = 3;
               }),
               "conv-other");
  EXPECT_STREQ(conv([](ConvDesc &d) {
                 d.weight = {16, 1, 1, 1};
                 d.groups = 3;
               }),
               "conv-other");
  EXPECT_STREQ(conv([](ConvDesc &d) { d.dilationW = 2; }), "conv-other");
  EXPECT_STREQ(conv([](ConvDesc &d) {
                 d.weight = {16, 3, 5, 5};
               }),
               "conv-other");
  EXPECT_STREQ(conv([](ConvDesc &d) { d.strideW = 2; }), "conv-other");
  EXPECT_STREQ(conv([](ConvDesc &d) {
                 d.weight = {16, 3, 1, 1};
                 d.strideH = d.strideW = 2;
               }),
               "conv-other");
  WinogradDesc w;
  w.input = {1, 32, 40, 40};
  w.output = {1, 64, 40, 40};
  EXPECT_STREQ(profileClass(w), "conv3x3s1");
  EXPECT_STREQ(profileClass(Conv1x1Desc{{1, 32, 1600}, {1, 64, 1600}}),
               "conv1x1");
  EXPECT_STREQ(profileClass(upsample()), "conv-other");
  EXPECT_STREQ(profileClass(MatMulDesc{}), "matmul");
  EXPECT_STREQ(profileClass(PoolDesc{}), "pool");
  EXPECT_STREQ(profileClass(BinaryDesc{}), "elementwise");
  EXPECT_STREQ(profileClass(UnaryDesc{}), "elementwise");
  EXPECT_STREQ(profileClass(CopyDesc{}), "copy");
  EXPECT_STREQ(profileClass(PadDesc{}), "copy");
  EXPECT_STREQ(profileClass(TransposeDesc{}), "copy");
  EXPECT_STREQ(profileClass(ResizeDesc{}), "other");
  EXPECT_STREQ(profileClass(SoftmaxDesc{}), "other");
  EXPECT_STREQ(profileClass(ReduceSumDesc{}), "other");
}

// 2 x the multiply-adds of the direct algorithm.
TEST(KernelDescTest, DirectFlops) {
  // 16 x 160 x 160 outputs, 3 x 3 x 3 taps each.
  EXPECT_EQ(directFlops(stem()), 2LL * 16 * 160 * 160 * 27);
  ConvDesc grouped = stem();
  grouped.input = {2, 16, 320, 320};
  grouped.weight = {16, 4, 3, 3};
  grouped.groups = 4;
  grouped.output = {2, 16, 160, 160};
  EXPECT_EQ(directFlops(grouped), 2LL * 2 * 16 * 160 * 160 * 4 * 9);
  EXPECT_EQ(directFlops(Conv1x1Desc{{2, 32, 1600}, {2, 64, 1600}}),
            2LL * 2 * 64 * 1600 * 32);
  // As the direct 3x3 convolution it replaces.
  WinogradDesc w;
  w.input = {1, 32, 40, 40};
  w.output = {1, 64, 40, 40};
  w.m = 6;
  EXPECT_EQ(directFlops(w), 2LL * 64 * 40 * 40 * 32 * 9);
  // Every input pixel of every channel reaches 256 x 2 x 2 outputs.
  EXPECT_EQ(directFlops(upsample()), 2LL * 80 * 80 * 256 * 256 * 4);
  EXPECT_EQ(
      directFlops(MatMulDesc{{1, 2, 25, 8}, {1, 2, 8, 25}, {1, 2, 25, 25}}),
      2LL * 2 * 25 * 25 * 8);
  EXPECT_EQ(
      directFlops(PoolDesc{PoolKind::Max, {1, 8, 20, 20}, {1, 8, 20, 20}}), 0);
  EXPECT_EQ(directFlops(BinaryDesc{mlir::ykernel::BinaryKind::add,
                                   {1, 4, 8400},
                                   {1, 4, 8400},
                                   {1, 4, 8400}}),
            0);
}

} // namespace
