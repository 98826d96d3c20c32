#include "fetch/source_tree.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fetch/sha256.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

// A real tar.gz with one top directory, written with libarchive.
std::string write_source(const testing::TempDir& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string path = dir.path() + "/src.tar.gz";
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  archive_write_open_filename(a, path.c_str());
  for (const auto& [name, content] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, ("pkg-1.0/" + name).c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1000000000, 0);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return path;
}

TEST(SourceTrees, ExtractsOnceAndCopiesEachUserItsSubtrees) {
  testing::TempDir dir;
  const std::string archive = write_source(dir, {{"a/x.c", "x"}, {"b/y.c", "y"}, {"c/z.c", "z"}});
  const std::string sha = *sha256_file(archive);
  SourceTrees trees(dir.path() + "/cache");
  const std::vector<std::string> both = union_of_subtrees({{"a"}, {"b"}});
  ASSERT_EQ(both, (std::vector<std::string>{"a", "b"}));

  ASSERT_TRUE(trees.copy(archive, sha, both, {"a"}, dir.path() + "/one").ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/one/a/x.c"));
  EXPECT_FALSE(fs::exists(dir.path() + "/one/b"));
  EXPECT_EQ(fs::last_write_time(dir.path() + "/one/a/x.c").time_since_epoch(),
            fs::last_write_time(*trees.tree(archive, sha, both) + "/a/x.c").time_since_epoch());

  // The second user is served from the cached tree: the archive itself is no longer needed.
  fs::remove(archive);
  ASSERT_TRUE(trees.copy(archive, sha, both, {"b"}, dir.path() + "/two").ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/two/b/y.c"));
  EXPECT_FALSE(fs::exists(dir.path() + "/two/c"));
}

TEST(SourceTrees, EverythingWhenNoSubtreesAreNamed) {
  testing::TempDir dir;
  const std::string archive = write_source(dir, {{"README", "r"}, {"src/m.c", "m"}});
  SourceTrees trees(dir.path() + "/cache");
  ASSERT_TRUE(trees.copy(archive, *sha256_file(archive), {}, {}, dir.path() + "/out").ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/out/README"));
  EXPECT_TRUE(fs::exists(dir.path() + "/out/src/m.c"));
  EXPECT_TRUE(union_of_subtrees({{"a"}, {}}).empty());
}

TEST(SourceTrees, ASubtreeMissingFromTheArchiveIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string archive = write_source(dir, {{"a/x.c", "x"}});
  SourceTrees trees(dir.path() + "/cache");
  Status status = trees.copy(archive, *sha256_file(archive), {"a", "nothere"}, {"nothere"}, dir.path() + "/out");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("'nothere' is not in the archive"), std::string::npos);
}

TEST(SourceTrees, ABrokenArchiveLeavesNoTreeBehind) {
  testing::TempDir dir;
  const std::string archive = dir.write("broken.tar.gz", "\x1f\x8b this is not gzip");
  SourceTrees trees(dir.path() + "/cache");
  EXPECT_FALSE(trees.copy(archive, "0123", {}, {}, dir.path() + "/out").ok());
  EXPECT_TRUE(!fs::exists(dir.path() + "/cache/trees") || fs::is_empty(dir.path() + "/cache/trees"));
}

}  // namespace
}  // namespace xport
