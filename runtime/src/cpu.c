//===- cpu.c - the running CPU's instruction-set features -----------------===//
//
// What a generated library checks before it runs any code compiled for a
// feature-specific target: x86-64 from CPUID (and XCR0, for the register
// state the operating system saves), AArch64 from the kernel's HWCAP words.
// Names follow /proc/cpuinfo, so a message can be checked against it. This
// file is compiled for the baseline of its architecture (no -m flags), so
// it runs on every CPU it is asked about.
//
//===----------------------------------------------------------------------===//

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE // getauxval
#endif

#include "yolo_runtime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define YOLO_CPU_X86 1
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#define YOLO_CPU_ARM64 1
#endif

// A feature is a bit in one of these words.
enum {
#if defined(YOLO_CPU_X86)
  W_1_ECX,   // CPUID.1:ECX
  W_1_EDX,   // CPUID.1:EDX
  W_7_EBX,   // CPUID.(7,0):EBX
  W_7_ECX,   // CPUID.(7,0):ECX
  W_7_EDX,   // CPUID.(7,0):EDX
  W_7_1_EAX, // CPUID.(7,1):EAX
  W_7_1_EDX, // CPUID.(7,1):EDX
  W_EXT_ECX, // CPUID.80000001H:ECX
#elif defined(YOLO_CPU_ARM64)
  W_HWCAP,
  W_HWCAP2,
#endif
  W_COUNT
};

typedef struct {
  const char *name;
  int word, bit;
  int state; // x86: the XCR0 register state the feature needs (below)
} feature_t;

#if defined(YOLO_CPU_X86)
enum { ST_NONE, ST_AVX, ST_AVX512, ST_AMX };
#define F(n, w, b, s)                                                          \
  { n, w, b, s }
static const feature_t features[] = {
    F("sse", W_1_EDX, 25, ST_NONE),
    F("sse2", W_1_EDX, 26, ST_NONE),
    F("pni", W_1_ECX, 0, ST_NONE), // SSE3
    F("pclmulqdq", W_1_ECX, 1, ST_NONE),
    F("ssse3", W_1_ECX, 9, ST_NONE),
    F("fma", W_1_ECX, 12, ST_AVX),
    F("cx16", W_1_ECX, 13, ST_NONE),
    F("sse4_1", W_1_ECX, 19, ST_NONE),
    F("sse4_2", W_1_ECX, 20, ST_NONE),
    F("movbe", W_1_ECX, 22, ST_NONE),
    F("popcnt", W_1_ECX, 23, ST_NONE),
    F("aes", W_1_ECX, 25, ST_NONE),
    F("xsave", W_1_ECX, 26, ST_NONE),
    F("avx", W_1_ECX, 28, ST_AVX),
    F("f16c", W_1_ECX, 29, ST_AVX),
    F("rdrand", W_1_ECX, 30, ST_NONE),
    F("fsgsbase", W_7_EBX, 0, ST_NONE),
    F("bmi1", W_7_EBX, 3, ST_NONE),
    F("avx2", W_7_EBX, 5, ST_AVX),
    F("bmi2", W_7_EBX, 8, ST_NONE),
    F("erms", W_7_EBX, 9, ST_NONE),
    F("invpcid", W_7_EBX, 10, ST_NONE),
    F("avx512f", W_7_EBX, 16, ST_AVX512),
    F("avx512dq", W_7_EBX, 17, ST_AVX512),
    F("rdseed", W_7_EBX, 18, ST_NONE),
    F("adx", W_7_EBX, 19, ST_NONE),
    F("avx512ifma", W_7_EBX, 21, ST_AVX512),
    F("clflushopt", W_7_EBX, 23, ST_NONE),
    F("clwb", W_7_EBX, 24, ST_NONE),
    F("avx512pf", W_7_EBX, 26, ST_AVX512),
    F("avx512er", W_7_EBX, 27, ST_AVX512),
    F("avx512cd", W_7_EBX, 28, ST_AVX512),
    F("sha_ni", W_7_EBX, 29, ST_NONE),
    F("avx512bw", W_7_EBX, 30, ST_AVX512),
    F("avx512vl", W_7_EBX, 31, ST_AVX512),
    F("avx512vbmi", W_7_ECX, 1, ST_AVX512),
    F("avx512_vbmi2", W_7_ECX, 6, ST_AVX512),
    F("gfni", W_7_ECX, 8, ST_NONE),
    F("vaes", W_7_ECX, 9, ST_AVX),
    F("vpclmulqdq", W_7_ECX, 10, ST_AVX),
    F("avx512_vnni", W_7_ECX, 11, ST_AVX512),
    F("avx512_bitalg", W_7_ECX, 12, ST_AVX512),
    F("avx512_vpopcntdq", W_7_ECX, 14, ST_AVX512),
    F("movdiri", W_7_ECX, 27, ST_NONE),
    F("avx512_vp2intersect", W_7_EDX, 8, ST_AVX512),
    F("amx_bf16", W_7_EDX, 22, ST_AMX),
    F("avx512_fp16", W_7_EDX, 23, ST_AVX512),
    F("amx_tile", W_7_EDX, 24, ST_AMX),
    F("amx_int8", W_7_EDX, 25, ST_AMX),
    F("avx_vnni", W_7_1_EAX, 4, ST_AVX),
    F("avx512_bf16", W_7_1_EAX, 5, ST_AVX512),
    F("avx10", W_7_1_EDX, 19, ST_AVX512),
    F("apx_f", W_7_1_EDX, 21, ST_NONE),
    F("lahf_lm", W_EXT_ECX, 0, ST_NONE),
    F("abm", W_EXT_ECX, 5, ST_NONE), // lzcnt
    F("sse4a", W_EXT_ECX, 6, ST_NONE),
    F("3dnowprefetch", W_EXT_ECX, 8, ST_NONE), // prefetchw
    F("fma4", W_EXT_ECX, 16, ST_AVX),
};
#undef F
#elif defined(YOLO_CPU_ARM64)
static const feature_t features[] = {
    {"fp", W_HWCAP, 0, 0},        {"asimd", W_HWCAP, 1, 0},
    {"aes", W_HWCAP, 3, 0},       {"pmull", W_HWCAP, 4, 0},
    {"sha1", W_HWCAP, 5, 0},      {"sha2", W_HWCAP, 6, 0},
    {"crc32", W_HWCAP, 7, 0},     {"atomics", W_HWCAP, 8, 0},
    {"fphp", W_HWCAP, 9, 0},      {"asimdhp", W_HWCAP, 10, 0},
    {"asimdrdm", W_HWCAP, 12, 0}, {"jscvt", W_HWCAP, 13, 0},
    {"fcma", W_HWCAP, 14, 0},     {"lrcpc", W_HWCAP, 15, 0},
    {"dcpop", W_HWCAP, 16, 0},    {"asimddp", W_HWCAP, 20, 0},
    {"sve", W_HWCAP, 22, 0},      {"asimdfhm", W_HWCAP, 23, 0},
    {"dit", W_HWCAP, 24, 0},      {"uscat", W_HWCAP, 25, 0},
    {"ilrcpc", W_HWCAP, 26, 0},   {"flagm", W_HWCAP, 27, 0},
    {"sb", W_HWCAP, 29, 0},       {"sve2", W_HWCAP2, 1, 0},
    {"flagm2", W_HWCAP2, 7, 0},   {"frint", W_HWCAP2, 8, 0},
    {"i8mm", W_HWCAP2, 13, 0},    {"bf16", W_HWCAP2, 14, 0},
};
#else
static const feature_t features[] = {{"", 0, 0, 0}};
#endif

#define NUM_FEATURES ((int)(sizeof features / sizeof features[0]))

// The detected words, once (concurrent first calls compute the same values).
static uint32_t cpu_words[W_COUNT > 0 ? W_COUNT : 1];
static int cpu_state_ok[4]; // x86: indexed by ST_*
static volatile int cpu_read;

static void read_cpu(void) {
  if (cpu_read)
    return;
#if defined(YOLO_CPU_X86)
  unsigned a, b, c, d, max = __get_cpuid_max(0, NULL);
  uint32_t w[W_COUNT] = {0};
  if (max >= 1 && __get_cpuid(1, &a, &b, &c, &d))
    w[W_1_ECX] = c, w[W_1_EDX] = d;
  if (max >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    w[W_7_EBX] = b, w[W_7_ECX] = c, w[W_7_EDX] = d;
    unsigned sub = a;
    if (sub >= 1) {
      __cpuid_count(7, 1, a, b, c, d);
      w[W_7_1_EAX] = a, w[W_7_1_EDX] = d;
    }
  }
  if (__get_cpuid_max(0x80000000u, NULL) >= 0x80000001u &&
      __get_cpuid(0x80000001u, &a, &b, &c, &d))
    w[W_EXT_ECX] = c;
  // The OS must save the vector state: XCR0, readable once OSXSAVE is set.
  uint64_t xcr0 = 0;
  if (w[W_1_ECX] & (1u << 27)) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = ((uint64_t)hi << 32) | lo;
  }
  int st[4];
  st[ST_NONE] = 1;
  st[ST_AVX] = (xcr0 & 0x6) == 0x6;                          // SSE + AVX state
  st[ST_AVX512] = st[ST_AVX] && (xcr0 & 0xe0) == 0xe0;       // opmask, ZMM
  st[ST_AMX] = st[ST_AVX512] && (xcr0 & 0x60000) == 0x60000; // tiles
  memcpy(cpu_state_ok, st, sizeof st);
  memcpy(cpu_words, w, sizeof w);
#elif defined(YOLO_CPU_ARM64)
  cpu_words[W_HWCAP] = (uint32_t)getauxval(AT_HWCAP);
  cpu_words[W_HWCAP2] = (uint32_t)getauxval(AT_HWCAP2);
#endif
  cpu_read = 1;
}

// Whether `list` (comma-separated, may be NULL) names `name`.
static int listed(const char *list, const char *name) {
  size_t len = strlen(name);
  while (list && *list) {
    const char *end = strchr(list, ',');
    size_t n = end ? (size_t)(end - list) : strlen(list);
    if (n == len && !strncmp(list, name, len))
      return 1;
    list = end ? end + 1 : NULL;
  }
  return 0;
}

int yolo_cpu_has(const char *feature) {
  if (!feature)
    return -1;
  for (int i = 0; i < NUM_FEATURES; ++i) {
    const feature_t *f = &features[i];
    if (!f->name[0] || strcmp(f->name, feature))
      continue;
    read_cpu();
    if (listed(getenv("YOLO_CPU_DISABLE"), feature))
      return 0;
#if defined(YOLO_CPU_X86)
    if (!cpu_state_ok[f->state])
      return 0;
#endif
    return (cpu_words[f->word] >> f->bit) & 1u;
  }
  return -1;
}

int yolo_cpu_missing(const char *const *required, char *missing, size_t n) {
  int count = 0;
  size_t used = 0;
  if (missing && n)
    missing[0] = '\0';
  for (; required && *required; ++required) {
    if (yolo_cpu_has(*required) == 1)
      continue;
    if (missing && n) {
      size_t len = strlen(*required), sep = count ? 2 : 0;
      if (used + sep + len < n) {
        memcpy(missing + used, ", ", sep);
        memcpy(missing + used + sep, *required, len + 1);
        used += sep + len;
      }
    }
    ++count;
  }
  return count;
}
