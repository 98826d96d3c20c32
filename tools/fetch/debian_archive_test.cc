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

}  // namespace
}  // namespace xport
