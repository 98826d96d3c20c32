#include "build/package_builder.h"

#include <gtest/gtest.h>

#include "arch/arch_test_support.h"
#include "recipe/recipe_test_support.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

using recipe_test::write_recipe;

// Everything a PackageBuilder needs but a built toolchain: the planning is what is tested here
// (tests/build/check-build builds real packages with a real toolchain).
class PackagePlan : public ::testing::Test {
 protected:
  void SetUp() override {
    auto arches = ArchRegistry::load_dir(arch_test::data_dir() + "/arch");
    ASSERT_TRUE(arches.ok());
    arches_ = std::move(*arches);
    layout_.arch = arches_.find("aarch64");
    layout_.libc = layout_.arch->libc(Libc::Musl);
    layout_.dir = dir_.path() + "/toolchain";
  }
  Status plan(const std::vector<std::string>& wanted, std::string* printed = nullptr) {
    auto recipes = RecipeSet::load_dir(dir_.path() + "/recipes");
    EXPECT_TRUE(recipes.ok()) << recipes.error().message();
    PackageBuildOptions options;
    options.out_dir = dir_.path() + "/out";
    options.dry_run = true;
    options.progress = false;
    PackageBuilder builder(arches_, layout_, *recipes, components_, options);
    ::testing::internal::CaptureStdout();
    Status status = builder.build(wanted);
    std::string out = ::testing::internal::GetCapturedStdout();
    if (printed) *printed = out;
    return status;
  }

  testing::TempDir dir_;
  ArchRegistry arches_;
  ToolchainLayout layout_;
  std::vector<std::string> components_ = {"musl"};
};

TEST_F(PackagePlan, WithoutABuiltToolchainSaysHowToBuildOne) {
  write_recipe(dir_, "musl");
  write_recipe(dir_, "zlib", "build_depends: [musl]\n");
  Status status = plan({"zlib"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            "no built toolchain in " + dir_.path() + "/toolchain (xport toolchain --arch aarch64 builds it)");
}

TEST_F(PackagePlan, TheToolchainsComponentsArePackagedNotBuilt) {
  dir_.write("toolchain/manifest.json", "{}\n");
  // compiler-rt installs into clang's resource directory only: nothing of it goes to the target.
  dir_.write("toolchain/.xport/files/compiler-rt", "lib/clang/16/lib/libclang_rt.builtins.a\n");
  dir_.write("toolchain/.xport/files/musl", "sysroot/usr/lib/libc.so\n");
  components_ = {"compiler-rt", "musl"};
  write_recipe(dir_, "compiler-rt");
  write_recipe(dir_, "musl", "build_depends: [compiler-rt]\n");
  write_recipe(dir_, "zlib", "build_depends: [musl]\ndepends: [musl]\n");
  std::string printed;
  Status status = plan({"zlib"}, &printed);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(printed, "[1/2] musl 1.0-1: would package from the toolchain\n[2/2] zlib 1.0-1: would build\n");
}

TEST_F(PackagePlan, WhatABuildDependencyNeedsAtRunTimeIsBuiltFirst) {
  dir_.write("toolchain/manifest.json", "{}\n");
  write_recipe(dir_, "musl");
  write_recipe(dir_, "zlib", "build_depends: [musl]\n");
  dir_.write("toolchain/.xport/files/musl", "sysroot/usr/lib/libc.so\n");
  write_recipe(dir_, "libarchive", "depends: [zlib]\n");
  write_recipe(dir_, "pacman", "build_depends: [libarchive]\n");
  std::string printed;
  Status status = plan({"pacman"}, &printed);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(printed,
            "[1/4] libarchive 1.0-1: would build\n[2/4] musl 1.0-1: would package from the toolchain\n"
            "[3/4] zlib 1.0-1: would build\n[4/4] pacman 1.0-1: would build\n");
}

TEST_F(PackagePlan, AnUnsupportedArchIsSaidWithTheReason) {
  dir_.write("toolchain/manifest.json", "{}\n");
  write_recipe(dir_, "musl");
  write_recipe(dir_, "oddity", "unsupported_arches: {aarch64: needs a port}\n");
  Status status = plan({"oddity"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "aarch64 is not supported by oddity 1.0: needs a port");
}

}  // namespace
}  // namespace xport
