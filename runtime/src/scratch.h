/*===- scratch.h - the kernels' temporary buffers, in the arena -----------===*
 *
 * A Halide kernel allocates its temporary buffers with halide_malloc: a
 * Winograd layer's transformed input and products, per task, and its
 * transformed weights, per call or per block of output channels. By
 * default they come from the heap, on top of the arena and the weights:
 * at gelan-c 640's 40x40 layers each running task holds 6 MB of them, so
 * the peak memory grows with the thread count, and each call pays for the
 * allocation (and, with glibc, often for fresh pages).
 *
 * Yet at most steps most of the arena is free: yolo-plan-memory gives each
 * step the widest part of it that no tensor live at that step occupies
 * (`ykernel.scratch`, model_steps[s].scratch_offset/_bytes). Before each
 * kernel call the driver hands that part to the context's scratch, which
 * serves the kernel's allocations of at least yolo_scratch_min_bytes from
 * it: one equal slot per thread of the context, each a stack (buffers may
 * be freed in any order; their space returns once those above are free).
 * An allocation that does not fit, and every smaller one, goes to the heap
 * as before.
 *
 * halide_malloc and halide_free are replaced once per process
 * (halide_set_custom_malloc/free), chaining to what was installed before.
 * Only a thread bound to a scratch takes from it: the thread that runs a
 * context (during a run) and its pool's workers (pool.h). Every other
 * thread, and so a program's own Halide code, gets the previous allocator.
 * A kernel frees its buffers before it returns, on the thread that
 * allocated them, which is what makes the space reusable at the next step.
 *
 *===----------------------------------------------------------------------===*/
#ifndef YOLO_SCRATCH_H
#define YOLO_SCRATCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct yolo_scratch yolo_scratch_t;

/* Smaller allocations always go to the heap (the Halide runtime's own
   small allocations among them). */
enum { yolo_scratch_min_bytes = 64 * 1024 };

/* A scratch of `threads` slots (1 to 256); installs the allocator the
   first time. NULL if out of memory or `threads` is out of range. */
yolo_scratch_t *yolo_scratch_create(int threads);

/* NULL is a no-op. No thread may be bound to it any more. */
void yolo_scratch_destroy(yolo_scratch_t *s);

/* The memory of the next kernel call, [base, base + bytes) (bytes 0: none),
   split into equal 128-byte-aligned slots. Called between kernel calls by
   the thread that runs them, while none of the scratch's buffers is live;
   a buffer still live is counted (yolo_scratch_stats_t::survived) and the
   scratch stops serving from the arena for good. */
void yolo_scratch_set(yolo_scratch_t *s, void *base, size_t bytes);

/* The calling thread takes from slot `slot` of `s` from now on; s NULL:
   from the heap again. */
void yolo_scratch_bind(yolo_scratch_t *s, int slot);

typedef struct {
  long long arena_allocs;   /* served from the arena */
  long long heap_allocs;    /* large enough, but did not fit: the heap */
  long long heap_bytes_max; /* the largest of those */
  long long survived;       /* buffers live at a yolo_scratch_set */
} yolo_scratch_stats_t;

/* Adds the counts since creation (over the bound threads' allocations of
   at least yolo_scratch_min_bytes) to *out, heap_bytes_max as the larger
   of the two, so that several scratches' counts sum up. Between runs. */
void yolo_scratch_stats(const yolo_scratch_t *s, yolo_scratch_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* YOLO_SCRATCH_H */
