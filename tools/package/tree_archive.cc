#include "package/tree_archive.h"

#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace xport {

namespace fs = std::filesystem;

Expected<std::vector<TreeEntry>> list_tree(const std::string& root) {
  std::vector<TreeEntry> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    TreeEntry entry;
    entry.path = it->path().lexically_relative(root).string();
    if (lstat(it->path().c_str(), &entry.st) != 0) return Error(it->path().string() + ": cannot stat");
    if (S_ISLNK(entry.st.st_mode)) {
      entry.link_target = fs::read_symlink(it->path(), ec).string();
      if (ec) return Error(it->path().string() + ": cannot read link: " + ec.message());
    } else if (!S_ISREG(entry.st.st_mode) && !S_ISDIR(entry.st.st_mode)) {
      return Error(it->path().string() + ": neither a file, a directory nor a symlink; an archive cannot hold it");
    }
    entries.push_back(std::move(entry));
  }
  if (ec) return Error(root + ": " + ec.message());
  // Byte order, as makepkg's LC_COLLATE=C: the same tree gives the same archive anywhere.
  std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return entries;
}


archive_entry* new_entry(const std::string& path, mode_t mode, int64_t size, int64_t mtime) {
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, path.c_str());
  archive_entry_set_mode(entry, mode);
  archive_entry_set_size(entry, size);
  archive_entry_set_mtime(entry, mtime, 0);
  archive_entry_set_uid(entry, 0);
  archive_entry_set_gid(entry, 0);
  archive_entry_set_uname(entry, "root");
  archive_entry_set_gname(entry, "root");
  return entry;
}

Status add_tree_entry(archive* a, const std::string& root, const TreeEntry& tree_entry, int64_t mtime,
                      const std::string& where) {
  const mode_t type = tree_entry.st.st_mode & S_IFMT;
  const int64_t size = type == S_IFREG ? tree_entry.st.st_size : 0;
  archive_entry* entry = new_entry(tree_entry.path, type | (tree_entry.st.st_mode & 07777), size, mtime);
  if (type == S_IFLNK) archive_entry_set_symlink(entry, tree_entry.link_target.c_str());
  int rc = archive_write_header(a, entry);
  archive_entry_free(entry);
  if (rc != ARCHIVE_OK) return Error(where + ": " + tree_entry.path + ": " + archive_error_string(a));
  if (type != S_IFREG) return Status::success();
  std::ifstream in(root + "/" + tree_entry.path, std::ios::binary);
  if (!in) return Error(root + "/" + tree_entry.path + ": cannot read");
  std::vector<char> block(1 << 16);
  int64_t written = 0;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    if (archive_write_data(a, block.data(), got) != static_cast<la_ssize_t>(got))
      return Error(where + ": " + tree_entry.path + ": " + archive_error_string(a));
    written += static_cast<int64_t>(got);
  }
  if (written != size) return Error(root + "/" + tree_entry.path + ": changed while being packed");
  return Status::success();
}

}  // namespace xport
