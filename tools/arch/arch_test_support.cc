#include "arch/arch_test_support.h"

#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/process.h"

namespace xport::arch_test {

namespace fs = std::filesystem;

namespace {

// Passing a double makes the float ABI visible (VFP registers or not) without needing any
// soft-float helper from a runtime library, so it links freestanding under every float ABI.
constexpr const char* kSource =
    "double pass(double x) { return x; }\n"
    "int add(int a, int b) { return a + b; }\n"
    "void _start(void) { for (;;) {} }\n";

}  // namespace

std::string data_dir() {
  const char* env = std::getenv("XPORT_DATA_DIR");
  return env && *env ? env : XPORT_SOURCE_DATA_DIR;
}

const ArchRegistry& registry() {
  static const ArchRegistry loaded = [] {
    auto arches = ArchRegistry::load_dir(data_dir() + "/arch");
    EXPECT_TRUE(arches.ok()) << arches.error().message();
    return arches.ok() ? std::move(*arches) : ArchRegistry();
  }();
  return loaded;
}

std::optional<ObjectFacts> read_object(const std::string& path) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    ADD_FAILURE() << "libelf is unusable";
    return std::nullopt;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ADD_FAILURE() << path << ": cannot open";
    return std::nullopt;
  }
  std::optional<ObjectFacts> result;
  Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
  GElf_Ehdr ehdr;
  size_t raw_size = 0;
  const char* raw = elf ? elf_rawfile(elf, &raw_size) : nullptr;
  if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr) || !raw) {
    ADD_FAILURE() << path << ": not an ELF file: " << elf_errmsg(-1);
  } else {
    ObjectFacts facts;
    facts.elf_class = ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
    facts.endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB ? Endian::Big : Endian::Little;
    facts.machine = ehdr.e_machine;
    facts.flags = ehdr.e_flags;
    size_t phnum = 0;
    elf_getphdrnum(elf, &phnum);
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, static_cast<int>(i), &phdr) && phdr.p_type == PT_INTERP &&
          phdr.p_offset + phdr.p_filesz <= raw_size)
        facts.interp =
            std::string(raw + phdr.p_offset, strnlen(raw + phdr.p_offset, phdr.p_filesz));
    }
    size_t shstrndx = 0;
    elf_getshdrstrndx(elf, &shstrndx);
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr shdr;
      if (!gelf_getshdr(scn, &shdr)) continue;
      const char* name = elf_strptr(elf, shstrndx, shdr.sh_name);
      if (!name || std::string(name) != ".ARM.attributes") continue;
      if (Elf_Data* data = elf_rawdata(scn, nullptr); data && data->d_buf)
        facts.arm_attributes.assign(static_cast<const char*>(data->d_buf), data->d_size);
    }
    result = facts;
  }
  if (elf) elf_end(elf);
  close(fd);
  return result;
}

Compiled compile(const std::string& triple, const std::string& source, const std::string& output,
                 bool link, const std::vector<std::string>& flags) {
  const std::string clang = find_program("clang-16");
  const std::string lld = find_program("ld.lld-16");
  if (clang.empty() || (link && lld.empty())) {
    // A missing compiler is a broken test machine, never a reason to pass.
    ADD_FAILURE() << "clang-16 and ld.lld-16 must be in PATH to make these tests' objects";
    return {false, "no compiler"};
  }
  fs::create_directories(fs::path(output).parent_path());
  const std::string source_file = output + ".c";
  std::ofstream(source_file) << source;
  std::vector<std::string> argv = {clang, "--target=" + triple, "-O1", "-ffreestanding", "-fPIC"};
  argv.push_back("-Wno-unused-command-line-argument");
  if (link)
    argv.insert(argv.end(), {"-nostdlib", "-pie", "-fuse-ld=lld", "--ld-path=" + lld});
  else
    argv.push_back("-c");
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-o", output, source_file});
  auto result = run_process(argv);
  fs::remove(source_file);
  if (!result) return {false, result.error().message()};
  return {result->exit_code == 0, quote_command(argv) + "\n" + result->output};
}

std::optional<ObjectFacts> compile_and_read(const std::string& triple, const std::string& output,
                                            bool link, const std::vector<std::string>& flags) {
  Compiled compiled = compile(triple, kSource, output, link, flags);
  if (!compiled.ok) {
    ADD_FAILURE() << "compiling for " << triple << " failed:\n" << compiled.output;
    return std::nullopt;
  }
  return read_object(output);
}

}  // namespace xport::arch_test
