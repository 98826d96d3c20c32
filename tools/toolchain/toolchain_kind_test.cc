#include "toolchain/toolchain_kind.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

TEST(ToolchainKind, ParsesComponentsAndQuirks) {
  auto kind = parse_toolchain_kind(R"(name: llvm-musl
libc: musl
llvm_versions: [16]
components: [linux-headers, musl]
arch:
  s390x: {linker: s390x-linux-gnu-ld, linker_package: binutils-s390x-linux-gnu}
)",
                                   "toolchains/llvm-musl.yaml");
  ASSERT_TRUE(kind.ok()) << kind.error().message();
  EXPECT_EQ(kind->llvm_versions, std::vector<int>{16});
  EXPECT_EQ(kind->components, (std::vector<std::string>{"linux-headers", "musl"}));
  EXPECT_EQ(kind->arch_quirks.at("s390x").linker_package, "binutils-s390x-linux-gnu");
}

TEST(ToolchainKind, RejectsUnknownKeysWithPosition) {
  auto kind = parse_toolchain_kind("name: x\nlibc: musl\nllvm_versions: [16]\ncomponents: [a]\narch:\n  s390x: {lnker: ld}\n",
                                   "t.yaml");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().message(),
            "t.yaml:6:11: unknown key 'arch.s390x.lnker' (known keys: linker, linker_package, cflags, unsupported)");
}

TEST(ToolchainKind, HostComponentsAndTheProgramsTheyInstall) {
  const std::string head = "name: x\nlibc: musl\nllvm_versions: [16]\ncomponents: [musl]\n";
  auto kind = parse_toolchain_kind(
      head +
          "host_components: [host-llvm]\nclang: host/bin/clang\nlld: host/bin/ld.lld\n"
          "ar: host/bin/llvm-ar\nranlib: host/bin/llvm-ranlib\n",
      "t.yaml");
  ASSERT_TRUE(kind.ok()) << kind.error().message();
  EXPECT_EQ(kind->host_components, std::vector<std::string>{"host-llvm"});
  EXPECT_EQ(kind->clang, "host/bin/clang");
  EXPECT_EQ(kind->lld, "host/bin/ld.lld");
  EXPECT_EQ(kind->ar, "host/bin/llvm-ar");
  EXPECT_EQ(kind->ranlib, "host/bin/llvm-ranlib");
  struct Case {
    std::string text, message;
  } cases[] = {
      {head + "host_components: [h]\nclang: /usr/bin/clang\n",
       "t.yaml:6:8: 'clang' is a path inside the toolchain directory, not '/usr/bin/clang'"},
      {head + "lld: host/bin/ld.lld\n",
       "t.yaml:5:6: 'lld' names a program in the toolchain, but no host_components install one"},
      {head + "ranlib: ../llvm-ranlib\n",
       "t.yaml:5:9: 'ranlib' is a path inside the toolchain directory, not '../llvm-ranlib'"},
      {head + "host_components: [musl]\n",
       "t.yaml:5:18: 'musl' is both a host component and a component"},
  };
  for (const Case& c : cases) {
    auto bad = parse_toolchain_kind(c.text, "t.yaml");
    ASSERT_FALSE(bad.ok()) << c.message;
    EXPECT_EQ(bad.error().message(), c.message);
  }
}

TEST(HostLlvm, MissingVersionNamesThePackages) {
  auto llvm = find_host_llvm({99});
  ASSERT_FALSE(llvm.ok());
  EXPECT_NE(llvm.error().message().find("clang (Debian package clang-99)"), std::string::npos)
      << llvm.error().message();
}

}  // namespace
}  // namespace xport
