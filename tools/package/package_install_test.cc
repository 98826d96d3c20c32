#include "package/package_install.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/files.h"
#include "package/pacman_package.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

PackageMeta meta_named(const std::string& name) {
  PackageMeta meta;
  meta.name = name;
  meta.version = "1.0-1";
  meta.description = name;
  meta.arch = "aarch64";
  meta.licenses = {"MIT"};
  meta.build_date = 1700000000;
  return meta;
}

// A package made by xport's own writer from a little tree.
std::string hello_package(testing::TempDir& dir) {
  dir.write("tree/usr/bin/hello", "#!/bin/sh\necho hello\n");
  fs::permissions(dir.path() + "/tree/usr/bin/hello", fs::perms(0755));
  dir.write("tree/usr/share/doc/hello/README", "hello\n");
  fs::create_symlink("hello", dir.path() + "/tree/usr/bin/hi");
  auto written = write_pacman_package(meta_named("hello"), dir.path() + "/tree", dir.path() + "/hello.pkg.tar.zst");
  EXPECT_TRUE(written.ok()) << written.error().message();
  return dir.path() + "/hello.pkg.tar.zst";
}

// A tar.zst with one hostile member, as a corrupt or malicious repository could serve.
std::string package_with_member(testing::TempDir& dir, const std::string& member) {
  const std::string file = dir.path() + "/evil.pkg.tar.zst";
  archive* a = archive_write_new();
  archive_write_add_filter_zstd(a);
  archive_write_set_format_pax_restricted(a);
  EXPECT_EQ(archive_write_open_filename(a, file.c_str()), ARCHIVE_OK);
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, member.c_str());
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, 5);
  archive_write_header(a, entry);
  archive_write_data(a, "evil\n", 5);
  archive_entry_free(entry);
  archive_write_free(a);
  return file;
}

TEST(InstallPackageFiles, InstallsFilesLinksAndModesAndListsThem) {
  testing::TempDir dir;
  const std::string package = hello_package(dir);
  auto installed = install_package_files(package, dir.path() + "/root");
  ASSERT_TRUE(installed.ok()) << installed.error().message();
  EXPECT_EQ(installed->paths, (std::vector<std::string>{"usr/", "usr/bin/", "usr/bin/hello", "usr/bin/hi", "usr/share/",
                                                         "usr/share/doc/", "usr/share/doc/hello/",
                                                         "usr/share/doc/hello/README"}));
  EXPECT_EQ(*read_file(dir.path() + "/root/usr/bin/hello"), "#!/bin/sh\necho hello\n");
  EXPECT_EQ(fs::status(dir.path() + "/root/usr/bin/hello").permissions() & fs::perms::all, fs::perms(0755));
  EXPECT_EQ(fs::read_symlink(dir.path() + "/root/usr/bin/hi"), "hello");
  EXPECT_FALSE(fs::exists(dir.path() + "/root/.PKGINFO"));
  EXPECT_FALSE(fs::exists(dir.path() + "/root/.MTREE"));
  // The .MTREE as packed: gzip's magic.
  ASSERT_GE(installed->mtree.size(), 2u);
  EXPECT_EQ(installed->mtree.substr(0, 2), "\x1f\x8b");
}

TEST(InstallPackageFiles, AFileAnotherPackageHoldsIsAConflict) {
  testing::TempDir dir;
  const std::string package = hello_package(dir);
  dir.write("root/usr/bin/hello", "someone else's\n");
  auto installed = install_package_files(package, dir.path() + "/root");
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error().message(),
            package + ": usr/bin/hello exists in " + dir.path() + "/root already (another package holds it)");
  EXPECT_EQ(*read_file(dir.path() + "/root/usr/bin/hello"), "someone else's\n");
}

TEST(InstallPackageFiles, AMemberLeavingTheRootIsRefused) {
  for (const std::string member : {"../escaped", "usr/../../escaped", "/etc/escaped"}) {
    testing::TempDir dir;
    const std::string package = package_with_member(dir, member);
    auto installed = install_package_files(package, dir.path() + "/root");
    ASSERT_FALSE(installed.ok()) << member;
    EXPECT_NE(installed.error().message().find("outside the root"), std::string::npos) << installed.error().message();
    EXPECT_FALSE(fs::exists(dir.path() + "/escaped"));
  }
}

TEST(InstallPackageFiles, ACorruptPackageIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string package = hello_package(dir);
  std::string bytes = *read_file(package);
  bytes.resize(bytes.size() / 2);
  const std::string cut = dir.write("cut.pkg.tar.zst", bytes);
  auto installed = install_package_files(cut, dir.path() + "/root");
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error().message().rfind(cut, 0), 0u) << installed.error().message();
}

}  // namespace
}  // namespace xport
