// The target root that names are resolved against: a directory on disk, the members of an
// archive, or an archive over a sysroot. Paths are absolute inside the root ("/usr/lib/libc.so");
// symlinks are followed inside the root the way the target's kernel would in a chroot, so a
// link can never lead out of it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "inspect/elf_facts.h"
#include "inspect/input.h"

namespace xport::inspect {

struct RootNode {
  EntryKind kind = EntryKind::Regular;
  std::string link_target;  // for symlinks
};

class RootView {
 public:
  virtual ~RootView() = default;
  /// The node at `path` without following a final symlink; `path` is absolute and normalised.
  virtual std::optional<RootNode> lstat(const std::string& path) const = 0;
  /// The ELF facts of the regular file at `path` (already resolved), or nullptr when it is not
  /// an ELF file. Thread-safe; facts are read once and cached.
  virtual std::shared_ptr<const ElfFacts> elf(const std::string& path) = 0;
  /// The content of a small regular file (at most 64 KiB), e.g. /etc/ld-musl-aarch64.path.
  virtual std::optional<std::string> read_small_file(const std::string& path) const = 0;
  /// Where the root comes from, for messages.
  virtual std::string describe() const = 0;

  /// Follows symlinks in every component. Nothing when a component is missing, when links
  /// loop, or when the result is not a regular file or directory.
  std::optional<std::string> resolve(const std::string& path) const;
  /// True when `path` resolves to an existing node.
  bool exists(const std::string& path) const { return resolve(path).has_value(); }
};

/// Normalises an absolute path: collapses "//", "." and ".." (never above "/").
std::string normalize_root_path(const std::string& path);
/// The directory part of a root path ("/usr/lib/libc.so" -> "/usr/lib").
std::string root_dirname(const std::string& path);

/// A root that is a directory on disk.
class DiskRoot : public RootView {
 public:
  explicit DiskRoot(std::string dir);
  std::optional<RootNode> lstat(const std::string& path) const override;
  std::shared_ptr<const ElfFacts> elf(const std::string& path) override;
  std::optional<std::string> read_small_file(const std::string& path) const override;
  std::string describe() const override { return dir_; }
  /// Records facts already read while scanning, so they are not read again.
  void remember(const std::string& path, std::shared_ptr<const ElfFacts> facts);

 private:
  std::string dir_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const ElfFacts>> cache_;
};

/// A root made of archive members, optionally laid over a directory (an archive checked
/// against a sysroot).
class MemoryRoot : public RootView {
 public:
  explicit MemoryRoot(std::shared_ptr<RootView> lower = nullptr) : lower_(std::move(lower)) {}
  /// `small_content` is kept for files that read_small_file may be asked for (under /etc).
  void add(const std::string& path, RootNode node, std::shared_ptr<const ElfFacts> facts,
           std::string small_content = {});
  std::optional<std::string> read_small_file(const std::string& path) const override;
  std::optional<RootNode> lstat(const std::string& path) const override;
  std::shared_ptr<const ElfFacts> elf(const std::string& path) override;
  std::string describe() const override;

 private:
  struct Item {
    RootNode node;
    std::shared_ptr<const ElfFacts> facts;
    std::string small_content;
  };
  std::map<std::string, Item> items_;
  std::shared_ptr<RootView> lower_;
};

}  // namespace xport::inspect
