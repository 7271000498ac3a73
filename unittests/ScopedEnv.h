//===- ScopedEnv.h - an environment variable set for one scope ------------===//
//
// Shared by the runtime tests (DriverTest.cpp, RuntimeTest.cpp): each sets
// variables such as YOLO_CPU_DISABLE for one test and restores the value an
// outer run set (the suite run as on a CPU without some features, README).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_UNITTESTS_SCOPEDENV_H
#define YOLO_UNITTESTS_SCOPEDENV_H

#include <cstdlib>
#include <optional>
#include <string>

/// Sets an environment variable for one scope, then restores what it was.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = getenv(name))
      saved = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (saved)
      setenv(name.c_str(), saved->c_str(), 1);
    else
      unsetenv(name.c_str());
  }
  ScopedEnv(const ScopedEnv &) = delete;
  ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
  std::string name;
  std::optional<std::string> saved;
};

#endif // YOLO_UNITTESTS_SCOPEDENV_H
