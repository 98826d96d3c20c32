// The arch files and their loader: every committed file loads and agrees with what clang-16 and
// lld-16 produce for it, bad files are refused with file:line:column and the key at fault, and a
// new architecture is one new file.
#include "arch/arch.h"

#include <elf.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/arch_test_support.h"
#include "arch/elf_flags.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;
using arch_test::data_dir;
using testing::TempDir;

std::string arch_dir() { return data_dir() + "/arch"; }

const ArchRegistry& registry() {
  static ArchRegistry loaded = [] {
    auto r = ArchRegistry::load_dir(arch_dir());
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? std::move(*r) : ArchRegistry();
  }();
  return loaded;
}

std::vector<std::string> committed_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(arch_dir()))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// A complete, valid arch file for a made-up architecture; the error tests break one line of it.
// Line numbers matter: messages are checked to the column.
constexpr const char* kToy =
    "name: toy\n"                                     // 1
    "aliases: [toy64]\n"                              // 2
    "tier: 2\n"                                       // 3
    "elf:\n"                                          // 4
    "  class: 64\n"                                   // 5
    "  endian: little\n"                              // 6
    "  machine: EM_SPARCV9\n"                         // 7
    "  flags: {decoder: riscv, float-abi: double}\n"  // 8
    "libc:\n"                                         // 9
    "  musl:\n"                                       // 10
    "    triple: toy-linux-musl\n"                    // 11
    "    loader: /lib/ld-musl-toy.so.1\n"             // 12
    "    libdirs: [/lib, /usr/lib]\n"                 // 13
    "kernel:\n"                                       // 14
    "  arch: toy\n"                                   // 15
    "qemu:\n"                                         // 16
    "  user: qemu-toy\n"                              // 17
    "  system: qemu-system-toy\n"                     // 18
    "page_size: 8192\n"                               // 19
    "compiler:\n"                                     // 20
    "  llvm_target: Sparc\n";                         // 21

// kToy with line `line` (from 1) replaced by `text` ("" removes it).
std::string toy_with(int line, const std::string& text) {
  std::istringstream in(kToy);
  std::string out, current;
  for (int n = 1; std::getline(in, current); ++n) {
    if (n != line)
      out += current + "\n";
    else if (!text.empty())
      out += text + "\n";
  }
  return out;
}

std::string error_of(const std::string& text) {
  auto arch = parse_arch(text, "t.yaml");
  if (arch.ok()) return "(no error)";
  return arch.error().message();
}

// --- the committed files ---------------------------------------------------------------------

TEST(ArchFiles, EveryCommittedFileLoads) {
  const std::vector<std::string> files = committed_files();
  ASSERT_FALSE(files.empty()) << arch_dir();
  for (const std::string& file : files) {
    auto arch = load_arch_file(file);
    ASSERT_TRUE(arch.ok()) << arch.error().message();
    EXPECT_EQ(fs::path(file).stem().string(), arch->name) << "arch/<name>.yaml names itself";
    EXPECT_FALSE(arch->description.empty()) << file;
    EXPECT_NE(arch->libc(Libc::Musl), nullptr) << file << ": xport's toolchains are musl ones";
  }
  EXPECT_EQ(registry().all().size(), files.size());
}

TEST(ArchFiles, TheExpectedArchitecturesAreThere) {
  const std::map<std::string, int> tiers = {
      {"aarch64", 1}, {"riscv64", 1}, {"armv7", 1}, {"x86_64", 1},   {"ppc64le", 2},
      {"ppc64", 2},   {"i686", 2},    {"s390x", 2}, {"mips64el", 2}, {"loongarch64", 3}};
  for (const auto& [name, tier] : tiers) {
    const Arch* arch = registry().find(name);
    ASSERT_NE(arch, nullptr) << name;
    EXPECT_EQ(arch->tier, tier) << name;
  }
}

TEST(ArchFiles, EveryFileStartsWithACommentSayingWhatItIs) {
  for (const std::string& file : committed_files()) {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    EXPECT_TRUE(first.starts_with("# ") && first.size() > 10) << file << ": " << first;
  }
}

// The data is checked against the toolchain rather than trusted: for every arch and C library,
// clang-16 --target=<triple> must make objects of the arch's ELF identity whose e_flags satisfy
// the arch's expectations, and lld must write the arch's loader into PT_INTERP (where lld 16 can
// link the architecture at all: it cannot link s390x or LoongArch).
TEST(ArchFiles, AgreeWithWhatClangProduces) {
  TempDir dir;
  for (const Arch& arch : registry().all()) {
    for (const auto& [libc, info] : arch.libcs) {
      SCOPED_TRACE(arch.name + " " + libc_name(libc) + " (" + info.triple + ")");
      const std::string base = dir.path() + "/" + info.triple;
      auto object = arch_test::compile_and_read(info.triple, base + ".o", false, arch.cflags);
      ASSERT_TRUE(object);
      EXPECT_EQ(object->machine, arch.elf.machine);
      EXPECT_EQ(object->elf_class, arch.elf.elf_class);
      EXPECT_TRUE(object->endian == arch.elf.endian);
      EXPECT_EQ(registry().find_by_elf(object->machine, object->elf_class, object->endian), &arch);

      const ElfFlagsDecoder* decoder = find_elf_flags_decoder(arch.elf.flags_decoder);
      ASSERT_NE(decoder, nullptr);
      auto found = decoder->decode({object->flags, object->elf_class, object->arm_attributes});
      for (const auto& [key, value] : arch.elf.flags) {
        if (found.count(key))
          EXPECT_EQ(found[key], value) << key << ", e_flags 0x" << std::hex << object->flags;
      }

      std::vector<std::string> flags = arch.cflags;
      flags.push_back("-Wl,-z,now");
      arch_test::Compiled linked = arch_test::compile(
          info.triple, "void _start(void) { for (;;) {} }\n", base + ".exe", true, flags);
      if (!linked.ok && linked.output.find("unknown emulation") != std::string::npos) continue;
      ASSERT_TRUE(linked.ok) << linked.output;
      auto exe = arch_test::read_object(base + ".exe");
      ASSERT_TRUE(exe);
      EXPECT_EQ(exe->interp, info.loader);
      found = decoder->decode({exe->flags, exe->elf_class, exe->arm_attributes});
      for (const auto& [key, value] : arch.elf.flags) {
        // An executable must state what the linker knows; only "not stated" objects are lenient.
        EXPECT_EQ(found[key], value) << key << ", e_flags 0x" << std::hex << exe->flags;
      }
    }
  }
}

// --- the registry ------------------------------------------------------------------------------

TEST(ArchRegistry, FindsByNameAndAlias) {
  const std::map<std::string, std::string> names = {
      {"aarch64", "aarch64"}, {"arm64", "aarch64"},
      {"armv7", "armv7"},     {"armhf", "armv7"},
      {"arm", "armv7"},       {"armv7l", "armv7"},
      {"amd64", "x86_64"},    {"i386", "i686"},
      {"i586", "i686"},       {"x86", "i686"},
      {"ppc64el", "ppc64le"}, {"powerpc64le", "ppc64le"},
      {"powerpc64", "ppc64"}, {"loongarch64", "loongarch64"},
      {"s390x", "s390x"},     {"mips64el", "mips64el"},
      {"riscv64", "riscv64"}};
  for (const auto& [wanted, name] : names) {
    const Arch* arch = registry().find(wanted);
    ASSERT_NE(arch, nullptr) << wanted;
    EXPECT_EQ(arch->name, name) << wanted;
  }
  EXPECT_EQ(registry().find("sparc64"), nullptr);
  EXPECT_EQ(registry().find(""), nullptr);
  EXPECT_EQ(registry().find("ARM64"), nullptr) << "names are case-sensitive";
}

TEST(ArchRegistry, FindsByElfIdentity) {
  struct Case {
    uint16_t machine;
    int elf_class;
    Endian endian;
    const char* name;  // nullptr: no arch
  };
  const Case cases[] = {
      {EM_AARCH64, 64, Endian::Little, "aarch64"}, {EM_ARM, 32, Endian::Little, "armv7"},
      {EM_X86_64, 64, Endian::Little, "x86_64"},   {EM_386, 32, Endian::Little, "i686"},
      {EM_RISCV, 64, Endian::Little, "riscv64"},   {EM_PPC64, 64, Endian::Little, "ppc64le"},
      {EM_PPC64, 64, Endian::Big, "ppc64"},        {EM_S390, 64, Endian::Big, "s390x"},
      {EM_MIPS, 64, Endian::Little, "mips64el"},   {258, 64, Endian::Little, "loongarch64"},
      {EM_MIPS, 64, Endian::Big, nullptr},         {EM_ARM, 32, Endian::Big, nullptr},
      {EM_RISCV, 32, Endian::Little, nullptr},     {EM_SPARCV9, 64, Endian::Big, nullptr},
      {EM_X86_64, 32, Endian::Little, nullptr},  // x32 has no file
  };
  for (const Case& c : cases) {
    const Arch* arch = registry().find_by_elf(c.machine, c.elf_class, c.endian);
    if (!c.name) {
      EXPECT_EQ(arch, nullptr) << c.machine << "/" << c.elf_class;
      continue;
    }
    ASSERT_NE(arch, nullptr) << c.name;
    EXPECT_EQ(arch->name, c.name);
  }
}

TEST(ArchRegistry, HostIsTheMachineWeRunOn) {
  struct utsname uts;
  ASSERT_EQ(uname(&uts), 0);
  EXPECT_EQ(registry().host(), registry().find(uts.machine));
  EXPECT_NE(registry().host(), nullptr) << "no arch file for this machine: " << uts.machine;
}

TEST(ArchRegistry, SuggestsCloseNames) {
  auto has = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has(registry().suggest("riscv46"), "riscv64"));
  EXPECT_TRUE(has(registry().suggest("aarch46"), "aarch64"));
  EXPECT_TRUE(has(registry().suggest("armhff"), "armhf"));
  EXPECT_TRUE(has(registry().suggest("ppc64l"), "ppc64le"));
  EXPECT_TRUE(has(registry().suggest("x86-64"), "x86_64"));
  EXPECT_TRUE(registry().suggest("completely-unrelated").empty());
}

// --- adding an architecture is adding a file ---------------------------------------------------

TEST(ArchRegistry, ANewArchitectureIsJustANewFile) {
  TempDir dir;
  size_t copied = 0;
  for (const std::string& file : committed_files()) {
    fs::copy_file(file, dir.path() + "/" + fs::path(file).filename().string());
    ++copied;
  }
  // The files beside them (kernel fragments) come along, as an arch directory has them.
  for (const auto& entry : fs::directory_iterator(arch_dir()))
    if (entry.path().extension() != ".yaml") fs::copy_file(entry.path(), dir.path() + "/" + entry.path().filename().string());
  // SPARC V9 has no file and no C++ anywhere in xport; a file is all it takes.
  dir.write("sparc64.yaml",
            "# 64-bit SPARC (V9), big-endian: written by this test to show that a file is enough.\n"
            "name: sparc64\n"
            "aliases: [sparcv9]\n"
            "description: 64-bit SPARC V9, big-endian\n"
            "tier: 3\n"
            "elf:\n"
            "  class: 64\n"
            "  endian: big\n"
            "  machine: EM_SPARCV9\n"
            "  flags: {decoder: none}\n"
            "libc:\n"
            "  glibc:\n"
            "    triple: sparc64-linux-gnu\n"
            "    multiarch: sparc64-linux-gnu\n"
            "    loader: /lib64/ld-linux.so.2\n"
            "    libdirs: [/lib/sparc64-linux-gnu, /usr/lib/sparc64-linux-gnu, /lib, /usr/lib]\n"
            "kernel:\n"
            "  arch: sparc\n"
            "qemu:\n"
            "  user: qemu-sparc64\n"
            "  system: qemu-system-sparc64\n"
            "  machine: sun4u\n"
            "  console: ttyS0\n"
            "page_size: 8192\n"
            "compiler:\n"
            "  llvm_target: Sparc\n");
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->all().size(), copied + 1);
  const Arch* sparc = loaded->find_by_elf(EM_SPARCV9, 64, Endian::Big);
  ASSERT_NE(sparc, nullptr);
  EXPECT_EQ(sparc->name, "sparc64");
  EXPECT_EQ(loaded->find("sparcv9"), sparc);
  EXPECT_EQ(sparc->libc(Libc::Musl), nullptr);
  ASSERT_NE(sparc->libc(Libc::Glibc), nullptr);
  EXPECT_EQ(sparc->libc(Libc::Glibc)->loader, "/lib64/ld-linux.so.2");
  EXPECT_EQ(sparc->glibc_multiarch, "sparc64-linux-gnu");
  EXPECT_EQ(sparc->page_size, 8192u);
  // The real ones are still found as before.
  ASSERT_NE(loaded->find_by_elf(EM_AARCH64, 64, Endian::Little), nullptr);
  EXPECT_EQ(loaded->find_by_elf(EM_AARCH64, 64, Endian::Little)->name, "aarch64");
}

TEST(ArchRegistry, TheLlvmBackendsOfEveryPortEachOnce) {
  auto loaded = ArchRegistry::load_dir(arch_test::data_dir() + "/arch");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->find("x86_64")->llvm_target, "X86");
  EXPECT_EQ(loaded->find("i686")->llvm_target, "X86");
  EXPECT_EQ(loaded->llvm_targets(),
            (std::vector<std::string>{"AArch64", "ARM", "LoongArch", "Mips", "PowerPC", "RISCV",
                                      "SystemZ", "X86"}));
}

TEST(ArchRegistry, MachineMayBeANumber) {
  auto arch = parse_arch(toy_with(7, "  machine: 0x2b"), "t.yaml");
  ASSERT_TRUE(arch.ok()) << arch.error().message();
  EXPECT_EQ(arch->elf.machine, EM_SPARCV9);
}

// --- bad files ---------------------------------------------------------------------------------

TEST(ArchParse, TheToyFileIsValid) {
  auto arch = parse_arch(kToy, "t.yaml");
  ASSERT_TRUE(arch.ok()) << arch.error().message();
  EXPECT_EQ(arch->name, "toy");
  EXPECT_EQ(arch->elf.flags_decoder, "riscv");
  EXPECT_EQ(arch->elf.flags, (std::map<std::string, std::string>{{"float-abi", "double"}}));
  EXPECT_EQ(arch->elf.osabi, (std::vector<uint8_t>{ELFOSABI_NONE, ELFOSABI_GNU}));
  EXPECT_TRUE(arch->cflags.empty());
}

TEST(ArchParse, SyntaxErrorHasPosition) {
  EXPECT_EQ(error_of(toy_with(2, "aliases: [toy64")), "t.yaml:3:5: end of sequence flow not found");
}

TEST(ArchParse, MissingKeyIsNamed) {
  EXPECT_EQ(error_of(toy_with(19, "")), "t.yaml:1:1: missing required key 'page_size'");
  EXPECT_EQ(error_of(toy_with(12, "")), "t.yaml:11:5: missing required key 'libc.musl.loader'");
  // Reported at the mapping that lacks it: its first key, now `endian` on line 5.
  EXPECT_EQ(error_of(toy_with(5, "")), "t.yaml:5:3: missing required key 'elf.class'");
  EXPECT_EQ(error_of(toy_with(13, "")), "t.yaml:11:5: missing required key 'libc.musl.libdirs'");
  EXPECT_EQ(error_of(toy_with(21, "  cflags: [-mfoo]")),
            "t.yaml:21:3: missing required key 'compiler.llvm_target'");
}

TEST(ArchParse, TheKernelFragmentIsAFileBesideTheArchFile) {
  TempDir dir;
  dir.write("toy.kconfig", "CONFIG_SERIAL_TOY=y\n");
  const std::string with_fragment = toy_with(15, "  arch: toy\n  image: arch/toy/boot/Image\n  config: toy.kconfig");
  auto arch = parse_arch(with_fragment, dir.path() + "/toy.yaml");
  ASSERT_TRUE(arch.ok()) << arch.error().message();
  EXPECT_EQ(arch->kernel_image, "arch/toy/boot/Image");
  EXPECT_EQ(arch->kernel_config, dir.path() + "/toy.kconfig");
  auto missing = parse_arch(toy_with(15, "  arch: toy\n  config: none.kconfig"), dir.path() + "/toy.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), dir.path() + "/toy.yaml:16:11: 'config' must name a file beside toy.yaml, and " +
                                           dir.path() + "/none.kconfig is not one");
  auto elsewhere = parse_arch(toy_with(15, "  arch: toy\n  config: ../toy.kconfig"), dir.path() + "/toy.yaml");
  EXPECT_FALSE(elsewhere.ok());
}

TEST(ArchParse, UnknownKeyIsNamed) {
  EXPECT_EQ(error_of(toy_with(19, "pagesize: 8192")),
            "t.yaml:19:1: unknown key 'pagesize' (known keys: name, aliases, description, tier, "
            "elf, libc, kernel, qemu, page_size, compiler, meson_cpu_family)");
  EXPECT_EQ(
      error_of(toy_with(17, "  usr: qemu-toy")),
      "t.yaml:17:3: unknown key 'qemu.usr' (known keys: user, system, machine, cpu, console, firmware)");
}

TEST(ArchParse, BadValuesAreNamed) {
  EXPECT_EQ(error_of(toy_with(5, "  class: 48")), "t.yaml:5:10: 'elf.class' must be 32 or 64");
  EXPECT_EQ(error_of(toy_with(6, "  endian: sideways")),
            "t.yaml:6:11: 'elf.endian' must be little or big, not 'sideways'");
  EXPECT_EQ(error_of(toy_with(7, "  machine: EM_VAX11")),
            "t.yaml:7:12: 'elf.machine' must be an EM_ name or a number, not 'EM_VAX11'");
  EXPECT_EQ(error_of(toy_with(3, "tier: 7")), "t.yaml:3:7: 'tier' must be 1, 2 or 3, not 7");
  EXPECT_EQ(error_of(toy_with(3, "tier: one")),
            "t.yaml:3:7: 'tier' must be a whole number, not 'one'");
  EXPECT_EQ(error_of(toy_with(19, "page_size: 3000")),
            "t.yaml:19:12: 'page_size' must be a power of two");
  EXPECT_EQ(error_of(toy_with(21, "  llvm_target: sparc-v9")),
            "t.yaml:21:16: 'compiler.llvm_target' must name an LLVM backend (AArch64, RISCV, X86...), "
            "not 'sparc-v9'");
  EXPECT_EQ(error_of(toy_with(1, "name: Toy")),
            "t.yaml:1:7: 'name' must be lower-case letters, digits, '_', '-' or '.', not 'Toy'");
  EXPECT_EQ(
      error_of(toy_with(12, "    loader: lib/ld-musl-toy.so.1")),
      "t.yaml:12:13: 'libc.musl.loader' must be an absolute path, not 'lib/ld-musl-toy.so.1'");
}

TEST(ArchParse, BadFlagsAreNamed) {
  EXPECT_EQ(error_of(toy_with(8, "  flags: {decoder: sparc}")),
            "t.yaml:8:20: 'elf.flags.decoder' names no known e_flags decoder 'sparc' (known: none, "
            "arm, riscv, ppc64, mips, loongarch)");
  EXPECT_EQ(error_of(toy_with(8, "  flags: {decoder: riscv, float-abi: hardd}")),
            "t.yaml:8:38: 'elf.flags': 'float-abi' cannot be 'hardd' (one of: soft, single, "
            "double, quad)");
  EXPECT_EQ(error_of(toy_with(8, "  flags: {decoder: riscv, eabi: \"5\"}")),
            "t.yaml:8:33: 'elf.flags': decoder 'riscv' knows no property 'eabi' (known: "
            "float-abi, rvc, rve)");
  EXPECT_EQ(error_of(toy_with(8, "  flags: {decoder: none, float-abi: hard}")),
            "t.yaml:8:37: 'elf.flags': decoder 'none' knows no property 'float-abi' (known: none)");
  EXPECT_EQ(error_of(toy_with(8, "  flags: {decoder: riscv, rvc: [true]}")),
            "t.yaml:8:32: 'elf.flags.rvc' must be a single value");
}

TEST(ArchParse, RepeatedKeyIsAnError) {
  // yaml-cpp would keep the first and silently ignore the second.
  EXPECT_EQ(error_of(toy_with(13, "    libdirs: [/lib, /usr/lib]\n    loader: /lib/other.so")),
            "t.yaml:14:5: key 'loader' appears twice in the same mapping");
}

TEST(ArchParse, NotAMapping) {
  EXPECT_EQ(error_of("- just\n- a list\n"),
            "t.yaml: an arch file must be a mapping of keys to values");
}

TEST(ArchParse, ErrorsNameTheRealFile) {
  TempDir dir;
  const std::string file = dir.write("broken.yaml", toy_with(6, "  endian: sideways"));
  auto arch = load_arch_file(file);
  ASSERT_FALSE(arch.ok());
  EXPECT_EQ(arch.error().message(),
            file + ":6:11: 'elf.endian' must be little or big, not 'sideways'");
}

// --- a directory of files ----------------------------------------------------------------------

TEST(ArchRegistry, OneBadFileFailsTheWholeLoad) {
  TempDir dir;
  dir.write("toy.yaml", kToy);
  const std::string bad = dir.write("zzz.yaml", toy_with(5, "  class: 48"));
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), bad + ":5:10: 'elf.class' must be 32 or 64");
}

TEST(ArchRegistry, DuplicateNameAcrossFilesIsRejected) {
  TempDir dir;
  const std::string first = dir.write("a.yaml", kToy);
  const std::string second = dir.write("b.yaml", toy_with(2, "aliases: [other]"));
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), second + ": name 'toy' is already used by " + first);
}

TEST(ArchRegistry, DuplicateAliasAcrossFilesIsRejected) {
  TempDir dir;
  const std::string first = dir.write("a.yaml", kToy);
  // Another arch whose alias is the first one's alias.
  const std::string second = dir.write("b.yaml", toy_with(1, "name: toy2"));
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), second + ": name 'toy64' is already used by " + first);

  // An alias that is another arch's name.
  TempDir dir2;
  const std::string third = dir2.write("a.yaml", kToy);
  std::string renamed = toy_with(1, "name: zoy");
  renamed.replace(renamed.find("[toy64]"), 7, "[toy]");
  const std::string fourth = dir2.write("b.yaml", renamed);
  loaded = ArchRegistry::load_dir(dir2.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), fourth + ": name 'toy' is already used by " + third);
}

TEST(ArchRegistry, AliasRepeatingTheNameIsRejected) {
  TempDir dir;
  const std::string file = dir.write("toy.yaml", toy_with(2, "aliases: [toy64, toy]"));
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), file + ": name 'toy' is already used by this file");
}

TEST(ArchRegistry, EmptyOrMissingDirectoryIsAnError) {
  TempDir dir;
  dir.write("README", "not an arch\n");
  dir.write(".#toy.yaml", "editor lock file, not YAML: [\n");
  auto loaded = ArchRegistry::load_dir(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), dir.path() + ": no architecture files (*.yaml) found");

  auto missing = ArchRegistry::load_dir(dir.path() + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().message().starts_with(dir.path() + "/nope: cannot list"))
      << missing.error().message();
}

}  // namespace
}  // namespace xport
