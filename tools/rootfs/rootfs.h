// A root file system made of packages: the named packages and everything they depend on,
// installed from a repository directory (xport build's output) in dependency order, each
// recorded in pacman's local database so that pacman on the target knows what it has.
// Every file in the root comes from a package; the root is assembled beside its destination
// and renamed into place only when complete.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "package/pacman_package.h"

namespace xport {

struct RootfsResult {
  std::vector<WrittenPackage> installed;  // in install order
  size_t files = 0;
};

/// Installs `wanted` (package names) and their run-time dependencies from the packages in
/// `repository` into `root`, which must not exist or be empty. A dependency no package in the
/// repository provides is an Error naming the package that needs it.
Expected<RootfsResult> make_rootfs(const std::string& repository, const std::vector<std::string>& wanted,
                                   const std::string& root);

}  // namespace xport
