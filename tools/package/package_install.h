// Installs a pacman package's files into a root, as pacman -U would but without running
// anything of the package: xport builds roots for another architecture, where no install
// script could run anyway (and xport's packages have none).
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct InstalledFiles {
  /// Every path the package holds, relative, directories with a trailing '/', in archive order
  /// (sorted): what pacman's local database lists under %FILES%.
  std::vector<std::string> paths;
  /// The package's .MTREE, still gzip-compressed: the local database keeps it as it is.
  std::string mtree;
};

/// Extracts the files of `package` under `root` (its metadata entries .PKGINFO, .BUILDINFO,
/// .MTREE and .INSTALL are not installed). An entry that would land outside the root, or a file
/// that exists in the root already (another package owns it), is an Error naming both, and
/// nothing after it is written.
Expected<InstalledFiles> install_package_files(const std::string& package, const std::string& root);

}  // namespace xport
