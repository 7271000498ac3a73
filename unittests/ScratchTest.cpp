//===- ScratchTest.cpp - kernels' temporary buffers (runtime/src/scratch.c)
//===//
//
// The scratch through halide_malloc / halide_free as kernels call them
// (the test model's stand-ins, runtime/test/tm_kernels.c, dispatch to the
// custom allocator it installs): large buffers of a bound thread come from
// its slot of the step's memory, aligned, and their space returns when
// they are freed, in any order; small ones, those that do not fit and
// those of unbound threads go to the heap; a buffer that outlives its
// kernel call stops the scratch; a pool's workers use their own slots.
//
//===----------------------------------------------------------------------===//

#include "scratch.h"
#include "pool.h"

#include "HalideRuntime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace {

constexpr size_t KB = 1024;

struct Scratch {
  explicit Scratch(int threads) : s(yolo_scratch_create(threads)) {}
  ~Scratch() {
    yolo_scratch_bind(nullptr, 0);
    yolo_scratch_destroy(s);
  }
  yolo_scratch_stats_t stats() const {
    yolo_scratch_stats_t st = {};
    yolo_scratch_stats(s, &st);
    return st;
  }
  yolo_scratch_t *s;
};

/// The step memory: 128-byte aligned, so that the slots start where the
/// test expects.
struct Memory {
  explicit Memory(size_t bytes) : bytes(bytes) {
    base = static_cast<char *>(aligned_alloc(128, bytes));
  }
  ~Memory() { free(base); }
  bool holds(const void *p, size_t from, size_t to) const {
    auto *c = static_cast<const char *>(p);
    return c >= base + from && c < base + to;
  }
  char *base;
  size_t bytes;
};

/// One slot, bound to this thread, over 1 MB of step memory.
struct OneSlot {
  OneSlot() {
    yolo_scratch_bind(sc.s, 0);
    yolo_scratch_set(sc.s, m.base, m.bytes);
  }
  Scratch sc{1};
  Memory m{1024 * KB};
};

TEST(Scratch, RefusesThreadCountsOutOfRange) {
  EXPECT_EQ(yolo_scratch_create(0), nullptr);
  EXPECT_EQ(yolo_scratch_create(257), nullptr);
  yolo_scratch_destroy(nullptr);
  yolo_scratch_set(nullptr, nullptr, 0);
  yolo_scratch_stats_t st = {};
  yolo_scratch_stats(nullptr, &st);
  EXPECT_EQ(st.arena_allocs, 0);
}

TEST(Scratch, ServesLargeBuffersFromTheSlotAsAStack) {
  Scratch sc(2);
  ASSERT_NE(sc.s, nullptr);
  Memory m(1024 * KB);
  yolo_scratch_bind(sc.s, 0);
  yolo_scratch_set(sc.s, m.base, m.bytes);
  // Slot 0 is the first half: [0, 512 KB).
  void *a = halide_malloc(nullptr, 200 * KB + 1);
  void *b = halide_malloc(nullptr, 200 * KB);
  EXPECT_EQ(a, m.base);
  // a's size rounded up to 128 bytes.
  EXPECT_EQ(b, m.base + 200 * KB + 128);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 128, 0u);
  // 112 KB left: a third 200 KB buffer goes to the heap.
  void *c = halide_malloc(nullptr, 200 * KB);
  EXPECT_FALSE(m.holds(c, 0, m.bytes));
  // Small ones always do.
  void *small = halide_malloc(nullptr, 1 * KB);
  EXPECT_FALSE(m.holds(small, 0, m.bytes));
  // Freeing the bottom buffer first returns nothing yet...
  halide_free(nullptr, a);
  void *d = halide_malloc(nullptr, 100 * KB);
  EXPECT_TRUE(m.holds(d, 400 * KB, 512 * KB));
  halide_free(nullptr, d);
  // ...freeing the top one then returns both.
  halide_free(nullptr, b);
  void *e = halide_malloc(nullptr, 500 * KB);
  EXPECT_EQ(e, m.base);
  halide_free(nullptr, e);
  halide_free(nullptr, c);
  halide_free(nullptr, small);
  yolo_scratch_stats_t st = sc.stats();
  EXPECT_EQ(st.arena_allocs, 4);
  EXPECT_EQ(st.heap_allocs, 1);
  EXPECT_EQ(st.heap_bytes_max, static_cast<long long>(200 * KB));
  EXPECT_EQ(st.survived, 0);
}

TEST(Scratch, TheNextStepStartsEmpty) {
  OneSlot one;
  Scratch &sc = one.sc;
  Memory &m = one.m;
  void *a = halide_malloc(nullptr, 256 * KB);
  halide_free(nullptr, a);
  // The next step's memory starts 256 KB in, unaligned: its slot starts at
  // the next 128-byte boundary.
  yolo_scratch_set(sc.s, m.base + 256 * KB + 8, 512 * KB);
  void *b = halide_malloc(nullptr, 256 * KB);
  EXPECT_EQ(b, m.base + 256 * KB + 128);
  halide_free(nullptr, b);
  // No memory at this step: the heap.
  yolo_scratch_set(sc.s, m.base, 0);
  void *c = halide_malloc(nullptr, 256 * KB);
  EXPECT_FALSE(m.holds(c, 0, m.bytes));
  halide_free(nullptr, c);
  EXPECT_EQ(sc.stats().arena_allocs, 2);
  EXPECT_EQ(sc.stats().heap_allocs, 1);
}

TEST(Scratch, UnboundThreadsUseTheHeap) {
  Scratch sc(2);
  Memory m(1024 * KB);
  yolo_scratch_set(sc.s, m.base, m.bytes);
  void *a = halide_malloc(nullptr, 256 * KB);
  EXPECT_FALSE(m.holds(a, 0, m.bytes));
  halide_free(nullptr, a);
  std::thread([&] {
    void *b = halide_malloc(nullptr, 256 * KB);
    EXPECT_FALSE(m.holds(b, 0, m.bytes));
    halide_free(nullptr, b);
  }).join();
  EXPECT_EQ(sc.stats().arena_allocs, 0);
  EXPECT_EQ(sc.stats().heap_allocs, 0);
}

TEST(Scratch, ABufferThatOutlivesItsCallStopsTheScratch) {
  OneSlot one;
  Scratch &sc = one.sc;
  Memory &m = one.m;
  void *a = halide_malloc(nullptr, 256 * KB);
  EXPECT_EQ(a, m.base);
  yolo_scratch_set(sc.s, m.base, m.bytes);
  EXPECT_EQ(sc.stats().survived, 1);
  // Never again from the arena, where `a` still is.
  void *b = halide_malloc(nullptr, 256 * KB);
  EXPECT_FALSE(m.holds(b, 0, m.bytes));
  halide_free(nullptr, b);
  EXPECT_EQ(sc.stats().heap_allocs, 1);
}

TEST(Scratch, CountsAddUp) {
  OneSlot one;
  halide_free(nullptr, halide_malloc(nullptr, 256 * KB));
  yolo_scratch_set(one.sc.s, one.m.base, 0);
  halide_free(nullptr, halide_malloc(nullptr, 300 * KB));
  // Two scratches' worth into one total (the driver's across set_threads).
  yolo_scratch_stats_t st = {};
  st.heap_bytes_max = 100 * KB;
  yolo_scratch_stats(one.sc.s, &st);
  yolo_scratch_stats(one.sc.s, &st);
  EXPECT_EQ(st.arena_allocs, 2);
  EXPECT_EQ(st.heap_allocs, 2);
  EXPECT_EQ(st.heap_bytes_max, static_cast<long long>(300 * KB));
}

struct Slots {
  Memory *m;
  std::atomic<int> inSlot[4];
  std::atomic<int> elsewhere{0};
};

/// A task that holds a 100 KB buffer while it runs, as a Winograd task
/// holds its transformed tiles, and records which slot it came from.
int holdBuffer(void *uc, int, uint8_t *closure) {
  auto *s = reinterpret_cast<Slots *>(closure);
  void *p = halide_malloc(uc, 100 * KB);
  auto *c = static_cast<char *>(p);
  size_t slot = 256 * KB;
  if (c >= s->m->base && c < s->m->base + 4 * slot)
    s->inSlot[(c - s->m->base) / slot].fetch_add(1);
  else
    s->elsewhere.fetch_add(1);
  for (int k = 0; k < 100; ++k)
    c[k * 1024] = static_cast<char>(k);
  std::this_thread::yield();
  halide_free(uc, p);
  return 0;
}

TEST(Scratch, APoolsWorkersTakeFromTheirOwnSlots) {
  Scratch sc(4);
  Memory m(1024 * KB);
  yolo_pool_t *pool = yolo_pool_create(4, sc.s);
  ASSERT_NE(pool, nullptr);
  Slots s;
  s.m = &m;
  for (auto &n : s.inSlot)
    n = 0;
  yolo_pool_enter(pool);
  yolo_scratch_bind(sc.s, 0);
  for (int step = 0; step < 20; ++step) {
    yolo_scratch_set(sc.s, m.base, m.bytes);
    ASSERT_EQ(halide_do_par_for(nullptr, holdBuffer, 0, 64,
                                reinterpret_cast<uint8_t *>(&s)),
              0);
  }
  yolo_scratch_set(sc.s, nullptr, 0);
  yolo_scratch_bind(nullptr, 0);
  yolo_pool_leave(pool);
  yolo_pool_destroy(pool);
  int total = s.elsewhere;
  for (auto &n : s.inSlot)
    total += n;
  EXPECT_EQ(total, 20 * 64);
  EXPECT_EQ(s.elsewhere, 0);
  // The running thread always takes tasks; it uses slot 0.
  EXPECT_GT(s.inSlot[0], 0);
  yolo_scratch_stats_t st = sc.stats();
  EXPECT_EQ(st.arena_allocs, 20 * 64);
  EXPECT_EQ(st.survived, 0);
}

} // namespace
