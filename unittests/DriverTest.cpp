//===- DriverTest.cpp - the C driver and runner of compiled models --------===//
//
// runtime/src/model_driver.c and runtime/tools/yolo_run.c, the C that
// yolo-codegen compiles into every model, built (runtime/CMakeLists.txt)
// with a hand-written test model: runtime/test/tm_model.h, three steps of
// two kernels that are tiny C functions, in two variants. The expected
// numbers are worked out by hand in the comments; the messages are those
// the generated C API has always given (test/Target/c-api.test checks
// them on a real model).
//
//===----------------------------------------------------------------------===//

#include "HalideRuntime.h"
#include "ScopedEnv.h"
#include "fpenv.h"
#include "pages.h"
#include "tm.h"
#include "tm_test.h"
#include "yolo_npy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

// images = 1..8; the add puts weights[16..24) = 10, 20, ..., 80 on them:
// scratch = 11, 22, ..., 88. sum = 2 * scratch; right = 2 * scratch[:, :,
// 2:4] = 2 * {33, 44, 77, 88}.
const std::vector<float> kImages = {1, 2, 3, 4, 5, 6, 7, 8};
const std::vector<float> kSum = {22, 44, 66, 88, 110, 132, 154, 176};
const std::vector<float> kRight = {66, 88, 154, 176};

/// The variant this CPU should get: the first whose features it has
/// (yolo_cpu_has is the runtime's CPU check, tested in RuntimeTest.cpp).
int expectedVariant() { return yolo_cpu_has(TM_FAST_FEATURE) == 1 ? 0 : 1; }

struct Context {
  tm_context *ctx = nullptr;
  ~Context() { tm_destroy(ctx); }
};

int runModel(tm_context *ctx, std::vector<float> &sum,
             std::vector<float> &right) {
  sum.assign(8, -1);
  right.assign(4, -1);
  const float *in[] = {kImages.data()};
  float *out[] = {sum.data(), right.data()};
  return tm_run_multi(ctx, in, out);
}

//===----------------------------------------------------------------------===//
// Create, run, destroy
//===----------------------------------------------------------------------===//

TEST(Driver, RunsTheStepsOnTheirViews) {
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 3), YOLO_OK) << tm_last_error(nullptr);
  ASSERT_NE(c.ctx, nullptr);
  EXPECT_STREQ(tm_last_error(nullptr), "");
  std::vector<float> sum, right;
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK) << tm_last_error(c.ctx);
  EXPECT_EQ(sum, kSum);
  EXPECT_EQ(right, kRight);
  EXPECT_STREQ(tm_last_error(c.ctx), "");
  // The context's thread count reaches Halide at each run.
  EXPECT_EQ(tm_num_threads, 3);
  ASSERT_EQ(tm_set_threads(c.ctx, 5), YOLO_OK);
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
  EXPECT_EQ(tm_num_threads, 5);
  EXPECT_EQ(sum, kSum);
}

// The add kernel is a parallel loop (tm_kernels.c). With 2+ threads it
// runs on the context's pool (pool.h), not on the handler installed before
// (the stand-in default, which counts its loops); with 1 thread, after
// set_threads(1), or with YOLO_THREAD_POOL=halide it goes to the default.
TEST(Driver, ParallelLoopsRunOnTheContextsPool) {
  std::vector<float> sum, right;
  {
    Context c;
    ASSERT_EQ(tm_create(&c.ctx, 2), YOLO_OK);
    int before = tm_default_par_for_calls();
    for (int run = 0; run < 20; ++run) {
      ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
      EXPECT_EQ(sum, kSum);
      EXPECT_EQ(right, kRight);
    }
    EXPECT_EQ(tm_default_par_for_calls(), before);
    ASSERT_EQ(tm_set_threads(c.ctx, 1), YOLO_OK);
    ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
    EXPECT_EQ(sum, kSum);
    EXPECT_EQ(tm_default_par_for_calls(), before + 1);
    ASSERT_EQ(tm_set_threads(c.ctx, 4), YOLO_OK);
    ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
    EXPECT_EQ(sum, kSum);
    EXPECT_EQ(tm_default_par_for_calls(), before + 1);
  }
  ScopedEnv halide("YOLO_THREAD_POOL", "halide");
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 2), YOLO_OK);
  int before = tm_default_par_for_calls();
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
  EXPECT_EQ(sum, kSum);
  EXPECT_EQ(tm_default_par_for_calls(), before + 1);
}

// The mode the add kernel ran in (tm_hook).
uint64_t seenMode;

// A run flushes denormals (fpenv.h) and gives the caller its own mode
// back, whether the caller had the flush or not; YOLO_DENORMALS=keep at
// create leaves the caller's mode. (That workers take the mode:
// PoolTest's WorkersRunTasksInTheOwnersFloatingPointMode; the results:
// test/Target/denormals.test.)
TEST(Driver, RunsWithDenormalsFlushedAndGivesTheCallersModeBack) {
  const uint64_t flush = YOLO_FPENV_FLUSH_BITS;
  if (flush == 0)
    GTEST_SKIP() << "no flush mode on this architecture";
  // Puts the hook and this thread's mode back, whatever fails.
  struct Restore {
    uint64_t mode = yolo_fpenv_get();
    ~Restore() {
      tm_hook = nullptr;
      yolo_fpenv_set(mode);
    }
  } restore;
  const uint64_t caller = restore.mode;
  tm_hook = [] { seenMode = yolo_fpenv_get(); };
  std::vector<float> sum, right;
  for (uint64_t callerBits : {uint64_t(0), flush}) {
    yolo_fpenv_set((caller & ~flush) | callerBits);
    for (int threads : {1, 2}) {
      Context c;
      ASSERT_EQ(tm_create(&c.ctx, threads), YOLO_OK);
      seenMode = ~flush;
      ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
      EXPECT_EQ(sum, kSum);
      EXPECT_EQ(seenMode & flush, flush) << threads << " thread(s)";
      EXPECT_EQ(yolo_fpenv_get() & flush, callerBits)
          << threads << " thread(s)";
    }
    ScopedEnv keep("YOLO_DENORMALS", "keep");
    Context c;
    ASSERT_EQ(tm_create(&c.ctx, 2), YOLO_OK);
    seenMode = ~callerBits & flush;
    ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
    EXPECT_EQ(seenMode & flush, callerBits);
    EXPECT_EQ(yolo_fpenv_get() & flush, callerBits);
  }
}

TEST(Driver, StatusStringIsTheRuntimes) {
  EXPECT_STREQ(tm_status_string(YOLO_ERR_BUSY),
               yolo_status_string(YOLO_ERR_BUSY));
  EXPECT_STREQ(tm_status_string(YOLO_OK), yolo_status_string(YOLO_OK));
}

TEST(Driver, DestroyNullIsANoOp) { tm_destroy(nullptr); }

// The weights the kernels read are one copy (pages.h: on huge pages),
// made at the first create and shared by the contexts until the last is
// destroyed (tm_model.h has the copy made for its 96 bytes). With
// YOLO_HUGEPAGES=0, or on a system without transparent huge pages, they
// read the library's own. Freeing the copy while a context uses it would
// show here under the sanitizers.
TEST(Driver, ContextsShareOneCopyOfTheWeights) {
  if (yolo_pages_thp_never())
    GTEST_SKIP() << "no transparent huge pages here: the weights are read "
                    "in place";
  const float *own = tm_weights + 16; // the add's view
  std::vector<float> sum, right;
  const float *copy = nullptr;
  {
    Context a, b;
    ASSERT_EQ(tm_create(&a.ctx, 1), YOLO_OK);
    ASSERT_EQ(runModel(a.ctx, sum, right), YOLO_OK);
    copy = tm_last_weights;
    EXPECT_NE(copy, own);
    EXPECT_EQ(sum, kSum);
    ASSERT_EQ(tm_create(&b.ctx, 2), YOLO_OK);
    ASSERT_EQ(runModel(b.ctx, sum, right), YOLO_OK);
    EXPECT_EQ(tm_last_weights, copy);
    tm_destroy(a.ctx);
    a.ctx = nullptr;
    ASSERT_EQ(runModel(b.ctx, sum, right), YOLO_OK);
    EXPECT_EQ(tm_last_weights, copy);
    EXPECT_EQ(sum, kSum);
    EXPECT_EQ(right, kRight);
  }
  {
    // After the last destroy, a new context makes a new copy.
    Context c;
    ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
    ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
    EXPECT_NE(tm_last_weights, own);
    EXPECT_EQ(sum, kSum);
  }
  ScopedEnv small("YOLO_HUGEPAGES", "0");
  Context d;
  ASSERT_EQ(tm_create(&d.ctx, 1), YOLO_OK);
  ASSERT_EQ(runModel(d.ctx, sum, right), YOLO_OK);
  EXPECT_EQ(tm_last_weights, own);
  EXPECT_EQ(sum, kSum);
  EXPECT_EQ(right, kRight);
}

//===----------------------------------------------------------------------===//
// Bad arguments
//===----------------------------------------------------------------------===//

TEST(Driver, CreateRefusesBadArguments) {
  EXPECT_EQ(tm_create(nullptr, 1), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(tm_last_error(nullptr), "ctx is NULL");
  tm_context *ctx = reinterpret_cast<tm_context *>(&ctx);
  for (int threads : {0, 257, -3}) {
    EXPECT_EQ(tm_create(&ctx, threads), YOLO_ERR_BAD_THREADS);
    EXPECT_EQ(ctx, nullptr);
    EXPECT_EQ(std::string(tm_last_error(nullptr)),
              "num_threads must be in [1, 256], got " +
                  std::to_string(threads));
  }
  // A good create clears the reason of the last failed one.
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 256), YOLO_OK);
  EXPECT_STREQ(tm_last_error(nullptr), "");
}

TEST(Driver, RunRefusesBadArguments) {
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
  std::vector<float> sum(8), right(4);
  const float *in[] = {kImages.data()}, *noIn[] = {nullptr};
  float *out[] = {sum.data(), right.data()};
  float *noOut[] = {sum.data(), nullptr};
  EXPECT_EQ(tm_run_multi(nullptr, in, out), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(tm_run_multi(c.ctx, nullptr, out), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(tm_last_error(c.ctx), "inputs is NULL");
  EXPECT_EQ(tm_run_multi(c.ctx, in, nullptr), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(tm_last_error(c.ctx), "outputs is NULL");
  EXPECT_EQ(tm_run_multi(c.ctx, noIn, out), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(tm_last_error(c.ctx), "inputs[0] is NULL");
  EXPECT_EQ(tm_run_multi(c.ctx, in, noOut), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_STREQ(tm_last_error(c.ctx), "outputs[1] is NULL");
  EXPECT_EQ(right, std::vector<float>(4, 0)) << "written by a refused run";
  // Two outputs: the one-output entry point refuses.
  EXPECT_EQ(tm_run(nullptr, kImages.data(), sum.data()),
            YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(tm_run(c.ctx, kImages.data(), sum.data()), YOLO_ERR_BAD_ARGUMENT);
  EXPECT_STREQ(tm_last_error(c.ctx),
               "the model has 1 inputs and 2 outputs: use tm_run_multi");
  EXPECT_EQ(tm_set_threads(nullptr, 1), YOLO_ERR_NULL_ARGUMENT);
  EXPECT_EQ(tm_set_threads(c.ctx, 1000), YOLO_ERR_BAD_THREADS);
  EXPECT_STREQ(tm_last_error(c.ctx),
               "num_threads must be in [1, 256], got 1000");
  // A good run clears the error.
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
  EXPECT_STREQ(tm_last_error(c.ctx), "");
}

//===----------------------------------------------------------------------===//
// Kernel failures
//===----------------------------------------------------------------------===//

TEST(Driver, AKernelFailureNamesTheStepAndHalidesMessage) {
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
  std::vector<float> sum, right;
  // Step 1 is the first call of kernel 1; Halide's message comes after
  // the step, without its trailing space and newline; the code maps to a
  // status.
  struct Case {
    int code, status;
  } cases[] = {
      {halide_error_code_out_of_memory, YOLO_ERR_OUT_OF_MEMORY},
      {halide_error_code_device_malloc_failed, YOLO_ERR_OUT_OF_MEMORY},
      {halide_error_code_buffer_allocation_too_large, YOLO_ERR_OUT_OF_MEMORY},
      {halide_error_code_gpu_device_error, YOLO_ERR_NO_DEVICE},
      {halide_error_code_device_interface_no_device, YOLO_ERR_NO_DEVICE},
      {halide_error_code_generic_error, YOLO_ERR_INTERNAL}};
  for (const Case &k : cases) {
    tm_fail_code = k.code;
    EXPECT_EQ(runModel(c.ctx, sum, right), k.status) << k.code;
    EXPECT_EQ(std::string(tm_last_error(c.ctx)),
              "step 1 (scale_1) failed with Halide error " +
                  std::to_string(k.code) + ": injected failure");
  }
  // The context is usable again, and not busy.
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK) << tm_last_error(c.ctx);
  EXPECT_EQ(right, kRight);
}

//===----------------------------------------------------------------------===//
// One run at a time
//===----------------------------------------------------------------------===//

std::atomic<int> entered{0}, released{0};

void waitInKernel() {
  entered = 1;
  while (!released)
    std::this_thread::yield();
}

TEST(Driver, ASecondConcurrentRunIsBusy) {
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
  entered = 0;
  released = 0;
  tm_hook = waitInKernel;
  std::vector<float> sum, right;
  int first = -1;
  std::thread runner([&] { first = runModel(c.ctx, sum, right); });
  while (!entered)
    std::this_thread::yield();
  tm_hook = nullptr;
  std::vector<float> sum2(8, -1), right2(4, -1);
  const float *in[] = {kImages.data()};
  float *out[] = {sum2.data(), right2.data()};
  EXPECT_EQ(tm_run_multi(c.ctx, in, out), YOLO_ERR_BUSY);
  // Its threads cannot change under it either.
  EXPECT_EQ(tm_set_threads(c.ctx, 2), YOLO_ERR_BUSY);
  // The context, its error too, is left to the running call.
  EXPECT_STREQ(tm_last_error(c.ctx), "");
  EXPECT_EQ(sum2, std::vector<float>(8, -1));
  released = 1;
  runner.join();
  EXPECT_EQ(first, YOLO_OK);
  EXPECT_EQ(sum, kSum);
  EXPECT_EQ(right, kRight);
  // Free again.
  EXPECT_EQ(tm_run_multi(c.ctx, in, out), YOLO_OK);
  EXPECT_EQ(sum2, kSum);
}

//===----------------------------------------------------------------------===//
// Variants
//===----------------------------------------------------------------------===//

TEST(Driver, CreatePicksTheFirstVariantTheCpuRuns) {
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
  int v = expectedVariant();
  EXPECT_STREQ(tm_variant(c.ctx), v == 0 ? "tm-fast" : "tm-base");
  EXPECT_STREQ(tm_variant(nullptr), "");
  std::vector<float> sum, right;
  tm_last_variant = -1;
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
  EXPECT_EQ(tm_last_variant, v) << "the kernels of another variant ran";
}

TEST(Driver, WithoutTheFastFeatureTheBaselineRuns) {
  ScopedEnv env("YOLO_CPU_DISABLE", TM_FAST_FEATURE);
  Context c;
  ASSERT_EQ(tm_create(&c.ctx, 1), YOLO_OK);
  EXPECT_STREQ(tm_variant(c.ctx), "tm-base");
  std::vector<float> sum, right;
  tm_last_variant = -1;
  ASSERT_EQ(runModel(c.ctx, sum, right), YOLO_OK);
  EXPECT_EQ(tm_last_variant, 1);
  EXPECT_EQ(sum, kSum);
  EXPECT_EQ(right, kRight);
}

TEST(Driver, ACpuWithoutTheBaselineIsRefused) {
  ScopedEnv env("YOLO_CPU_DISABLE", TM_BASE_FEATURE);
  tm_context *ctx = nullptr;
  EXPECT_EQ(tm_create(&ctx, 1), YOLO_ERR_UNSUPPORTED_CPU);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_EQ(std::string(tm_last_error(nullptr)),
            "this library was built for tm-fast,tm-base; this CPU runs none "
            "of its variants: the baseline, tm-base, needs " TM_BASE_FEATURE
            ", which this CPU lacks");
}

//===----------------------------------------------------------------------===//
// Profiling (YOLO_PROFILE)
//===----------------------------------------------------------------------===//

std::string profilePath(const char *name) {
  return (std::filesystem::temp_directory_path() /
          ("yolo-driver-test-" + std::to_string(getpid()) + "-" + name))
      .string();
}

std::vector<std::string> readLines(const std::string &path) {
  std::vector<std::string> lines;
  FILE *f = fopen(path.c_str(), "r");
  if (!f)
    return lines;
  std::string line;
  for (int ch; (ch = fgetc(f)) != EOF;) {
    if (ch != '\n') {
      line += static_cast<char>(ch);
      continue;
    }
    lines.push_back(line);
    line.clear();
  }
  fclose(f);
  return lines;
}

std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> parts(1);
  for (char ch : text)
    if (ch == sep)
      parts.emplace_back();
    else
      parts.back() += ch;
  return parts;
}

// Each successful run's kernel calls are timed; NAME_destroy writes them,
// with the tables' class, FLOPs and description of each step's kernel.
TEST(Driver, ProfileTimesEachStepOfEachRun) {
  std::string path = profilePath("profile");
  ScopedEnv env("YOLO_PROFILE", path.c_str());
  tm_context *ctx = nullptr;
  ASSERT_EQ(tm_create(&ctx, 2), YOLO_OK);
  // The add sleeps 2 ms: its times are at least that.
  tm_hook = [] { usleep(2000); };
  std::vector<float> sum, right;
  ASSERT_EQ(runModel(ctx, sum, right), YOLO_OK);
  // A failed run is not recorded.
  tm_fail_code = halide_error_code_generic_error;
  ASSERT_NE(runModel(ctx, sum, right), YOLO_OK);
  ASSERT_EQ(runModel(ctx, sum, right), YOLO_OK);
  tm_hook = nullptr;
  EXPECT_EQ(sum, kSum);
  tm_destroy(ctx);
  std::vector<std::string> lines = readLines(path);
  std::remove(path.c_str());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], std::string("# yolo-profile 1 model=tm variant=") +
                          (expectedVariant() == 0 ? "tm-fast" : "tm-base") +
                          " threads=2 steps=3 runs=2");
  const char *expected[][6] = {
      {"0", "elementwise", "0", "0", "add_0", "add (test kernel)"},
      {"1", "elementwise", "0", "1", "scale_1", "scale (test kernel)"},
      {"2", "elementwise", "0", "1", "scale_2+slice_3", "scale (test kernel)"}};
  for (int s = 0; s < 3; ++s) {
    std::vector<std::string> fields = split(lines[s + 1], '\t');
    ASSERT_EQ(fields.size(), 7u) << lines[s + 1];
    for (int f = 0; f < 6; ++f)
      EXPECT_EQ(fields[f], expected[s][f]) << lines[s + 1];
    std::vector<std::string> times = split(fields[6], ',');
    ASSERT_EQ(times.size(), 2u) << lines[s + 1];
    for (const std::string &t : times) {
      double ms = std::stod(t);
      EXPECT_GE(ms, s == 0 ? 2.0 : 0.0) << lines[s + 1];
      EXPECT_LT(ms, 10000.0) << lines[s + 1];
    }
  }
}

// The first 256 runs are kept.
TEST(Driver, ProfileKeepsTheFirst256Runs) {
  std::string path = profilePath("many");
  ScopedEnv env("YOLO_PROFILE", path.c_str());
  tm_context *ctx = nullptr;
  ASSERT_EQ(tm_create(&ctx, 1), YOLO_OK);
  std::vector<float> sum, right;
  for (int r = 0; r < 260; ++r)
    ASSERT_EQ(runModel(ctx, sum, right), YOLO_OK);
  EXPECT_EQ(right, kRight);
  tm_destroy(ctx);
  std::vector<std::string> lines = readLines(path);
  std::remove(path.c_str());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find(" runs=256"), std::string::npos) << lines[0];
  EXPECT_EQ(split(split(lines[3], '\t').back(), ',').size(), 256u);
}

// Empty or unset: nothing is timed or written (an empty name would be an
// unwritable file, reported on stderr).
TEST(Driver, NoProfileWithoutYoloProfile) {
  ScopedEnv env("YOLO_PROFILE", "");
  for (bool unset : {false, true}) {
    if (unset)
      unsetenv("YOLO_PROFILE");
    testing::internal::CaptureStderr();
    tm_context *ctx = nullptr;
    ASSERT_EQ(tm_create(&ctx, 1), YOLO_OK);
    std::vector<float> sum, right;
    EXPECT_EQ(runModel(ctx, sum, right), YOLO_OK);
    tm_destroy(ctx);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << unset;
  }
}

// A file that cannot be written: stderr names it and why; the context is
// destroyed all the same.
TEST(Driver, AnUnwritableProfileIsReported) {
  std::string path = profilePath("no-such-dir") + "/p.prof";
  ScopedEnv env("YOLO_PROFILE", path.c_str());
  tm_context *ctx = nullptr;
  ASSERT_EQ(tm_create(&ctx, 1), YOLO_OK);
  std::vector<float> sum, right;
  ASSERT_EQ(runModel(ctx, sum, right), YOLO_OK);
  testing::internal::CaptureStderr();
  tm_destroy(ctx);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "tm: cannot write the profile (YOLO_PROFILE) " + path +
                ": No such file or directory\n");
}

//===----------------------------------------------------------------------===//
// The runner
//===----------------------------------------------------------------------===//

class Runner : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("yolo-driver-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    yolo_tensor x{};
    x.data = const_cast<float *>(kImages.data());
    x.rank = 3;
    x.shape[0] = 1;
    x.shape[1] = 2;
    x.shape[2] = 4;
    char err[256];
    ASSERT_EQ(yolo_npy_write(file("x.npy").c_str(), &x, err, sizeof err),
              YOLO_OK)
        << err;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string file(const std::string &name) const { return dir / name; }
  /// Runs yolo-test-model-run with `args`; returns its exit status and
  /// its standard output and error in `output`.
  int run(const std::string &args, std::string &output) {
    std::string cmd = std::string(YOLO_TEST_MODEL_RUN) + " " + args + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
      return -1;
    char buf[512];
    output.clear();
    while (size_t n = fread(buf, 1, sizeof buf, p))
      output.append(buf, n);
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::vector<float> read(const std::string &name,
                          std::vector<int64_t> &shape) {
    yolo_tensor y{};
    char err[256];
    EXPECT_EQ(yolo_npy_read(file(name).c_str(), &y, err, sizeof err), YOLO_OK)
        << err;
    shape.assign(y.shape, y.shape + y.rank);
    int64_t n = 1;
    for (int d = 0; d < y.rank; ++d)
      n *= y.shape[d];
    std::vector<float> v(y.data, y.data + (y.data ? n : 0));
    yolo_npy_free(&y);
    return v;
  }
  std::filesystem::path dir;
};

TEST_F(Runner, WritesTheOutputsAndTheTimes) {
  std::string out;
  ASSERT_EQ(run("--input " + file("x.npy") + " --output " + file("s.npy") +
                    " --output " + file("r.npy") +
                    " --repeat 3 --warmup 1 --threads 2 --verbose",
                out),
            0)
      << out;
  EXPECT_NE(out.find("variant: tm-"), std::string::npos) << out;
  EXPECT_NE(out.find(" (of tm-fast,tm-base)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("runs=3 threads=2 median_ms="), std::string::npos) << out;
  std::vector<int64_t> shape;
  EXPECT_EQ(read("s.npy", shape), kSum);
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(read("r.npy", shape), kRight);
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 2, 2}));
}

TEST_F(Runner, RefusesBadArgumentsAndInputs) {
  std::string out;
  std::string x = "--input " + file("x.npy");
  EXPECT_EQ(run(x + " --output a --output b --output c", out), 2);
  EXPECT_NE(out.find("error: the model has 2 output(s)"), std::string::npos)
      << out;
  EXPECT_EQ(run(x + " --repeat 0", out), 2);
  EXPECT_NE(out.find("usage: "), std::string::npos) << out;
  EXPECT_EQ(run("--input " + file("missing.npy"), out), 1);
  EXPECT_NE(out.find("error: "), std::string::npos) << out;
  // A tensor of the wrong shape: the runner checks it against the
  // model's input.
  yolo_tensor y{};
  float data[4] = {0};
  y.data = data;
  y.rank = 2;
  y.shape[0] = 2;
  y.shape[1] = 2;
  char err[256];
  ASSERT_EQ(yolo_npy_write(file("bad.npy").c_str(), &y, err, sizeof err),
            YOLO_OK);
  EXPECT_EQ(run("--input " + file("bad.npy"), out), 1);
  EXPECT_NE(out.find("error: " + file("bad.npy") + ": "), std::string::npos)
      << out;
  EXPECT_NE(out.find("images"), std::string::npos) << out;
  // A failed create: its reason.
  ScopedEnv env("YOLO_CPU_DISABLE", TM_BASE_FEATURE);
  EXPECT_EQ(run(x, out), 1);
  EXPECT_NE(out.find("error: cannot create the context: unsupported CPU: "
                     "this library was built for tm-fast,tm-base"),
            std::string::npos)
      << out;
}

} // namespace
