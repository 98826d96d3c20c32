#include "core/huge_pages.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "core/files.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

std::string patterned(size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 7 + i / 4096);
  return data;
}

// Written 4 KB at a time, as a linker or `install` leaves a program: in small folios.
std::string write_in_small_pieces(const testing::TempDir& dir, const std::string& name,
                                  const std::string& content) {
  const std::string path = dir.path() + "/" + name;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0755);
  EXPECT_GE(fd, 0) << path;
  for (size_t offset = 0; offset < content.size(); offset += 4096)
    EXPECT_GT(::write(fd, content.data() + offset, std::min<size_t>(4096, content.size() - offset)),
              0);
  ::close(fd);
  return path;
}

// A read-only mapping at a 2 MB boundary, as an exec'd program gets for an aligned segment (which
// does not ask for huge pages). Returns the bytes it got in 2 MB pages.
size_t bytes_a_new_mapping_gets_huge(const std::string& path, size_t size,
                                     bool ask_for_huge_pages = false) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0) << path;
  void* reserved = ::mmap(nullptr, size + kHugePage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const uintptr_t aligned =
      (reinterpret_cast<uintptr_t>(reserved) + kHugePage - 1) & ~(kHugePage - 1);
  auto* data = static_cast<const volatile char*>(
      ::mmap(reinterpret_cast<void*>(aligned), size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0));
  if (ask_for_huge_pages) ::madvise(const_cast<char*>(data), size, MADV_HUGEPAGE);
  for (size_t offset = 0; offset < size; offset += 4096) (void)data[offset];
  const size_t huge = file_bytes_mapped_huge(const_cast<const char*>(data));
  ::munmap(reserved, size + kHugePage);
  ::close(fd);
  return huge;
}

// Whether this kernel and the file system under `dir` fill the page cache with 2 MB folios at
// all, found without the code under test: a file written, flushed, dropped from the cache and
// read through a mapping that asks for huge pages.
bool page_cache_can_be_huge(const testing::TempDir& dir) {
  const std::string path = write_in_small_pieces(dir, "probe", patterned(kHugePage));
  const int fd = ::open(path.c_str(), O_RDONLY);
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  return bytes_a_new_mapping_gets_huge(path, kHugePage, true) == kHugePage;
}

TEST(CacheInHugePages, AJustWrittenFileIsReadAgainInto2MbPagesThatEveryAlignedMappingGets) {
  testing::TempDir dir;
  if (!page_cache_can_be_huge(dir))
    GTEST_SKIP() << "this kernel or file system keeps " << dir.path()
                 << "'s page cache in small folios";
  const std::string content = patterned(3 * kHugePage + 12345);
  const std::string path = write_in_small_pieces(dir, "clang", content);
  ASSERT_EQ(bytes_a_new_mapping_gets_huge(path, content.size()), 0u);
  auto huge = cache_in_huge_pages(path);
  ASSERT_TRUE(huge.ok()) << huge.error().message();
  EXPECT_EQ(*huge, 3 * kHugePage);
  EXPECT_EQ(bytes_a_new_mapping_gets_huge(path, content.size()), 3 * kHugePage);
  auto again = cache_in_huge_pages(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 3 * kHugePage);
  EXPECT_EQ(*read_file(path), content);
}

TEST(CacheInHugePages, AFileSmallerThanAHugePageStaysAsItIs) {
  testing::TempDir dir;
  const std::string content = patterned(kHugePage - 1);
  const std::string path = dir.write("small", content);
  auto huge = cache_in_huge_pages(path);
  ASSERT_TRUE(huge.ok()) << huge.error().message();
  EXPECT_EQ(*huge, 0u);
  EXPECT_EQ(*read_file(path), content);
}

TEST(CacheInHugePages, AMissingFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  auto huge = cache_in_huge_pages(dir.path() + "/no-such-clang");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message().find(dir.path() + "/no-such-clang: cannot open"),
            std::string::npos)
      << huge.error().message();
}

TEST(FileBytesMappedHuge, AnAddressThatStartsNoMappingHasNone) {
  int on_the_stack = 0;
  EXPECT_EQ(file_bytes_mapped_huge(&on_the_stack), 0u);
}

}  // namespace
}  // namespace xport
