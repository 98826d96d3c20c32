#include "toolchain/toolchain_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/arch_test_support.h"
#include "core/files.h"
#include "core/process.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

// The files of an aarch64 toolchain in a temporary directory, written with the host's LLVM.
class ToolchainFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    auto arch = load_arch_file(arch_test::data_dir() + "/arch/aarch64.yaml");
    auto kind = load_toolchain_kind(arch_test::data_dir() + "/toolchains/llvm-musl.yaml");
    ASSERT_TRUE(arch.ok() && kind.ok());
    arch_ = *arch;
    kind_ = *kind;
    auto llvm = find_host_llvm(kind_.llvm_versions);
    ASSERT_TRUE(llvm.ok()) << llvm.error().message();
    llvm_ = *llvm;
    layout_ = {&arch_, arch_.libc(Libc::Musl), &kind_, &llvm_, dir_.path() + "/tc"};
    Status written = write_toolchain_files(layout_);
    ASSERT_TRUE(written.ok()) << written.error().message();
    // What the host-llvm component would install there: the host's own clang serves as well.
    if (!kind_.clang.empty()) {
      fs::create_directories(fs::path(layout_.clang()).parent_path());
      fs::create_symlink(llvm_.clang, layout_.clang());
      fs::create_symlink(llvm_.clang, layout_.clangxx());
    }
    if (!kind_.ar.empty()) {
      fs::create_symlink(llvm_.ar, layout_.ar());
      fs::create_symlink(llvm_.ranlib, layout_.ranlib());
    }
  }

  // Runs a shell command line with the toolchain's bin/ first on PATH.
  ProcessResult shell(const std::string& command) {
    auto result = run_process({"sh", "-c", "cd '" + dir_.path() + "' && " + command});
    EXPECT_TRUE(result.ok());
    return result ? *result : ProcessResult{};
  }

  testing::TempDir dir_;
  Arch arch_;
  ToolchainKind kind_;
  HostLlvm llvm_;
  ToolchainLayout layout_;
};

TEST_F(ToolchainFiles, CppReadsStandardInputWhenGivenNoFile) {
  auto result = shell("printf '#define GREETING hello\\nGREETING __aarch64__\\n' | " + layout_.bin("cpp") + " -P");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("hello 1"), std::string::npos) << result.output;
}

TEST_F(ToolchainFiles, CppTakesASecondOperandAsTheOutputFile) {
  dir_.write("in.h", "#define N 42\nvalue N\n");
  auto result = shell(layout_.bin("cpp") + " -P -D EXTRA=1 in.h out.i");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto out = read_file(dir_.path() + "/out.i");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("value 42"), std::string::npos) << *out;
}

TEST_F(ToolchainFiles, CompilerWrappersShutOutTheHostsSearchVariables) {
  for (const char* tool : {"cc", "c++", "cpp"}) {
    auto text = read_file(layout_.bin(tool));
    ASSERT_TRUE(text.ok());
    EXPECT_NE(text->find("unset CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH LIBRARY_PATH"),
              std::string::npos)
        << tool;
  }
}

TEST_F(ToolchainFiles, TheCompilerGetsItsMallocIn2MbPagesWithTheCallersTunablesLast) {
  fs::remove(layout_.clang());
  fs::remove(layout_.clangxx());
  dir_.write("tc/host/bin/clang", "#!/bin/sh\necho \"$GLIBC_TUNABLES\"\n", 0755);
  fs::create_symlink("clang", layout_.clangxx());
  const std::string ours = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216";
  EXPECT_EQ(shell("unset GLIBC_TUNABLES; " + layout_.bin("cc") + " -c x.c").output, ours + "\n");
  // glibc takes a tunable's last value.
  EXPECT_EQ(
      shell("GLIBC_TUNABLES=glibc.malloc.top_pad=0 " + layout_.bin("c++") + " -c x.cc").output,
      ours + ":glibc.malloc.top_pad=0\n");
}

TEST_F(ToolchainFiles, TheKindsProgramsAreReadIntoHugePagesAndTheLogSaysSo) {
  // What host-llvm installs: real files (the fixture's links lead to the host's LLVM), ld.lld a
  // link to lld. llvm-ar is missing, which the log says.
  for (const std::string* program : {&kind_.clang, &kind_.lld, &kind_.ar})
    fs::remove(layout_.dir + "/" + *program);
  dir_.write("tc/host/bin/clang", std::string(5 << 20, 'c'), 0755);
  dir_.write("tc/host/bin/lld", std::string(4 << 20, 'l'), 0755);
  fs::create_symlink("lld", layout_.dir + "/host/bin/ld.lld");
  ASSERT_TRUE(log_huge_pages(layout_.dir + "/logs", layout_).ok());
  auto log = read_file(layout_.dir + "/logs/huge-pages.log");
  ASSERT_TRUE(log.ok());
  std::istringstream lines(*log);
  std::string clang, lld, ar, more;
  std::getline(lines, clang);
  std::getline(lines, lld);
  std::getline(lines, ar);
  EXPECT_FALSE(std::getline(lines, more)) << *log;
  EXPECT_TRUE(clang == "host/bin/clang: 4 of 5 MB in 2 MB pages" ||
              clang == "host/bin/clang: 0 of 5 MB in 2 MB pages")
      << *log;
  EXPECT_TRUE(lld == "host/bin/ld.lld: 4 of 4 MB in 2 MB pages" ||
              lld == "host/bin/ld.lld: 0 of 4 MB in 2 MB pages")
      << *log;
  EXPECT_EQ(ar.rfind("host/bin/llvm-ar: ", 0), 0u) << *log;
  EXPECT_EQ(*read_file(layout_.dir + "/host/bin/clang"), std::string(5 << 20, 'c'));
}

TEST_F(ToolchainFiles, TheKindsClangAndLldAreRunFromInsideTheToolchain) {
  ASSERT_EQ(kind_.clang, "host/bin/clang");
  ASSERT_EQ(kind_.lld, "host/bin/ld.lld");
  auto cc = read_file(layout_.bin("cc"));
  auto config = read_file(layout_.dir + "/aarch64-linux-musl.cfg");
  ASSERT_TRUE(cc.ok() && config.ok());
  EXPECT_NE(cc->find("exec \"$here/../host/bin/clang\" --config=\"$here/../aarch64-linux-musl.cfg\""),
            std::string::npos)
      << *cc;
  EXPECT_NE(config->find("--ld-path=<CFGDIR>/host/bin/ld.lld\n"), std::string::npos) << *config;
  auto ld = read_file(layout_.bin("ld"));
  ASSERT_TRUE(ld.ok());
  EXPECT_NE(ld->find("exec \"$here/../host/bin/ld.lld\" \"$@\""), std::string::npos) << *ld;
  // A build system may reach the wrappers through a link of its own.
  fs::create_symlink(layout_.bin("cc"), dir_.path() + "/cc");
  dir_.write("x.c", "int x;\n");
  auto compiled = shell("./cc -c x.c -o x.o && echo compiled");
  EXPECT_EQ(compiled.output, "compiled\n");
}

TEST_F(ToolchainFiles, TheKindsArchiverIsRunFromInsideTheToolchain) {
  ASSERT_EQ(kind_.ar, "host/bin/llvm-ar");
  ASSERT_EQ(kind_.ranlib, "host/bin/llvm-ranlib");
  auto ar = read_file(layout_.bin("ar"));
  auto ranlib = read_file(layout_.bin("ranlib"));
  ASSERT_TRUE(ar.ok() && ranlib.ok());
  EXPECT_NE(ar->find("exec \"$here/../host/bin/llvm-ar\" \"$@\""), std::string::npos) << *ar;
  EXPECT_NE(ranlib->find("exec \"$here/../host/bin/llvm-ranlib\" \"$@\""), std::string::npos)
      << *ranlib;
  dir_.write("x.c", "int x;\n");
  auto archived =
      shell(layout_.bin("cc") + " -c x.c -o x.o && " + layout_.bin("ar") + " rcD x.a x.o && " +
            layout_.bin("ranlib") + " x.a && " + layout_.bin("nm") + " x.a");
  EXPECT_EQ(archived.exit_code, 0) << archived.output;
  EXPECT_NE(archived.output.find("B x\n"), std::string::npos) << archived.output;
}

TEST_F(ToolchainFiles, CMakeUsesTheToolchainsLinkerAndNeverAsksItForItsOptions) {
  // CMake runs `<linker> --help` in every project it configures, each check's too, unless told
  // the answer. A linker that notes how it is run tells whether it was asked. Compiling static
  // libraries only, the configure and its check need no C library.
  const std::string runs = dir_.path() + "/linker-runs";
  fs::create_directories(fs::path(layout_.linker()).parent_path());
  dir_.write("linker", "#!/bin/sh\necho \"$*\" >> '" + runs + "'\n");
  fs::rename(dir_.path() + "/linker", layout_.linker());
  fs::permissions(layout_.linker(), fs::perms::owner_all);
  dir_.write("project/CMakeLists.txt",
             "cmake_minimum_required(VERSION 3.20)\nproject(probe C)\ninclude(CheckCSourceCompiles)\n"
             "check_c_source_compiles(\"int probe;\" HAVE_PROBE)\n");
  auto configured = run_process({"cmake", "-S", dir_.path() + "/project", "-B", dir_.path() + "/build", "-G", "Ninja",
                                 "-DCMAKE_TOOLCHAIN_FILE=" + layout_.dir + "/toolchain.cmake",
                                 "-DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY"});
  ASSERT_TRUE(configured.ok());
  ASSERT_EQ(configured->exit_code, 0) << configured->output;
  auto cache = read_file(dir_.path() + "/build/CMakeCache.txt");
  ASSERT_TRUE(cache.ok());
  EXPECT_NE(cache->find("CMAKE_LINKER:FILEPATH=" + layout_.bin("ld") + "\n"), std::string::npos) << *cache;
  EXPECT_NE(cache->find("HAVE_PROBE:INTERNAL=1\n"), std::string::npos) << *cache;
  auto linker_runs = read_file(runs);  // compiler identification links a program with it
  const std::string logged = linker_runs.ok() ? *linker_runs : "";
  EXPECT_EQ(logged.find("--help\n"), std::string::npos) << logged;

  // The answer holds for the kind's linker.
  auto help = run_process({llvm_.lld, "--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_NE(help->output.find("--push-state"), std::string::npos) << help->output;
  EXPECT_NE(help->output.find("--pop-state"), std::string::npos) << help->output;
}

TEST_F(ToolchainFiles, ABuildsOwnSysrootReplacesTheToolchainsInEveryTool) {
  const std::string build_sysroot = dir_.path() + "/build-sysroot";
  fs::create_directories(build_sysroot + "/usr/lib/pkgconfig");
  dir_.write("build-sysroot/usr/lib/pkgconfig/z.pc", "prefix=/usr\nName: z\nDescription: z\nVersion: 1\n"
                                                     "Cflags: -I${prefix}/include\n");
  dir_.write("x.c", "int x;\n");
  auto compiled = shell("XPORT_BUILD_SYSROOT='" + build_sysroot + "' " + layout_.bin("cc") + " -### -c x.c");
  EXPECT_NE(compiled.output.find("\"-isysroot\" \"" + build_sysroot + "\""), std::string::npos) << compiled.output;
  auto plain = shell(layout_.bin("cc") + " -### -c x.c");
  EXPECT_NE(plain.output.find("\"-isysroot\" \"" + layout_.dir + "/bin/../sysroot\""), std::string::npos) << plain.output;

  auto flags = shell("XPORT_BUILD_SYSROOT='" + build_sysroot + "' " + layout_.bin("pkg-config") + " --cflags z");
  EXPECT_EQ(flags.output, "-I" + build_sysroot + "/usr/include \n");
  auto cmake = read_file(layout_.dir + "/toolchain.cmake");
  ASSERT_TRUE(cmake.ok());
  EXPECT_NE(cmake->find("set(CMAKE_SYSROOT \"$ENV{XPORT_BUILD_SYSROOT}\")"), std::string::npos);
}

}  // namespace
}  // namespace xport
