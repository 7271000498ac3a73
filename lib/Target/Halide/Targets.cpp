//===- Targets.cpp - Halide target strings, resolved and checked ----------===//
//
// The CPU features a target needs are those of the LLVM CPU model Halide's
// x86 code generator picks for it (-mcpu: k8, penryn, corei7-avx, haswell,
// knl, skylake-avx512, cannonlake, znver4, znver5, sapphirerapids) plus the
// attributes it adds (-mattr), restricted to what LLVM can emit in
// generated code (no system instructions such as rdrand or xsave). On
// AArch64 they are the attributes Halide's ARM code generator enables for
// the target's features. A library is refused on a CPU that lacks any of
// them, so it never dies of SIGILL.
//
//===----------------------------------------------------------------------===//

#include "Targets.h"

#include "Halide.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

using Halide::Target;

namespace mlir {
namespace yolo {

namespace {

/// Features that choose instructions (dropped from the runtime's target).
const Target::Feature isaFeatures[] = {Target::SSE41,
                                       Target::AVX,
                                       Target::AVX2,
                                       Target::AVXVNNI,
                                       Target::FMA,
                                       Target::FMA4,
                                       Target::F16C,
                                       Target::AVX512,
                                       Target::AVX512_KNL,
                                       Target::AVX512_Skylake,
                                       Target::AVX512_Cannonlake,
                                       Target::AVX512_SapphireRapids,
                                       Target::AVX512_Zen4,
                                       Target::AVX512_Zen5,
                                       Target::AVX10_1,
                                       Target::X86APX,
                                       Target::ARMv7s,
                                       Target::SVE,
                                       Target::SVE2,
                                       Target::ARMDotProd,
                                       Target::ARMFp16,
                                       Target::ARMv8a,
                                       Target::ARMv81a,
                                       Target::ARMv82a,
                                       Target::ARMv83a,
                                       Target::ARMv84a,
                                       Target::ARMv85a,
                                       Target::ARMv86a,
                                       Target::ARMv87a,
                                       Target::ARMv88a,
                                       Target::ARMv89a};

const Target::Feature gpuFeatures[] = {Target::CUDA,   Target::OpenCL,
                                       Target::Metal,  Target::D3D12Compute,
                                       Target::WebGPU, Target::Vulkan};

std::vector<std::string> x86Features(Target t) {
  // Halide's implications (complete_x86_target in CodeGen_X86.cpp).
  auto has = [&](Target::Feature f) { return t.has_feature(f); };
  if (has(Target::AVX10_1)) {
    if (t.vector_bits >= 256)
      t.set_feature(Target::AVX2);
    if (t.vector_bits >= 512)
      t.set_feature(Target::AVX512_SapphireRapids);
  }
  if (has(Target::AVX512_SapphireRapids) || has(Target::AVX512_Zen5))
    t.set_features({Target::AVX512_Zen4, Target::AVXVNNI});
  if (has(Target::AVX512_Zen4))
    t.set_feature(Target::AVX512_Cannonlake);
  if (has(Target::AVX512_Cannonlake))
    t.set_feature(Target::AVX512_Skylake);
  if (has(Target::AVX512_Skylake) || has(Target::AVX512_KNL))
    t.set_feature(Target::AVX512);
  if (has(Target::AVX512))
    t.set_feature(Target::AVX2);
  if (has(Target::AVX2))
    t.set_features({Target::AVX, Target::F16C, Target::FMA});
  if (has(Target::AVX))
    t.set_feature(Target::SSE41);

  std::vector<std::string> f;
  auto add = [&](std::initializer_list<const char *> names) {
    f.insert(f.end(), names.begin(), names.end());
  };
  // The -mcpu models' instruction sets, cumulatively.
  if (has(Target::SSE41)) // penryn
    add({"ssse3", "sse4_1"});
  if (has(Target::AVX)) // corei7-avx (Sandy Bridge)
    add({"sse4_2", "popcnt", "avx"});
  if (has(Target::AVX2)) // haswell
    add({"avx2", "bmi1", "bmi2", "abm", "movbe"});
  if (has(Target::FMA))
    add({"fma"});
  if (has(Target::FMA4))
    add({"fma4"});
  if (has(Target::F16C))
    add({"f16c"});
  if (has(Target::AVX512))
    add({"avx512f", "avx512cd"});
  if (has(Target::AVX512_KNL))
    add({"avx512pf", "avx512er"});
  if (has(Target::AVX512_Skylake))
    add({"avx512bw", "avx512dq", "avx512vl"});
  if (has(Target::AVX512_Cannonlake))
    add({"avx512ifma", "avx512vbmi"});
  if (has(Target::AVX512_Zen4))
    add({"avx512_bf16", "avx512_vnni", "avx512_bitalg", "avx512_vbmi2",
         "avx512_vpopcntdq", "gfni", "vaes", "vpclmulqdq"});
  if (has(Target::AVX512_Zen5))
    add({"avx512_vp2intersect"});
  if (has(Target::AVXVNNI))
    add({"avx_vnni"});
  if (has(Target::AVX512_SapphireRapids))
    add({"avx512_fp16", "amx_tile", "amx_int8", "amx_bf16"});
  if (has(Target::AVX10_1))
    add({"avx10"});
  if (has(Target::X86APX))
    add({"apx_f"});
  return f;
}

std::vector<std::string> armFeatures(const Target &t) {
  auto has = [&](Target::Feature f) { return t.has_feature(f); };
  std::vector<std::string> f = {"asimd"};
  auto add = [&](std::initializer_list<const char *> names) {
    f.insert(f.end(), names.begin(), names.end());
  };
  // Architecture levels, cumulatively (what LLVM may emit at +v8.Xa).
  int level = 0;
  const Target::Feature levels[] = {
      Target::ARMv81a, Target::ARMv82a, Target::ARMv83a,
      Target::ARMv84a, Target::ARMv85a, Target::ARMv86a,
      Target::ARMv87a, Target::ARMv88a, Target::ARMv89a};
  for (int i = 0; i < 9; ++i)
    if (has(levels[i]))
      level = i + 1;
  if (level >= 1)
    add({"atomics", "asimdrdm"});
  if (level >= 2)
    add({"dcpop"});
  if (level >= 3)
    add({"jscvt", "fcma", "lrcpc"});
  if (level >= 4)
    add({"dit", "uscat", "ilrcpc", "flagm"});
  if (level >= 5)
    add({"sb", "flagm2", "frint"});
  if (level >= 6)
    add({"i8mm", "bf16"});
  if (has(Target::ARMDotProd))
    add({"asimddp"});
  if (has(Target::ARMFp16))
    add({"fphp", "asimdhp"});
  if (has(Target::SVE) || has(Target::SVE2))
    add({"sve"});
  if (has(Target::SVE2))
    add({"sve2"});
  return f;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// The CPU features (as /proc/cpuinfo names them) that `f` alone makes a
/// target of `t`'s architecture and vector width need: what Halide implies
/// from it, and on x86 what LLVM does (its fma, f16c and fma4 imply avx;
/// AVX-VNNI comes with AVX2 only; plain AVX-512 becomes avx512_skylake in
/// resolveTargets).
std::vector<std::string> featureNeeds(const Target &t, Target::Feature f) {
  Target single(t.os, t.arch, t.bits);
  single.vector_bits = t.vector_bits;
  single.set_feature(f);
  if (t.arch == Target::X86) {
    if (f == Target::FMA || f == Target::F16C || f == Target::FMA4)
      single.set_feature(Target::AVX);
    if (f == Target::AVXVNNI)
      single.set_feature(Target::AVX2);
    if (f == Target::AVX512)
      single.set_feature(Target::AVX512_Skylake);
    return x86Features(single);
  }
  if (t.arch == Target::ARM && t.bits == 64) {
    // Every AArch64 target needs asimd: only what the feature adds counts.
    std::vector<std::string> needs = armFeatures(single);
    needs.erase(std::remove(needs.begin(), needs.end(), "asimd"), needs.end());
    return needs;
  }
  return {};
}

/// A "host" target as a CPU without the features listed in the test-only
/// environment variable YOLO_CPU_DISABLE (comma-separated /proc/cpuinfo
/// names, matched exactly, as the runtime's CPU check reads it;
/// yolo_runtime.h): each ISA feature that needs one of them is dropped, so
/// that `host` on an AVX-512 CPU with the list `scripts/cpuinfo.py
/// --beyond-avx2` prints compiles what an AVX2-only CPU would. It never
/// adds a feature; `dropped` gets the names of those it removed.
Target withoutDisabledFeatures(Target t, std::string &dropped) {
  const char *list = getenv("YOLO_CPU_DISABLE");
  if (!list || !*list)
    return t;
  std::vector<std::string> off;
  std::stringstream ss(list);
  for (std::string name; std::getline(ss, name, ',');)
    off.push_back(name);
  for (Target::Feature f : isaFeatures) {
    if (!t.has_feature(f))
      continue;
    for (const std::string &need : featureNeeds(t, f))
      if (std::find(off.begin(), off.end(), need) != off.end()) {
        dropped += (dropped.empty() ? "" : ", ") + Target::feature_to_name(f);
        t = t.without_feature(f);
        break;
      }
  }
  return t;
}

} // namespace

bool resolveTargets(const std::string &spec,
                    std::vector<ResolvedTarget> &variants,
                    std::vector<std::string> &notes, std::string &error) {
  variants.clear();
  std::vector<std::string> entries;
  std::stringstream ss(spec);
  for (std::string entry; std::getline(ss, entry, ',');)
    entries.push_back(trim(entry));
  if (spec.empty() || spec.back() == ',')
    entries.push_back("");
  try {
    std::vector<Target> targets;
    for (const std::string &entry : entries) {
      if (entry.empty()) {
        error = "--target '" + spec + "' has an empty entry";
        return false;
      }
      if (!Target::validate_target_string(entry)) {
        error = "--target: '" + entry +
                "' is not a Halide target string (e.g. host, "
                "x86-64-linux-avx2-fma, arm-64-linux-arm_dot_prod, "
                "host-cuda)";
        return false;
      }
      Target t(entry);
      if (llvm::StringRef(entry).starts_with("host")) {
        std::string dropped;
        t = withoutDisabledFeatures(t, dropped);
        if (!dropped.empty())
          notes.push_back("'" + entry + "' is taken as '" + t.to_string() +
                          "': YOLO_CPU_DISABLE (test-only) says this CPU "
                          "lacks what " +
                          dropped + " need");
      }
      // Plain "avx512" is Halide's KNL/Skylake common subset (F, CD): its
      // LLVM aborts on the masked vector loops of our kernels ("Unexpected
      // illegal type", measured with Halide 21). Every AVX-512 CPU since
      // 2017 (Skylake-SP, Ice Lake, Zen 4/5) has F, CD, BW, DQ and VL, so
      // it means avx512_skylake here, as the note says.
      if (t.arch == Target::X86 && t.has_feature(Target::AVX512) &&
          !t.has_feature(Target::AVX512_KNL) &&
          !t.has_feature(Target::AVX512_Skylake) &&
          !t.has_feature(Target::AVX512_Cannonlake) &&
          !t.has_feature(Target::AVX512_Zen4) &&
          !t.has_feature(Target::AVX512_Zen5) &&
          !t.has_feature(Target::AVX512_SapphireRapids)) {
        t.set_feature(Target::AVX512_Skylake);
        notes.push_back("'" + entry + "' is taken as '" + t.to_string() +
                        "' (AVX-512 F, CD, BW, DQ, VL: every AVX-512 CPU "
                        "since Skylake-SP; Halide's F+CD-only subset does "
                        "not compile these kernels)");
      }
      targets.push_back(t);
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      const Target &t = targets[i];
      ResolvedTarget r;
      r.target = t.to_string();
      r.host = llvm::StringRef(entries[i]).starts_with("host");
      std::string why;
      std::optional<TargetInfo> info = TargetInfo::parse(r.target, why);
      if (!info) {
        error = "--target: " + why;
        return false;
      }
      r.info = std::move(*info);
      for (Target::Feature g : gpuFeatures)
        r.gpu |= t.has_feature(g);
      r.arm64 = t.arch == Target::ARM && t.bits == 64;
      if (t.arch == Target::X86 && t.bits == 64)
        r.cpuFeatures = x86Features(t);
      else if (r.arm64)
        r.cpuFeatures = armFeatures(t);
      for (const ResolvedTarget &o : variants)
        if (o.target == r.target) {
          error =
              "--target: '" + r.target + "' appears twice in '" + spec + "'";
          return false;
        }
      variants.push_back(std::move(r));
    }
    if (targets.size() > 1) {
      const Target &base = targets.back();
      for (size_t i = 0; i < targets.size(); ++i) {
        const Target &t = targets[i];
        if (variants[i].gpu) {
          error = "--target: '" + variants[i].target +
                  "' is a GPU target; a multi-target list holds CPU variants "
                  "of one architecture";
          return false;
        }
        if (t.arch != base.arch || t.bits != base.bits || t.os != base.os) {
          error = "--target: '" + variants[i].target +
                  "' is not of the baseline's architecture and operating "
                  "system ('" +
                  variants.back().target + "')";
          return false;
        }
      }
      // The baseline must run wherever any variant runs.
      const std::vector<std::string> &baseFeatures =
          variants.back().cpuFeatures;
      for (size_t i = 0; i + 1 < variants.size(); ++i) {
        const std::vector<std::string> &mine = variants[i].cpuFeatures;
        std::string lacking;
        for (const std::string &f : baseFeatures)
          if (std::find(mine.begin(), mine.end(), f) == mine.end())
            lacking += (lacking.empty() ? "" : ", ") + f;
        if (!lacking.empty()) {
          error = "--target: the last entry is the baseline every CPU of the "
                  "family runs, but '" +
                  variants.back().target + "' needs " + lacking + ", which '" +
                  variants[i].target +
                  "' does not: list the most specific target first";
          return false;
        }
      }
    }
  } catch (const Halide::Error &e) {
    error = std::string("--target: ") + e.what();
    return false;
  }
  return true;
}

std::string runtimeTarget(const std::vector<ResolvedTarget> &variants) {
  Target t(variants.back().target);
  for (Target::Feature f : isaFeatures)
    t = t.without_feature(f);
  return t.to_string();
}

} // namespace yolo
} // namespace mlir
