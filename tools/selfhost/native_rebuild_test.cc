#include "selfhost/native_rebuild.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "testing/fixtures.h"

namespace xport {
namespace {

TEST(NativeRebuild, AHostToolTheRootLacksIsTheObstacle) {
  testing::TempDir dir;
  dir.write("root/usr/bin/make", "", 0755);
  Recipe recipe;
  recipe.name = "busybox";
  recipe.build_style = "custom";
  recipe.host_tools = {{"make", "make"}, {"clang-16", "clang-16"}, {"perl", "perl"}};
  EXPECT_EQ(native_build_obstacle(recipe, dir.path() + "/root"), "needs clang-16, perl, which the root does not have");
  recipe.host_tools = {{"make", "make"}};
  EXPECT_EQ(native_build_obstacle(recipe, dir.path() + "/root"), "");
  recipe.build_style = "meson";
  EXPECT_EQ(native_build_obstacle(recipe, dir.path() + "/root"), "needs meson, ninja, which the root does not have");
  recipe.build_style = "kbuild";
  EXPECT_EQ(native_build_obstacle(recipe, dir.path() + "/root"), "the kernel is built with the host's LLVM (kbuild style)");
}

TEST(NativeRebuild, ThePhasesSeeTheNativeCompilerUnderTheCrossNames) {
  Arch arch;
  arch.name = "aarch64";
  arch.libcs[Libc::Musl] = LibcInfo{"aarch64-linux-musl", "/lib/ld-musl-aarch64.so.1", {}};
  Recipe recipe;
  recipe.source_date_epoch = 1234;
  recipe.configure_args = {"--disable-nls", "--with-x"};
  auto env = native_phase_environment(arch, recipe, "/tmp/xport-native/zlib");
  auto has = [&](const std::string& entry) { return std::find(env.begin(), env.end(), entry) != env.end(); };
  EXPECT_TRUE(has("CC=tcc"));
  EXPECT_TRUE(has("XPORT_TRIPLE=aarch64-linux-musl"));
  EXPECT_TRUE(has("XPORT_BUILD_TRIPLE=aarch64-linux-musl"));  // native: build = host
  EXPECT_TRUE(has("AR=aarch64-linux-musl-ar"));
  EXPECT_TRUE(has("SOURCE_DATE_EPOCH=1234"));
  EXPECT_TRUE(has("XPORT_CONFIGURE_ARGS=--disable-nls --with-x"));
  EXPECT_TRUE(has("DESTDIR=/tmp/xport-native/zlib/staging"));
  EXPECT_TRUE(std::none_of(env.begin(), env.end(), [](const std::string& e) { return e.starts_with("LIBRARY_PATH="); }));
}

TEST(NativeRebuild, ElfSectionsThatDifferAreNamed) {
  testing::TempDir dir;
  const std::string a = dir.path() + "/a.o", b = dir.path() + "/b.o";
  ASSERT_TRUE(testing::cross_compile("aarch64-linux-musl", "int f(void) { return 1; } const char s[] = \"x\";\n", a,
                                     {"-c"}));
  ASSERT_TRUE(testing::cross_compile("aarch64-linux-musl", "int f(void) { return 2; } const char s[] = \"x\";\n", b,
                                     {"-c"}));
  EXPECT_EQ(elf_section_differences(a, a), "ELF sections are the same, the files are not (headers or layout)");
  const std::string differ = elf_section_differences(a, b);
  EXPECT_TRUE(differ.starts_with("ELF sections differ:")) << differ;
  EXPECT_NE(differ.find(" .text"), std::string::npos) << differ;
  EXPECT_EQ(differ.find(".rodata"), std::string::npos) << differ;
  EXPECT_EQ(elf_section_differences(dir.write("text", "not ELF"), a), "");
}

}  // namespace
}  // namespace xport
