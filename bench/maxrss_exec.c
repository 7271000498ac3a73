/*
 * maxrss_exec.c - run a command and report its peak resident set size.
 *
 * Build: cc -O2 bench/maxrss_exec.c -o maxrss_exec   (run_bench.py does this)
 * Usage: maxrss_exec REPORT_FILE CMD [ARGS...]
 *
 * Forks, execs CMD, waits for it with wait4() and writes
 *   maxrss_kb=<ru_maxrss> status=<exit code, or 128+signal>
 * to REPORT_FILE; exits with CMD's status. stdin/stdout/stderr pass through.
 *
 * Why not wait4() straight from Python: Linux carries a process's high-water
 * RSS across execve (exec_mmap -> setmax_mm_hiwater_rss), so a child exec'd
 * by a 300 MB Python parent reports ru_maxrss >= 300 MB even for /bin/true.
 * This launcher is ~1 MB, so the floor it leaves under CMD's number is ~1 MB.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s REPORT_FILE CMD [ARGS...]\n", argv[0]);
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 2; }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("execvp");
    _exit(127);
  }
  int st = 0;
  struct rusage ru;
  if (wait4(pid, &st, 0, &ru) < 0) { perror("wait4"); return 2; }
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  FILE *f = fopen(argv[1], "w");
  if (!f) { perror(argv[1]); return 2; }
  fprintf(f, "maxrss_kb=%ld status=%d\n", ru.ru_maxrss, code);
  fclose(f);
  return code;
}
