/*===- fpenv.h - the floating-point mode the CPU kernels run in -----------===*
 *
 * A generated CPU library runs its kernels with denormal (subnormal) floats
 * flushed: on x86 the MXCSR's DAZ (denormal inputs read as zero) and FTZ
 * (denormal results written as zero), on AArch64 the FPCR's FZ (both).
 * The caller's mode is put back when the run ends (model_driver.c,
 * run_steps); the thread pool's workers take the mode of the thread that
 * published each job (pool.c, run_tasks), and Halide's workers, in a run
 * without our pool, that of the thread that started each loop, for the
 * length of each task (yolo_pool_carry_mode); so a run computes the same
 * bits at every thread count.
 *
 * Why: a SiLU of a large negative input, x * sigmoid(x), is denormal, and
 * an Intel core takes a microcode assist for each FMA that reads or
 * writes one. On an Emerald Rapids VM (Intel family 6 model 207), the
 * grouped 3x3 convolutions of gelan-t 640's box branch (16 -> 16 per
 * group, with seeded random weights) took 0.64 ms a group at 40x40 and
 * 0.25 at 20x20, against 0.07 and 0.03 with the flush; the whole model
 * 73.2 ms of step medians at one thread against 67.6 (bench/profile.py;
 * bench/README.md, session 25). Nothing a detector reports depends on
 * values below 1.2e-38.
 *
 * YOLO_DENORMALS=keep (read at NAME_create, for tests and benchmarks)
 * leaves the caller's mode as it is.
 *
 *===----------------------------------------------------------------------===*/
#ifndef YOLO_FPENV_H
#define YOLO_FPENV_H

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
/* MXCSR: DAZ (bit 6) and FTZ (bit 15). */
#define YOLO_FPENV_FLUSH_BITS 0x8040u
static inline uint64_t yolo_fpenv_get(void) { return _mm_getcsr(); }
static inline void yolo_fpenv_set(uint64_t mode) { _mm_setcsr((unsigned)mode); }
#elif defined(__aarch64__)
/* FPCR: FZ (bit 24). */
#define YOLO_FPENV_FLUSH_BITS (1u << 24)
static inline uint64_t yolo_fpenv_get(void) {
  uint64_t mode;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(mode));
  return mode;
}
static inline void yolo_fpenv_set(uint64_t mode) {
  __asm__ __volatile__("msr fpcr, %0" : : "r"(mode));
}
#else
/* No flush on other architectures: the mode is left as it is. */
#define YOLO_FPENV_FLUSH_BITS 0u
static inline uint64_t yolo_fpenv_get(void) { return 0; }
static inline void yolo_fpenv_set(uint64_t mode) { (void)mode; }
#endif

/* Sets this thread's flush bits to those of `mode` (another thread's
   yolo_fpenv_get()); writes the register only when they differ. */
static inline void yolo_fpenv_match(uint64_t mode) {
  uint64_t now = yolo_fpenv_get();
  uint64_t want =
      (now & ~(uint64_t)YOLO_FPENV_FLUSH_BITS) | (mode & YOLO_FPENV_FLUSH_BITS);
  if (want != now)
    yolo_fpenv_set(want);
}

#endif
