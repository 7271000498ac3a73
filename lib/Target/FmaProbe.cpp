//===- FmaProbe.cpp - how fast this CPU's 512-bit FMAs issue --------------===//
//
// Some AVX-512 CPUs issue two 512-bit FMAs per cycle (Zen 5 server parts,
// Xeons with two FMA units); others run each as two 256-bit halves (Zen 4),
// so that 16-lane vectors reach no more than 8-lane ones. The feature words
// do not tell the two apart (a Zen 5 VM of each kind was seen here), and
// the register tiles differ (TileRulesX86.cpp), so yolo-codegen measures it
// when it compiles for "host": the FLOPs per second of 512-bit against
// 256-bit FMAs in independent chains, the best of several runs of each
// width, the two alternating (about 7 ms in all, up to half a second where
// the ratio reads between the two rates or above both). The ratio is about 1
// where 512-bit FMAs run as halves and 2.0 on the full-rate Zen 5 VM, whatever
// else the machine runs. Built with -O2 in every build type
// (lib/Target/CMakeLists.txt): at -O0 the chains would live in memory.
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

// Independent chains per width (more than FMA pipes x latency), as
// bench/fma_peak.c, which reaches the peak with them; the sums go to a
// volatile, so the loops stay.
constexpr int kChains512 = 16, kChains256 = 12;
constexpr long kSteps = 4000; // x 64 rounds: 0.4-0.6 ms a run here

__attribute__((target("avx512f"), noinline)) float run512() {
  __m512 acc[kChains512];
  for (int i = 0; i < kChains512; ++i)
    acc[i] = _mm512_set1_ps(0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
  for (long s = 0; s < kSteps; ++s)
    for (int r = 0; r < 64; ++r) {
#pragma GCC unroll 16
      for (int i = 0; i < kChains512; ++i)
        acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    }
  __m512 sum = acc[0];
  for (int i = 1; i < kChains512; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, sum);
  return out[0];
}

__attribute__((target("avx2,fma"), noinline)) float run256() {
  __m256 acc[kChains256];
  for (int i = 0; i < kChains256; ++i)
    acc[i] = _mm256_set1_ps(0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
  for (long s = 0; s < kSteps; ++s)
    for (int r = 0; r < 64; ++r) {
#pragma GCC unroll 12
      for (int i = 0; i < kChains256; ++i)
        acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    }
  __m256 sum = acc[0];
  for (int i = 1; i < kChains256; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, sum);
  return out[0];
}

/// One run of `f`, in seconds.
template <typename F> double timed(F f) {
  volatile float sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  sink = sink + f();
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(t1 - t0).count();
}

} // namespace

std::optional<double> measureAvx512FmaRatio() {
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("fma"))
    return std::nullopt;
  run512(); // warm up: clocks, the AVX-512 license
  // Alternated, so that a change of clock or load falls on both, and the
  // fastest run of each width kept. Six pairs at least; more, for up to
  // half a second, while the ratio reads between 1.25 and 1.75, where runs
  // of one width slowed by the host and not the other can put it: six
  // pairs read 1.47 once in 52 compiles on a full-rate Xeon VM (1.79-2.23
  // the others), and that gelan-t 640 library, with half-rate tiles, ran
  // 17 % slower at two threads (sums of per-step minima, alternating runs);
  // 48 pairs still read 1.63 once in 30. Likewise while it reads above
  // 2.4, which no CPU can do (two 256-bit FMAs issue wherever one 512-bit
  // does) and only slowed 256-bit runs explain: a CI run on that Xeon VM
  // read 3.20 in six pairs, against 1.91-2.23 in 120 probes here, under
  // load or not.
  auto start = std::chrono::steady_clock::now();
  double t512 = 1e30, t256 = 1e30, ratio = 0;
  for (int r = 0;; ++r) {
    t512 = std::min(t512, timed(run512));
    t256 = std::min(t256, timed(run256));
    // FLOPs per second: run512 does 16 chains of 16 lanes, run256 12 of 8.
    ratio = (16.0 * kChains512 / t512) / (8.0 * kChains256 / t256);
    if (r >= 5 && ((ratio >= 1.75 && ratio <= 2.4) || ratio <= 1.25))
      break;
    if (std::chrono::steady_clock::now() - start >
        std::chrono::milliseconds(500))
      break;
  }
  return ratio;
}
#else
std::optional<double> measureAvx512FmaRatio() { return std::nullopt; }
#endif

} // namespace yolo
} // namespace mlir
