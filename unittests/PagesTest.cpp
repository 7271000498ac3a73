//===- PagesTest.cpp - the arena and the weights on huge pages ------------===//
//
// runtime/src/pages.c: large blocks are 2 MB aligned and marked for huge
// pages (the `hg` flag of their mapping in /proc/self/smaps, which does
// not depend on the kernel finding free huge pages), small ones and
// YOLO_HUGEPAGES=0 get plain memory; a copy holds the source's bytes and,
// from a read-only file mapping, releases the source's pages from the
// process (their Rss) while they still read the same; from any other
// memory it releases nothing.
//
//===----------------------------------------------------------------------===//

#include "pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr size_t MB = 1024 * 1024;

/// The smaps entry of the mapping that holds `p`: its Rss in KB and its
/// VmFlags; rss -1 if none holds it.
struct Mapping {
  long rssKB = -1;
  std::string flags;
};

Mapping mappingOf(const void *p) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  uintptr_t a = reinterpret_cast<uintptr_t>(p);
  bool inside = false;
  Mapping m;
  while (std::getline(smaps, line)) {
    unsigned long lo, hi;
    char dash;
    std::istringstream head(line);
    if (line.find(':') == std::string::npos ||
        line.find('-') < line.find(':')) {
      // A mapping's first line: "lo-hi perms offset dev inode path".
      if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
        if (inside)
          break;
        inside = lo <= a && a < hi;
        continue;
      }
    }
    if (!inside)
      continue;
    if (line.rfind("Rss:", 0) == 0)
      m.rssKB = std::strtol(line.c_str() + 4, nullptr, 10);
    else if (line.rfind("VmFlags:", 0) == 0)
      m.flags = line.substr(8) + " ";
  }
  return m;
}

bool markedHuge(const void *p) {
  return mappingOf(p).flags.find(" hg ") != std::string::npos;
}

std::vector<unsigned char> pattern(size_t n) {
  std::vector<unsigned char> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<unsigned char>(i * 2654435761u >> 13);
  return v;
}

} // namespace

TEST(Pages, LargeBlocksAreHugePageAligned) {
  void *p = yolo_pages_alloc(9 * MB + 100, 1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % yolo_pages_huge_bytes, 0u);
  std::memset(p, 1, 9 * MB + 100);
  EXPECT_TRUE(markedHuge(p));
  std::free(p);
}

TEST(Pages, SmallBlocksAndTheSwitchGetPlainMemory) {
  void *small = yolo_pages_alloc(yolo_pages_min_bytes - 64, 1);
  void *off = yolo_pages_alloc(9 * MB, 0);
  ASSERT_NE(small, nullptr);
  ASSERT_NE(off, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(small) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(off) % 64, 0u);
  std::memset(off, 1, 9 * MB);
  EXPECT_FALSE(markedHuge(small));
  EXPECT_FALSE(markedHuge(off));
  std::free(small);
  std::free(off);
}

TEST(Pages, YoloHugepagesZeroTurnsThemOff) {
  unsetenv("YOLO_HUGEPAGES");
  EXPECT_EQ(yolo_pages_disabled(), 0);
  setenv("YOLO_HUGEPAGES", "1", 1);
  EXPECT_EQ(yolo_pages_disabled(), 0);
  setenv("YOLO_HUGEPAGES", "0", 1);
  EXPECT_NE(yolo_pages_disabled(), 0);
  unsetenv("YOLO_HUGEPAGES");
}

// As a library's weights are: its read-only data, a private file mapping.
TEST(Pages, ACopyOfAFileMappingReleasesItsPages) {
  const size_t n = 10 * MB + 12345;
  std::vector<unsigned char> want = pattern(n);
  char path[] = "/tmp/yolo-pages-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  unlink(path); // the name goes now, even if a check below fails
  ASSERT_EQ(write(fd, want.data(), n), static_cast<ssize_t>(n));
  void *map = mmap(nullptr, n, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  ASSERT_NE(map, MAP_FAILED);
  const unsigned char *src = static_cast<const unsigned char *>(map);
  ASSERT_EQ(std::memcmp(src, want.data(), n), 0); // all of it resident
  EXPECT_GE(mappingOf(src).rssKB, static_cast<long>(n / 1024));

  void *copy = yolo_pages_copy(src, n, 1, 1);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(copy) % yolo_pages_huge_bytes, 0u);
  EXPECT_EQ(std::memcmp(copy, want.data(), n), 0);
  // Only the last, partial page stays.
  EXPECT_LE(mappingOf(src).rssKB, sysconf(_SC_PAGESIZE) / 1024);
  // The source still reads the same, from the file.
  EXPECT_EQ(std::memcmp(src, want.data(), n), 0);
  std::free(copy);

  // Without `release`, the pages stay.
  copy = yolo_pages_copy(src, n, 1, 0);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(std::memcmp(copy, want.data(), n), 0);
  EXPECT_GE(mappingOf(src).rssKB, static_cast<long>(n / 1024));
  std::free(copy);
  munmap(map, n);
}

// Heap memory would read back zeros once released: it is left alone.
TEST(Pages, ACopyOfOtherMemoryReleasesNothing) {
  const size_t n = 10 * MB;
  std::vector<unsigned char> want = pattern(n);
  std::vector<unsigned char> heap = want;
  void *copy = yolo_pages_copy(heap.data(), n, 1, 1);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(std::memcmp(copy, want.data(), n), 0);
  EXPECT_EQ(heap, want);
  std::free(copy);

  // A writable private file mapping, whose pages may differ from the
  // file's: here they do.
  char path[] = "/tmp/yolo-pages-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  unlink(path); // the name goes now, even if a check below fails
  ASSERT_EQ(write(fd, want.data(), n), static_cast<ssize_t>(n));
  void *map = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close(fd);
  ASSERT_NE(map, MAP_FAILED);
  for (size_t i = 0; i < n; ++i)
    want[i] ^= 0x5a;
  std::memcpy(map, want.data(), n);
  copy = yolo_pages_copy(map, n, 1, 1);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(std::memcmp(copy, want.data(), n), 0);
  EXPECT_EQ(std::memcmp(map, want.data(), n), 0);
  std::free(copy);
  munmap(map, n);
}
