#include "inspect/elf_facts.h"

#include <elf.h>
#include <gtest/gtest.h>

#include "inspect/path_scanner.h"
#include "testing/fixtures.h"

namespace xport::inspect {
namespace {

using testing::cross_compile;
using testing::read_bytes;
using testing::TempDir;

struct Target {
  const char* triple;
  uint16_t machine;
  int elf_class;
  bool big_endian;
  std::vector<std::string> flags;
  bool relro = true;  // lld writes no PT_GNU_RELRO for MIPS, whose GOT stays writable
};

// Six and more architectures, big- and little-endian, 32- and 64-bit.
const Target kTargets[] = {
    {"aarch64-linux-musl", EM_AARCH64, 64, false, {}},
    {"x86_64-linux-musl", EM_X86_64, 64, false, {}},
    {"riscv64-linux-musl", EM_RISCV, 64, false, {}},
    {"armv7-linux-musleabihf", EM_ARM, 32, false, {"-mfloat-abi=hard"}},
    {"i686-linux-musl", EM_386, 32, false, {}},
    {"powerpc64-linux-musl", EM_PPC64, 64, true, {"-mabi=elfv2"}},
    {"powerpc64le-linux-musl", EM_PPC64, 64, false, {}},
    {"mips64el-linux-musl", EM_MIPS, 64, false, {}, false},
};

ElfFacts facts_of(const std::string& path) {
  std::vector<unsigned char> bytes = read_bytes(path);
  auto facts = read_elf_facts(Content(bytes.data(), bytes.size()));
  EXPECT_TRUE(facts.ok()) << path << ": " << (facts.ok() ? "" : facts.error().message());
  return facts.ok() ? *facts : ElfFacts{};
}

class ElfFactsPerArch : public ::testing::TestWithParam<Target> {};

TEST_P(ElfFactsPerArch, ReadsLibraryAndProgram) {
  const Target& t = GetParam();
  TempDir dir;
  const std::string lib = dir.path() + "/libfoo.so.1";
  ASSERT_TRUE(cross_compile(t.triple, "int foo(int x) { return x + 1; }\nint unused_data = 3;\n", lib,
                            [&] {
                              auto f = t.flags;
                              f.insert(f.end(), {"-shared", "-Wl,-soname,libfoo.so.1"});
                              return f;
                            }()));
  const std::string exe = dir.path() + "/prog";
  ASSERT_TRUE(cross_compile(
      t.triple, "int foo(int);\nvoid _start(void) { foo(1); for (;;) {} }\n", exe, [&] {
        auto f = t.flags;
        f.insert(f.end(), {"-pie", "-Wl,--dynamic-linker=/lib/ld-test.so.1", lib,
                           "-Wl,-rpath,$ORIGIN/../lib:/opt/x"});
        return f;
      }()));

  ElfFacts library = facts_of(lib);
  EXPECT_EQ(library.machine, t.machine);
  EXPECT_EQ(library.elf_class, t.elf_class);
  EXPECT_EQ(library.big_endian, t.big_endian);
  EXPECT_EQ(library.type, ET_DYN);
  EXPECT_EQ(library.soname, "libfoo.so.1");
  EXPECT_TRUE(library.interp.empty());
  EXPECT_TRUE(library.defines("foo"));
  EXPECT_TRUE(library.defines("unused_data"));
  EXPECT_FALSE(library.defines("bar"));
  EXPECT_TRUE(library.has_build_id);
  EXPECT_EQ(library.has_relro, t.relro);
  EXPECT_TRUE(library.bind_now);
  EXPECT_TRUE(library.has_symtab);
  EXPECT_TRUE(library.problems.empty());
  ASSERT_FALSE(library.comments.empty());
  EXPECT_NE(library.comments[0].find("clang"), std::string::npos) << library.comments[0];

  ElfFacts program = facts_of(exe);
  EXPECT_EQ(program.machine, t.machine);
  EXPECT_EQ(program.interp, "/lib/ld-test.so.1");
  EXPECT_EQ(program.needed, std::vector<std::string>{"libfoo.so.1"});
  EXPECT_EQ(program.undefined, std::vector<std::string>{"foo"});
  EXPECT_EQ(program.runpath, (std::vector<std::string>{"$ORIGIN/../lib", "/opt/x"}));
  EXPECT_TRUE(program.pie_flag);
  EXPECT_TRUE(program.has_gnu_stack);
  EXPECT_FALSE(program.executable_stack);
  EXPECT_FALSE(program.writable_and_executable_segment);
}

INSTANTIATE_TEST_SUITE_P(Arches, ElfFactsPerArch, ::testing::ValuesIn(kTargets),
                         [](const auto& info) {
                           std::string name = info.param.triple;
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(ElfFacts, SeesWeakenedHardening) {
  TempDir dir;
  const std::string exe = dir.path() + "/weak";
  ASSERT_TRUE(cross_compile("aarch64-linux-musl", testing::kStartSource, exe,
                            {"-no-pie", "-fno-pic", "-Wl,-z,norelro", "-Wl,-z,lazy",
                             "-Wl,-z,execstack", "-Wl,--build-id=none", "-Wl,--omagic",
                             "-Wl,--dynamic-linker=/lib/ld-musl-aarch64.so.1"}));
  ElfFacts facts = facts_of(exe);
  EXPECT_EQ(facts.type, ET_EXEC);
  EXPECT_FALSE(facts.has_relro);
  EXPECT_FALSE(facts.bind_now);
  EXPECT_TRUE(facts.executable_stack);
  EXPECT_FALSE(facts.has_build_id);
  EXPECT_TRUE(facts.writable_and_executable_segment);
}

TEST(ElfFacts, ReadsGlibcVersionRequirements) {
  TempDir dir;
  dir.write("v.map", "GLIBC_2.34 { global: foo; };\n");
  const std::string libc = dir.path() + "/libc.so.6";
  ASSERT_TRUE(cross_compile("aarch64-linux-gnu", "int foo(void) { return 1; }\n", libc,
                            {"-shared", "-Wl,-soname,libc.so.6",
                             "-Wl,--version-script=" + dir.path() + "/v.map"}));
  const std::string user = dir.path() + "/libuser.so";
  ASSERT_TRUE(cross_compile("aarch64-linux-gnu", "int foo(void);\nint bar(void) { return foo(); }\n",
                            user, {"-shared", libc}));
  ElfFacts facts = facts_of(user);
  EXPECT_EQ(facts.required_versions, std::vector<std::string>{"GLIBC_2.34"});
  EXPECT_EQ(facts.needed, std::vector<std::string>{"libc.so.6"});
}

TEST(ElfFacts, FindsPathsInCompressedDebugSections) {
  TempDir dir;
  const std::string obj = dir.path() + "/debug.o";
  // Enough repetitive debug strings that the compressor finds the section worth compressing.
  std::string source;
  for (int i = 0; i < 200; ++i)
    source += "int a_function_with_a_rather_long_name_number_" + std::to_string(i) + "(void) { return " +
              std::to_string(i) + "; }\n";
  ASSERT_TRUE(cross_compile("aarch64-linux-musl", source, obj,
                            {"-c", "-g", "-gz=zlib", "-fdebug-prefix-map=" + dir.path() + "=/home/builder/src"}));
  std::vector<unsigned char> bytes = read_bytes(obj);
  PathScanner scanner({"/home/builder/"});
  auto facts = read_elf_facts(Content(bytes.data(), bytes.size()), &scanner);
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->has_debug_info);
  ASSERT_FALSE(facts->compressed_path_hits.empty());
  EXPECT_NE(facts->compressed_path_hits[0].find("/home/builder/src"), std::string::npos);
}

TEST(ElfFacts, RejectsWhatIsNotElf) {
  std::string text = "#!/bin/sh\necho hi\n";
  auto facts = read_elf_facts(Content(reinterpret_cast<unsigned char*>(text.data()), text.size()));
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().message(), "not an ELF file");
}

TEST(ElfFacts, SurvivesEveryTruncationAndCorruption) {
  TempDir dir;
  const std::string exe = dir.path() + "/prog";
  ASSERT_TRUE(cross_compile("aarch64-linux-musl", testing::kStartSource, exe,
                            {"-pie", "-Wl,--dynamic-linker=/lib/ld-musl-aarch64.so.1"}));
  const std::vector<unsigned char> original = read_bytes(exe);
  size_t errors = 0, problems = 0;
  for (size_t cut = 0; cut < original.size(); cut += 7) {
    std::vector<unsigned char> bytes(original.begin(), original.begin() + cut);
    auto facts = read_elf_facts(Content(bytes.data(), bytes.size()));
    if (!facts) ++errors;
    else if (!facts->problems.empty()) ++problems;
  }
  EXPECT_GT(errors + problems, 0u);
  // Flip bytes all over the headers; the reader must neither crash nor loop.
  uint32_t seed = 1;
  for (int round = 0; round < 2000; ++round) {
    std::vector<unsigned char> bytes = original;
    for (int flips = 0; flips < 8; ++flips) {
      seed = seed * 1103515245 + 12345;
      size_t at = (seed >> 8) % std::min<size_t>(bytes.size(), 4096);
      bytes[at] ^= static_cast<unsigned char>(seed >> 3);
    }
    (void)read_elf_facts(Content(bytes.data(), bytes.size()));
  }
}

}  // namespace
}  // namespace xport::inspect
