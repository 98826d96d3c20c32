// A directory tree written into an archive the same way every time: entries in byte order of
// their paths, owned by root, with the mtime the caller gives. Pacman packages and root images
// are both made this way.
#pragma once

#include <archive.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct TreeEntry {
  std::string path;  // relative, no leading "./"
  struct stat st;
  std::string link_target;
};

/// Every directory, regular file and symlink under `root` (anything else is an Error naming
/// it), sorted by path as makepkg's LC_COLLATE=C does.
Expected<std::vector<TreeEntry>> list_tree(const std::string& root);

/// A new archive entry owned by root:root with this path, mode (type included), size and mtime.
archive_entry* new_entry(const std::string& path, mode_t mode, int64_t size, int64_t mtime);

/// Writes `entry` of the tree under `root` to `a`, a regular file's bytes read from disk;
/// `where` names the archive in errors.
Status add_tree_entry(archive* a, const std::string& root, const TreeEntry& entry, int64_t mtime,
                      const std::string& where);

}  // namespace xport
