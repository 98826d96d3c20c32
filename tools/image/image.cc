#include "image/image.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <filesystem>
#include <memory>
#include <sstream>

#include "core/files.h"
#include "core/process.h"
#include "fetch/sha256.h"
#include "package/local_database.h"
#include "package/tree_archive.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

Status write_archive_image(const std::vector<std::string>& layers, ImageFormat format, const std::string& output,
                           int64_t epoch) {
  // Each path from the last layer that has it, in path order.
  std::map<std::string, std::pair<const std::string*, TreeEntry>> merged;
  for (const std::string& root : layers) {
    auto entries = list_tree(root);
    if (!entries) return entries.error();
    for (TreeEntry& entry : *entries) {
      std::string path = entry.path;
      merged.insert_or_assign(path, std::pair{&root, std::move(entry)});
    }
  }
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
  if (format == ImageFormat::Cpio) archive_write_set_format_cpio_newc(a.get());
  else archive_write_set_format_pax_restricted(a.get());
  if (archive_write_open_filename(a.get(), output.c_str()) != ARCHIVE_OK)
    return Error(output + ": " + archive_error_string(a.get()));
  for (const auto& [path, from] : merged) {
    const auto& [root, entry] = from;
    if (Status added = add_tree_entry(a.get(), *root, entry, std::min<int64_t>(entry.st.st_mtime, epoch), output);
        !added.ok())
      return added;
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return Error(output + ": " + archive_error_string(a.get()));
  return Status::success();
}

// A UUID-shaped text from a hash, so that the same root gives the same file system.
std::string uuid_from(const std::string& hex) {
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-8" + hex.substr(17, 3) + "-" +
         hex.substr(20, 12);
}

Status write_ext4_image(const std::string& root, const std::string& output, int64_t epoch) {
  auto entries = list_tree(root);
  if (!entries) return entries.error();
  // What identifies the content: every path, mode, size and mtime (the tar image hashes it all).
  std::string listing;
  uint64_t bytes = 0;
  for (const TreeEntry& entry : *entries) {
    listing += entry.path + " " + std::to_string(entry.st.st_mode) + " " + std::to_string(entry.st.st_size) + " " +
               std::to_string(std::min<int64_t>(entry.st.st_mtime, epoch)) + " " + entry.link_target + "\n";
    bytes += static_cast<uint64_t>(entry.st.st_size) + 4096;
  }
  const std::string digest = sha256_text(listing);
  // Room for the metadata and a little to spare; at least 16 MiB.
  const uint64_t kib = std::max<uint64_t>(16 * 1024, bytes / 1024 * 5 / 4 + 8192);
  std::error_code ec;
  fs::remove(output, ec);
  // e2fsprogs dates the superblock (and debugfs its last write) by these instead of the clock.
  const std::map<std::string, std::string> environment = {{"PATH", "/usr/sbin:/sbin:/usr/bin:/bin"},
                                                          {"SOURCE_DATE_EPOCH", std::to_string(epoch)},
                                                          {"E2FSPROGS_FAKE_TIME", std::to_string(epoch)}};
  auto made = run_process({"mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-d", root, "-U", uuid_from(digest),
                           "-E", "root_owner=0:0,hash_seed=" + uuid_from(digest.substr(32) + digest.substr(0, 32)),
                           "-L", "xport", output, std::to_string(kib) + "k"},
                          {.environment = environment});
  if (!made) return made.error();
  if (made->exit_code != 0) return Error("mke2fs could not make " + output + ":\n" + made->output);
  // mke2fs copies each source file's atime and ctime, which reading and installing changed:
  // every inode gets its clamped mtime for all four times instead.
  std::string commands;
  auto set_times = [&](const std::string& path, int64_t mtime) {
    for (const char* field : {"atime", "ctime", "mtime", "crtime"})
      commands += "sif \"" + path + "\" " + field + " @" + std::to_string(mtime) + "\n";
    for (const char* field : {"atime_extra", "ctime_extra", "mtime_extra", "crtime_extra"})
      commands += "sif \"" + path + "\" " + field + " 0\n";
  };
  set_times("/", epoch);
  for (const TreeEntry& entry : *entries) {
    if (entry.path.find_first_of("\"\n") != std::string::npos)
      return Error(root + "/" + entry.path + ": a name with a quote or newline cannot go into an ext4 image here");
    set_times("/" + entry.path, std::min<int64_t>(entry.st.st_mtime, epoch));
  }
  const std::string script = output + ".debugfs";
  if (Status written = write_file_atomically(script, commands); !written.ok()) return written;
  auto timed = run_process({"debugfs", "-w", "-f", script, output}, {.environment = environment});
  fs::remove(script, ec);
  if (!timed) return timed.error();
  if (timed->exit_code != 0) return Error("debugfs could not set the times in " + output + ":\n" + timed->output);
  return Status::success();
}

}  // namespace

std::optional<int64_t> root_install_epoch(const std::string& root) {
  std::optional<int64_t> newest;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root + "/" + kLocalDatabaseDir, ec)) {
    auto desc = read_file(entry.path().string() + "/desc");
    if (!desc) continue;
    std::istringstream lines(*desc);
    for (std::string line; std::getline(lines, line);)
      if (line == "%INSTALLDATE%" && std::getline(lines, line)) {
        const int64_t date = std::atoll(line.c_str());
        if (!newest || date > *newest) newest = date;
      }
  }
  return newest;
}

Expected<ImageFormat> parse_image_format(const std::string& name) {
  if (name == "tar") return ImageFormat::Tar;
  if (name == "cpio") return ImageFormat::Cpio;
  if (name == "ext4") return ImageFormat::Ext4;
  return Error("unknown image format '" + name + "' (formats: tar, cpio, ext4)");
}

Status write_image(const std::string& root, ImageFormat format, const std::string& output, int64_t epoch) {
  return write_image_layers({root}, format, output, epoch);
}

Status write_image_layers(const std::vector<std::string>& layers, ImageFormat format, const std::string& output,
                          int64_t epoch) {
  if (layers.empty()) return Error(output + ": no root to make an image of");
  for (const std::string& root : layers)
    if (!fs::is_directory(root)) return Error(root + ": no such root directory");
  if (format == ImageFormat::Ext4 && layers.size() > 1)
    return Error(output + ": an ext4 image is made of one root, not layers");
  const std::string partial = output + ".partial";
  Status written = format == ImageFormat::Ext4 ? write_ext4_image(layers.front(), partial, epoch)
                                               : write_archive_image(layers, format, partial, epoch);
  std::error_code ec;
  if (!written.ok()) {
    fs::remove(partial, ec);
    return written;
  }
  fs::rename(partial, output, ec);
  if (ec) return Error(output + ": cannot rename into place: " + ec.message());
  return Status::success();
}

}  // namespace xport
