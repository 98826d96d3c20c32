// Writes the seed corpus for fuzz_archive with libarchive's write API: one small archive of each
// format the reader handles (tar plain/gz/xz/zst/bz2, cpio newc/odc, a static library, a .deb, a
// pacman package), with members of every kind and some unsafe names. Usage: fuzz_archive_seeds DIR
#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Member {
  std::string name;
  unsigned type = AE_IFREG;
  unsigned mode = 0644;
  std::string data;
  std::string link;  // symlink target, or hard link target when `hard`
  bool hard = false;
};

la_ssize_t append(archive*, void* out, const void* buffer, size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// format: a libarchive write-format setter; filter: a write-filter adder or nullptr.
std::string write(int (*format)(archive*), int (*filter)(archive*),
                  const std::vector<Member>& members) {
  archive* a = archive_write_new();
  format(a);
  if (filter) filter(a);
  if (format == archive_write_set_format_ar_svr4) archive_write_set_bytes_per_block(a, 0);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  archive_write_open2(a, &out, nullptr, append, nullptr, nullptr);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, m.mode);
    archive_entry_set_uid(e, 1000);
    archive_entry_set_gid(e, 100);
    if (m.hard)
      archive_entry_set_hardlink(e, m.link.c_str());
    else if (m.type == AE_IFLNK)
      archive_entry_set_symlink(e, m.link.c_str());
    if (m.type == AE_IFCHR) archive_entry_set_rdev(e, 0x103);
    archive_entry_set_size(
        e, m.type == AE_IFREG && !m.hard ? static_cast<la_int64_t>(m.data.size()) : 0);
    if (archive_write_header(a, e) == ARCHIVE_OK && !m.data.empty() && !m.hard)
      archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

const std::string kElf = std::string(
                             "\x7f"
                             "ELF\x02\x01\x01\0",
                             8) +
                         std::string(24, '\x02');

std::vector<Member> tree() {
  return {
      {"./", AE_IFDIR, 0755, "", ""},
      {"./usr/bin/tool", AE_IFREG, 04755, kElf, ""},
      {"./usr/lib/libx.so", AE_IFLNK, 0777, "", "libx.so.1"},
      {"./usr/bin/tool2", AE_IFREG, 0755, "", "./usr/bin/tool", true},
      {"./dev/null", AE_IFCHR, 0666, "", ""},
      {"./etc/conf", AE_IFREG, 0640, "key=value\n", ""},
      {"/abs", AE_IFREG, 0644, "x", ""},
      {"../up", AE_IFREG, 0644, "y", ""},
  };
}

bool save(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  auto* pax = archive_write_set_format_pax_restricted;
  bool ok = true;
  ok &= save(dir, "tar", write(pax, nullptr, tree()));
  ok &= save(dir, "gnutar", write(archive_write_set_format_gnutar, nullptr, tree()));
  ok &= save(dir, "tar.gz", write(pax, archive_write_add_filter_gzip, tree()));
  ok &= save(dir, "tar.xz", write(pax, archive_write_add_filter_xz, tree()));
  ok &= save(dir, "tar.zst", write(pax, archive_write_add_filter_zstd, tree()));
  ok &= save(dir, "tar.bz2", write(pax, archive_write_add_filter_bzip2, tree()));
  ok &= save(dir, "cpio.newc", write(archive_write_set_format_cpio_newc, nullptr, tree()));
  ok &= save(dir, "cpio.odc", write(archive_write_set_format_cpio_odc, nullptr, tree()));
  ok &= save(
      dir, "lib.a",
      write(archive_write_set_format_ar_svr4, nullptr,
            {{"/", AE_IFREG, 0644, std::string(8, '\0'), ""}, {"a.o", AE_IFREG, 0644, kElf, ""}}));
  std::string control =
      write(pax, archive_write_add_filter_xz, {{"./control", AE_IFREG, 0644, "Package: t\n", ""}});
  std::string data = write(pax, archive_write_add_filter_zstd, tree());
  ok &= save(dir, "pkg.deb",
             write(archive_write_set_format_ar_svr4, nullptr,
                   {{"debian-binary", AE_IFREG, 0644, "2.0\n", ""},
                    {"control.tar.xz", AE_IFREG, 0644, control, ""},
                    {"data.tar.zst", AE_IFREG, 0644, data, ""}}));
  std::vector<Member> pacman = {{".PKGINFO", AE_IFREG, 0644, "pkgname = t\n", ""},
                                {".MTREE", AE_IFREG, 0644, "#mtree\n", ""}};
  for (const Member& m : tree()) pacman.push_back(m);
  ok &= save(dir, "pkg.tar.zst", write(pax, archive_write_add_filter_zstd, pacman));
  if (!ok) {
    std::fprintf(stderr, "%s: cannot write the seeds\n", dir.c_str());
    return 1;
  }
  return 0;
}
