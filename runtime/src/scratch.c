/*===- scratch.c - the kernels' temporary buffers, in the arena -----------===*
 *
 * See scratch.h. A slot belongs to one thread (the one bound to it), which
 * alone allocates from it and frees into it during a kernel call; the
 * running thread rewrites the slots between calls, when the workers are
 * between jobs (the pool's job hand-over orders the two). So a slot needs
 * no atomics.
 *
 *===----------------------------------------------------------------------===*/
#include "scratch.h"

#include "HalideRuntime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { max_slots = 256, max_depth = 16, align = 128, cache_line = 64 };

typedef struct {
  _Alignas(cache_line) char *base;
  size_t cap, top;
  int depth;
  size_t start[max_depth]; /* the live and dead buffers, bottom first */
  unsigned char live[max_depth];
  long long arena_allocs, heap_allocs, heap_bytes_max;
} slot_t;

struct yolo_scratch {
  int slots;
  int disabled; /* a buffer outlived its kernel call */
  long long survived;
  slot_t *slot;
};

static _Thread_local yolo_scratch_t *tls_scratch;
static _Thread_local slot_t *tls_slot;

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static halide_malloc_t previous_malloc;
static halide_free_t previous_free;

static void *scratch_malloc(void *uc, size_t n);
static void scratch_free(void *uc, void *p);

static void install(void) {
  previous_malloc = halide_set_custom_malloc(scratch_malloc);
  previous_free = halide_set_custom_free(scratch_free);
  if (previous_malloc == scratch_malloc || !previous_malloc)
    previous_malloc = halide_default_malloc;
  if (previous_free == scratch_free || !previous_free)
    previous_free = halide_default_free;
}

static void *scratch_malloc(void *uc, size_t n) {
  slot_t *s = tls_slot;
  if (!s || n < yolo_scratch_min_bytes)
    return previous_malloc(uc, n);
  size_t need = (n + align - 1) / align * align;
  if (s->base && s->depth < max_depth && need <= s->cap - s->top) {
    void *p = s->base + s->top;
    s->start[s->depth] = s->top;
    s->live[s->depth] = 1;
    ++s->depth;
    s->top += need;
    ++s->arena_allocs;
    return p;
  }
  ++s->heap_allocs;
  if ((long long)n > s->heap_bytes_max)
    s->heap_bytes_max = (long long)n;
  return previous_malloc(uc, n);
}

/* Marks p free in slot s if it is one of s's buffers: 1, else 0. */
static int release(slot_t *s, const char *p) {
  if (!s->base || p < s->base || p >= s->base + s->cap)
    return 0;
  for (int k = s->depth - 1; k >= 0; --k)
    if (s->base + s->start[k] == p) {
      s->live[k] = 0;
      while (s->depth > 0 && !s->live[s->depth - 1])
        s->top = s->start[--s->depth];
      return 1;
    }
  return 0;
}

static void scratch_free(void *uc, void *p) {
  yolo_scratch_t *sc = tls_scratch;
  if (p && sc) {
    /* The own slot first; another's only if a buffer changed threads. */
    if (tls_slot && release(tls_slot, (const char *)p))
      return;
    for (int k = 0; k < sc->slots; ++k)
      if (&sc->slot[k] != tls_slot && release(&sc->slot[k], (const char *)p))
        return;
  }
  previous_free(uc, p);
}

yolo_scratch_t *yolo_scratch_create(int threads) {
  if (threads < 1 || threads > max_slots)
    return NULL;
  pthread_once(&install_once, install);
  yolo_scratch_t *s = (yolo_scratch_t *)calloc(1, sizeof *s);
  if (!s)
    return NULL;
  size_t bytes = (size_t)threads * sizeof(slot_t);
  s->slot = (slot_t *)aligned_alloc(cache_line, bytes);
  if (!s->slot) {
    free(s);
    return NULL;
  }
  memset(s->slot, 0, bytes);
  s->slots = threads;
  return s;
}

void yolo_scratch_destroy(yolo_scratch_t *s) {
  if (!s)
    return;
  free(s->slot);
  free(s);
}

void yolo_scratch_set(yolo_scratch_t *s, void *base, size_t bytes) {
  if (!s)
    return;
  for (int k = 0; k < s->slots; ++k)
    for (int d = 0; d < s->slot[k].depth; ++d)
      if (s->slot[k].live[d]) {
        ++s->survived;
        s->disabled = 1;
      }
  uintptr_t b = (uintptr_t)base, a = (b + align - 1) / align * align;
  size_t usable = base && bytes > a - b ? bytes - (a - b) : 0;
  size_t per = usable / (size_t)s->slots / align * align;
  if (s->disabled || per < yolo_scratch_min_bytes)
    per = 0;
  for (int k = 0; k < s->slots; ++k) {
    slot_t *slot = &s->slot[k];
    slot->base = per ? (char *)a + (size_t)k * per : NULL;
    slot->cap = per;
    slot->top = 0;
    slot->depth = 0;
  }
}

void yolo_scratch_bind(yolo_scratch_t *s, int slot) {
  if (!s || slot < 0 || slot >= s->slots) {
    tls_scratch = NULL;
    tls_slot = NULL;
    return;
  }
  tls_scratch = s;
  tls_slot = &s->slot[slot];
}

void yolo_scratch_stats(const yolo_scratch_t *s, yolo_scratch_stats_t *out) {
  if (!s)
    return;
  out->survived += s->survived;
  for (int k = 0; k < s->slots; ++k) {
    out->arena_allocs += s->slot[k].arena_allocs;
    out->heap_allocs += s->slot[k].heap_allocs;
    if (s->slot[k].heap_bytes_max > out->heap_bytes_max)
      out->heap_bytes_max = s->slot[k].heap_bytes_max;
  }
}
