//===- AtomicOutput.h - files replaced whole or not at all ------*- C++ -*-===//
//
// The tools' output files are written under a unique temporary name next to
// their destination and renamed over it only once every byte is written: a
// reader of the path sees the previous file or the complete new one, never
// a truncated one, whether the tool fails, the disk fills up or the process
// is interrupted (LLVM's signal handlers remove the temporary). Only
// regular files are replaced so: a destination that exists and is something
// else (/dev/null, a FIFO, a terminal) is written in place, and a symbolic
// link stays a link, its target replaced.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_SUPPORT_ATOMICOUTPUT_H
#define YOLO_SUPPORT_ATOMICOUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mlir::yolo {

/// Where an atomic write of `path` should go: `path` itself, or the file a
/// symbolic link `path` resolves to; std::nullopt when `path` exists and is
/// not a regular file (a device, a FIFO), which must be written in place
/// (renaming over /dev/null would replace the device with a file).
inline std::optional<std::string> atomicDestination(llvm::StringRef path) {
  std::string dest = path.str();
  llvm::sys::fs::file_status st;
  if (!llvm::sys::fs::status(path, st, /*follow=*/false) &&
      st.type() == llvm::sys::fs::file_type::symlink_file) {
    llvm::SmallString<256> resolved;
    if (!llvm::sys::fs::real_path(path, resolved))
      dest = resolved.str().str();
  }
  if (llvm::sys::fs::status(dest, st, /*follow=*/true))
    return dest; // absent (or unreadable): created, or the error reported
  if (st.type() != llvm::sys::fs::file_type::regular_file)
    return std::nullopt;
  return dest;
}

/// A temporary file next to `path` ("PATH.tmp-XXXXXX"), made with the
/// permissions a new file at `path` would get. commit() renames it over
/// `path`; without a commit the destructor removes it.
class AtomicOutputFile {
public:
  /// Creates the temporary; on failure returns std::nullopt with `error`
  /// naming `path` and the reason.
  static std::optional<AtomicOutputFile> create(llvm::StringRef path,
                                                std::string &error) {
    auto temp = llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
    if (!temp) {
      error = "cannot write '" + path.str() +
              "': " + llvm::toString(temp.takeError());
      return std::nullopt;
    }
    return AtomicOutputFile(path, std::move(*temp));
  }

  // A moved-from std::optional stays engaged: disengage it, so that only
  // one object ever discards the temporary.
  AtomicOutputFile(AtomicOutputFile &&other)
      : path(std::move(other.path)), temp(std::move(other.temp)) {
    other.temp.reset();
  }
  AtomicOutputFile &operator=(AtomicOutputFile &&) = delete;
  ~AtomicOutputFile() {
    if (temp)
      llvm::consumeError(temp->discard());
  }

  /// The temporary's name, for writers that open files by name.
  llvm::StringRef tempName() const { return temp->TmpName; }
  /// An open descriptor of the temporary.
  int fd() const { return temp->FD; }

  /// Renames the temporary over the destination. On failure removes it and
  /// sets `error`.
  bool commit(std::string &error) {
    llvm::Error e = temp->keep(path);
    temp.reset();
    if (e) {
      error = "cannot replace '" + path + "': " + llvm::toString(std::move(e));
      return false;
    }
    return true;
  }

private:
  AtomicOutputFile(llvm::StringRef path, llvm::sys::fs::TempFile temp)
      : path(path.str()), temp(std::move(temp)) {}
  std::string path;
  std::optional<llvm::sys::fs::TempFile> temp;
};

/// Writes `path` ("-": standard output, directly) through an
/// AtomicOutputFile: `write` fills it, and it replaces `path` only when
/// `write` returns true and the stream saw no error. On failure `path` is
/// untouched and `error` says why (what `write` put there, or the I/O
/// error).
inline bool
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<bool(llvm::raw_ostream &)> write,
                    std::string &error) {
  // Runs `write` on `os`, then flushes (or closes) it and reports the I/O
  // error it met, naming `what`.
  auto emit = [&](llvm::raw_fd_ostream &os, const std::string &what,
                  bool close) {
    if (!write(os))
      return false;
    if (close)
      os.close();
    else
      os.flush();
    if (!os.has_error())
      return true;
    error = "cannot write " + what + ": " + os.error().message();
    os.clear_error();
    return false;
  };
  if (path == "-")
    return emit(llvm::outs(), "to standard output", /*close=*/false);
  std::string quoted = "'" + path.str() + "'";
  std::optional<std::string> dest = atomicDestination(path);
  if (!dest) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
    if (ec) {
      error = "cannot write " + quoted + ": " + ec.message();
      return false;
    }
    return emit(os, quoted, /*close=*/true);
  }
  std::optional<AtomicOutputFile> file = AtomicOutputFile::create(*dest, error);
  if (!file)
    return false;
  {
    llvm::raw_fd_ostream os(file->fd(), /*shouldClose=*/false);
    if (!emit(os, quoted, /*close=*/false))
      return false;
  }
  return file->commit(error);
}

} // namespace mlir::yolo

#endif // YOLO_SUPPORT_ATOMICOUTPUT_H
