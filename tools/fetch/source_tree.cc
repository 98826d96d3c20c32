#include "fetch/source_tree.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/process.h"
#include "fetch/extract.h"
#include "fetch/sha256.h"

namespace xport {

namespace fs = std::filesystem;

std::vector<std::string> union_of_subtrees(const std::vector<std::vector<std::string>>& lists) {
  std::set<std::string> all;
  for (const auto& list : lists) {
    if (list.empty()) return {};
    all.insert(list.begin(), list.end());
  }
  return {all.begin(), all.end()};
}

Expected<std::string> SourceTrees::tree(const std::string& archive, const std::string& archive_sha256,
                                        const std::vector<std::string>& cached_subtrees) const {
  std::vector<std::string> sorted = cached_subtrees;
  std::sort(sorted.begin(), sorted.end());
  std::string key_text = archive_sha256;
  for (const std::string& subtree : sorted) key_text += "\n" + subtree;
  const std::string trees = cache_dir_ + "/trees";
  const std::string tree = trees + "/" + sha256_text(key_text).substr(0, 32);
  std::error_code ec;
  if (fs::is_directory(tree, ec)) return tree;

  // Extracted aside and renamed into place: a tree that exists is complete, even after a crash.
  const std::string partial = trees + "/.partial-" + std::to_string(getpid()) + "-" +
                              sha256_text(key_text).substr(0, 8);
  fs::remove_all(partial, ec);
  ExtractOptions options;
  options.subtrees = sorted;
  if (Status extracted = extract_archive(archive, partial, options); !extracted.ok()) {
    fs::remove_all(partial, ec);
    return extracted.error();
  }
  fs::rename(partial, tree, ec);
  if (ec) {
    fs::remove_all(partial, ec);  // another xport got there first; its tree is as good
    if (!fs::is_directory(tree)) return Error(tree + ": cannot create: " + ec.message());
  }
  return tree;
}

Status SourceTrees::copy(const std::string& archive, const std::string& archive_sha256,
                         const std::vector<std::string>& cached_subtrees,
                         const std::vector<std::string>& subtrees, const std::string& into) const {
  auto tree = this->tree(archive, archive_sha256, cached_subtrees);
  if (!tree) return tree.error();
  std::error_code ec;
  fs::create_directories(into, ec);
  if (ec) return Error(into + ": cannot create: " + ec.message());
  std::vector<std::string> parts = subtrees.empty() ? std::vector<std::string>{"."} : subtrees;
  for (const std::string& part : parts) {
    const std::string from = *tree + "/" + part;
    if (!fs::exists(fs::symlink_status(from, ec)))
      return Error(archive + ": '" + part + "' is not in the archive");
    const fs::path to = part == "." ? fs::path(into) : (fs::path(into) / part).parent_path();
    fs::create_directories(to, ec);
    // cp -a keeps timestamps (make and autotools compare them) and copies by reflink where the
    // file system can.
    auto copied = run_process({"cp", "-a", "--reflink=auto", part == "." ? *tree + "/." : from, to.string()});
    if (!copied) return copied.error();
    if (copied->exit_code != 0) return Error("cannot copy " + from + " to " + to.string() + ":\n" + copied->output);
  }
  return Status::success();
}

}  // namespace xport
