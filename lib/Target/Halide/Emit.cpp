//===- Emit.cpp - a planned model to a library, a runner, a module --------===//
//
// Per model, only data is generated: the public header NAME.h, the
// driver's table NAME_model.h (views, steps, kernels per variant; see
// runtime/src/model_driver.h), the glue headers that map the fixed
// programs' YOLO_M(x) macros onto the model's names, and the weights.
// Everything that runs is a real C file of runtime/, compiled here with the
// target's C compiler: the driver (src/model_driver.c), the runner
// (tools/yolo_run.c), the detector (tools/yolo_detect.c) and the Python
// module (python/yolo_module.c).
//
//===----------------------------------------------------------------------===//

#include "Emit.h"
#include "Kernels.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <fstream>

using namespace mlir;
using namespace mlir::yolo;

namespace {

std::string upper(StringRef s) {
  std::string u;
  for (char c : s)
    u += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  return u;
}

/// A C string literal of `s` (target strings and feature names only hold
/// letters, digits, '-', '_' and ',').
std::string cQuote(StringRef s) { return "\"" + s.str() + "\""; }

/// "{a, b, }": a C initializer of `values`.
template <typename Range> std::string initializer(const Range &values) {
  std::string s = "{";
  for (const auto &v : values)
    s += std::to_string(v) + ", ";
  return s + "}";
}

/// Where an installed yolo-codegen finds what it needs at run time:
/// PREFIX/share/yolo-compiler next to PREFIX/bin; empty in a build tree.
std::string installedShareDir() {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  SmallVector<char> dir(exe.begin(), exe.end());
  llvm::sys::path::remove_filename(dir); // bin
  llvm::sys::path::remove_filename(dir); // prefix
  llvm::sys::path::append(dir, "share", "yolo-compiler");
  std::string share(dir.begin(), dir.end());
  return llvm::sys::fs::is_directory(share + "/runtime") ? share : "";
}

/// The libraries the image component (runtime/src/image.c) links with.
const char *const imageLibs[] = {"-ljpeg", "-lpng", "-lz"};
const char *const systemLibs[] = {"-lpthread", "-ldl", "-lm"};

} // namespace

std::string mlir::yolo::installedRuntimeDir() {
  std::string share = installedShareDir();
  return share.empty() ? YOLO_RUNTIME_DIR : share + "/runtime";
}

std::string mlir::yolo::halideRuntimeIncludeDir() {
  std::string share = installedShareDir();
  return share.empty() ? halideIncludeDir() : share + "/halide/include";
}

Emitter::Emitter(const CodegenOptions &opts,
                 const std::vector<ResolvedTarget> &variants,
                 std::string finalDir, std::string &error)
    : opts(opts), variants(variants), finalDir(std::move(finalDir)),
      error(error),
      runtimeDir(getenv("YOLO_RUNTIME_DIR") ? getenv("YOLO_RUNTIME_DIR")
                                            : installedRuntimeDir()) {}

bool Emitter::cuda() const {
  return variants[0].info.family == TargetFamily::Cuda;
}

std::string Emitter::path(StringRef file) const {
  SmallVector<char> p(opts.outputDir.begin(), opts.outputDir.end());
  llvm::sys::path::append(p, file);
  return std::string(p.begin(), p.end());
}

std::string Emitter::shown(StringRef file) const {
  SmallVector<char> p(finalDir.begin(), finalDir.end());
  llvm::sys::path::append(p, file);
  return std::string(p.begin(), p.end());
}

std::string Emitter::kernelSymbol(size_t v, size_t k) const {
  return opts.name + (multi() ? "_v" + std::to_string(v) : "") + "_k" +
         std::to_string(k);
}

std::string Emitter::kernelObject(size_t v, size_t k) const {
  return path((multi() ? "v" + std::to_string(v) + "_" : "") + "k" +
              std::to_string(k) + ".o");
}

std::string Emitter::targetList() const {
  std::string targets;
  for (const ResolvedTarget &v : variants)
    targets += (targets.empty() ? "" : ",") + v.target;
  return targets;
}

LogicalResult Emitter::write(StringRef file, StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path(file), ec);
  if (ec) {
    error = "cannot write '" + path(file) + "': " + ec.message();
    return failure();
  }
  os << text;
  return success();
}

bool Emitter::runTool(ArrayRef<std::string> argv, std::string *out) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program) {
    error = "cannot find '" + argv[0] + "' on PATH";
    return false;
  }
  SmallVector<char> tmp;
  if (out && llvm::sys::fs::createTemporaryFile("yolo-codegen", "txt", tmp)) {
    error = "cannot create a temporary file";
    return false;
  }
  std::string file(tmp.begin(), tmp.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(file),
                                          std::nullopt};
  SmallVector<StringRef> args(argv.begin(), argv.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(
      *program, args, std::nullopt,
      out ? ArrayRef<std::optional<StringRef>>(redirects)
          : ArrayRef<std::optional<StringRef>>(),
      0, 0, &message);
  if (out) {
    std::ifstream in(file);
    out->assign(std::istreambuf_iterator<char>(in),
                std::istreambuf_iterator<char>());
    llvm::sys::fs::remove(file);
  }
  if (rc != 0) {
    std::string cmd;
    for (const std::string &a : argv)
      cmd += a + " ";
    error = "command failed (" + std::to_string(rc) + "): " + cmd + message;
    return false;
  }
  return true;
}

bool Emitter::compileC(const std::string &src, const std::string &obj,
                       ArrayRef<std::string> flags) {
  std::vector<std::string> argv = {cc,
                                   "-O2",
                                   "-std=c11",
                                   "-fPIC",
                                   "-c",
                                   src,
                                   "-o",
                                   obj,
                                   std::string("-I") +
                                       halideRuntimeIncludeDir(),
                                   "-I" + runtimeDir + "/include",
                                   "-I" + opts.outputDir,
                                   "-Wa,-I" + opts.outputDir};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return runTool(argv);
}

/// The C compiler and archiver for the target: --cc/--ar when given, the
/// Debian cross toolchain for arm-64 targets, cc/ar otherwise.
LogicalResult Emitter::selectToolchain() {
  // A cross toolchain for ARM64 unless this compiler runs on ARM64.
#if defined(__aarch64__)
  bool arm = false;
#else
  bool arm = variants[0].arm64;
#endif
  cc = !opts.cc.empty() ? opts.cc : arm ? "aarch64-linux-gnu-gcc" : "cc";
  ar = !opts.ar.empty() ? opts.ar : arm ? "aarch64-linux-gnu-ar" : "ar";
  for (const std::string &tool : {cc, ar}) {
    if (llvm::sys::findProgramByName(tool))
      continue;
    error = "target '" + variants[0].target +
            "' needs the C compiler and archiver '" + cc + "' and '" + ar +
            "', but '" + tool + "' is not on PATH";
    if (arm && opts.cc.empty())
      error += " (Debian: apt-get install g++-aarch64-linux-gnu, or run "
               "scripts/setup.sh; or pass --cc and --ar)";
    else
      error += " (pass --cc and --ar)";
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Generated files: the header, the driver's table, the glue headers
//===----------------------------------------------------------------------===//

/// NAME.h: the model's C API, its sizes and names.
std::string Emitter::header(const ModelPlan &plan) const {
  const std::string &n = opts.name;
  std::string N = upper(n);
  bool cuda = this->cuda();
  std::string targets = targetList();
  std::string h;
  llvm::raw_string_ostream hs(h);
  hs << "/* " << n << ".h - generated by yolo-codegen for target '" << targets
     << "'. Do not edit. */\n"
     << "#ifndef " << N << "_H\n#define " << N << "_H\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n#include "
        "\"yolo_runtime.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  // What the library needs: the exact target(s), never "host".
  if (multi())
    hs << "/* The Halide targets of the variants, most specific first, the\n"
       << "   baseline last; " << n << "_create picks the first this CPU runs "
       << "and\n   refuses a CPU that runs none";
  else
    hs << "/* The Halide target the library was compiled for; " << n
       << "_create\n   refuses a CPU without the features below";
  hs << " (YOLO_ERR_UNSUPPORTED_CPU). The instruction-set\n"
     << "   features each needs (as /proc/cpuinfo names them):";
  for (const ResolvedTarget &v : variants) {
    hs << "\n     " << v.target << ": ";
    if (v.cpuFeatures.empty())
      hs << "(baseline)";
    for (auto [i, f] : llvm::enumerate(v.cpuFeatures))
      hs << (i ? " " : "") << f;
  }
  hs << " */\n";
  hs << "#define " << N << "_TARGET " << cQuote(targets) << "\n";
  hs << "#define " << N << "_NUM_VARIANTS " << variants.size() << "\n";
  if (cuda)
    hs << "#define " << N << "_HAS_RUN_DEVICE 1\n";
  hs << "#define " << N << "_NUM_INPUTS " << plan.inputs.size() << "\n";
  hs << "#define " << N << "_NUM_OUTPUTS " << plan.outputs.size() << "\n";
  auto shapeMacros = [&](StringRef what, unsigned k, const PlanTensor &t) {
    hs << "#define " << N << "_" << what << k << "_NAME \"" << t.name << "\"\n";
    hs << "#define " << N << "_" << what << k << "_RANK " << t.shape.size()
       << "\n";
    hs << "#define " << N << "_" << what << k << "_SHAPE {";
    llvm::interleave(t.shape, hs, ", ");
    hs << "}\n";
    hs << "#define " << N << "_" << what << k << "_ELEMENTS " << t.elements()
       << "\n";
  };
  for (auto [k, t] : llvm::enumerate(plan.inputs))
    shapeMacros("INPUT", k, t);
  for (auto [k, t] : llvm::enumerate(plan.outputs))
    shapeMacros("OUTPUT", k, t);
  if (cuda)
    hs << "/* CUDA: the context holds, in device memory, the scratch below,\n"
          "   the weights (uploaded once, by _create) and one buffer per "
          "input\n"
          "   and output; runs reuse them. */\n";
  else
    hs << "/* Scratch memory the context holds (planned at compile time). */\n";
  hs << "#define " << N << "_SCRATCH_BYTES " << plan.arenaElements * 4
     << "ull\n"
     << "#define " << N << "_WEIGHT_BYTES " << plan.weights.size() * 4
     << "ull\n\n"
     << "typedef struct " << n << "_context " << n << "_context;\n\n"
     << "/* Creates a context with `num_threads` worker threads (1..256).\n"
     << "   Returns YOLO_OK, or an error code with *ctx set to NULL and the\n"
     << "   reason in " << n << "_last_error(NULL)";
  if (cuda)
    hs << ".\n   CUDA: loads the driver (libcuda.so.1), uses the primary "
          "context\n"
       << "   (or YOLO_CUDA_DRIVER), uses the primary context of the device\n"
       << "   HL_GPU_DEVICE names (default 0) and allocates and\n"
       << "   uploads everything; YOLO_ERR_NO_DEVICE without a driver or GPU.\n"
       << "   It installs process-wide Halide handlers (errors, CUDA "
          "context). */\n";
  else
    hs << ".\n   With 2+ threads the context owns num_threads - 1 worker "
          "threads,\n"
       << "   which spin while a run is in progress and sleep between "
          "runs.\n"
       << "   It installs process-wide Halide handlers (errors, parallel "
          "loops,\n"
       << "   memory; loops and allocations outside this library's runs go "
          "to the\n"
       << "   previous ones). The kernels' temporary buffers use the free "
          "part of\n"
       << "   the context's scratch. On Linux the scratch and the weights "
          "(copied\n"
       << "   once, by the first _create, and shared by the contexts) are "
          "on huge\n"
       << "   pages. A run flushes denormal floats to zero (x86 DAZ and "
          "FTZ,\n"
       << "   AArch64 FZ) on every thread it uses and gives the calling "
          "thread\n"
       << "   its own mode back. For benchmarks, YOLO_THREAD_POOL=halide uses "
          "Halide's\n"
       << "   pool, YOLO_SCRATCH=heap the heap, YOLO_HUGEPAGES=0 small pages "
          "and\n"
       << "   YOLO_DENORMALS=keep the caller's floating-point mode. */\n";
  hs << "int " << n << "_create(" << n << "_context **ctx, int num_threads);\n"
     << "void " << n << "_destroy(" << n << "_context *ctx);\n"
     << "/* Changes the thread count for the next runs (restarting the\n"
     << "   workers); YOLO_ERR_BUSY while the context is running. */\n"
     << "int " << n << "_set_threads(" << n
     << "_context *ctx, int num_threads);\n"
     << "/* Runs the model: inputs[k] and outputs[k] are dense row-major f32\n"
     << "   tensors of the shapes above, owned by the caller";
  if (cuda)
    hs << ", in host\n   memory (copied to and from the device)";
  hs << ". A context runs\n"
     << "   one inference at a time: a second concurrent call on the same\n"
     << "   context returns YOLO_ERR_BUSY and leaves the context (its last\n"
     << "   error too) to the running call. */\n"
     << "int " << n << "_run_multi(" << n
     << "_context *ctx, const float *const *inputs, float *const *outputs);\n"
     << "/* One input, one output. */\n"
     << "int " << n << "_run(" << n
     << "_context *ctx, const float *input, float *output);\n";
  if (cuda)
    hs << "/* CUDA: the same on device memory. inputs[k] and outputs[k] are\n"
       << "   CUdeviceptr values (cast to pointers) of dense f32 tensors in "
          "the\n"
       << "   device's primary context (what cudaMalloc returns); nothing is\n"
       << "   copied through the host. Returns once the outputs are written. "
          "*/\n"
       << "int " << n << "_run_device(" << n
       << "_context *ctx, const void *const *inputs, void *const *outputs);\n";
  hs << "/* yolo_status_string(status), exported by --emit=shared libraries,\n"
     << "   which keep the yolo_* runtime inside. */\n"
     << "const char *" << n << "_status_string(int status);\n";
  hs << "/* The target string of the variant this context runs (one of\n"
     << "   " << N << "_TARGET's entries); \"\" for a NULL ctx. */\n"
     << "const char *" << n << "_variant(const " << n << "_context *ctx);\n";
  hs << "/* The message of the last error on this context (\"\" if none);\n"
     << "   with ctx NULL, the reason the last failed " << n
     << "_create on this\n   thread failed. */\n"
     << "const char *" << n << "_last_error(const " << n << "_context *ctx);\n"
     << "\n#ifdef __cplusplus\n}\n#endif\n#endif\n";
  return h;
}

/// The header that maps the fixed programs' model macros (the driver,
/// runner, detector and Python module of runtime/) onto this library's
/// names: YOLO_M(x) is NAME_x, YOLO_M_UPPER(X) is NAME_X, and the element
/// counts, ranks and shapes of the inputs and outputs as initializers.
std::string Emitter::modelGlue(const ModelPlan &plan, StringRef suffix) const {
  const std::string &n = opts.name;
  std::string glue = "/* " + n + suffix.str() +
                     " - generated by yolo-codegen. */\n#include \"" + n +
                     ".h\"\n#define YOLO_M_CAT(a, b) a##b\n"
                     "#define YOLO_M(x) YOLO_M_CAT(" +
                     n + "_, x)\n#define YOLO_M_UPPER(x) YOLO_M_CAT(" +
                     upper(n) + "_, x)\n#define YOLO_M_NAME \"" + n +
                     "\"\n#define YOLO_M_PYINIT PyInit_" + n + "\n";
  std::vector<int64_t> inElements, outElements, outRanks;
  std::string outShapes = "{";
  for (const PlanTensor &t : plan.inputs)
    inElements.push_back(t.elements());
  for (const PlanTensor &t : plan.outputs) {
    outElements.push_back(t.elements());
    outRanks.push_back(t.shape.size());
    outShapes += initializer(t.shape) + ", ";
  }
  // The class names from the model's metadata, as C string literals.
  std::string names = "{";
  for (const std::string &name : plan.classNames) {
    names += "\"";
    for (unsigned char c : name) {
      if (c == '"' || c == '\\')
        names += std::string("\\") + char(c);
      else if (c < 0x20 || c == 0x7f)
        names += "\\" + std::to_string(c >> 6) + std::to_string((c >> 3) & 7) +
                 std::to_string(c & 7);
      else
        names += char(c);
    }
    names += "\", ";
  }
  names += "NULL}";
  return glue + "#define YOLO_M_INPUT_ELEMENTS " + initializer(inElements) +
         "\n#define YOLO_M_OUTPUT_ELEMENTS " + initializer(outElements) +
         "\n#define YOLO_M_OUTPUT_RANKS " + initializer(outRanks) +
         "\n#define YOLO_M_OUTPUT_SHAPES " + outShapes + "}" +
         "\n#define YOLO_M_NUM_CLASS_NAMES " +
         std::to_string(plan.classNames.size()) +
         "\n#define YOLO_M_CLASS_NAMES " + names + "\n";
}

/// NAME_model.h: the glue, and the tables runtime/src/model_driver.c runs
/// (model_driver.h describes them).
LogicalResult Emitter::driverTable(const ModelPlan &plan, std::string &table) {
  const std::string &n = opts.name;
  // The driver's limits (YOLO_VIEW_MAX_RANK, YOLO_KERNEL_MAX_ARITY in
  // runtime/src/model_driver.h).
  const size_t maxRank = 6, maxArity = 5;
  std::vector<size_t> arities;
  for (const KernelDesc &k : plan.kernels) {
    arities.push_back(arity(k));
    if (arities.back() < 1 || arities.back() > maxArity) {
      error = "kernel " + describe(k) + " takes " +
              std::to_string(arities.back()) +
              " buffers; the driver calls 1 "
              "to 5 (internal error)";
      return failure();
    }
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep &s = plan.steps[i];
    auto fail = [&](const Twine &why) {
      error = "step " + std::to_string(i) + " (" + s.name + "): " + why.str() +
              " (internal error)";
      return failure();
    };
    if (s.kernel < 0 || static_cast<size_t>(s.kernel) >= plan.kernels.size())
      return fail("kernel " + Twine(s.kernel) + " does not exist");
    if (s.args.size() != arities[s.kernel])
      return fail(Twine(s.args.size()) + " buffers for kernel " +
                  Twine(s.kernel) + ", which takes " +
                  Twine(arities[s.kernel]));
    for (const PlanView &v : s.args)
      if (v.shape.size() > maxRank || v.shape.size() != v.strides.size())
        return fail("a view of rank " + Twine(v.shape.size()) +
                    "; the driver takes rank 6 at most");
  }

  std::string c;
  llvm::raw_string_ostream cs(c);
  cs << modelGlue(plan, "_model.h") << "#define YOLO_DRIVER_CUDA "
     << (cuda() ? 1 : 0) << "\n#include \"model_driver.h\"\n\n";
  cs << "enum { model_num_kernels = " << plan.kernels.size()
     << ", model_num_steps = " << plan.steps.size() << " };\n\n";
  // Every kernel takes the context's error buffer as Halide's
  // user_context. Each variant has its own copy of every kernel.
  for (size_t v = 0; v < variants.size(); ++v)
    for (size_t k = 0; k < plan.kernels.size(); ++k) {
      cs << "extern int " << kernelSymbol(v, k) << "(void *";
      for (size_t a = 0; a < arities[k]; ++a)
        cs << ", struct halide_buffer_t *";
      cs << ");\n";
    }
  cs << "extern const float " << n << "_weights[];\n\n";
  cs << "static const yolo_kernel_t model_variant_kernels[" << variants.size()
     << "][model_num_kernels + 1] = {\n";
  for (size_t v = 0; v < variants.size(); ++v) {
    cs << "  {";
    for (size_t k = 0; k < plan.kernels.size(); ++k)
      cs << "{" << arities[k] << ", {.k" << arities[k] << " = "
         << kernelSymbol(v, k) << "}}, ";
    cs << "{0, {0}}},\n";
  }
  cs << "};\n";
  // The variants' targets and the CPU features each needs.
  cs << "static const char *const model_variant_targets[] = {";
  for (const ResolvedTarget &v : variants)
    cs << cQuote(v.target) << ", ";
  cs << "NULL};\n";
  for (auto [v, t] : llvm::enumerate(variants)) {
    cs << "static const char *const model_variant_features_" << v << "[] = {";
    for (const std::string &f : t.cpuFeatures)
      cs << cQuote(f) << ", ";
    cs << "NULL};\n";
  }
  cs << "static const char *const *const model_variant_features[] = {";
  for (size_t v = 0; v < variants.size(); ++v)
    cs << "model_variant_features_" << v << ", ";
  cs << "NULL};\n\n";
  // Views: storage kind, index, offset, rank, (extent, stride) per Halide
  // dimension (innermost first); each step's are consecutive.
  cs << "static const yolo_view_t model_views[] = {\n";
  std::vector<size_t> firstView;
  size_t viewCount = 0;
  for (const PlanStep &s : plan.steps) {
    firstView.push_back(viewCount);
    for (const PlanView &v : s.args) {
      int rank = v.shape.size();
      cs << "  {" << static_cast<int>(v.kind) << ", " << v.index << ", "
         << v.offset << ", " << rank << ", {";
      for (int d = 0; d < rank; ++d)
        cs << (d ? ", " : "") << v.shape[rank - 1 - d];
      cs << "}, {";
      for (int d = 0; d < rank; ++d)
        cs << (d ? ", " : "") << v.strides[rank - 1 - d];
      cs << "}},\n";
      ++viewCount;
    }
  }
  cs << "  {0, 0, 0, 0, {0}, {0}}\n};\n\n";
  cs << "static const yolo_step_t model_steps[model_num_steps + 1] = {\n";
  for (auto [i, s] : llvm::enumerate(plan.steps))
    cs << "  {" << s.kernel << ", " << firstView[i] << ", " << s.scratchOffset
       << ", " << s.scratchBytes << ", " << (s.pairsWithNext ? 1 : 0) << "},\n";
  cs << "  {0, 0, 0, 0, 0}\n};\n\n";
  // Names and descriptions as C strings: no quotes or backslashes, at
  // most 120 characters.
  auto cString = [](const std::string &text) {
    std::string name;
    for (char ch : text)
      name += (ch == '"' || ch == '\\') ? '_' : ch;
    if (name.size() > 120)
      name = name.substr(0, 117) + "...";
    return "\"" + name + "\"";
  };
  cs << "static const char *const model_step_names[model_num_steps + 1] = {\n";
  for (const PlanStep &s : plan.steps)
    cs << "  " << cString(s.name) << ",\n";
  cs << "  \"\"\n};\n";
  // For YOLO_PROFILE: each kernel's class, direct FLOPs and description.
  cs << "static const char *const model_kernel_classes[model_num_kernels + "
        "1] = {\n";
  for (const KernelDesc &k : plan.kernels)
    cs << "  \"" << profileClass(k) << "\",\n";
  cs << "  \"\"\n};\n";
  cs << "static const long long model_kernel_flops[model_num_kernels + 1] = "
        "{\n";
  for (const KernelDesc &k : plan.kernels)
    cs << "  " << directFlops(k) << "LL,\n";
  cs << "  0\n};\n";
  cs << "static const char *const model_kernel_descs[model_num_kernels + 1] = "
        "{\n";
  for (const KernelDesc &k : plan.kernels)
    cs << "  " << cString(describe(k)) << ",\n";
  cs << "  \"\"\n};\n";
  table = std::move(c);
  return success();
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

/// The Halide runtime (for the variants' baseline), the core C runtime
/// (status codes, tensor checks, CPU features, post-processing, .npy) into
/// `core`, the image component (decoders, letterbox, drawing) into
/// `image`. Also copies yolo_runtime.h next to the header that includes it.
LogicalResult Emitter::compileRuntimeSources(std::vector<std::string> &core,
                                             std::vector<std::string> &image,
                                             bool withImage) {
  if (std::error_code rc = llvm::sys::fs::copy_file(
          runtimeDir + "/include/yolo_runtime.h", path("yolo_runtime.h"))) {
    error = "cannot copy " + runtimeDir +
            "/include/yolo_runtime.h: " + rc.message();
    return failure();
  }
  std::string err;
  if (!compileRuntime(runtimeTarget(variants), path("halide_runtime.o"), err)) {
    error = "Halide runtime: " + err;
    return failure();
  }
  core = {path("halide_runtime.o")};
  for (const char *stem :
       {"runtime", "cpu", "postprocess", "npy", "pool", "scratch", "pages"}) {
    std::string obj = path(std::string("yolo_rt_") + stem + ".o");
    if (!compileC(runtimeDir + "/src/" + stem + ".c", obj))
      return failure();
    core.push_back(obj);
  }
  image.clear();
  if (withImage) {
    std::string obj = path("yolo_rt_image.o");
    if (!compileC(runtimeDir + "/src/image.c", obj))
      return failure();
    image.push_back(obj);
  }
  return success();
}

/// --emit=python: NAME<EXT_SUFFIX>, a CPython extension module built from
/// runtime/python/yolo_module.c for the interpreter --python names.
LogicalResult Emitter::buildPythonModule(const ModelPlan &plan,
                                         ArrayRef<std::string> model,
                                         ArrayRef<std::string> core,
                                         ArrayRef<std::string> image) {
  const std::string &n = opts.name;
  std::string info;
  if (!runTool({opts.python, "-c",
                "import sysconfig; print(sysconfig.get_paths()['include']);"
                " print(sysconfig.get_config_var('EXT_SUFFIX'))"},
               &info)) {
    error =
        "--emit=python needs a Python interpreter (--python=" + opts.python +
        "): " + error;
    return failure();
  }
  SmallVector<StringRef> lines;
  StringRef(info).trim().split(lines, '\n');
  if (lines.size() != 2 || lines[1].trim().empty()) {
    error = "--python=" + opts.python +
            " did not report its include folder and EXT_SUFFIX";
    return failure();
  }
  std::string include = lines[0].trim().str(), suffix = lines[1].trim().str();
  if (!llvm::sys::fs::exists(include + "/Python.h")) {
    error = "--emit=python: " + include +
            "/Python.h not found (Debian: apt-get install python3-dev)";
    return failure();
  }
  std::string map = "{\n  global: PyInit_" + n + ";\n  local: *;\n};\n";
  if (failed(write(n + "_python.h", modelGlue(plan, "_python.h"))) ||
      failed(write(n + "_python.map", map)))
    return failure();
  std::string module = n + suffix;
  std::vector<std::string> argv = {cc,
                                   "-O2",
                                   "-std=c11",
                                   "-fPIC",
                                   "-shared",
                                   "-include",
                                   path(n + "_python.h"),
                                   runtimeDir + "/python/yolo_module.c",
                                   "-I" + opts.outputDir,
                                   "-I" + runtimeDir + "/include",
                                   "-I" + include,
                                   "-o",
                                   path(module),
                                   "-Wl,--version-script=" +
                                       path(n + "_python.map"),
                                   "-Wl,-z,noexecstack"};
  argv.insert(argv.end(), model.begin(), model.end());
  argv.insert(argv.end(), core.begin(), core.end());
  argv.insert(argv.end(), image.begin(), image.end());
  argv.insert(argv.end(), std::begin(imageLibs), std::end(imageLibs));
  argv.insert(argv.end(), std::begin(systemLibs), std::end(systemLibs));
  if (!runTool(argv))
    return failure();
  deliverables.push_back(module);
  return success();
}

/// NAME.pc next to the library, for pkg-config users.
LogicalResult Emitter::writePkgConfig() {
  const std::string &n = opts.name;
  SmallVector<char> dir(finalDir.begin(), finalDir.end());
  llvm::sys::fs::make_absolute(dir);
  llvm::sys::path::remove_dots(dir, true);
  std::string pc = "# " + n + ".pc - generated by yolo-codegen.\nprefix=" +
                   std::string(dir.begin(), dir.end()) +
                   "\nlibdir=${prefix}\nincludedir=${prefix}\n\nName: " + n +
                   "\nDescription: YOLO model " + n +
                   " compiled by yolo-codegen for " + targetList() +
                   "\nVersion: " + YOLO_VERSION_STRING +
                   "\nCflags: -I${includedir}\nLibs: -L${libdir} -l" + n;
  if (opts.noRuntime)
    pc += " -lyolo_runtime";
  pc += opts.emit == "lib" ? " -lpthread -ldl -lm\n" : "\n";
  if (failed(write(n + ".pc", pc)))
    return failure();
  deliverables.push_back(n + ".pc");
  return success();
}

/// NAME-run: runtime/tools/yolo_run.c with `-include NAME_run.h`.
LogicalResult Emitter::buildRunner(const ModelPlan &plan,
                                   ArrayRef<std::string> linkWith) {
  const std::string &n = opts.name;
  if (failed(write(n + "_run.h", modelGlue(plan, "_run.h"))))
    return failure();
  std::vector<std::string> argv = {cc,
                                   "-O2",
                                   "-std=c11",
                                   "-D_POSIX_C_SOURCE=199309L",
                                   runtimeDir + "/tools/yolo_run.c",
                                   "-include",
                                   path(n + "_run.h"),
                                   "-o",
                                   path(n + "-run"),
                                   "-I" + opts.outputDir,
                                   "-I" + runtimeDir + "/include"};
  argv.insert(argv.end(), linkWith.begin(), linkWith.end());
  argv.insert(argv.end(), std::begin(systemLibs), std::end(systemLibs));
  if (!runTool(argv))
    return failure();
  deliverables.push_back(n + "-run");
  if (opts.verbose)
    llvm::errs() << "yolo-codegen: wrote " << shown(n + "-run") << "\n";
  return success();
}

/// NAME-detect: runtime/tools/yolo_detect.c with `-include NAME_detect.h`.
LogicalResult Emitter::buildDetector(const ModelPlan &plan,
                                     ArrayRef<std::string> image,
                                     ArrayRef<std::string> linkWith) {
  const std::string &n = opts.name;
  if (failed(write(n + "_detect.h", modelGlue(plan, "_detect.h"))))
    return failure();
  std::vector<std::string> argv = {cc,
                                   "-O2",
                                   "-std=c11",
                                   "-D_POSIX_C_SOURCE=199309L",
                                   runtimeDir + "/tools/yolo_detect.c",
                                   "-include",
                                   path(n + "_detect.h"),
                                   "-o",
                                   path(n + "-detect"),
                                   "-I" + opts.outputDir,
                                   "-I" + runtimeDir + "/include"};
  argv.insert(argv.end(), image.begin(), image.end());
  argv.insert(argv.end(), linkWith.begin(), linkWith.end());
  argv.insert(argv.end(), std::begin(imageLibs), std::end(imageLibs));
  argv.insert(argv.end(), std::begin(systemLibs), std::end(systemLibs));
  if (!runTool(argv))
    return failure();
  deliverables.push_back(n + "-detect");
  if (opts.verbose)
    llvm::errs() << "yolo-codegen: wrote " << shown(n + "-detect") << "\n";
  return success();
}

LogicalResult Emitter::emitModel(const ModelPlan &plan) {
  const std::string &n = opts.name;
  // Weights: one blob, embedded with .incbin.
  {
    std::ofstream blob(path(n + "_weights.bin"), std::ios::binary);
    blob.write(reinterpret_cast<const char *>(plan.weights.data()),
               plan.weights.size() * sizeof(float));
    if (!blob) {
      error = "cannot write " + path(n + "_weights.bin");
      return failure();
    }
  }
  std::string s = "  .section .rodata\n  .balign 64\n  .globl " + n +
                  "_weights\n" + n + "_weights:\n  .incbin \"" + n +
                  "_weights.bin\"\n" +
                  "  .section .note.GNU-stack,\"\",%progbits\n";
  std::string table;
  if (failed(write(n + "_weights.S", s)) ||
      failed(write(n + ".h", header(plan))) ||
      failed(driverTable(plan, table)) || failed(write(n + "_model.h", table)))
    return failure();

  std::vector<std::string> model;
  for (size_t v = 0; v < variants.size(); ++v)
    for (size_t k = 0; k < plan.kernels.size(); ++k)
      model.push_back(kernelObject(v, k));
  std::vector<std::string> core, image;
  if (failed(compileRuntimeSources(core, image,
                                   opts.emitDetector || opts.emit == "python")))
    return failure();
  // The driver: the same C for every model, with this model's table.
  if (!compileC(runtimeDir + "/src/model_driver.c", path(n + "_driver.o"),
                {"-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
                 "-I" + runtimeDir + "/src", "-include", path(n + "_model.h")}))
    return failure();
  model.push_back(path(n + "_driver.o"));
  if (!compileC(path(n + "_weights.S"), path(n + "_weights.o")))
    return failure();
  model.push_back(path(n + "_weights.o"));
  deliverables = {n + ".h", "yolo_runtime.h"};

  // What the library holds: the model, and (unless --no-runtime) the Halide
  // runtime and the core C runtime. The image component (decoders,
  // letterbox, drawing) only goes into programs that read images.
  std::vector<std::string> objects = model;
  if (!opts.noRuntime)
    objects.insert(objects.end(), core.begin(), core.end());
  std::vector<std::string> linkWith; // how the runner and detector link
  if (opts.emit == "lib") {
    std::string lib = path("lib" + n + ".a");
    llvm::sys::fs::remove(lib);
    std::vector<std::string> argv = {ar, "rcs", lib};
    argv.insert(argv.end(), objects.begin(), objects.end());
    if (!runTool(argv))
      return failure();
    deliverables.push_back("lib" + n + ".a");
    linkWith = {lib};
  } else if (opts.emit == "obj") {
    // One relocatable object holding everything the library would.
    std::vector<std::string> argv = {cc, "-r", "-nostdlib", "-o",
                                     path(n + ".o")};
    argv.insert(argv.end(), objects.begin(), objects.end());
    if (!runTool(argv))
      return failure();
    deliverables.push_back(n + ".o");
    linkWith = {path(n + ".o")};
  } else if (opts.emit == "shared") {
    // Exports the NAME_* API alone (a version script): the kernels, the
    // weights, the Halide runtime and the yolo_* runtime stay inside, so
    // several models' libraries load side by side.
    std::string map = "{\n  global:\n";
    for (const char *fn : {"create", "destroy", "set_threads", "run_multi",
                           "run", "last_error", "variant", "status_string"})
      map += "    " + n + "_" + fn + ";\n";
    if (cuda())
      map += "    " + n + "_run_device;\n";
    map += "  local: *;\n};\n";
    if (failed(write(n + ".map", map)))
      return failure();
    std::vector<std::string> argv = {cc,
                                     "-shared",
                                     "-o",
                                     path("lib" + n + ".so"),
                                     "-Wl,-soname,lib" + n + ".so",
                                     "-Wl,--version-script=" + path(n + ".map"),
                                     "-Wl,-z,noexecstack"};
    argv.insert(argv.end(), objects.begin(), objects.end());
    argv.insert(argv.end(), std::begin(systemLibs), std::end(systemLibs));
    if (!runTool(argv))
      return failure();
    deliverables.push_back("lib" + n + ".so");
    // The yolo_* helpers the runner uses are not exported: its own copy
    // (not the thread pool, the scratch or the pages, which are the
    // driver's; the first two need Halide's runtime).
    linkWith = {path("lib" + n + ".so"), "-Wl,-rpath,$ORIGIN"};
    for (const std::string &o : core)
      if (!StringRef(o).ends_with("halide_runtime.o") &&
          !StringRef(o).ends_with("yolo_rt_pool.o") &&
          !StringRef(o).ends_with("yolo_rt_scratch.o") &&
          !StringRef(o).ends_with("yolo_rt_pages.o"))
        linkWith.push_back(o);
  } else { // python
    if (failed(buildPythonModule(plan, model, core, image)))
      return failure();
    linkWith = model;
  }
  if (opts.noRuntime || opts.emit == "python")
    linkWith.insert(linkWith.end(), core.begin(), core.end());
  if (opts.emit == "lib" || opts.emit == "shared") {
    if (failed(writePkgConfig()))
      return failure();
  }
  if (opts.verbose) {
    // The library (or module) and its header, then the rest.
    llvm::errs() << "yolo-codegen: wrote " << shown(deliverables[2]) << " and "
                 << shown(deliverables[0]) << " (with";
    for (size_t i = 1; i < deliverables.size(); ++i)
      if (i != 2)
        llvm::errs() << " " << deliverables[i];
    llvm::errs() << ")\n";
  }
  if (opts.emitRunner && failed(buildRunner(plan, linkWith)))
    return failure();
  if (opts.emitDetector && failed(buildDetector(plan, image, linkWith)))
    return failure();
  return success();
}

/// The runtime libraries alone (generateRuntime): libyolo_runtime.a (the
/// Halide runtime and the core C runtime) and libyolo_image.a (image
/// decoding, letterbox, drawing; links with -ljpeg -lpng -lz), with their
/// headers.
LogicalResult Emitter::emitRuntime() {
  std::vector<std::string> core, image;
  if (failed(compileRuntimeSources(core, image, /*withImage=*/true)))
    return failure();
  deliverables = {"yolo_runtime.h", "yolo_image.h", "yolo_npy.h"};
  for (const char *h : {"yolo_image.h", "yolo_npy.h"})
    if (std::error_code rc =
            llvm::sys::fs::copy_file(runtimeDir + "/include/" + h, path(h))) {
      error =
          "cannot copy " + runtimeDir + "/include/" + h + ": " + rc.message();
      return failure();
    }
  for (auto [lib, objects] : {std::make_pair("libyolo_runtime.a", &core),
                              std::make_pair("libyolo_image.a", &image)}) {
    std::vector<std::string> argv = {ar, "rcs", path(lib)};
    argv.insert(argv.end(), objects->begin(), objects->end());
    if (!runTool(argv))
      return failure();
    deliverables.push_back(lib);
  }
  if (opts.verbose) {
    llvm::errs() << "yolo-codegen: wrote " << shown("libyolo_runtime.a")
                 << " (Halide runtime for " << runtimeTarget(variants)
                 << ", yolo runtime) and " << shown("libyolo_image.a")
                 << " (link it with -ljpeg -lpng -lz)\n";
  }
  return success();
}
