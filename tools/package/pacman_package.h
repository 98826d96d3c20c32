// Packages in pacman's format, written with libarchive so that the same files and metadata give
// the same bytes every time: a zstd-compressed tar of .BUILDINFO, .MTREE, .PKGINFO and the
// files, sorted by path, owned by root, every mtime SOURCE_DATE_EPOCH. And the repository
// database (<repo>.db.tar.gz) that lets pacman on the target install them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct PackageMeta {
  std::string name;
  std::string base;         // the recipe the package comes from ("" = name)
  std::string version;      // pkgver-pkgrel, e.g. 1.2.13-1
  std::string description;
  std::string url;
  std::string arch;         // pacman's name for the target arch (xport's arch name)
  std::vector<std::string> licenses;  // SPDX
  std::vector<std::string> depends;
  int64_t build_date = 0;   // SOURCE_DATE_EPOCH: the mtime of every entry too
  std::string packager = "xport";
  /// Further `key = value` lines for .BUILDINFO (buildtool, recipe hash, installed build deps).
  std::vector<std::string> build_info;
};

/// What a written package is, for the repository database.
struct WrittenPackage {
  PackageMeta meta;
  std::string file;            // the package's path
  uint64_t installed_size = 0; // bytes of its regular files
  uint64_t compressed_size = 0;
  std::string sha256;
};

/// The file name pacman expects: <name>-<version>-<arch>.pkg.tar.zst.
std::string package_file_name(const PackageMeta& meta);

/// Packs every file under `root` (directories, regular files, symlinks; anything else is an
/// error naming it) into `output`, written aside and renamed into place, so an interrupted
/// run never leaves a half package.
Expected<WrittenPackage> write_pacman_package(const PackageMeta& meta, const std::string& root,
                                              const std::string& output);

/// Reads a package's .PKGINFO back (for the repository database of packages built earlier).
Expected<WrittenPackage> read_pacman_package(const std::string& file);

/// Writes `<dir>/<repo>.db.tar.gz` describing `packages` (pacman's repo-add format) and the
/// `<repo>.db` link pacman downloads.
Status write_repository_database(const std::vector<WrittenPackage>& packages, const std::string& dir,
                                 const std::string& repo);

}  // namespace xport
