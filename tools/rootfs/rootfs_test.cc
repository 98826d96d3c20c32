#include "rootfs/rootfs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

// A repository of little packages written by xport's own package writer.
class Rootfs : public ::testing::Test {
 protected:
  void add(const std::string& name, std::vector<std::string> depends, const std::string& file,
           int64_t build_date = 1700000000) {
    dir_.write("trees/" + name + "/" + file, name + "\n");
    PackageMeta meta;
    meta.name = name;
    meta.version = "1.0-1";
    meta.arch = "aarch64";
    meta.licenses = {"MIT"};
    meta.depends = std::move(depends);
    meta.build_date = build_date;
    fs::create_directories(repo());
    auto written = write_pacman_package(meta, dir_.path() + "/trees/" + name, repo() + "/" + package_file_name(meta));
    ASSERT_TRUE(written.ok()) << written.error().message();
  }
  std::string repo() const { return dir_.path() + "/repo"; }
  std::string root() const { return dir_.path() + "/root"; }
  testing::TempDir dir_;
};

TEST_F(Rootfs, DependenciesFirstEachRecordedWithItsReason) {
  add("busybox", {"musl"}, "bin/busybox");
  add("musl", {}, "lib/ld-musl-aarch64.so.1", 1600000000);
  add("zlib", {"musl"}, "usr/lib/libz.so.1");
  auto made = make_rootfs(repo(), {"busybox"}, root());
  ASSERT_TRUE(made.ok()) << made.error().message();
  ASSERT_EQ(made->installed.size(), 2u);
  EXPECT_EQ(made->installed[0].meta.name, "musl");
  EXPECT_EQ(made->installed[1].meta.name, "busybox");
  EXPECT_EQ(*read_file(root() + "/bin/busybox"), "busybox\n");
  EXPECT_FALSE(fs::exists(root() + "/usr/lib/libz.so.1"));
  EXPECT_FALSE(fs::exists(root() + ".partial"));
  const std::string local = root() + "/var/lib/pacman/local";
  auto musl = read_file(local + "/musl-1.0-1/desc");
  auto busybox = read_file(local + "/busybox-1.0-1/desc");
  ASSERT_TRUE(musl.ok() && busybox.ok());
  EXPECT_NE(musl->find("%REASON%\n1\n"), std::string::npos);
  EXPECT_EQ(busybox->find("%REASON%"), std::string::npos);
  // The newest build date, not the clock: the same packages make the same root.
  EXPECT_NE(musl->find("%INSTALLDATE%\n1700000000\n"), std::string::npos) << *musl;
  EXPECT_EQ(*read_file(local + "/busybox-1.0-1/files"), "%FILES%\nbin/\nbin/busybox\n\n");
}

TEST_F(Rootfs, AMissingDependencyNamesWhoNeedsIt) {
  add("busybox", {"musl"}, "bin/busybox");
  auto made = make_rootfs(repo(), {"busybox"}, root());
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().message(), "busybox depends on 'musl', which no package in " + repo() + " provides");
  EXPECT_FALSE(fs::exists(root()));
}

TEST_F(Rootfs, TwoPackagesWithTheSameFileConflictAndNothingIsLeft) {
  add("busybox", {}, "bin/sh");
  add("dash", {}, "bin/sh");
  auto made = make_rootfs(repo(), {"busybox", "dash"}, root());
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message().find("bin/sh exists in"), std::string::npos) << made.error().message();
  EXPECT_FALSE(fs::exists(root()));
  EXPECT_FALSE(fs::exists(root() + ".partial"));
}

TEST_F(Rootfs, ANonEmptyDestinationIsRefusedUntouched) {
  add("musl", {}, "lib/libc.so");
  dir_.write("root/keep", "mine\n");
  auto made = make_rootfs(repo(), {"musl"}, root());
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().message(), root() + ": exists and is not empty; remove it or give another directory");
  EXPECT_EQ(*read_file(root() + "/keep"), "mine\n");
}

}  // namespace
}  // namespace xport
