/*===- pages.h - the arena and the weights on huge pages ------------------===*
 *
 * A model's arena and its weights (52 and 130 MB for gelan-c at 640) span
 * far more 4 KB pages than the TLB holds, and each TLB miss costs a page
 * walk. On Linux, memory that is 2 MB aligned and marked MADV_HUGEPAGE gets
 * transparent huge pages where the kernel's setting is `always` or
 * `madvise` (Debian's default), one TLB entry per 2 MB. gelan-c 640 on a
 * Zen 4 VM, alternating runs, medians of 5 runs, 6 pairs: the arena on
 * huge pages took 693.3 -> 670.7 ms at one thread and 357.7 -> 348.9 ms at
 * two; the weights too, 8 pairs at two threads, 348.7 -> 339.7 ms
 * (bench/README.md, session 19).
 *
 * The weights are embedded in the library (its read-only data, a file
 * mapping): they get huge pages by being copied into such memory when the
 * first context is created. The copy releases the source's pages as it
 * goes where they are a private read-only file mapping (MADV_DONTNEED:
 * such pages read back the same, from the file, if touched again), so the
 * process never holds the weights twice for long.
 *
 * Elsewhere (no Linux, no THP, an old kernel) the memory is plain memory
 * and everything works as before.
 *
 *===----------------------------------------------------------------------===*/
#ifndef YOLO_PAGES_H
#define YOLO_PAGES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  /* Huge pages are 2 MB on x86-64 and on ARM64 with 4 KB pages. */
  yolo_pages_huge_bytes = 2 * 1024 * 1024,
  /* Smaller blocks are not worth a page of their own. */
  yolo_pages_min_bytes = 4 * 1024 * 1024
};

/* `bytes` of memory (uninitialized), 64-byte aligned; if `huge` is nonzero
   and bytes >= yolo_pages_min_bytes, 2 MB aligned and marked for huge
   pages (the last partial 2 MB keeps small pages, so nothing is wasted).
   Release with free(). NULL if out of memory. */
void *yolo_pages_alloc(size_t bytes, int huge);

/* A copy of src[0, bytes) in memory from yolo_pages_alloc(bytes, huge).
   With `release` nonzero, the source's whole pages leave this process as
   they are copied where all of it lies in private read-only file mappings
   (/proc/self/maps); other memory is left as it is. What the source reads
   never changes. NULL if out of memory. */
void *yolo_pages_copy(const void *src, size_t bytes, int huge, int release);

/* Whether the environment asks for small pages: YOLO_HUGEPAGES=0. */
int yolo_pages_disabled(void);

/* Whether this system gives no transparent huge pages (not Linux, or
   /sys/kernel/mm/transparent_hugepage/enabled missing or `[never]`): then
   copying the weights gains nothing. */
int yolo_pages_thp_never(void);

#ifdef __cplusplus
}
#endif

#endif /* YOLO_PAGES_H */
