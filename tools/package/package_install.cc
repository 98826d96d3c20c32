#include "package/package_install.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>

namespace xport {

namespace {

using ReadArchive = std::unique_ptr<archive, decltype(&archive_read_free)>;
using DiskWriter = std::unique_ptr<archive, decltype(&archive_write_free)>;

bool is_metadata(const std::string& path) {
  return path == ".PKGINFO" || path == ".BUILDINFO" || path == ".MTREE" || path == ".INSTALL" ||
         path == ".CHANGELOG";
}

bool leaves_root(const std::string& path) {
  return path.empty() || path.front() == '/' || path == ".." || path.starts_with("../") ||
         path.find("/../") != std::string::npos || path.ends_with("/..");
}

}  // namespace

Expected<InstalledFiles> install_package_files(const std::string& package, const std::string& root) {
  ReadArchive reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  if (archive_read_open_filename(reader.get(), package.c_str(), 1 << 16) != ARCHIVE_OK)
    return Error(package + ": " + archive_error_string(reader.get()));
  DiskWriter disk(archive_write_disk_new(), archive_write_free);
  // Owner and mode as packed (the package says root), and no path may leave the root: names
  // are checked below (libarchive's NOABSOLUTEPATHS cannot be used: the root is prefixed), and
  // nothing is written through a symlink an earlier entry planted.
  archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  InstalledFiles installed;
  archive_entry* entry;
  int status;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    std::string path = archive_entry_pathname(entry);
    if (path.starts_with("./")) path.erase(0, 2);
    if (is_metadata(path)) {
      if (path == ".MTREE") {
        char block[16384];
        la_ssize_t n;
        while ((n = archive_read_data(reader.get(), block, sizeof block)) > 0) installed.mtree.append(block, n);
        if (n < 0) return Error(package + ": .MTREE: " + archive_error_string(reader.get()));
      }
      continue;
    }
    if (leaves_root(path)) return Error(package + ": entry '" + path + "' would be installed outside the root");
    const bool directory = archive_entry_filetype(entry) == AE_IFDIR;
    const std::string target = root + "/" + path;
    struct stat existing;
    if (!directory && lstat(target.c_str(), &existing) == 0)
      return Error(package + ": " + path + " exists in " + root + " already (another package holds it)");
    archive_entry_set_pathname(entry, target.c_str());
    if (const char* hardlink = archive_entry_hardlink(entry)) {
      if (leaves_root(hardlink))
        return Error(package + ": entry '" + path + "' links to '" + hardlink + "', outside the root");
      archive_entry_set_hardlink(entry, (root + "/" + hardlink).c_str());
    }
    if (archive_write_header(disk.get(), entry) != ARCHIVE_OK)
      return Error(package + ": " + path + ": " + archive_error_string(disk.get()));
    const void* block;
    size_t size;
    la_int64_t offset;
    int data;
    while ((data = archive_read_data_block(reader.get(), &block, &size, &offset)) == ARCHIVE_OK)
      if (archive_write_data_block(disk.get(), block, size, offset) != ARCHIVE_OK)
        return Error(package + ": " + path + ": " + archive_error_string(disk.get()));
    if (data != ARCHIVE_EOF) return Error(package + ": " + path + ": " + archive_error_string(reader.get()));
    if (archive_write_finish_entry(disk.get()) != ARCHIVE_OK)
      return Error(package + ": " + path + ": " + archive_error_string(disk.get()));
    if (directory && !path.ends_with("/")) path += "/";
    installed.paths.push_back(path);
  }
  if (status != ARCHIVE_EOF) return Error(package + ": " + archive_error_string(reader.get()));
  if (archive_write_close(disk.get()) != ARCHIVE_OK) return Error(root + ": " + archive_error_string(disk.get()));
  return installed;
}

}  // namespace xport
