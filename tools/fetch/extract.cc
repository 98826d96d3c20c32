#include "fetch/extract.h"

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>

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

// One pass of libarchive over the archive. With `strip_top`, the first member's top directory is
// taken to be the one every member is under and is stripped, so that a large tarball is
// decompressed once; a member outside it ends the pass with `false` (and what the pass wrote
// removed) so that the caller reads the archive again without stripping.
Expected<bool> extract_pass(const std::string& archive_path, const std::string& destination,
                            const ExtractOptions& options, bool strip_top) {
  ReadArchive reader = open_reader(archive_path);
  if (!reader) return Error(archive_path + ": not a readable archive");
  WriteArchive writer(archive_write_disk_new(), archive_write_free);
  // Members are checked by name below and then written under an absolute destination, so
  // libarchive's NOABSOLUTEPATHS cannot be used; its symlink and ".." guards still apply.
  archive_write_disk_set_options(writer.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                   ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                   ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  archive_write_disk_set_standard_lookup(writer.get());

  std::string strip;                     // "top/" once the first member is seen
  std::set<std::string> written_tops;    // what to remove if the guess about the top was wrong
  auto wrong_guess = [&]() -> Expected<bool> {
    std::error_code ec;
    for (const std::string& top : written_tops) fs::remove_all(destination + "/" + top, ec);
    return false;
  };
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
    if (name.empty() || name == ".") continue;
    if (strip_top) {
      if (strip.empty()) {
        const bool is_dir_member =
            name.find('/') != std::string::npos || archive_entry_filetype(entry) == AE_IFDIR;
        if (!is_dir_member) return wrong_guess();
        strip = first_component(name) + "/";
      }
      if (name + "/" == strip || name == strip) continue;
      if (!name.starts_with(strip)) return wrong_guess();
      name = name.substr(strip.size());
    }
    if (name.empty() || !under_subtrees(name, options.subtrees)) continue;
    written_tops.insert(first_component(name));
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
    return Error(destination + ": " + archive_error_string(writer.get()));
  if (extracted == 0 && !options.subtrees.empty())
    return Error(archive_path + ": none of " + options.subtrees.front() + "... is in the archive");
  return true;
}

}  // namespace

Status extract_archive(const std::string& archive_path, const std::string& destination_dir,
                       const ExtractOptions& options) {
  std::error_code ec;
  fs::create_directories(destination_dir, ec);
  if (ec) return Error(destination_dir + ": cannot create: " + ec.message());
  const std::string destination = fs::canonical(destination_dir, ec).string();
  if (ec) return Error(destination_dir + ": " + ec.message());
  auto done = extract_pass(archive_path, destination, options, options.strip_single_top_directory);
  if (!done) return done.error();
  if (*done) return Status::success();
  auto again = extract_pass(archive_path, destination, options, false);
  if (!again) return again.error();
  return Status::success();
}

}  // namespace xport
