//===- PoolTest.cpp - the CPU libraries' thread pool (runtime/src/pool.c) -===//
//
// The pool directly: every task of a loop runs once, the loops of a run
// really run on several threads, errors come back, nested loops and loops
// outside a run keep their meaning, and many short loops with sleeps in
// between (the workers' spin budget running out) lose no task and never
// hang. Linked with the test model's stand-ins for the Halide runtime
// (runtime/test/tm_kernels.c): the handler the pool replaces runs tasks in
// order and counts its loops.
//
//===----------------------------------------------------------------------===//

#include "pool.h"
#include "fpenv.h"
#include "tm_test.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

struct Pool {
  explicit Pool(int threads) : p(yolo_pool_create(threads, nullptr)) {}
  ~Pool() { yolo_pool_destroy(p); }
  yolo_pool_t *p;
};

/// Enters a run for one scope.
struct InRun {
  explicit InRun(yolo_pool_t *p) : p(p) { yolo_pool_enter(p); }
  ~InRun() { yolo_pool_leave(p); }
  yolo_pool_t *p;
};

struct Counts {
  std::vector<std::atomic<int>> hits;
  int min;
  Counts(int min, int size) : hits(size), min(min) {}
};

int countTask(void *, int i, uint8_t *closure) {
  auto *c = reinterpret_cast<Counts *>(closure);
  c->hits[i - c->min].fetch_add(1);
  return 0;
}

TEST(Pool, RefusesThreadCountsOutOfRange) {
  EXPECT_EQ(yolo_pool_create(1, nullptr), nullptr);
  EXPECT_EQ(yolo_pool_create(0, nullptr), nullptr);
  EXPECT_EQ(yolo_pool_create(257, nullptr), nullptr);
  yolo_pool_destroy(nullptr);
  yolo_pool_enter(nullptr);
  yolo_pool_leave(nullptr);
}

TEST(Pool, RunsEveryTaskOnce) {
  for (int threads : {2, 3, 8}) {
    Pool pool(threads);
    ASSERT_NE(pool.p, nullptr);
    InRun run(pool.p);
    for (int size : {2, 3, 17, 1000}) {
      Counts c(-5, size);
      ASSERT_EQ(yolo_pool_do_par_for(nullptr, countTask, -5, size,
                                     reinterpret_cast<uint8_t *>(&c)),
                0);
      for (int i = 0; i < size; ++i)
        EXPECT_EQ(c.hits[i].load(), 1)
            << "threads " << threads << " size " << size << " task " << i;
    }
  }
}

// Two tasks that each wait for the other: they finish only if two threads
// run them at the same time (a 10 s limit turns a hang into a failure).
std::atomic<int> arrived{0};
int meetTask(void *, int, uint8_t *closure) {
  auto *met = reinterpret_cast<std::atomic<int> *>(closure);
  arrived.fetch_add(1);
  auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (arrived.load() < 2)
    if (std::chrono::steady_clock::now() > limit)
      return 0;
  met->fetch_add(1);
  return 0;
}

TEST(Pool, RunsTasksOnTwoThreadsAtOnce) {
  Pool pool(2);
  ASSERT_NE(pool.p, nullptr);
  // Twice: right after creation, and after the workers slept between runs.
  for (int round = 0; round < 2; ++round) {
    InRun run(pool.p);
    arrived = 0;
    std::atomic<int> met{0};
    ASSERT_EQ(yolo_pool_do_par_for(nullptr, meetTask, 0, 2,
                                   reinterpret_cast<uint8_t *>(&met)),
              0);
    EXPECT_EQ(met.load(), 2) << "round " << round;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Thread k's range is the k-th part of the tasks, and a thread whose
// range is empty takes tasks from another's: task 4, the first of the
// worker's half of 8, waits until tasks 5-7 (the rest of that half) have
// run, which only the running thread can do, by taking them from the
// worker's range (a 10 s limit turns a hang into a failure).
struct Steal {
  std::atomic<int> later{0};
  std::atomic<int> ran[8];
  std::atomic<bool> waited{false};
};
int stealTask(void *, int i, uint8_t *closure) {
  auto *s = reinterpret_cast<Steal *>(closure);
  if (i == 4) {
    auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (s->later.load() < 3)
      if (std::chrono::steady_clock::now() > limit)
        return 0;
    s->waited = true;
  } else if (i > 4) {
    s->later.fetch_add(1);
  }
  s->ran[i].fetch_add(1);
  return 0;
}

TEST(Pool, TakesTasksFromAnotherThreadsRange) {
  Pool pool(2);
  ASSERT_NE(pool.p, nullptr);
  InRun run(pool.p);
  Steal s;
  for (auto &r : s.ran)
    r = 0;
  ASSERT_EQ(yolo_pool_do_par_for(nullptr, stealTask, 0, 8,
                                 reinterpret_cast<uint8_t *>(&s)),
            0);
  EXPECT_TRUE(s.waited.load());
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(s.ran[i].load(), 1) << "task " << i;
}

// Without stealing, thread k runs the k-th part of a loop (what keeps a
// thread on its band of the image from layer to layer): of 4 tasks on 2
// threads, the running thread's range is tasks 0-1 and the worker's 2-3.
// Task 0 waits until task 2 has started, task 1 until task 3 has, and
// task 3 until task 1 has: neither thread can finish its part while the
// other's has tasks left, and each takes from its own range first, so
// tasks 0 and 1 must run on the calling thread, 2 and 3 on the worker (a
// pool handing out shares in order gives task 1 to the worker; a 10 s
// limit turns a hang into a failure).
struct Parts {
  std::thread::id caller;
  std::atomic<bool> started[4];
  std::atomic<int> onCaller[4];
};
int partTask(void *, int i, uint8_t *closure) {
  auto *s = reinterpret_cast<Parts *>(closure);
  s->started[i] = true;
  s->onCaller[i] = std::this_thread::get_id() == s->caller;
  int waitFor = i == 0 ? 2 : i == 1 ? 3 : i == 3 ? 1 : -1;
  auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  if (waitFor >= 0)
    while (!s->started[waitFor].load())
      if (std::chrono::steady_clock::now() > limit)
        return 0;
  return 0;
}

TEST(Pool, ThreadKRunsTheKthPartOfALoop) {
  Pool pool(2);
  ASSERT_NE(pool.p, nullptr);
  InRun run(pool.p);
  for (int round = 0; round < 3; ++round) {
    Parts s;
    s.caller = std::this_thread::get_id();
    for (int i = 0; i < 4; ++i) {
      s.started[i] = false;
      s.onCaller[i] = -1;
    }
    ASSERT_EQ(yolo_pool_do_par_for(nullptr, partTask, 0, 4,
                                   reinterpret_cast<uint8_t *>(&s)),
              0);
    EXPECT_EQ(s.onCaller[0].load(), 1) << "round " << round;
    EXPECT_EQ(s.onCaller[1].load(), 1) << "round " << round;
    EXPECT_EQ(s.onCaller[2].load(), 0) << "round " << round;
    EXPECT_EQ(s.onCaller[3].load(), 0) << "round " << round;
  }
}

// yolo_pool_threads: 1 outside a run, the pool's count in a run, on the
// running thread and in tasks on the workers alike (kernels read it in
// both places, so the two must agree).
int threadsTask(void *, int i, uint8_t *closure) {
  auto *seen = reinterpret_cast<std::atomic<int> *>(closure);
  seen[i] = yolo_pool_threads();
  return 0;
}

TEST(Pool, ReportsItsThreadCountInRunsAndTasks) {
  EXPECT_EQ(yolo_pool_threads(), 1);
  Pool pool(3);
  ASSERT_NE(pool.p, nullptr);
  {
    InRun run(pool.p);
    EXPECT_EQ(yolo_pool_threads(), 3);
    std::atomic<int> seen[64];
    for (auto &s : seen)
      s = 0;
    ASSERT_EQ(yolo_pool_do_par_for(nullptr, threadsTask, 0, 64,
                                   reinterpret_cast<uint8_t *>(seen)),
              0);
    for (int i = 0; i < 64; ++i)
      EXPECT_EQ(seen[i].load(), 3) << "task " << i;
  }
  EXPECT_EQ(yolo_pool_threads(), 1);
}

int uc = 0;
int failTask(void *user_context, int i, uint8_t *) {
  if (user_context != &uc) // the loop's user context reaches each task
    return -1;
  return i == 7 ? -42 : 0;
}

TEST(Pool, ReturnsATasksError) {
  Pool pool(2);
  InRun run(pool.p);
  EXPECT_EQ(yolo_pool_do_par_for(&uc, failTask, 0, 100, nullptr), -42);
  // The pool goes on after a failed loop.
  Counts c(0, 50);
  EXPECT_EQ(yolo_pool_do_par_for(nullptr, countTask, 0, 50,
                                 reinterpret_cast<uint8_t *>(&c)),
            0);
  for (auto &h : c.hits)
    EXPECT_EQ(h.load(), 1);
}

// A loop started inside a task runs in order on that task's thread.
struct Nested {
  std::atomic<int> wrongThread{0}, inner{0};
};
thread_local int innerSeen = 0;
int innerTask(void *, int i, uint8_t *closure) {
  auto *n = reinterpret_cast<Nested *>(closure);
  if (i != innerSeen++) // in order, on this thread
    n->wrongThread.fetch_add(1);
  n->inner.fetch_add(1);
  return 0;
}
int outerTask(void *, int, uint8_t *closure) {
  innerSeen = 0;
  return yolo_pool_do_par_for(nullptr, innerTask, 0, 10, closure);
}

TEST(Pool, NestedLoopsRunInOrderOnTheirThread) {
  Pool pool(2);
  InRun run(pool.p);
  Nested n;
  ASSERT_EQ(yolo_pool_do_par_for(nullptr, outerTask, 0, 40,
                                 reinterpret_cast<uint8_t *>(&n)),
            0);
  EXPECT_EQ(n.inner.load(), 400);
  EXPECT_EQ(n.wrongThread.load(), 0);
}

// yolo_pool_run_pair: on a pool of two threads the pair's two tasks run at
// once (each waits for the other), each sees one thread, and a loop inside
// a task runs in order on its thread; errors come back; without a pool,
// the tasks run in order.
struct PairRun {
  std::atomic<int> met{0}, threads[2], inner{0}, wrongThread{0};
  std::atomic<int> arrived{0};
  bool meet = true;
  int fail = -1;
};
int pairTask(void *user_context, int k, uint8_t *closure) {
  auto *p = reinterpret_cast<PairRun *>(closure);
  if (user_context != &uc)
    return -1;
  p->threads[k] = yolo_pool_threads();
  if (p->meet) {
    p->arrived.fetch_add(1);
    auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (p->arrived.load() < 2)
      if (std::chrono::steady_clock::now() > limit)
        return 0;
    p->met.fetch_add(1);
  }
  Nested n;
  innerSeen = 0;
  int rc = yolo_pool_do_par_for(nullptr, innerTask, 0, 10,
                                reinterpret_cast<uint8_t *>(&n));
  p->inner += n.inner.load();
  p->wrongThread += n.wrongThread.load();
  return rc ? rc : k == p->fail ? -7 : 0;
}

TEST(Pool, RunsAPairAtOnceEachTaskSeeingOneThread) {
  Pool pool(2);
  ASSERT_NE(pool.p, nullptr);
  InRun run(pool.p);
  for (int round = 0; round < 3; ++round) {
    PairRun p;
    ASSERT_EQ(
        yolo_pool_run_pair(&uc, pairTask, reinterpret_cast<uint8_t *>(&p)), 0);
    EXPECT_EQ(p.met.load(), 2) << "round " << round;
    EXPECT_EQ(p.threads[0].load(), 1);
    EXPECT_EQ(p.threads[1].load(), 1);
    EXPECT_EQ(p.inner.load(), 20);
    EXPECT_EQ(p.wrongThread.load(), 0);
    // The run's own count is back after the pair.
    EXPECT_EQ(yolo_pool_threads(), 2);
  }
  for (int fail : {0, 1}) {
    PairRun p;
    p.fail = fail;
    EXPECT_EQ(
        yolo_pool_run_pair(&uc, pairTask, reinterpret_cast<uint8_t *>(&p)), -7)
        << "task " << fail << " fails";
  }
}

TEST(Pool, RunsAPairInOrderWithoutAPool) {
  PairRun p;
  p.meet = false;
  ASSERT_EQ(yolo_pool_run_pair(&uc, pairTask, reinterpret_cast<uint8_t *>(&p)),
            0);
  EXPECT_EQ(p.threads[0].load(), 1);
  EXPECT_EQ(p.threads[1].load(), 1);
  EXPECT_EQ(p.inner.load(), 20);
  p.fail = 0;
  EXPECT_EQ(yolo_pool_run_pair(&uc, pairTask, reinterpret_cast<uint8_t *>(&p)),
            -7);
}

// Each task records the flush bits (fpenv.h) of the thread that runs it;
// the two tasks meet, so each runs on its own thread.
struct Modes {
  std::atomic<int> arrived{0};
  std::atomic<uint64_t> bits[2];
  std::thread::id thread[2];
};
int modeTask(void *, int i, uint8_t *closure) {
  auto *m = reinterpret_cast<Modes *>(closure);
  m->arrived.fetch_add(1);
  auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (m->arrived.load() < 2 && std::chrono::steady_clock::now() < limit)
    ;
  m->bits[i] = yolo_fpenv_get() & YOLO_FPENV_FLUSH_BITS;
  m->thread[i] = std::this_thread::get_id();
  return 0;
}

// A worker runs a job's tasks in the floating-point mode of the thread
// that published it, flushed or not, whatever it ran in before: the
// driver flushes denormals for a run (model_driver.c), and a run gives
// the same bits at every thread count.
TEST(Pool, WorkersRunTasksInTheOwnersFloatingPointMode) {
  if (YOLO_FPENV_FLUSH_BITS == 0)
    GTEST_SKIP() << "no flush mode on this architecture";
  uint64_t caller = yolo_fpenv_get();
  Pool pool(2);
  ASSERT_NE(pool.p, nullptr);
  InRun run(pool.p);
  for (uint64_t want : {uint64_t(YOLO_FPENV_FLUSH_BITS), uint64_t(0),
                        uint64_t(YOLO_FPENV_FLUSH_BITS)}) {
    yolo_fpenv_set((caller & ~uint64_t(YOLO_FPENV_FLUSH_BITS)) | want);
    Modes m;
    ASSERT_EQ(yolo_pool_do_par_for(nullptr, modeTask, 0, 2,
                                   reinterpret_cast<uint8_t *>(&m)),
              0);
    EXPECT_EQ(m.arrived.load(), 2);
    EXPECT_NE(m.thread[0], m.thread[1]);
    EXPECT_EQ(m.bits[0].load(), want);
    EXPECT_EQ(m.bits[1].load(), want);
  }
  yolo_fpenv_set(caller);
}

// Task i records the flush bits it runs in, then clears them on its
// thread (as a thread that ran something else in between would have them).
struct Carried {
  uint64_t bits[3] = {1, 1, 1};
};
int clearingTask(void *, int i, uint8_t *closure) {
  auto *c = reinterpret_cast<Carried *>(closure);
  c->bits[i] = yolo_fpenv_get() & YOLO_FPENV_FLUSH_BITS;
  yolo_fpenv_set(yolo_fpenv_get() & ~uint64_t(YOLO_FPENV_FLUSH_BITS));
  return 0;
}

// In a run without a pool, loops go to the previous handler (Halide's
// pool), whose threads keep whatever mode they have: with
// yolo_pool_carry_mode(1) each task runs in the mode the loop's thread had
// at the loop's start, and its thread gets its own mode back after it.
// The stand-in handler runs the tasks in order on this thread, so each
// task finds the mode its predecessor cleared, unless it is carried.
TEST(Pool, RunsWithoutAPoolCarryTheModeToHalidesTasks) {
  if (YOLO_FPENV_FLUSH_BITS == 0)
    GTEST_SKIP() << "no flush mode on this architecture";
  const uint64_t flush = YOLO_FPENV_FLUSH_BITS;
  const uint64_t caller = yolo_fpenv_get();
  yolo_fpenv_set(caller | flush);
  yolo_pool_carry_mode(1);
  Carried on;
  int before = tm_default_par_for_calls();
  ASSERT_EQ(yolo_pool_do_par_for(nullptr, clearingTask, 0, 3,
                                 reinterpret_cast<uint8_t *>(&on)),
            0);
  EXPECT_EQ(tm_default_par_for_calls(), before + 1);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(on.bits[i], flush) << "task " << i;
  // The thread's own mode is back after the tasks.
  EXPECT_EQ(yolo_fpenv_get() & flush, flush);
  yolo_pool_carry_mode(0);
  Carried off;
  ASSERT_EQ(yolo_pool_do_par_for(nullptr, clearingTask, 0, 3,
                                 reinterpret_cast<uint8_t *>(&off)),
            0);
  EXPECT_EQ(off.bits[0], flush);
  EXPECT_EQ(off.bits[1], 0u);
  EXPECT_EQ(off.bits[2], 0u);
  yolo_fpenv_set(caller);
}

TEST(Pool, LoopsOutsideARunGoToThePreviousHandler) {
  Pool pool(2); // installs the pool's handler
  Counts c(0, 8);
  int before = tm_default_par_for_calls();
  ASSERT_EQ(yolo_pool_do_par_for(nullptr, countTask, 0, 8,
                                 reinterpret_cast<uint8_t *>(&c)),
            0);
  EXPECT_EQ(tm_default_par_for_calls(), before + 1);
  {
    InRun run(pool.p);
    ASSERT_EQ(yolo_pool_do_par_for(nullptr, countTask, 0, 8,
                                   reinterpret_cast<uint8_t *>(&c)),
              0);
  }
  EXPECT_EQ(tm_default_par_for_calls(), before + 1);
  for (auto &h : c.hits)
    EXPECT_EQ(h.load(), 2);
}

// Many short loops, runs of a few loops with pauses between them longer
// than the spin budget, from two pools on two threads at once.
int addTask(void *, int i, uint8_t *closure) {
  reinterpret_cast<std::atomic<long long> *>(closure)->fetch_add(i + 1);
  return 0;
}

void churn(yolo_pool_t *p, long long &total, long long &expected) {
  std::atomic<long long> sum{0};
  expected = 0;
  for (int run = 0; run < 40; ++run) {
    InRun r(p);
    for (int loop = 0; loop < 500; ++loop) {
      int size = 1 + (run * 7 + loop) % 9;
      yolo_pool_do_par_for(nullptr, addTask, 0, size,
                           reinterpret_cast<uint8_t *>(&sum));
      expected += (long long)size * (size + 1) / 2;
    }
    if (run % 10 == 9)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  total = sum.load();
}

TEST(Pool, ManyShortLoopsFromTwoPoolsLoseNoTask) {
  Pool a(2), b(3);
  ASSERT_NE(a.p, nullptr);
  ASSERT_NE(b.p, nullptr);
  long long totalA = 0, expectedA = -1, totalB = 0, expectedB = -1;
  std::thread other([&] { churn(b.p, totalB, expectedB); });
  churn(a.p, totalA, expectedA);
  other.join();
  EXPECT_EQ(totalA, expectedA);
  EXPECT_EQ(totalB, expectedB);
}

TEST(Pool, CreateAndDestroyRepeatedly) {
  for (int k = 0; k < 50; ++k) {
    Pool pool(2 + k % 3);
    ASSERT_NE(pool.p, nullptr);
    if (k % 2) {
      InRun run(pool.p);
      Counts c(0, 4);
      ASSERT_EQ(yolo_pool_do_par_for(nullptr, countTask, 0, 4,
                                     reinterpret_cast<uint8_t *>(&c)),
                0);
    }
  }
}

} // namespace
