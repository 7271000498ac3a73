//===- FmaProbe.cpp - how fast this CPU's 512-bit FMAs issue --------------===//
//
// Some AVX-512 CPUs issue two 512-bit FMAs per cycle (Zen 5 server parts,
// Xeons with two FMA units); others run each as two 256-bit halves (Zen 4),
// so that 16-lane vectors reach no more than 8-lane ones. The feature words
// do not tell the two apart (a Zen 5 VM of each kind was seen here), and
// the register tiles differ (TileRulesX86.cpp), so yolo-codegen measures it
// when it compiles for "host": the FMAs per second of 512-bit against
// 256-bit vectors, each in 12 independent chains, best of 5 runs of 0.6-1.3
// ms (about 15 ms in all). The ratio is about 2 or about 1, whatever else the
// machine runs.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/TargetInfo.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define YOLO_FMA_PROBE 1
#endif

namespace mlir {
namespace yolo {

#ifdef YOLO_FMA_PROBE
namespace {

constexpr int kChains = 12;
constexpr long kSteps = 400000; // x 12 chains: 4.8M FMAs, 0.6-1.3 ms

__attribute__((target("avx512f"), noinline)) float run512() {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_set1_ps(0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.0001f);
  for (long s = 0; s < kSteps; ++s) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    // Keeps the compiler from folding the loop (acc's values stay live).
    __asm__ volatile(""
                     : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]),
                       "+v"(acc[4]), "+v"(acc[5]));
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"), noinline)) float run256() {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm256_set1_ps(0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.0001f);
  for (long s = 0; s < kSteps; ++s) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    __asm__ volatile(""
                     : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]),
                       "+v"(acc[4]), "+v"(acc[5]));
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, sum);
  return out[0];
}

/// The fastest of 5 runs of `f`, in seconds.
template <typename F> double fastest(F f) {
  double best = 1e30;
  volatile float sink = 0;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    sink = sink + f();
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

} // namespace

std::optional<double> measureAvx512FmaRatio() {
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("fma"))
    return std::nullopt;
  run512(); // warm up: clocks, the AVX-512 license
  double t512 = fastest(run512), t256 = fastest(run256);
  // Each FMA of run512 does twice the lanes of run256's.
  return 2.0 * t256 / t512;
}
#else
std::optional<double> measureAvx512FmaRatio() { return std::nullopt; }
#endif

} // namespace yolo
} // namespace mlir
