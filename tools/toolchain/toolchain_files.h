// The files that hand a built toolchain to other build systems: a clang config file per triple,
// <triple>-cc/c++/... wrappers, a pkg-config wrapper, toolchain.cmake, a Meson cross file, an
// autoconf config.site, and the exports `xport env` prints. All of them find the toolchain
// relative to their own location, so the directory can be moved.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "toolchain/toolchain_kind.h"

namespace xport {

struct ToolchainLayout {
  const Arch* arch = nullptr;
  const LibcInfo* libc = nullptr;
  const ToolchainKind* kind = nullptr;
  const HostLlvm* llvm = nullptr;
  std::string dir;  // the toolchain directory

  std::string triple() const { return libc->triple; }
  std::string sysroot() const { return dir + "/sysroot"; }
  std::string resource_dir() const;  // dir/lib/clang/<version>
  std::string bin(const std::string& tool) const { return dir + "/bin/" + triple() + "-" + tool; }
  std::string clang() const;         // the kind's clang in the toolchain, else the host's
  std::string clangxx() const;
  std::string linker() const;        // the arch quirk's linker, else the kind's lld, else the host's
  std::string ar() const;            // the kind's in the toolchain, else the host's
  std::string ranlib() const;
  std::vector<std::string> cflags() const;  // arch and toolchain quirks
  /// A program the kind names inside the toolchain (ToolchainKind::clang & co.), else the host's.
  std::string kind_or_host(const std::string& in_toolchain, const std::string& host) const;
};

/// Writes (or rewrites, when the content changed) every file named above.
Status write_toolchain_files(const ToolchainLayout& layout);

/// The programs the kind puts in the toolchain (host-llvm's clang, lld and llvm-ar) read into the
/// page cache in 2 MB pages where the kernel can (core/huge_pages.h): a build starts them
/// thousands of times. Returns a line per program for a log, "host/bin/clang: 136 of 136 MB in
/// 2 MB pages"; a program that cannot be read says why there (the build itself then fails on it).
std::string cache_kind_programs_in_huge_pages(const ToolchainLayout& layout);
/// Does that before a build and writes what it did to `log_dir`/huge-pages.log.
Status log_huge_pages(const std::string& log_dir, const ToolchainLayout& layout);

/// `export VAR=value` lines for eval in a shell: CC, CXX, AR, ..., PKG_CONFIG, and the
/// host-leak variables unset.
std::string toolchain_exports(const ToolchainLayout& layout);

}  // namespace xport
