#include "fetch/debian_archive.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

TEST(AptSources, ReadsDeb822Stanzas) {
  auto repos = parse_apt_sources(R"(Types: deb
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

# a disabled one
Types: deb
URIs: http://other.invalid/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb-src
URIs: http://src.invalid/debian
Suites: bookworm
Components: main
)",
                                 true);
  ASSERT_EQ(repos.size(), 2u);
  EXPECT_EQ(repos[0].uri, "http://mirror.invalid/debian");
  EXPECT_EQ(repos[1].suite, "bookworm-updates");
  EXPECT_EQ(repos[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(repos[0].signed_by, "/usr/share/keyrings/debian-archive-keyring.gpg");
}

TEST(AptSources, ReadsOneLineFormat) {
  auto repos = parse_apt_sources(
      "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.invalid/debian bookworm main\n"
      "deb-src http://m.invalid/debian bookworm main\ndeb http://x.invalid/d sid main non-free\n",
      false);
  ASSERT_EQ(repos.size(), 2u);
  EXPECT_EQ(repos[0].signed_by, "/k.gpg");
  EXPECT_EQ(repos[0].uri, "http://m.invalid/debian");
  EXPECT_EQ(repos[1].components, (std::vector<std::string>{"main", "non-free"}));
}

TEST(AptSources, WritesDebSrcLines) {
  std::vector<AptRepository> repos = {{"http://m.invalid/debian", "bookworm", {"main"}, "/k.gpg"},
                                      {"http://s.invalid/sec", "bookworm-security", {"main"}, ""}};
  EXPECT_EQ(deb_src_list(repos),
            "# Written by xport from the host's apt configuration; deb-src only.\n"
            "deb-src [signed-by=/k.gpg] http://m.invalid/debian bookworm main\n"
            "deb-src http://s.invalid/sec bookworm-security main\n");
}

TEST(AptSources, AnotherRevisionWithTheSameOrigTarballCanStandIn) {
  const std::string showsrc =
      "Package: libzstd\nVersion: 1.5.4+dfsg2-5+deb12u1\nFiles:\n"
      " 0123 2381 libzstd_1.5.4+dfsg2-5+deb12u1.dsc\n 4567 1802 libzstd_1.5.4+dfsg2.orig.tar.xz\n"
      "Checksums-Sha256:\n 89ab 1802 libzstd_1.5.4+dfsg2.orig.tar.xz\n\n"
      "Package: libzstd\nVersion: 1.5.4+dfsg2-5\nFiles:\n 0123 2300 libzstd_1.5.4+dfsg2-5.dsc\n"
      " 4567 1802 libzstd_1.5.4+dfsg2.orig.tar.xz\n\n"
      "Package: libzstd\nVersion: 1.5.5+dfsg2-1\nFiles:\n 7777 1900 libzstd_1.5.5+dfsg2.orig.tar.xz\n";
  EXPECT_EQ(source_versions_with_file(showsrc, "libzstd_1.5.4+dfsg2.orig.tar.xz"),
            (std::vector<std::string>{"1.5.4+dfsg2-5+deb12u1", "1.5.4+dfsg2-5"}));
  EXPECT_TRUE(source_versions_with_file(showsrc, "libzstd_1.5.3.orig.tar.xz").empty());
}

}  // namespace
}  // namespace xport
