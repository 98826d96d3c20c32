// What `xport toolchain`, `xport env` and `xport build` load first: the arches, the target, the
// toolchain kind and the host LLVM it needs.
#pragma once

#include <string>

#include "arch/arch.h"
#include "cli/command.h"
#include "toolchain/toolchain_kind.h"

namespace xport::cli {

/// The arches of the data directory, and the one a command line named.
struct LoadedArch {
  ArchRegistry arches;
  const Arch* arch = nullptr;  // points into `arches`
};

struct Loaded {
  ArchRegistry arches;
  const Arch* arch = nullptr;
  ToolchainKind kind;
  HostLlvm llvm;
};

/// `dir` made absolute and normal, without a trailing slash (directories are compared as text).
std::string absolute_dir(const std::string& dir);

/// The root `xport rootfs` makes, and `image`, `boot` and `selfhost` take, when --root is not
/// given: out/root/<arch>, beside out/toolchain and out/build.
std::string default_root_dir(const std::string& arch_name);

/// Loads arch/ and finds `arch_name`; an unknown name is an error with a "did you mean".
Expected<LoadedArch> load_arch(const GlobalOptions& global, const std::string& arch_name);

Expected<Loaded> load(const GlobalOptions& global, const std::string& arch_name, const std::string& kind_name);

}  // namespace xport::cli
