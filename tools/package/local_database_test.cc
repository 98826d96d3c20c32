#include "package/local_database.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

TEST(LocalDatabase, DescFilesAndMtreeInPacmansLayout) {
  testing::TempDir dir;
  WrittenPackage package;
  package.meta.name = "zlib";
  package.meta.version = "1.2.13-1";
  package.meta.base = "zlib";
  package.meta.description = "zlib compression library";
  package.meta.url = "https://zlib.net/";
  package.meta.arch = "riscv64";
  package.meta.licenses = {"Zlib"};
  package.meta.depends = {"musl"};
  package.meta.build_date = 1665360000;
  package.installed_size = 98765;
  InstalledFiles installed{{"usr/", "usr/lib/", "usr/lib/libz.so.1"}, std::string("\x1f\x8b mtree", 8)};
  const std::string root = dir.path() + "/root";
  ASSERT_TRUE(record_installed_package(root, package, installed, 1665360000, InstallReason::Dependency).ok());

  const std::string entry = root + "/var/lib/pacman/local/zlib-1.2.13-1";
  EXPECT_EQ(*read_file(root + "/var/lib/pacman/local/ALPM_DB_VERSION"), "9\n");
  EXPECT_EQ(*read_file(entry + "/desc"),
            "%NAME%\nzlib\n\n%VERSION%\n1.2.13-1\n\n%BASE%\nzlib\n\n%DESC%\nzlib compression library\n\n"
            "%URL%\nhttps://zlib.net/\n\n%ARCH%\nriscv64\n\n%BUILDDATE%\n1665360000\n\n%INSTALLDATE%\n1665360000\n\n"
            "%PACKAGER%\nxport\n\n%SIZE%\n98765\n\n%REASON%\n1\n\n%LICENSE%\nZlib\n\n%VALIDATION%\nsha256\n\n"
            "%DEPENDS%\nmusl\n\n");
  EXPECT_EQ(*read_file(entry + "/files"), "%FILES%\nusr/\nusr/lib/\nusr/lib/libz.so.1\n\n");
  EXPECT_EQ(*read_file(entry + "/mtree"), installed.mtree);
}

TEST(LocalDatabase, AnExplicitPackageHasNoReason) {
  testing::TempDir dir;
  WrittenPackage package;
  package.meta.name = "busybox";
  package.meta.version = "1.35.0-1";
  package.meta.arch = "aarch64";
  ASSERT_TRUE(record_installed_package(dir.path(), package, {}, 0, InstallReason::Explicit).ok());
  auto desc = read_file(dir.path() + "/var/lib/pacman/local/busybox-1.35.0-1/desc");
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(desc->find("%REASON%"), std::string::npos);
  EXPECT_NE(desc->find("%BASE%\nbusybox\n"), std::string::npos);
}

}  // namespace
}  // namespace xport
