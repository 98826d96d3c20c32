// The inspector on small real trees: every check must fire on the input made to trip it and
// stay silent on the clean one. Objects are cross-compiled here with clang and lld.
#include "inspect/inspector.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "testing/fixtures.h"

namespace xport::inspect {
namespace {

using testing::cross_compile;
using testing::TempDir;

constexpr const char* kTriple = "aarch64-linux-musl";
constexpr const char* kLoader = "/lib/ld-musl-aarch64.so.1";

std::string data_dir() {
  const char* env = std::getenv("XPORT_DATA_DIR");
  return env && *env ? env : XPORT_SOURCE_DATA_DIR;
}

const ArchRegistry& registry() {
  static ArchRegistry loaded = [] {
    auto r = ArchRegistry::load_dir(data_dir() + "/arch");
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? std::move(*r) : ArchRegistry();
  }();
  return loaded;
}

// A small musl-style root for aarch64: libc.so (which is also the loader) and a clean program.
class InspectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tree_.path() + "/root";
    ASSERT_TRUE(cross_compile(kTriple,
                              "int puts(const char* s) { return 0; }\n"
                              "void exit(int code) { for (;;) {} }\n",
                              root_ + "/usr/lib/libc.so", {"-shared", "-Wl,-soname,libc.so", "-s"}));
    tree_.symlink("root/lib/ld-musl-aarch64.so.1", "../usr/lib/libc.so");
    ASSERT_TRUE(program("usr/bin/hello", "int puts(const char*);\n"
                                         "void _start(void) { puts(\"hi\"); for (;;) {} }\n"));
  }

  // A clean, hardened, stripped program linked against the root's libc.
  bool program(const std::string& path, const std::string& source,
               std::vector<std::string> extra = {}) {
    std::vector<std::string> flags = {"-pie", std::string("-Wl,--dynamic-linker=") + kLoader,
                                      "-L" + root_ + "/usr/lib", "-lc", "-s"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return cross_compile(kTriple, source, root_ + "/" + path, flags);
  }

  Report run(InspectOptions options = {}) {
    if (options.inputs.empty()) options.inputs = {root_};
    if (options.arch.empty()) options.arch = "aarch64";
    options.jobs = 2;
    auto report = inspect(options, registry());
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message());
    return report.ok() ? std::move(*report) : Report();
  }

  // The check ids reported for one target path.
  static std::set<std::string> checks_for(const Report& report, const std::string& path) {
    std::set<std::string> ids;
    for (const Finding& f : report.findings)
      if (f.target_path == path) ids.insert(f.check);
    return ids;
  }

  static std::string dump(const Report& report) {
    std::string out;
    for (const Finding& f : report.findings)
      out += f.target_path + " [" + f.check + "] " + f.message + "\n";
    return out;
  }

  TempDir tree_;
  std::string root_;
};

TEST_F(InspectorTest, CleanRootHasNoFindings) {
  Report report = run();
  EXPECT_TRUE(report.findings.empty()) << dump(report);
  EXPECT_EQ(report.arch, "aarch64");
  EXPECT_EQ(report.libc, "musl");
  EXPECT_EQ(report.elf_files, 2u);
}

TEST_F(InspectorTest, InfersArchitectureAndLibc) {
  InspectOptions options;
  options.inputs = {root_};
  options.jobs = 1;
  auto report = inspect(options, registry());
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->arch, "aarch64");
  EXPECT_TRUE(report->arch_inferred);
  EXPECT_EQ(report->libc, "musl");
}

TEST_F(InspectorTest, HostBinaryIsWrongArch) {
  std::string copy = root_ + "/usr/bin/host-true";
  ASSERT_EQ(std::system(("cp /bin/true " + copy).c_str()), 0);
  Report report = run();
  auto ids = checks_for(report, "/usr/bin/host-true");
  EXPECT_TRUE(ids.count("arch")) << dump(report);
  EXPECT_TRUE(ids.count("interp")) << dump(report);  // the host's glibc loader
  EXPECT_TRUE(checks_for(report, "/usr/bin/hello").empty()) << dump(report);
}

TEST_F(InspectorTest, EbpfObjectIsNotCpuCode) {
  ASSERT_TRUE(cross_compile("bpf", "int prog(void* ctx) { return 0; }\n",
                            root_ + "/usr/lib/bpf/prog.o", {"-c", "-fno-PIC"}));
  Report report = run();
  EXPECT_EQ(checks_for(report, "/usr/lib/bpf/prog.o"), std::set<std::string>{"non-cpu-elf"})
      << dump(report);
}

TEST_F(InspectorTest, WrongFloatAbiIsWrongArch) {
  // A riscv64 object with soft floats in a riscv64 (lp64d) root.
  ASSERT_TRUE(cross_compile("riscv64-linux-musl", "int f(void) { return 1; }\n",
                            root_ + "/usr/lib/soft.o", {"-c", "-mabi=lp64", "-march=rv64imac"}));
  ASSERT_TRUE(cross_compile("riscv64-linux-musl", "int f(void) { return 1; }\n",
                            root_ + "/usr/lib/hard.o", {"-c"}));
  InspectOptions options;
  options.arch = "riscv64";
  options.inputs = {root_ + "/usr/lib"};
  if (!registry().find("riscv64")) GTEST_FAIL() << "arch/riscv64.yaml is missing";
  Report report = run(options);
  EXPECT_TRUE(checks_for(report, "/soft.o").count("arch")) << dump(report);
  EXPECT_FALSE(checks_for(report, "/hard.o").count("arch")) << dump(report);
}

TEST_F(InspectorTest, CodeWithoutCompressedInstructionsFitsRV64GC) {
  // tcc emits no RVC: its objects have the flag clear, and they run on every RV64GC machine.
  ASSERT_TRUE(cross_compile("riscv64-linux-musl", "int f(void) { return 1; }\n",
                            root_ + "/usr/lib/no-rvc.o", {"-c", "-march=rv64imafd"}));
  InspectOptions options;
  options.arch = "riscv64";
  options.inputs = {root_ + "/usr/lib/no-rvc.o"};
  Report report = run(options);
  EXPECT_FALSE(checks_for(report, "/no-rvc.o").count("arch")) << dump(report);
}

TEST_F(InspectorTest, InterpreterOfAnotherLibcOrMissing) {
  ASSERT_TRUE(program("usr/bin/glibc-loader", testing::kStartSource,
                      {"-Wl,--dynamic-linker=/lib/ld-linux-aarch64.so.1"}));
  Report report = run();
  auto ids = checks_for(report, "/usr/bin/glibc-loader");
  EXPECT_TRUE(ids.count("interp")) << dump(report);
  auto messages = dump(report);
  EXPECT_NE(messages.find("aarch64 glibc loader"), std::string::npos) << messages;
  EXPECT_NE(messages.find("does not exist"), std::string::npos) << messages;
  EXPECT_FALSE(checks_for(report, "/usr/bin/hello").count("interp"));
}

TEST_F(InspectorTest, RpathOutsideTheTarget) {
  ASSERT_TRUE(program("usr/bin/rpath-build", testing::kStartSource,
                      {"-Wl,-rpath,/home/builder/build/lib:lib:$ORIGIN/../lib"}));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/rpath-build").count("rpath")) << messages;
  EXPECT_NE(messages.find("/home/builder/build/lib' is a build or staging dir"), std::string::npos);
  EXPECT_NE(messages.find("'lib' is relative"), std::string::npos) << messages;
  EXPECT_EQ(messages.find("'$ORIGIN/../lib'"), std::string::npos) << messages;
}

TEST_F(InspectorTest, NeededLibraryMissingOrForeign) {
  TempDir build;
  ASSERT_TRUE(cross_compile(kTriple, "int bar(void) { return 1; }\n", build.path() + "/libmissing.so.1",
                            {"-shared", "-Wl,-soname,libmissing.so.1"}));
  ASSERT_TRUE(cross_compile("x86_64-linux-musl", "int baz(void) { return 1; }\n",
                            root_ + "/usr/lib/libx86.so", {"-shared", "-Wl,-soname,libx86.so", "-s"}));
  ASSERT_TRUE(cross_compile(kTriple, "int baz(void) { return 1; }\n", build.path() + "/libx86.so",
                            {"-shared", "-Wl,-soname,libx86.so"}));
  ASSERT_TRUE(program("usr/bin/needs", "int bar(void); int baz(void);\n"
                                       "void _start(void) { bar(); baz(); for (;;) {} }\n",
                      {build.path() + "/libmissing.so.1", build.path() + "/libx86.so"}));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/needs").count("needed")) << messages;
  EXPECT_NE(messages.find("libmissing.so.1 is not in"), std::string::npos) << messages;
  EXPECT_NE(messages.find("libx86.so was found at /usr/lib/libx86.so but is for another"),
            std::string::npos)
      << messages;
  EXPECT_FALSE(checks_for(report, "/usr/bin/hello").count("needed"));
}

TEST_F(InspectorTest, UndefinedSymbolAndCompilerRuntimeHole) {
  // Linked against a libfoo with bar(); the root's libfoo lacks it.
  TempDir build;
  ASSERT_TRUE(cross_compile(kTriple, "int foo(void) { return 1; } int bar(void) { return 2; }\n",
                            build.path() + "/libfoo.so", {"-shared", "-Wl,-soname,libfoo.so"}));
  ASSERT_TRUE(cross_compile(kTriple, "int foo(void) { return 1; }\n", root_ + "/usr/lib/libfoo.so",
                            {"-shared", "-Wl,-soname,libfoo.so", "-s"}));
  ASSERT_TRUE(program("usr/bin/undef", "int foo(void); int bar(void);\n"
                                       "void _start(void) { foo(); bar(); for (;;) {} }\n",
                      {build.path() + "/libfoo.so"}));
  // A libc-like library whose compiler runtime was forgotten: long double math left undefined.
  ASSERT_TRUE(cross_compile(kTriple, "long double add(long double a, long double b) { return a + b; }\n",
                            root_ + "/usr/lib/libnort.so",
                            {"-shared", "-Wl,-soname,libnort.so", "-s", "-Wl,--allow-shlib-undefined"}));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/undef").count("undefined")) << messages;
  EXPECT_NE(messages.find("1 undefined symbol defined by no library it needs: bar"), std::string::npos)
      << messages;
  EXPECT_NE(messages.find("__addtf3"), std::string::npos) << messages;
  EXPECT_FALSE(checks_for(report, "/usr/bin/hello").count("undefined")) << messages;
}

TEST_F(InspectorTest, GlibcSymbolVersionsInMuslRoot) {
  TempDir build;
  build.write("v.map", "GLIBC_2.34 { global: foo; };\n");
  ASSERT_TRUE(cross_compile(kTriple, "int foo(void) { return 1; }\n", root_ + "/usr/lib/libc.so.6",
                            {"-shared", "-Wl,-soname,libc.so.6", "-s",
                             "-Wl,--version-script=" + build.path() + "/v.map"}));
  ASSERT_TRUE(cross_compile(kTriple, "int foo(void);\nint bar(void) { return foo(); }\n",
                            root_ + "/usr/lib/libuser.so",
                            {"-shared", "-Wl,-soname,libuser.so", "-s", root_ + "/usr/lib/libc.so.6"}));
  Report report = run();
  EXPECT_EQ(checks_for(report, "/usr/lib/libuser.so"), std::set<std::string>{"libc"}) << dump(report);
  EXPECT_FALSE(checks_for(report, "/usr/bin/hello").count("libc"));
}

TEST_F(InspectorTest, BuildHostPathsInContents) {
  ASSERT_TRUE(program("usr/bin/buildpath", "const char* p = \"/usr/lib/x86_64-linux-gnu/libz.so\";\n"
                                           "const char* q = \"/srv/stage/usr\";\n"
                                           "void _start(void) { for (;;) {} }\n"));
  tree_.write("root/usr/share/doc/notes.txt", "see /srv/stage/usr/include\n");
  InspectOptions options;
  options.forbid_paths = {"/srv/stage"};
  Report report = run(options);
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/buildpath").count("buildpaths")) << messages;
  EXPECT_NE(messages.find("/usr/lib/x86_64-linux-gnu (in \"/usr/lib/x86_64-linux-gnu/libz.so\")"),
            std::string::npos)
      << messages;
  EXPECT_TRUE(checks_for(report, "/usr/share/doc/notes.txt").count("buildpaths")) << messages;
  EXPECT_FALSE(checks_for(report, "/usr/bin/hello").count("buildpaths"));
}

TEST_F(InspectorTest, CompilerOtherThanClang) {
  ASSERT_TRUE(program("usr/bin/gcc-built",
                      "__asm__(\".pushsection .comment,\\\"MS\\\",%progbits,1\\n"
                      ".asciz \\\"GCC: (Debian 12.2.0-14) 12.2.0\\\"\\n.popsection\");\n"
                      "void _start(void) { for (;;) {} }\n"));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_EQ(checks_for(report, "/usr/bin/gcc-built"), std::set<std::string>{"host-compiler"}) << messages;
  EXPECT_NE(messages.find("\"GCC: (Debian 12.2.0-14) 12.2.0\""), std::string::npos);
}

TEST_F(InspectorTest, WeakHardeningIsReported) {
  ASSERT_TRUE(cross_compile(kTriple, "int puts(const char*);\nvoid _start(void) { puts(\"x\"); for (;;) {} }\n",
                            root_ + "/usr/bin/weak",
                            {"-no-pie", "-fno-pic", std::string("-Wl,--dynamic-linker=") + kLoader,
                             "-L" + root_ + "/usr/lib", "-lc", "-Wl,-z,norelro", "-Wl,-z,lazy",
                             "-Wl,-z,execstack", "-Wl,--build-id=none", "-Wl,--omagic"}));
  // An absolute address of a preemptible symbol in .text needs a dynamic relocation there.
  ASSERT_TRUE(cross_compile(kTriple,
                            "int counter;\n"
                            "__asm__(\".text\\n.globl table\\ntable: .quad counter\\n\");\n",
                            root_ + "/usr/lib/libtextrel.so",
                            {"-shared", "-Wl,-soname,libtextrel.so", "-s", "-Wl,-z,notext"}));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_EQ(checks_for(report, "/usr/bin/weak"),
            (std::set<std::string>{"execstack", "wx-segment", "relro", "bind-now", "pie", "build-id",
                                   "stripped"}))
      << messages;
  EXPECT_TRUE(checks_for(report, "/usr/lib/libtextrel.so").count("textrel")) << messages;
}

TEST_F(InspectorTest, SonameMismatchAndDuplicate) {
  ASSERT_TRUE(cross_compile(kTriple, "int a(void) { return 1; }\n", root_ + "/usr/lib/libwrong.so.1",
                            {"-shared", "-Wl,-soname,libother.so.2", "-s"}));
  ASSERT_TRUE(cross_compile(kTriple, "int b(void) { return 1; }\n", root_ + "/usr/lib/libdup1.so",
                            {"-shared", "-Wl,-soname,libdup.so", "-s"}));
  ASSERT_TRUE(cross_compile(kTriple, "int c(void) { return 1; }\n", root_ + "/usr/lib/libdup.so",
                            {"-shared", "-Wl,-soname,libdup.so", "-s"}));
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/lib/libwrong.so.1").count("soname")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/lib/libdup1.so").count("soname")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/lib/libdup.so").count("soname")) << messages;
  EXPECT_NE(messages.find("SONAME libdup.so is also used by /usr/lib/libdup1.so"), std::string::npos);
  EXPECT_FALSE(checks_for(report, "/usr/lib/libc.so").count("soname")) << messages;
}

TEST_F(InspectorTest, ScriptInterpreters) {
  tree_.symlink("root/bin/sh", "../usr/bin/hello");
  tree_.write("root/usr/bin/good", "#!/bin/sh\necho ok\n", 0755);
  tree_.write("root/usr/bin/py", "#!/usr/bin/python3\nprint()\n", 0755);
  tree_.write("root/usr/bin/envpy", "#!/usr/bin/env python3\nprint()\n", 0755);
  tree_.symlink("root/usr/bin/env", "hello");
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/py").count("shebang")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/envpy").count("shebang")) << messages;
  EXPECT_NE(messages.find("env runs 'python3'"), std::string::npos) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/good").empty()) << messages;
}

TEST_F(InspectorTest, PkgconfigAndLibtoolFiles) {
  tree_.write("root/usr/lib/pkgconfig/good.pc", "prefix=/usr\nlibdir=${prefix}/lib\nLibs: -L${libdir} -lgood\n");
  tree_.write("root/usr/lib/pkgconfig/bad.pc", "prefix=/home/builder/staging/usr\nLibs: -L/usr/lib/x86_64-linux-gnu -lbad\n");
  tree_.write("root/usr/lib/libbad.la", "libdir='/tmp/staging/usr/lib'\n");
  tree_.write("root/usr/lib/libgood.la", "libdir='/usr/lib'\n");
  Report report = run();
  std::string messages = dump(report);
  EXPECT_EQ(checks_for(report, "/usr/lib/pkgconfig/bad.pc"), std::set<std::string>{"pkgconfig"}) << messages;
  EXPECT_EQ(checks_for(report, "/usr/lib/libbad.la"), std::set<std::string>{"libtool"}) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/lib/pkgconfig/good.pc").empty()) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/lib/libgood.la").empty()) << messages;
}

TEST_F(InspectorTest, Symlinks) {
  tree_.symlink("root/usr/bin/abs", "/usr/bin/hello");
  tree_.symlink("root/usr/bin/escape", "../../../../etc/passwd");
  tree_.symlink("root/usr/bin/dangling", "nothing-here");
  tree_.symlink("root/usr/bin/rel", "hello");
  tree_.symlink("root/etc/mtab", "/proc/self/mounts");
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/abs").count("symlink")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/escape").count("symlink")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/dangling").count("symlink")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/rel").empty()) << messages;
  EXPECT_EQ(checks_for(report, "/etc/mtab"), std::set<std::string>{"symlink"}) << messages;  // absolute only
}

TEST_F(InspectorTest, PermissionsAndOwner) {
  std::string suid = tree_.write("root/usr/bin/suid", "#!/bin/sh\n", 04755);
  chmod(suid.c_str(), 04755);
  std::string open = tree_.write("root/etc/open", "x\n", 0666);
  chmod(open.c_str(), 0666);
  std::string owned = tree_.write("root/etc/owned", "x\n", 0644);
  if (getuid() != 0) GTEST_FAIL() << "this test needs root to chown a file";
  ASSERT_EQ(chown(owned.c_str(), 1000, 1000), 0);
  tree_.symlink("root/bin/sh", "../usr/bin/hello");
  Report report = run();
  std::string messages = dump(report);
  EXPECT_EQ(checks_for(report, "/usr/bin/suid"), std::set<std::string>{"permissions"}) << messages;
  EXPECT_EQ(checks_for(report, "/etc/open"), std::set<std::string>{"permissions"}) << messages;
  EXPECT_EQ(checks_for(report, "/etc/owned"), std::set<std::string>{"owner"}) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/hello").empty()) << messages;
}

TEST_F(InspectorTest, DamagedElfIsMalformedAndTheScanGoesOn) {
  std::vector<unsigned char> bytes = testing::read_bytes(root_ + "/usr/bin/hello");
  tree_.write("root/usr/bin/truncated", std::string(bytes.begin(), bytes.begin() + 100));
  std::string garbage(bytes.begin(), bytes.end());
  for (size_t i = 0x28; i < 0x40; ++i) garbage[i] = '\xff';  // section and program header fields
  tree_.write("root/usr/bin/garbage", garbage);
  Report report = run();
  std::string messages = dump(report);
  EXPECT_TRUE(checks_for(report, "/usr/bin/truncated").count("malformed")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/garbage").count("malformed")) << messages;
  EXPECT_TRUE(checks_for(report, "/usr/bin/hello").empty()) << messages;
}

TEST_F(InspectorTest, RootGivenSeparately) {
  // A staging dir checked against the sysroot: libraries resolve in the sysroot.
  TempDir staging;
  ASSERT_TRUE(cross_compile(kTriple, "int puts(const char*);\nvoid _start(void) { puts(\"x\"); for (;;) {} }\n",
                            staging.path() + "/usr/bin/tool",
                            {"-pie", std::string("-Wl,--dynamic-linker=") + kLoader, "-L" + root_ + "/usr/lib",
                             "-lc", "-s"}));
  InspectOptions options;
  options.inputs = {staging.path()};
  Report alone = run(options);
  EXPECT_TRUE(checks_for(alone, "/usr/bin/tool").count("needed")) << dump(alone);
  options.root = root_;
  Report with_root = run(options);
  EXPECT_TRUE(with_root.findings.empty()) << dump(with_root);
}

TEST_F(InspectorTest, UnknownArchAndMissingInputAreErrors) {
  InspectOptions options;
  options.inputs = {root_};
  options.arch = "aarch46";
  auto report = inspect(options, registry());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find("unknown architecture 'aarch46'"), std::string::npos);
  options.arch = "aarch64";
  options.inputs = {root_ + "/nope"};
  report = inspect(options, registry());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message(), root_ + "/nope: No such file or directory");
}

}  // namespace
}  // namespace xport::inspect
