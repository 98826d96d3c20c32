#include "package/pacman_package.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>

#include "core/files.h"
#include "core/process.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

struct Member {
  std::string path;
  mode_t mode = 0;
  int64_t uid = -1;
  int64_t mtime = 0;
  std::string content;
  std::string link;
};

std::vector<Member> read_members(const std::string& path) {
  std::vector<Member> members;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 1 << 16), ARCHIVE_OK) << path;
  archive_entry* entry;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    Member m{archive_entry_pathname(entry), archive_entry_mode(entry), archive_entry_uid(entry),
             archive_entry_mtime(entry), "", archive_entry_symlink(entry) ? archive_entry_symlink(entry) : ""};
    char block[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, block, sizeof block)) > 0) m.content.append(block, static_cast<size_t>(n));
    members.push_back(std::move(m));
  }
  archive_read_free(a);
  return members;
}

PackageMeta hello_meta() {
  PackageMeta meta;
  meta.name = "hello";
  meta.version = "1.0-2";
  meta.description = "says hello";
  meta.url = "https://example.org/hello";
  meta.arch = "aarch64";
  meta.licenses = {"MIT"};
  meta.depends = {"musl"};
  meta.build_date = 1700000000;
  meta.build_info = {"pkgbuild_sha256sum = 00ff"};
  return meta;
}

// A staged install, as a recipe's install phase leaves it.
void stage(const testing::TempDir& dir, const std::string& root, int64_t mtime) {
  dir.write(root + "/usr/bin/hello", "#!/bin/sh\necho hello\n", 0755);
  dir.write(root + "/usr/share/doc/hello/README", "hello, world\n");
  dir.symlink(root + "/usr/bin/hi", "hello");
  for (const char* path : {"/usr/bin/hello", "/usr/share/doc/hello/README"}) {
    struct utimbuf times{mtime, mtime};
    utime((dir.path() + "/" + root + path).c_str(), &times);
  }
}

TEST(PacmanPackage, MetadataFirstThenTheFilesSortedOwnedByRootAtTheBuildDate) {
  testing::TempDir dir;
  stage(dir, "root", 1234);
  auto written = write_pacman_package(hello_meta(), dir.path() + "/root", dir.path() + "/" + package_file_name(hello_meta()));
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(fs::path(written->file).filename(), "hello-1.0-2-aarch64.pkg.tar.zst");
  EXPECT_EQ(written->installed_size, 21u + 13u);
  EXPECT_EQ(written->sha256.size(), 64u);

  std::vector<Member> members = read_members(written->file);
  std::vector<std::string> paths;
  for (const Member& m : members) paths.push_back(m.path);
  EXPECT_EQ(paths, (std::vector<std::string>{".BUILDINFO", ".MTREE", ".PKGINFO", "usr/", "usr/bin/",
                                             "usr/bin/hello", "usr/bin/hi", "usr/share/", "usr/share/doc/",
                                             "usr/share/doc/hello/", "usr/share/doc/hello/README"}));
  for (const Member& m : members) {
    EXPECT_EQ(m.uid, 0) << m.path;
    EXPECT_EQ(m.mtime, 1700000000) << m.path;
  }
  EXPECT_EQ(members[5].mode, static_cast<mode_t>(S_IFREG | 0755));
  EXPECT_EQ(members[6].link, "hello");
  const std::string& pkginfo = members[2].content;
  for (const char* line : {"pkgname = hello\n", "pkgver = 1.0-2\n", "size = 34\n", "arch = aarch64\n",
                           "depend = musl\n", "license = MIT\n", "builddate = 1700000000\n"})
    EXPECT_NE(pkginfo.find(line), std::string::npos) << line << " not in\n" << pkginfo;
  EXPECT_NE(members[0].content.find("pkgbuild_sha256sum = 00ff\n"), std::string::npos) << members[0].content;
  // .MTREE is gzip'd mtree (read back through libarchive's filters) with makepkg's keywords.
  const std::string mtree_file = dir.path() + "/mtree.gz";
  ASSERT_TRUE(write_file_atomically(mtree_file, members[1].content).ok());
  auto gunzipped = run_process({"gzip", "-dc", mtree_file});
  ASSERT_TRUE(gunzipped.ok());
  EXPECT_NE(gunzipped->output.find("./usr/bin/hello time=1700000000.0 size=21 md5digest="),
            std::string::npos) << gunzipped->output;
  EXPECT_NE(gunzipped->output.find("./usr/bin/hi time=1700000000.0 mode=777 type=link link=hello"),
            std::string::npos) << gunzipped->output;
}

TEST(PacmanPackage, TheSameFilesGiveTheSameBytes) {
  testing::TempDir dir;
  stage(dir, "a", 1111);
  stage(dir, "b", 2222);  // other mtimes: they must not matter
  auto one = write_pacman_package(hello_meta(), dir.path() + "/a", dir.path() + "/one.pkg.tar.zst");
  auto two = write_pacman_package(hello_meta(), dir.path() + "/b", dir.path() + "/two.pkg.tar.zst");
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->sha256, two->sha256);
  dir.write("b/usr/share/doc/hello/README", "hello, World\n");
  auto three = write_pacman_package(hello_meta(), dir.path() + "/b", dir.path() + "/three.pkg.tar.zst");
  ASSERT_TRUE(three.ok());
  EXPECT_NE(one->sha256, three->sha256);
}

TEST(PacmanPackage, AFileOfAnotherKindIsAnErrorAndLeavesNoPackage) {
  testing::TempDir dir;
  stage(dir, "root", 1);
  ASSERT_EQ(mkfifo((dir.path() + "/root/usr/bin/pipe").c_str(), 0644), 0);
  const std::string output = dir.path() + "/hello.pkg.tar.zst";
  auto written = write_pacman_package(hello_meta(), dir.path() + "/root", output);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("usr/bin/pipe: neither a file"), std::string::npos)
      << written.error().message();
  EXPECT_FALSE(fs::exists(output));
  EXPECT_FALSE(fs::exists(output + ".partial"));
}

// pacman itself (Debian's pacman-package-manager) reads the package and installs it, with its
// dependency, from the repository database into an empty root.
TEST(PacmanPackage, PacmanInstallsFromTheRepository) {
  testing::TempDir dir;
  stage(dir, "hello-root", 1);
  dir.write("musl-root/lib/ld-musl-aarch64.so.1", "not really a loader\n", 0755);
  PackageMeta musl = hello_meta();
  musl.name = "musl";
  musl.version = "1.2.3-1";
  musl.depends = {};
  const std::string repo = dir.path() + "/repo";
  fs::create_directories(repo);
  auto hello = write_pacman_package(hello_meta(), dir.path() + "/hello-root", repo + "/" + package_file_name(hello_meta()));
  auto libc = write_pacman_package(musl, dir.path() + "/musl-root", repo + "/" + package_file_name(musl));
  ASSERT_TRUE(hello.ok() && libc.ok());
  auto reread = read_pacman_package(hello->file);
  ASSERT_TRUE(reread.ok()) << reread.error().message();
  EXPECT_EQ(reread->meta.depends, std::vector<std::string>{"musl"});
  EXPECT_EQ(reread->installed_size, hello->installed_size);
  EXPECT_EQ(reread->sha256, hello->sha256);
  ASSERT_TRUE(write_repository_database({*reread, *libc}, repo, "xport").ok());

  auto info = run_process({"pacman", "-Qip", hello->file});
  ASSERT_TRUE(info.ok()) << "pacman is missing (scripts/setup installs pacman-package-manager)";
  EXPECT_EQ(info->exit_code, 0) << info->output;
  EXPECT_NE(info->output.find("Depends On      : musl"), std::string::npos) << info->output;

  const std::string root = dir.path() + "/target";
  fs::create_directories(root + "/var/lib/pacman");
  dir.write("pacman.conf", "[options]\nArchitecture = aarch64\nSigLevel = Never\n[xport]\nServer = file://" + repo + "\n");
  auto installed = run_process({"pacman", "--noconfirm", "--config", dir.path() + "/pacman.conf", "--root", root,
                                "--dbpath", root + "/var/lib/pacman", "--cachedir", dir.path() + "/cache",
                                "--logfile", dir.path() + "/pacman.log", "--hookdir", dir.path() + "/hooks",
                                "-Sy", "hello"});
  ASSERT_TRUE(installed.ok());
  EXPECT_EQ(installed->exit_code, 0) << installed->output;
  EXPECT_EQ(*read_file(root + "/usr/share/doc/hello/README"), "hello, world\n");
  EXPECT_TRUE(fs::exists(root + "/lib/ld-musl-aarch64.so.1"));
  auto query = run_process({"pacman", "--root", root, "--dbpath", root + "/var/lib/pacman", "-Q"});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->output, "hello 1.0-2\nmusl 1.2.3-1\n");
}

}  // namespace
}  // namespace xport
