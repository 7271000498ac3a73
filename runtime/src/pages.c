/*===- pages.c - the arena and the weights on huge pages ------------------===*
 *
 * See pages.h.
 *
 *===----------------------------------------------------------------------===*/
#define _DEFAULT_SOURCE 1 /* madvise and its advice, before any header */

#include "pages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

/* The copy's step: the source's pages are released every `chunk` bytes. */
enum { chunk = 4 * 1024 * 1024 };

int yolo_pages_disabled(void) {
  const char *e = getenv("YOLO_HUGEPAGES");
  return e && strcmp(e, "0") == 0;
}

int yolo_pages_thp_never(void) {
#if defined(__linux__)
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f)
    return 1; /* no THP in this kernel */
  char mode[128] = "";
  char *got = fgets(mode, sizeof mode, f);
  fclose(f);
  return !got || strstr(mode, "[never]") != NULL;
#else
  return 1;
#endif
}

void *yolo_pages_alloc(size_t bytes, int huge) {
  huge = huge && bytes >= yolo_pages_min_bytes;
  void *p = NULL;
  if (posix_memalign(&p, huge ? (size_t)yolo_pages_huge_bytes : 64,
                     bytes ? bytes : 1) != 0)
    return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (huge) {
    /* Whole small pages only (madvise wants its length rounded so); a
       failure (THP not built in) leaves small pages. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = (bytes + page - 1) / page * page;
    (void)madvise(p, len, MADV_HUGEPAGE);
  }
#endif
  return p;
}

#if defined(__linux__) && defined(MADV_DONTNEED)
/* Whether [p, p + n) lies in private, read-only file mappings
   (/proc/self/maps), where MADV_DONTNEED only drops pages that read back
   the same from the file. Not anonymous memory: it would read back zeros. */
static int in_readonly_file(const void *p, size_t n) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f)
    return 0;
  uintptr_t at = (uintptr_t)p, end = at + n;
  char line[512];
  int ok = 1;
  while (at < end && fgets(line, sizeof line, f)) {
    /* A line longer than the buffer (a long path): skip its rest. */
    if (!strchr(line, '\n')) {
      int c;
      while ((c = fgetc(f)) != EOF && c != '\n')
        ;
    }
    unsigned long lo, hi, inode;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s %*s %*s %lu", &lo, &hi, perms, &inode) != 4)
      continue;
    if (hi <= at || lo >= end)
      continue;
    if (lo > at || inode == 0 || perms[0] != 'r' || perms[1] != '-' ||
        perms[3] != 'p') {
      ok = 0;
      break;
    }
    at = hi;
  }
  fclose(f);
  return ok && at >= end;
}
#endif

void *yolo_pages_copy(const void *src, size_t bytes, int huge, int release) {
  char *dst = (char *)yolo_pages_alloc(bytes, huge);
  if (!dst)
    return NULL;
  const char *s = (const char *)src;
#if defined(__linux__) && defined(MADV_DONTNEED)
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  /* The source's whole pages not yet released: from the first one that
     starts inside it. */
  uintptr_t done = ((uintptr_t)s + page - 1) / page * page;
  release = release && in_readonly_file(src, bytes);
#else
  (void)release;
#endif
  for (size_t off = 0; off < bytes; off += chunk) {
    size_t n = bytes - off < chunk ? bytes - off : chunk;
    memcpy(dst + off, s + off, n);
#if defined(__linux__) && defined(MADV_DONTNEED)
    /* The pages now copied whole leave this process (they stay in the
       page cache). Not MADV_PAGEOUT: it skips the file's large folios
       that a range cuts (measured on Linux 6.18: half of them stayed). */
    uintptr_t end = ((uintptr_t)s + off + n) / page * page;
    if (release && end > done) {
      (void)madvise((void *)done, end - done, MADV_DONTNEED);
      done = end;
    }
#endif
  }
  return dst;
}
