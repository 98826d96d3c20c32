#include "fetch/extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

struct Member {
  std::string path;
  std::string content;  // for files
  std::string link;     // symlink target when not empty
};

// Writes a real tar.xz with libarchive.
void write_tar(const std::string& path, const std::vector<Member>& members) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_xz(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.path.c_str());
    if (!m.link.empty()) {
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, m.link.c_str());
      archive_entry_set_perm(e, 0777);
    } else if (m.path.ends_with("/")) {
      archive_entry_set_filetype(e, AE_IFDIR);
      archive_entry_set_perm(e, 0755);
    } else {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, static_cast<la_int64_t>(m.content.size()));
    }
    archive_write_header(a, e);
    if (!m.content.empty()) archive_write_data(a, m.content.data(), m.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Extract, StripsTheSingleTopDirectory) {
  testing::TempDir dir;
  write_tar(dir.path() + "/a.tar.xz", {{"musl-1.2.3/", "", ""},
                                       {"musl-1.2.3/README", "hello\n", ""},
                                       {"musl-1.2.3/src/x.c", "int x;\n", ""}});
  Status status = extract_archive(dir.path() + "/a.tar.xz", dir.path() + "/out");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(slurp(dir.path() + "/out/README"), "hello\n");
  EXPECT_EQ(slurp(dir.path() + "/out/src/x.c"), "int x;\n");
}

TEST(Extract, KeepsTarballsWithoutTopDirectory) {
  testing::TempDir dir;
  write_tar(dir.path() + "/tcc.tar.xz", {{"Makefile", "all:\n", ""}, {"lib/a.c", "x", ""}});
  ASSERT_TRUE(extract_archive(dir.path() + "/tcc.tar.xz", dir.path() + "/out").ok());
  EXPECT_EQ(slurp(dir.path() + "/out/Makefile"), "all:\n");
  EXPECT_EQ(slurp(dir.path() + "/out/lib/a.c"), "x");
}

TEST(Extract, AFirstDirectoryThatIsNotTheTopLeavesNothingStripped) {
  // The top directory is guessed from the first member (one decompression of a big tarball);
  // here the guess proves wrong late, and what was written under stripped names is gone.
  testing::TempDir dir;
  write_tar(dir.path() + "/t.tar.xz",
            {{"lib/", "", ""}, {"lib/a.c", "x", ""}, {"src/b.c", "y", ""}, {"Makefile", "all:\n", ""}});
  ASSERT_TRUE(extract_archive(dir.path() + "/t.tar.xz", dir.path() + "/out").ok());
  EXPECT_EQ(slurp(dir.path() + "/out/lib/a.c"), "x");
  EXPECT_EQ(slurp(dir.path() + "/out/src/b.c"), "y");
  EXPECT_EQ(slurp(dir.path() + "/out/Makefile"), "all:\n");
  EXPECT_FALSE(fs::exists(dir.path() + "/out/a.c"));
}

TEST(Extract, OnlyTheWantedSubtrees) {
  testing::TempDir dir;
  write_tar(dir.path() + "/llvm.tar.xz", {{"llvm-16/compiler-rt/a", "a", ""},
                                          {"llvm-16/clang/b", "b", ""},
                                          {"llvm-16/cmake/c", "c", ""}});
  ExtractOptions options;
  options.subtrees = {"compiler-rt", "cmake"};
  ASSERT_TRUE(extract_archive(dir.path() + "/llvm.tar.xz", dir.path() + "/out", options).ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/out/compiler-rt/a"));
  EXPECT_TRUE(fs::exists(dir.path() + "/out/cmake/c"));
  EXPECT_FALSE(fs::exists(dir.path() + "/out/clang"));
}

TEST(Extract, RefusesPathsThatLeaveTheTree) {
  testing::TempDir dir;
  write_tar(dir.path() + "/evil.tar.xz", {{"pkg/ok", "fine", ""}, {"pkg/../../escaped", "bad", ""}});
  Status status = extract_archive(dir.path() + "/evil.tar.xz", dir.path() + "/out");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            dir.path() + "/evil.tar.xz: member 'pkg/../../escaped' has an unsafe path; refusing to extract");
  EXPECT_FALSE(fs::exists(dir.path() + "/escaped"));

  write_tar(dir.path() + "/abs.tar.xz", {{"/etc/evil", "bad", ""}});
  status = extract_archive(dir.path() + "/abs.tar.xz", dir.path() + "/out2");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("'/etc/evil' has an unsafe path"), std::string::npos);
}

TEST(Extract, RefusesWritingThroughASymlink) {
  testing::TempDir dir;
  write_tar(dir.path() + "/link.tar.xz",
            {{"pkg/link", "", "/tmp"}, {"pkg/link/planted", "bad", ""}});
  Status status = extract_archive(dir.path() + "/link.tar.xz", dir.path() + "/out");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("link.tar.xz: member 'link/planted'"), std::string::npos)
      << status.error().message();
  EXPECT_FALSE(fs::exists("/tmp/planted"));
}

TEST(Extract, TruncatedArchiveIsAnError) {
  testing::TempDir dir;
  std::string big(200000, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7919) % 26);
  write_tar(dir.path() + "/t.tar.xz", {{"p/big", big, ""}});
  std::string bytes = slurp(dir.path() + "/t.tar.xz");
  std::ofstream(dir.path() + "/cut.tar.xz", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  Status status = extract_archive(dir.path() + "/cut.tar.xz", dir.path() + "/out");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message().rfind(dir.path() + "/cut.tar.xz: ", 0), 0u) << status.error().message();
}

}  // namespace
}  // namespace xport
