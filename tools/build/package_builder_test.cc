#include "build/package_builder.h"

#include <gtest/gtest.h>

#include "arch/arch_test_support.h"
#include "recipe/recipe_test_support.h"
#include "core/files.h"
#include "testing/fixtures.h"

#include <filesystem>

namespace xport {
namespace {

using recipe_test::write_recipe;
namespace fs = std::filesystem;

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
    kind_.source_file = "toolchains/test.yaml";
    kind_.host_components = {"host-tool"};
    layout_.kind = &kind_;
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
  ToolchainKind kind_;
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

TEST_F(PackagePlan, AHostComponentIsNeverPackagedForTheTarget) {
  dir_.write("toolchain/manifest.json", "{}\n");
  write_recipe(dir_, "host-tool");
  Status status = plan({"host-tool"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "host-tool is built for the build machine (a host component of "
                                      "toolchains/test.yaml), not packaged for the target");
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
  // libarchive's run-time depends come before it too, for its QA gate.
  EXPECT_EQ(printed,
            "[1/4] musl 1.0-1: would package from the toolchain\n[2/4] zlib 1.0-1: would build\n"
            "[3/4] libarchive 1.0-1: would build\n[4/4] pacman 1.0-1: would build\n");
}

TEST_F(PackagePlan, AnUnsupportedArchIsSaidWithTheReason) {
  dir_.write("toolchain/manifest.json", "{}\n");
  write_recipe(dir_, "musl");
  write_recipe(dir_, "oddity", "unsupported_arches: {aarch64: needs a port}\n");
  Status status = plan({"oddity"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "aarch64 is not supported by oddity 1.0: needs a port");
}

// Real builds of recipes that need no compiler (their phases write the files), with a toolchain
// directory that has a manifest and an empty sysroot: the engine end to end, in seconds.
class PackageBuild : public PackagePlan {
 protected:
  void write_phase_recipe(const std::string& name, const std::string& extra, const std::string& install) {
    dir_.write("recipes/" + name + "/" + name + ".yaml",
               "name: " + name + "\nversion: '1.0'\ndescription: " + name + "\nlicense: MIT\nsources: []\n" +
                   "build_style: custom\nsource_date_epoch: 1700000000\n" + extra + "phases:\n  install: |\n" +
                   install);
  }
  Status build(const std::vector<std::string>& wanted, unsigned jobs) {
    auto recipes = RecipeSet::load_dir(dir_.path() + "/recipes");
    EXPECT_TRUE(recipes.ok()) << recipes.error().message();
    PackageBuildOptions options;
    options.out_dir = dir_.path() + "/out";
    options.progress = false;
    options.jobs = jobs;
    options.fetch.cache_dir = dir_.path() + "/cache";
    PackageBuilder builder(arches_, layout_, *recipes, {}, options);
    return builder.build(wanted);
  }
  ToolchainKind kind_;
  HostLlvm llvm_;
  void SetUp() override {
    PackagePlan::SetUp();
    auto kind = load_toolchain_kind(arch_test::data_dir() + "/toolchains/llvm-musl.yaml");
    ASSERT_TRUE(kind.ok());
    kind_ = *kind;
    auto llvm = find_host_llvm(kind_.llvm_versions);
    ASSERT_TRUE(llvm.ok()) << llvm.error().message();
    llvm_ = *llvm;
    layout_.kind = &kind_;
    layout_.llvm = &llvm_;
    dir_.write("toolchain/manifest.json", "{}\n");
    dir_.write("toolchain/sysroot/usr/include/toolchain.h", "\n");
  }
};

TEST_F(PackageBuild, ABuildDependencyIsInTheBuildSysrootAndIndependentPackagesBuildSideBySide) {
  // data and docs run at the same time: each one's phase log shows it started before the other
  // ended (phases are isolated from each other, so the logs are where they meet).
  // app waits for data and finds its file in its sysroot.
  const std::string span = "    date +start=%s%N; sleep 1; date +end=%s%N\n";
  write_phase_recipe("data", "", span + "    mkdir -p \"$DESTDIR/usr/share\" && echo 42 > \"$DESTDIR/usr/share/answer\"\n");
  write_phase_recipe("docs", "", span + "    mkdir -p \"$DESTDIR/usr/share/doc\" && echo read > \"$DESTDIR/usr/share/doc/README\"\n");
  write_phase_recipe("app", "build_depends: [data]\n",
                     "    test -f \"$XPORT_BUILD_SYSROOT/usr/include/toolchain.h\"\n"
                     "    mkdir -p \"$DESTDIR/usr/share/app\"\n"
                     "    cp \"$XPORT_BUILD_SYSROOT/usr/share/answer\" \"$DESTDIR/usr/share/app/answer\"\n");
  Status status = build({"app", "docs"}, 2);
  ASSERT_TRUE(status.ok()) << status.error().message();
  const std::string packages = dir_.path() + "/out/packages/";
  for (const char* file : {"app-1.0-1-aarch64.pkg.tar.zst", "data-1.0-1-aarch64.pkg.tar.zst",
                           "docs-1.0-1-aarch64.pkg.tar.zst", "xport.db.tar.gz"})
    EXPECT_TRUE(fs::exists(packages + file)) << file;
  auto times = [&](const std::string& package) {
    auto log = read_file(dir_.path() + "/out/state/logs/" + package + "/install.log");
    EXPECT_TRUE(log.ok());
    auto at = [&](const std::string& key) {
      size_t where = log->rfind(key + "=");  // the output, after the script in the header
      return where == std::string::npos ? 0ull : std::stoull(log->substr(where + key.size() + 1));
    };
    return std::pair{at("start"), at("end")};
  };
  auto [data_start, data_end] = times("data");
  auto [docs_start, docs_end] = times("docs");
  EXPECT_TRUE(data_start < docs_end && docs_start < data_end) << "data and docs did not overlap";
  // The toolchain's sysroot was copied, not changed.
  EXPECT_FALSE(fs::exists(dir_.path() + "/toolchain/sysroot/usr/share/answer"));
  // Nothing to do the second time.
  auto stamp = fs::last_write_time(packages + "app-1.0-1-aarch64.pkg.tar.zst");
  ASSERT_TRUE(build({"app", "docs"}, 2).ok());
  EXPECT_EQ(fs::last_write_time(packages + "app-1.0-1-aarch64.pkg.tar.zst"), stamp);
}

TEST_F(PackageBuild, TheQaGateChecksAPackageAgainstWhatItNeedsAtRunTime) {
  // A script's interpreter comes from another package: with it in depends the gate passes (and
  // the shell is built first, though it sorts later); without it, the gate names the script.
  const std::string script =
      "    mkdir -p \"$DESTDIR/usr/bin\" && printf '#!/bin/sh\\necho hi\\n' > \"$DESTDIR/usr/bin/hi\"\n"
      "    chmod 755 \"$DESTDIR/usr/bin/hi\"\n";
  write_phase_recipe("shell", "", "    mkdir -p \"$DESTDIR/bin\" && printf 'not ELF' > \"$DESTDIR/bin/sh\"\n");
  write_phase_recipe("greeter", "depends: [shell]\n", script);
  write_phase_recipe("loner", "", script);
  Status status = build({"greeter"}, 1);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(fs::exists(dir_.path() + "/out/packages/greeter-1.0-1-aarch64.pkg.tar.zst"));
  Status alone = build({"loner"}, 1);
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.error().message().find("shebang: /usr/bin/hi: interpreter /bin/sh does not exist"), std::string::npos)
      << alone.error().message();
}

TEST_F(PackageBuild, MissingHostToolsAreNamedWithTheirPackagesBeforeAnythingIsBuilt) {
  write_phase_recipe("docs", "host_tools:\n  - {command: no-such-tool-xport, debian: no-such-package}\n"
                             "  - {command: sh, debian: dash}\n",
                     "    mkdir -p \"$DESTDIR/usr/share\"\n");
  Status status = build({"docs"}, 1);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            "host tools missing:\n  docs needs 'no-such-tool-xport' (Debian package no-such-package)\n"
            "install them with: apt-get install no-such-package");
  EXPECT_FALSE(fs::exists(dir_.path() + "/out/packages"));
}

TEST_F(PackageBuild, AFailedBuildPublishesNothingAndNamesItsLog) {
  write_phase_recipe("ok", "", "    mkdir -p \"$DESTDIR/usr/share\" && echo ok > \"$DESTDIR/usr/share/ok\"\n");
  write_phase_recipe("broken", "", "    echo 'the compiler fell over' >&2; exit 3\n");
  Status status = build({"broken", "ok"}, 2);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("the compiler fell over"), std::string::npos) << status.error().message();
  EXPECT_NE(status.error().message().find("broken"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() + "/out/packages/broken-1.0-1-aarch64.pkg.tar.zst"));
  EXPECT_FALSE(fs::exists(dir_.path() + "/out/state/stamps/broken"));
}

}  // namespace
}  // namespace xport
