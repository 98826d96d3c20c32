#include "toolchain/toolchain_builder.h"

#include <gtest/gtest.h>

#include "arch/arch_test_support.h"
#include "recipe/recipe_test_support.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

using recipe_test::write_recipe;

// Plans only (dry run): tests/toolchain/check-toolchain builds real toolchains.
class ToolchainPlan : public ::testing::Test {
 protected:
  Status plan(const std::string& components, std::string* printed = nullptr) {
    auto arch = load_arch_file(arch_test::data_dir() + "/arch/aarch64.yaml");
    kind_file_ = dir_.write("toolchains/test.yaml",
                            "name: test\nlibc: musl\nllvm_versions: [16]\ncomponents: [" + components + "]\n");
    auto kind = load_toolchain_kind(kind_file_);
    auto llvm = find_host_llvm({16});
    auto recipes = RecipeSet::load_dir(dir_.path() + "/recipes");
    EXPECT_TRUE(arch.ok() && kind.ok() && llvm.ok() && recipes.ok());
    arch_ = *arch;
    ToolchainOptions options;
    options.out_dir = dir_.path() + "/tc";
    options.fetch.cache_dir = dir_.path() + "/cache";
    options.dry_run = true;
    ToolchainBuilder builder(arch_, *kind, *recipes, *llvm, options);
    ::testing::internal::CaptureStdout();
    Status status = builder.build();
    std::string out = ::testing::internal::GetCapturedStdout();
    if (printed) *printed = out;
    return status;
  }
  testing::TempDir dir_;
  Arch arch_;
  std::string kind_file_;
};

TEST_F(ToolchainPlan, ComponentsInTheKindsOrder) {
  write_recipe(dir_, "headers");
  write_recipe(dir_, "libc", "build_depends: [headers]\n");
  std::string printed;
  Status status = plan("headers, libc", &printed);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(printed, "[1/2] headers 1.0: would build\n[2/2] libc 1.0: would build\n");
}

TEST_F(ToolchainPlan, AnOrderAgainstTheRecipesBuildDependenciesIsAnError) {
  write_recipe(dir_, "headers");
  write_recipe(dir_, "libc", "build_depends: [headers]\n");
  Status status = plan("libc, headers");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            kind_file_ + ": component 'libc' comes before 'headers', which its recipe build-depends on");
}

TEST_F(ToolchainPlan, AComponentWithoutARecipeIsNamed) {
  write_recipe(dir_, "headers");
  Status status = plan("headers, musl");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), kind_file_ + ": component 'musl' has no recipe in recipes/");
}

TEST(ComponentSysrootFiles, ALaterComponentOwnsWhatItInstalledAgain) {
  testing::TempDir dir;
  // musl-headers' headers are installed again by musl; compiler-rt installs outside the sysroot.
  dir.write("tc/.xport/files/musl-headers", "sysroot/usr/include/stdio.h\nsysroot/usr/include/bits/alltypes.h\n");
  dir.write("tc/.xport/files/compiler-rt", "lib/clang/16/lib/linux/libclang_rt.builtins-aarch64.a\n");
  dir.write("tc/.xport/files/musl", "sysroot/usr/lib/libc.so\nsysroot/usr/include/stdio.h\n"
                                    "sysroot/lib/ld-musl-aarch64.so.1\n");
  ToolchainLayout layout;
  layout.dir = dir.path() + "/tc";
  const std::vector<std::string> order = {"musl-headers", "compiler-rt", "musl"};
  auto headers = component_sysroot_files(layout, order, "musl-headers");
  auto runtime = component_sysroot_files(layout, order, "compiler-rt");
  auto musl = component_sysroot_files(layout, order, "musl");
  ASSERT_TRUE(headers.ok() && runtime.ok() && musl.ok());
  EXPECT_EQ(*headers, std::vector<std::string>{"usr/include/bits/alltypes.h"});
  EXPECT_TRUE(runtime->empty());
  EXPECT_EQ(*musl, (std::vector<std::string>{"lib/ld-musl-aarch64.so.1", "usr/include/stdio.h", "usr/lib/libc.so"}));
}

TEST(ComponentSysrootFiles, AnUnbuiltComponentIsAnError) {
  testing::TempDir dir;
  ToolchainLayout layout;
  layout.dir = dir.path() + "/tc";
  auto files = component_sysroot_files(layout, {"musl"}, "musl");
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().message(), layout.dir + ": no list of the files musl installed (toolchain not built?)");
  EXPECT_FALSE(component_sysroot_files(layout, {"musl"}, "zlib").ok());
}

}  // namespace
}  // namespace xport
