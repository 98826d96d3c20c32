// Architectures are data: each arch/<name>.yaml becomes one Arch. Nothing in xport switches on an
// architecture's name; code reads these fields instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

enum class Libc { Musl, Glibc };
const char* libc_name(Libc libc);
std::optional<Libc> parse_libc(const std::string& name);

enum class Endian { Little, Big };

/// What one C library needs to know about an architecture.
struct LibcInfo {
  std::string triple;                // LLVM triple, e.g. aarch64-linux-musl
  std::string loader;                // PT_INTERP, e.g. /lib/ld-musl-aarch64.so.1
  std::vector<std::string> libdirs;  // the loader's default search path, in order
};

/// The ELF identity a binary for this architecture must carry.
struct ElfIdentity {
  int elf_class = 0;  // 32 or 64
  Endian endian = Endian::Little;
  uint16_t machine = 0;             // e_machine
  std::vector<uint8_t> osabi;       // accepted EI_OSABI values
  std::string flags_decoder;        // name of the e_flags decoder ("" = none: no ABI in e_flags)
  std::map<std::string, std::string> flags;  // what the decoder must find, e.g. float-abi: hard
};

struct Arch {
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  int tier = 3;
  ElfIdentity elf;
  std::map<Libc, LibcInfo> libcs;
  std::string glibc_multiarch;  // Debian multiarch tuple, e.g. aarch64-linux-gnu
  std::string kernel_arch;      // Linux ARCH=
  std::string kernel_image;     // what the kernel build makes, relative to its build dir ("" = no kernel yet)
  std::string kernel_config;    // absolute path of the arch's Kconfig fragment ("" = none)
  std::string qemu_user;
  std::string qemu_system;
  std::string qemu_machine;
  std::string qemu_cpu;
  std::string console;
  std::string qemu_firmware;    // qemu-system's -bios ("" = the machine's default)
  uint32_t page_size = 4096;
  std::string meson_cpu_family;     // Meson's name for the CPU family (default: the arch name)
  std::string llvm_target;          // its LLVM backend, as llvm/Config/Targets.def names it
  std::vector<std::string> cflags;  // per-arch compiler quirks, e.g. -mno-relax
  std::string source_file;          // the YAML file it came from

  /// The LibcInfo for `libc`, or nullptr when this arch has no such port.
  const LibcInfo* libc(Libc libc) const;
  bool matches_name(const std::string& name) const;
};

/// Parses one arch file. Errors name the file, line and column and the key at fault.
Expected<Arch> load_arch_file(const std::string& path);
/// Parses arch YAML text; `path` is only used in messages.
Expected<Arch> parse_arch(const std::string& yaml_text, const std::string& path);

/// All architectures of a data directory, sorted by name.
class ArchRegistry {
 public:
  /// Loads every *.yaml in `dir`. Any malformed file fails the whole load.
  static Expected<ArchRegistry> load_dir(const std::string& dir);

  void add(Arch arch);
  const std::vector<Arch>& all() const { return arches_; }
  /// The LLVM backends of all of them, sorted, each once: what a compiler for every port needs.
  std::vector<std::string> llvm_targets() const;
  /// Finds an arch by name or alias.
  const Arch* find(const std::string& name) const;
  /// The same, or an Error that names the closest known arch ("did you mean").
  Expected<const Arch*> require(const std::string& name) const;
  /// Finds the arch whose ELF identity has this machine, class and byte order.
  const Arch* find_by_elf(uint16_t machine, int elf_class, Endian endian) const;
  /// The arch of the machine xport runs on (from uname), if there is a file for it.
  const Arch* host() const;
  /// Names close to a misspelt one, for "did you mean".
  std::vector<std::string> suggest(const std::string& name) const;

 private:
  std::vector<Arch> arches_;
};

}  // namespace xport
