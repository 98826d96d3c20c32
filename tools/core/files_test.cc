#include "core/files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNoTemporary) {
  testing::TempDir dir;
  const std::string path = dir.write("report.json", "old");
  ASSERT_TRUE(write_file_atomically(path, "new").ok());
  EXPECT_EQ(*read_file(path), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriteFileAtomically, ADeviceIsWrittenInPlaceNotReplaced) {
  // Through a link to /dev/null: a rename would replace the link (never the host's device)
  // with a regular file, which the test sees.
  testing::TempDir dir;
  const std::string path = dir.symlink("sink", "/dev/null");
  ASSERT_TRUE(write_file_atomically(path, "discarded").ok());
  EXPECT_TRUE(fs::is_symlink(path));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(WriteFileAtomically, AMissingDirectoryNamesTheFile) {
  testing::TempDir dir;
  Status written = write_file_atomically(dir.path() + "/no/such/file", "x");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find(dir.path() + "/no/such/file"), std::string::npos);
}

}  // namespace
}  // namespace xport
