#include "image/image.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/files.h"
#include "core/process.h"
#include "fetch/sha256.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

struct Member {
  std::string path;
  int64_t mtime;
  int64_t uid;
  std::string content;
};

std::vector<Member> members(const std::string& file) {
  std::vector<Member> out;
  archive* a = archive_read_new();
  archive_read_support_format_all(a);
  archive_read_support_filter_all(a);
  EXPECT_EQ(archive_read_open_filename(a, file.c_str(), 1 << 16), ARCHIVE_OK);
  archive_entry* entry;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    Member m{archive_entry_pathname(entry), archive_entry_mtime(entry), archive_entry_uid(entry), ""};
    char block[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, block, sizeof block)) > 0) m.content.append(block, static_cast<size_t>(n));
    out.push_back(m);
  }
  archive_read_free(a);
  return out;
}

class Image : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("root/etc/hostname", "xport\n");
    dir_.write("root/bin/busybox", "#!/bin/sh\n", 0755);
    fs::create_symlink("busybox", dir_.path() + "/root/bin/sh");
    // One file older than the epoch keeps its time; the rest are newer and are clamped.
    struct utimbuf old_time = {1000, 1000};
    utime((dir_.path() + "/root/etc/hostname").c_str(), &old_time);
  }
  std::string root() const { return dir_.path() + "/root"; }
  testing::TempDir dir_;
};

TEST_F(Image, TarIsSortedOwnedByRootClampedAndTheSameEveryTime) {
  ASSERT_TRUE(write_image(root(), ImageFormat::Tar, dir_.path() + "/a.tar", 1700000000).ok());
  ASSERT_TRUE(write_image(root(), ImageFormat::Tar, dir_.path() + "/b.tar", 1700000000).ok());
  EXPECT_EQ(*read_file(dir_.path() + "/a.tar"), *read_file(dir_.path() + "/b.tar"));
  auto got = members(dir_.path() + "/a.tar");
  std::vector<std::string> paths;
  for (const Member& m : got) paths.push_back(m.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"bin/", "bin/busybox", "bin/sh", "etc/", "etc/hostname"}));
  for (const Member& m : got) {
    EXPECT_EQ(m.uid, 0) << m.path;
    EXPECT_EQ(m.mtime, m.path == "etc/hostname" ? 1000 : 1700000000) << m.path;
  }
  EXPECT_EQ(got[4].content, "xport\n");
  EXPECT_FALSE(fs::exists(dir_.path() + "/a.tar.partial"));
}

TEST_F(Image, CpioIsNewcForTheKernelsInitramfs) {
  ASSERT_TRUE(write_image(root(), ImageFormat::Cpio, dir_.path() + "/initramfs.cpio", 1700000000).ok());
  auto bytes = read_file(dir_.path() + "/initramfs.cpio");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->substr(0, 6), "070701");  // the newc magic, which the kernel reads
  auto got = members(dir_.path() + "/initramfs.cpio");
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[1].content, "#!/bin/sh\n");
}

TEST_F(Image, Ext4HoldsTheFilesAndIsTheSameEveryTime) {
  if (run_process({"sh", "-c", "command -v mke2fs || test -x /sbin/mke2fs"})->exit_code != 0)
    GTEST_SKIP() << "no mke2fs";
  ASSERT_TRUE(write_image(root(), ImageFormat::Ext4, dir_.path() + "/a.ext4", 1700000000).ok());
  ASSERT_TRUE(write_image(root(), ImageFormat::Ext4, dir_.path() + "/b.ext4", 1700000000).ok());
  EXPECT_EQ(*sha256_file(dir_.path() + "/a.ext4"), *sha256_file(dir_.path() + "/b.ext4"));
  auto cat = run_process({"debugfs", "-R", "cat /etc/hostname", dir_.path() + "/a.ext4"});
  ASSERT_TRUE(cat.ok());
  EXPECT_NE(cat->output.find("xport\n"), std::string::npos) << cat->output;
  // Reading the root changes its files' atimes; the image does not follow.
  for (const std::string& file : {"/root/etc/hostname", "/root/bin/busybox"}) ASSERT_TRUE(read_file(dir_.path() + file).ok());
  sleep(1);  // and the clock has moved on
  ASSERT_TRUE(write_image(root(), ImageFormat::Ext4, dir_.path() + "/c.ext4", 1700000000).ok());
  EXPECT_EQ(*sha256_file(dir_.path() + "/a.ext4"), *sha256_file(dir_.path() + "/c.ext4"));
  auto check = run_process({"e2fsck", "-fn", dir_.path() + "/a.ext4"});
  EXPECT_EQ(check->exit_code, 0) << check->output;  // a consistent file system after the edits
  auto stat = run_process({"debugfs", "-R", "stat /etc/hostname", dir_.path() + "/a.ext4"});
  EXPECT_NE(stat->output.find("mtime: 0x000003e8:00000000"), std::string::npos) << stat->output;
}

TEST_F(Image, AnUnknownFormatOrAMissingRootIsAnError) {
  auto format = parse_image_format("squashfs");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.error().message(), "unknown image format 'squashfs' (formats: tar, cpio, ext4)");
  Status missing = write_image(dir_.path() + "/nothing", ImageFormat::Tar, dir_.path() + "/x.tar", 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), dir_.path() + "/nothing: no such root directory");
}

TEST_F(Image, ALaterLayerReplacesAPathAndAddsItsOwn) {
  dir_.write("overlay/etc/hostname", "booted\n");
  dir_.write("overlay/xport/init", "#!/bin/sh\n", 0755);
  const std::string cpio = dir_.path() + "/boot.cpio";
  ASSERT_TRUE(write_image_layers({root(), dir_.path() + "/overlay"}, ImageFormat::Cpio, cpio, 5000).ok());
  std::map<std::string, std::string> content;
  const std::vector<Member> all = members(cpio);
  for (const Member& m : all) content[m.path] = m.content;
  EXPECT_EQ(content["etc/hostname"], "booted\n");
  EXPECT_EQ(content["xport/init"], "#!/bin/sh\n");
  EXPECT_TRUE(content.count("bin/busybox"));
  EXPECT_EQ(std::count_if(all.begin(), all.end(), [](const Member& m) { return m.path == "etc/hostname"; }), 1);
  Status ext4 = write_image_layers({root(), dir_.path() + "/overlay"}, ImageFormat::Ext4, dir_.path() + "/x.ext4", 5000);
  ASSERT_FALSE(ext4.ok());
  EXPECT_EQ(ext4.error().message(), dir_.path() + "/x.ext4: an ext4 image is made of one root, not layers");
}

}  // namespace
}  // namespace xport
