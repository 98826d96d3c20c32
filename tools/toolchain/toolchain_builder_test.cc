#include "toolchain/toolchain_builder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "arch/arch_test_support.h"
#include "core/files.h"
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

// Real builds of small recipes without sources, whose phases are a few shell lines.
class ToolchainBuild : public ::testing::Test {
 protected:
  void recipe(const std::string& name, const std::string& rest) {
    dir_.write("recipes/" + name + "/" + name + ".yaml",
               "name: " + name + "\nversion: '1.0'\ndescription: t\nlicense: MIT\nsources: []\n"
               "build_style: custom\nsource_date_epoch: 1700000000\n" + rest);
  }
  Status build(const std::string& out, const std::string& kind_text,
               std::vector<std::string> llvm_targets = {}) {
    auto arch = load_arch_file(arch_test::data_dir() + "/arch/aarch64.yaml");
    const std::string kind_file = dir_.write("toolchains/test.yaml", kind_text);
    auto kind = load_toolchain_kind(kind_file);
    auto llvm = find_host_llvm({16});
    auto recipes = RecipeSet::load_dir(dir_.path() + "/recipes");
    if (!arch.ok() || !kind.ok() || !llvm.ok() || !recipes.ok()) return Error("test set-up failed");
    ToolchainOptions options;
    options.out_dir = dir_.path() + "/" + out;
    options.fetch.cache_dir = dir_.path() + "/cache";
    options.fetch.offline = true;
    options.progress = false;
    options.llvm_targets = std::move(llvm_targets);
    return ToolchainBuilder(*arch, *kind, *recipes, *llvm, options).build();
  }
  std::string steps(const std::string& out, const std::string& component) {
    auto tsv = read_file(dir_.path() + "/" + out + "/.xport/logs/" + component + "/timings.tsv");
    std::string names;
    if (tsv)
      for (size_t at = 0; at < tsv->size(); at = tsv->find('\n', at) + 1)
        names += (names.empty() ? "" : " ") + tsv->substr(at, tsv->find('\t', at) - at);
    return names;
  }
  testing::TempDir dir_;
};

constexpr const char* kHostTool =
    "phases:\n  install: |\n    mkdir -p \"$DESTDIR/host/bin\"\n"
    "    printf '#!/bin/sh\\necho tool\\n' > \"$DESTDIR/host/bin/tool\"\n"
    "    chmod 755 \"$DESTDIR/host/bin/tool\"\n";

TEST_F(ToolchainBuild, AHostComponentIsBuiltOncePerHostAndSharedByEveryToolchain) {
  recipe("host-tool", kHostTool);
  recipe("libc", "phases:\n  install: mkdir -p \"$DESTDIR/sysroot\" && echo c > \"$DESTDIR/sysroot/libc\"\n");
  const std::string kind = "name: test\nlibc: musl\nllvm_versions: [16]\nhost_components: [host-tool]\n"
                           "components: [libc]\n";
  Status first = build("a", kind);
  ASSERT_TRUE(first.ok()) << first.error().message();
  Status second = build("b", kind);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(steps("a", "host-tool"), "fetch install merge");
  EXPECT_EQ(steps("b", "host-tool"), "merge");  // from the cache
  struct stat in_a {}, in_b {};
  ASSERT_EQ(stat((dir_.path() + "/a/host/bin/tool").c_str(), &in_a), 0);
  ASSERT_EQ(stat((dir_.path() + "/b/host/bin/tool").c_str(), &in_b), 0);
  EXPECT_EQ(in_a.st_ino, in_b.st_ino);  // one file, linked into both
  EXPECT_EQ(steps("b", "libc"), "fetch install merge");

  // A changed host component is built again, replaces the old one in the cache, and the
  // components built with it are rebuilt.
  recipe("host-tool", std::string(kHostTool) + "# changed\n");
  Status again = build("a", kind);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(steps("a", "host-tool"), "fetch install merge");
  size_t cached = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() + "/cache/host")) {
    EXPECT_TRUE(entry.path().filename().string().starts_with("host-tool-")) << entry.path();
    ++cached;
  }
  EXPECT_EQ(cached, 1u);
  auto timeline = read_file(dir_.path() + "/a/.xport/logs/timeline.tsv");
  ASSERT_TRUE(timeline.ok());
  EXPECT_NE(timeline->find("libc\t"), std::string::npos) << *timeline;
}

TEST_F(ToolchainBuild, AHostComponentIsBuiltForTheLlvmBackendsOfEveryArch) {
  recipe("host-tool",
         "phases:\n  install: mkdir -p \"$DESTDIR/host\" && echo \"$XPORT_LLVM_TARGETS\" > "
         "\"$DESTDIR/host/targets\"\n");
  recipe("libc",
         "phases:\n  install: mkdir -p \"$DESTDIR/sysroot\" && touch \"$DESTDIR/sysroot/libc\"\n");
  const std::string kind =
      "name: test\nlibc: musl\nllvm_versions: [16]\nhost_components: [host-tool]\n"
      "components: [libc]\n";
  const std::string targets = dir_.path() + "/a/host/targets";
  const std::string timeline = dir_.path() + "/a/.xport/logs/timeline.tsv";  // what a run built
  Status built = build("a", kind, {"AArch64", "X86"});
  ASSERT_TRUE(built.ok()) << built.error().message();
  auto text = read_file(targets);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "AArch64 X86\n");
  // Another arch file (another backend) builds it again, and what was built with it.
  std::filesystem::remove(timeline);
  Status again = build("a", kind, {"AArch64", "RISCV", "X86"});
  ASSERT_TRUE(again.ok()) << again.error().message();
  text = read_file(targets);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "AArch64 RISCV X86\n");
  auto rebuilt = read_file(timeline);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(rebuilt->starts_with("host-tool\t") && rebuilt->find("\nlibc\t") != std::string::npos)
      << *rebuilt;
  // The same backends again: nothing is built.
  std::filesystem::remove(timeline);
  Status unchanged = build("a", kind, {"AArch64", "RISCV", "X86"});
  ASSERT_TRUE(unchanged.ok()) << unchanged.error().message();
  EXPECT_FALSE(std::filesystem::exists(timeline));
}

// `late` needs `early` only for its install: its build runs beside early's, which waits for it.
constexpr const char* kSideBySide = "name: test\nlibc: musl\nllvm_versions: [16]\ncomponents: [early, late]\n";

TEST_F(ToolchainBuild, APhaseDependencyLetsTheEarlierPhasesRunSideBySide) {
  recipe("early",
         "phases:\n  build: |\n"
         "    for i in $(seq 300); do [ -e \"$XPORT_TOOLCHAIN/.xport/work/late/build/building\" ] && exit 0; sleep 0.1; done\n"
         "    echo \"late's build never started beside this one\" >&2; exit 1\n"
         "  install: mkdir -p \"$DESTDIR/sysroot\" && echo e > \"$DESTDIR/sysroot/early\"\n");
  recipe("late",
         "build_depends: [early]\nphase_depends: {install: [early]}\n"
         "phases:\n  build: touch building\n"
         "  install: test -e \"$XPORT_SYSROOT/early\" && mkdir -p \"$DESTDIR/sysroot\" && touch \"$DESTDIR/sysroot/late\"\n");
  Status built = build("tc", kSideBySide);
  ASSERT_TRUE(built.ok()) << built.error().message();
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/tc/sysroot/late"));
}

TEST_F(ToolchainBuild, AFailedDependencyStopsThePhaseThatWaitsForIt) {
  recipe("early", "phases:\n  build: exit 4\n");
  recipe("late", "build_depends: [early]\nphase_depends: {install: [early]}\n"
                 "phases:\n  build: 'true'\n  install: touch \"$DESTDIR/installed\"\n");
  Status built = build("tc", kSideBySide);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().message().find("early: phase build failed (exit 4)"), std::string::npos)
      << built.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/tc/.xport/stamps/late"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/tc/.xport/stamps/early"));
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
