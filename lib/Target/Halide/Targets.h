//===- Targets.h - Halide target strings, resolved and checked --*- C++ -*-===//
//
// What --target means: one Halide target string, or a multi-target list
// "T1,T2,...,BASE" (most specific first, the baseline last, as Halide's
// generators take it). Each entry is resolved to its exact string ("host"
// never survives), and paired with the CPU features a library compiled for
// it needs at run time (checked by the generated NAME_create). Private to
// lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_TARGETS_H
#define YOLO_LIB_TARGET_HALIDE_TARGETS_H

#include "yolo/Target/TargetInfo.h"

#include <string>
#include <vector>

namespace mlir {
namespace yolo {

struct ResolvedTarget {
  /// The exact Halide target string the kernels are compiled for.
  std::string target;
  /// CPU features (named as in /proc/cpuinfo, see yolo_runtime.h) that the
  /// code Halide generates for `target` may use: the features of the LLVM
  /// CPU model and attributes Halide selects for it.
  std::vector<std::string> cpuFeatures;
  bool gpu = false;
  bool arm64 = false;
  /// The --target entry was "host" or "host-...": this CPU.
  bool host = false;
  /// `target` parsed: its family, vector lanes and registers.
  TargetInfo info;
};

/// Parses `spec` (one target string or a comma-separated list) into
/// `variants`, with `notes` for the user where an entry is adjusted (plain
/// x86 "avx512" becomes avx512_skylake). Fails with `error` naming the
/// offending entry: an invalid target string, a target of a family with no
/// schedules (TargetInfo::parse's message), entries of different
/// architectures or operating systems, a duplicate, a baseline that needs
/// a feature another entry lacks, or a GPU target inside a list
/// (multi-target libraries are CPU libraries).
bool resolveTargets(const std::string &spec,
                    std::vector<ResolvedTarget> &variants,
                    std::vector<std::string> &notes, std::string &error);

/// The target the Halide runtime is compiled for, shared by all variants:
/// the baseline's architecture and operating system with its
/// non-instruction-set features (GPU APIs), and no CPU feature, so the
/// runtime runs on every CPU of the family (Halide's multi-target rule).
std::string runtimeTarget(const std::vector<ResolvedTarget> &variants);

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_TARGETS_H
