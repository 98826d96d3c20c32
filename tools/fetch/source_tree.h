// Source archives extracted once into the cache, so that a tarball several components or
// architectures use (LLVM's for compiler-rt and the C++ runtimes, Linux's for every arch's
// headers) is decompressed once; each build then copies the parts it needs into its own tree.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

class SourceTrees {
 public:
  /// Trees live in <cache_dir>/trees/<key>/; any of them may be deleted at any time.
  explicit SourceTrees(std::string cache_dir) : cache_dir_(std::move(cache_dir)) {}

  /// Fills `into` with `subtrees` of the verified `archive` (everything when empty), keeping
  /// sources' timestamps. The first time, `cached_subtrees` are extracted into the cache: a
  /// superset of `subtrees` (empty: everything), the union of what every user of the archive
  /// wants, so that one extraction serves them all.
  Status copy(const std::string& archive, const std::string& archive_sha256,
              const std::vector<std::string>& cached_subtrees,
              const std::vector<std::string>& subtrees, const std::string& into) const;

  /// The cached tree for `archive` with `cached_subtrees`, extracted when missing.
  Expected<std::string> tree(const std::string& archive, const std::string& archive_sha256,
                             const std::vector<std::string>& cached_subtrees) const;

 private:
  std::string cache_dir_;
};

/// The union of subtree lists, where an empty list (everything) absorbs the rest.
std::vector<std::string> union_of_subtrees(const std::vector<std::vector<std::string>>& lists);

}  // namespace xport
