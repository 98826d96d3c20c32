// Test fixtures made at test time: temporary directories and ELF objects cross-compiled with the
// host's clang and lld (no committed binaries). A missing compiler fails the test; it never skips.
#pragma once

#include <string>
#include <vector>

namespace xport::testing {

/// A fresh directory under $TMPDIR, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// Writes `content` to path()/relative (parents created) and returns the full path.
  std::string write(const std::string& relative, const std::string& content, unsigned mode = 0644) const;
  /// Creates a symlink path()/relative -> target.
  std::string symlink(const std::string& relative, const std::string& target) const;

 private:
  std::string path_;
};

/// The clang and lld this project drives (clang-16, ld.lld-16).
std::string clang_path();
std::string lld_path();

/// Compiles and links C `source` for `triple` into `output` (parents created), freestanding and
/// with lld, hardened by default (-fPIC/-pie, -z relro -z now, --build-id); `flags` come last.
/// On failure, records a test failure with the compiler's output and returns false.
bool cross_compile(const std::string& triple, const std::string& source, const std::string& output,
                   const std::vector<std::string>& flags = {});

/// A function named like a libc one that a freestanding program can call.
extern const char* const kStartSource;

std::vector<unsigned char> read_bytes(const std::string& path);

}  // namespace xport::testing
