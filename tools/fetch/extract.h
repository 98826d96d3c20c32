// Unpacks a source archive with libarchive's secure extraction: absolute paths, ".." and links
// that leave the tree are refused, never written.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct ExtractOptions {
  /// Strip the single top-level directory when every member is under one (most tarballs);
  /// tarballs without one (tcc's) extract as they are.
  bool strip_single_top_directory = true;
  /// Only members under these paths (after stripping); empty means everything.
  std::vector<std::string> subtrees;
};

/// Extracts `archive` into `destination` (created). Errors name the archive and the member.
Status extract_archive(const std::string& archive, const std::string& destination,
                       const ExtractOptions& options = {});

}  // namespace xport
