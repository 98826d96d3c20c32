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

TEST(HostLlvm, MissingVersionNamesThePackages) {
  auto llvm = find_host_llvm({99});
  ASSERT_FALSE(llvm.ok());
  EXPECT_NE(llvm.error().message().find("clang (Debian package clang-99)"), std::string::npos)
      << llvm.error().message();
}

}  // namespace
}  // namespace xport
