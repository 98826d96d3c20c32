#include "fetch/extract.h"

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <memory>
#include <optional>

namespace xport {

namespace fs = std::filesystem;

namespace {

using ReadArchive = std::unique_ptr<archive, decltype(&archive_read_free)>;
using WriteArchive = std::unique_ptr<archive, decltype(&archive_write_free)>;

ReadArchive open_reader(const std::string& path) {
  ReadArchive reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) return ReadArchive(nullptr, archive_read_free);
  return reader;
}

std::string first_component(const std::string& path) {
  std::string trimmed = path.starts_with("./") ? path.substr(2) : path;
  return trimmed.substr(0, trimmed.find('/'));
}

// The one directory every member is under, if there is one (a first pass over the headers).
Expected<std::optional<std::string>> single_top_directory(const std::string& path) {
  ReadArchive reader = open_reader(path);
  if (!reader) return Error(path + ": not a readable archive");
  std::optional<std::string> top;
  archive_entry* entry;
  int rc;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (name == "./" || name == "." || name.empty()) continue;
    std::string component = first_component(name);
    const bool is_dir_member = name.find('/') != std::string::npos || archive_entry_filetype(entry) == AE_IFDIR;
    if (!is_dir_member || (top && *top != component)) return std::optional<std::string>();
    top = component;
  }
  if (rc != ARCHIVE_EOF) return Error(path + ": " + archive_error_string(reader.get()));
  return top;
}

// Absolute, or with a ".." component.
bool unsafe_path(const std::string& path) {
  if (path.starts_with("/")) return true;
  for (size_t at = 0; (at = path.find("..", at)) != std::string::npos; at += 2)
    if ((at == 0 || path[at - 1] == '/') && (at + 2 == path.size() || path[at + 2] == '/')) return true;
  return false;
}

bool under_subtrees(const std::string& path, const std::vector<std::string>& subtrees) {
  if (subtrees.empty()) return true;
  for (const std::string& subtree : subtrees)
    if (path == subtree || path.starts_with(subtree + "/")) return true;
  return false;
}

}  // namespace

Status extract_archive(const std::string& archive_path, const std::string& destination_dir,
                       const ExtractOptions& options) {
  std::string strip;
  if (options.strip_single_top_directory) {
    auto top = single_top_directory(archive_path);
    if (!top) return top.error();
    if (*top) strip = **top + "/";
  }
  std::error_code ec;
  fs::create_directories(destination_dir, ec);
  if (ec) return Error(destination_dir + ": cannot create: " + ec.message());
  const std::string destination = fs::canonical(destination_dir, ec).string();
  if (ec) return Error(destination_dir + ": " + ec.message());

  ReadArchive reader = open_reader(archive_path);
  if (!reader) return Error(archive_path + ": not a readable archive");
  WriteArchive writer(archive_write_disk_new(), archive_write_free);
  // Members are checked by name below and then written under an absolute destination, so
  // libarchive's NOABSOLUTEPATHS cannot be used; its symlink and ".." guards still apply.
  archive_write_disk_set_options(writer.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                   ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                   ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  archive_write_disk_set_standard_lookup(writer.get());

  archive_entry* entry;
  int rc;
  size_t extracted = 0;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    // Refuse loudly rather than let a hostile member be skipped unnoticed.
    if (unsafe_path(name))
      return Error(archive_path + ": member '" + name + "' has an unsafe path; refusing to extract");
    if (const char* link = archive_entry_hardlink(entry); link && unsafe_path(link))
      return Error(archive_path + ": member '" + name + "' is a hard link to '" + link +
                   "', outside the tree; refusing to extract");
    if (name.starts_with("./")) name = name.substr(2);
    if (!strip.empty()) {
      if (name + "/" == strip || name == strip) continue;
      if (!name.starts_with(strip)) continue;
      name = name.substr(strip.size());
    }
    if (name.empty() || !under_subtrees(name, options.subtrees)) continue;
    const std::string full = destination + "/" + name;
    archive_entry_set_pathname(entry, full.c_str());
    if (const char* link = archive_entry_hardlink(entry)) {
      std::string target = link;
      if (target.starts_with("./")) target = target.substr(2);
      if (!strip.empty() && target.starts_with(strip)) target = target.substr(strip.size());
      archive_entry_set_hardlink(entry, (destination + "/" + target).c_str());
    }
    if (archive_write_header(writer.get(), entry) != ARCHIVE_OK)
      return Error(archive_path + ": member '" + name + "': " + archive_error_string(writer.get()));
    const void* block;
    size_t size;
    la_int64_t offset;
    while ((rc = archive_read_data_block(reader.get(), &block, &size, &offset)) == ARCHIVE_OK) {
      if (archive_write_data_block(writer.get(), block, size, offset) != ARCHIVE_OK)
        return Error(archive_path + ": member '" + name + "': " + archive_error_string(writer.get()));
    }
    if (rc != ARCHIVE_EOF)
      return Error(archive_path + ": member '" + name + "': " + archive_error_string(reader.get()));
    if (archive_write_finish_entry(writer.get()) != ARCHIVE_OK)
      return Error(archive_path + ": member '" + name + "': " + archive_error_string(writer.get()));
    ++extracted;
  }
  if (rc != ARCHIVE_EOF) return Error(archive_path + ": " + archive_error_string(reader.get()));
  if (archive_write_close(writer.get()) != ARCHIVE_OK)
    return Error(destination_dir + ": " + archive_error_string(writer.get()));
  if (extracted == 0 && !options.subtrees.empty())
    return Error(archive_path + ": none of " + options.subtrees.front() + "... is in the archive");
  return Status::success();
}

}  // namespace xport
