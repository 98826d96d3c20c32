// A toolchain kind (toolchains/<name>.yaml): which host compiler family it uses, which recipes
// it builds for the target and in what order, and the quirks that belong to this toolchain
// rather than to an architecture (a linker that must come from elsewhere, say).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"

namespace xport {

struct ToolchainArchQuirks {
  std::string linker;          // use this linker instead of the host's lld
  std::string linker_package;  // the Debian package that provides it
  std::vector<std::string> cflags;
  std::string unsupported;     // why this toolchain cannot target the arch
};

struct ToolchainKind {
  std::string name;
  std::string description;
  Libc libc = Libc::Musl;
  std::vector<int> llvm_versions;        // host LLVM versions accepted, preferred first
  std::vector<std::string> components;   // recipe names, in build order
  /// Recipes built for the build machine before the components, once per host: the cache keeps
  /// what they install for every toolchain, which gets it (hard-linked) under its directory.
  std::vector<std::string> host_components;
  std::string clang;  // the compiler the toolchain runs, relative to its directory ("": the host's)
  std::string lld;    // likewise the linker
  std::string ar, ranlib;  // likewise the archiver (CMake runs it for each static-library check)
  std::map<std::string, ToolchainArchQuirks> arch_quirks;
  std::string source_file;

  /// The quirks for `arch` (empty when there are none).
  ToolchainArchQuirks quirks_for(const Arch& arch) const;
};

Expected<ToolchainKind> parse_toolchain_kind(const std::string& yaml_text, const std::string& path);
Expected<ToolchainKind> load_toolchain_kind(const std::string& path);

/// The host's LLVM tools of one version.
struct HostLlvm {
  int version = 0;
  std::string version_string;  // clang --version's first line
  std::string bin_dir;         // /usr/lib/llvm-16/bin
  std::string clang, clangxx, lld, ar, nm, ranlib, strip, objcopy, objdump, readelf;
  std::string resource_dir;    // clang -print-resource-dir
};

/// Finds the first of `versions` whose clang, lld and binutils replacements are all installed.
/// The error lists what is missing and which Debian packages provide it.
Expected<HostLlvm> find_host_llvm(const std::vector<int>& versions);

}  // namespace xport
