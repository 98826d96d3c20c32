#include "inspect/file_source.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "testing/fixtures.h"

namespace xport::inspect {
namespace {

using testing::TempDir;

// Resident kilobytes of the mapping that contains `address`, from /proc/self/smaps.
long resident_kb(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  const auto where = reinterpret_cast<uintptr_t>(address);
  while (std::getline(smaps, line)) {
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= where && where < end;
    } else if (inside && line.starts_with("Rss:")) {
      return std::stol(line.substr(4));
    }
  }
  return -1;
}

TEST(MappedFile, MapsARegularFileAndDescribesIt) {
  TempDir dir;
  std::string path = dir.write("bin/tool", "#!/bin/sh\necho hi\n", 04755);
  auto file = MappedFile::open(path, "bin/tool");
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ(file->entry().kind, EntryKind::Regular);
  EXPECT_EQ(file->entry().mode, 04755u);
  EXPECT_EQ(file->entry().size, 18u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(file->content().data()), 18),
            "#!/bin/sh\necho hi\n");
}

TEST(MappedFile, ReadsALinkWithoutFollowingIt) {
  TempDir dir;
  std::string link = dir.symlink("lib/libz.so", "libz.so.1");
  auto file = MappedFile::open(link, "lib/libz.so");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->entry().kind, EntryKind::Symlink);
  EXPECT_EQ(file->entry().link_target, "libz.so.1");
  EXPECT_TRUE(file->content().empty());
}

TEST(MappedFile, AMissingFileIsAnErrorNamingIt) {
  auto file = MappedFile::open("/nonexistent/xport-test", "x");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message().find("/nonexistent/xport-test"), std::string::npos);
}

TEST(MappedFile, ReleasedPagesLeaveMemoryAndReadBackUnchanged) {
  TempDir dir;
  std::string bytes(8 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + i / 4096);
  std::string path = dir.write("big", bytes);
  auto file = MappedFile::open(path, "big");
  ASSERT_TRUE(file.ok());
  const unsigned char* data = file->content().data();
  unsigned sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 4096) sum += data[i];  // touch every page
  EXPECT_GE(resident_kb(data), 8 * 1024 - 4);

  file->release_before(6 << 20);
  EXPECT_LE(resident_kb(data), 2 * 1024 + 4);
  EXPECT_EQ(std::memcmp(data, bytes.data(), bytes.size()), 0) << sum;
}

}  // namespace
}  // namespace xport::inspect
