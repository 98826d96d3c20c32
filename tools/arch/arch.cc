#include "arch/arch.h"

#include <elf.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "arch/elf_flags.h"
#include "core/files.h"
#include "core/suggest.h"
#include "core/yaml_reader.h"

namespace xport {

namespace {

// Names people know from <elf.h>, so arch files can say EM_AARCH64 rather than 183.
// A machine missing here can still be given as a number.
struct NamedValue {
  const char* name;
  int64_t value;
};
constexpr NamedValue kMachines[] = {
    {"EM_386", EM_386},         {"EM_ARM", EM_ARM},         {"EM_X86_64", EM_X86_64},
    {"EM_AARCH64", EM_AARCH64}, {"EM_RISCV", EM_RISCV},     {"EM_PPC", EM_PPC},
    {"EM_PPC64", EM_PPC64},     {"EM_S390", EM_S390},       {"EM_MIPS", EM_MIPS},
    {"EM_SPARCV9", EM_SPARCV9}, {"EM_LOONGARCH", 258},      {"EM_68K", EM_68K},
    {"EM_SH", EM_SH},           {"EM_ALPHA", 0x9026},       {"EM_PARISC", EM_PARISC},
};
constexpr NamedValue kOsAbis[] = {
    {"none", ELFOSABI_NONE}, {"sysv", ELFOSABI_SYSV}, {"gnu", ELFOSABI_GNU},
    {"linux", ELFOSABI_LINUX},
};

std::optional<int64_t> named_or_number(const std::string& text, const NamedValue* table,
                                       size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (text == table[i].name) return table[i].value;
  try {
    size_t used = 0;
    int64_t value = std::stoll(text, &used, 0);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

void read_elf_identity(YamlReader elf, ElfIdentity& out) {
  elf.reject_unknown_keys({"class", "endian", "machine", "osabi", "flags"});
  out.elf_class = static_cast<int>(elf.integer("class"));
  if (elf.ok() && out.elf_class != 32 && out.elf_class != 64)
    elf.fail("'elf.class' must be 32 or 64", elf.node("class"));

  std::string endian = elf.string("endian");
  if (endian == "little") {
    out.endian = Endian::Little;
  } else if (endian == "big") {
    out.endian = Endian::Big;
  } else if (elf.ok()) {
    elf.fail("'elf.endian' must be little or big, not '" + endian + "'", elf.node("endian"));
  }

  std::string machine = elf.string("machine");
  if (elf.ok()) {
    auto value = named_or_number(machine, kMachines, std::size(kMachines));
    if (!value || *value < 0 || *value > 0xffff)
      elf.fail("'elf.machine' must be an EM_ name or a number, not '" + machine + "'",
               elf.node("machine"));
    else
      out.machine = static_cast<uint16_t>(*value);
  }

  std::vector<std::string> osabis = elf.strings("osabi");
  if (osabis.empty()) osabis = {"none", "gnu"};
  for (const std::string& name : osabis) {
    auto value = named_or_number(name, kOsAbis, std::size(kOsAbis));
    if (!value || *value < 0 || *value > 255) {
      elf.fail("'elf.osabi' has an unknown OS ABI '" + name + "'", elf.node("osabi"));
      break;
    }
    out.osabi.push_back(static_cast<uint8_t>(*value));
  }

  YamlReader flags = elf.map("flags", false);
  if (elf.has("flags")) {
    YAML::Node node = elf.node("flags");
    for (const auto& entry : node) {
      if (!entry.second.IsScalar()) {
        flags.fail("'elf.flags." + entry.first.Scalar() + "' must be a single value", entry.second);
        break;
      }
      out.flags[entry.first.Scalar()] = entry.second.Scalar();
    }
    out.flags_decoder = out.flags.count("decoder") ? out.flags["decoder"] : "";
    out.flags.erase("decoder");
    if (flags.ok()) {
      const ElfFlagsDecoder* decoder = find_elf_flags_decoder(out.flags_decoder);
      if (!decoder) {
        flags.fail("'elf.flags.decoder' names no known e_flags decoder '" + out.flags_decoder +
                       "' (known: " + join_names(elf_flags_decoder_names()) + ")",
                   node["decoder"]);
        return;
      }
      // One property at a time, so the message points at the line of the one at fault.
      for (const auto& [key, value] : out.flags) {
        if (auto problem = decoder->validate_expectations({{key, value}})) {
          flags.fail("'elf.flags': " + *problem, node[key]);
          return;
        }
      }
    }
  }
}

// Names end up in paths and command lines (toolchain directories, --arch=...).
bool valid_arch_name(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

// yaml-cpp keeps both entries of a mapping that repeats a key and lookups see only the first, so a
// second `loader:` further down would be silently ignored. Reports the first repeated key.
std::optional<std::string> find_repeated_key(const YAML::Node& node, const std::string& path) {
  if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (!seen.insert(key).second)
        return yaml_location(path, entry.first.Mark()) + ": key '" + key +
               "' appears twice in the same mapping";
      if (auto inner = find_repeated_key(entry.second, path)) return inner;
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto inner = find_repeated_key(item, path)) return inner;
  }
  return std::nullopt;
}

void read_libcs(YamlReader libc, Arch& arch) {
  libc.reject_unknown_keys({"musl", "glibc"});
  for (Libc which : {Libc::Musl, Libc::Glibc}) {
    const char* name = libc_name(which);
    if (!libc.has(name)) continue;
    YamlReader entry = libc.map(name);
    entry.reject_unknown_keys({"triple", "loader", "libdirs", "multiarch"});
    LibcInfo info;
    info.triple = entry.string("triple");
    info.loader = entry.string("loader");
    info.libdirs = entry.strings("libdirs");
    if (info.libdirs.empty() && entry.ok())
      entry.fail("missing required key 'libc." + std::string(name) + ".libdirs'");
    if (entry.ok() && !info.loader.starts_with("/"))
      entry.fail("'libc." + std::string(name) + ".loader' must be an absolute path, not '" +
                     info.loader + "'",
                 entry.node("loader"));
    for (size_t i = 0; entry.ok() && i < info.libdirs.size(); ++i)
      if (!info.libdirs[i].starts_with("/"))
        entry.fail("'libc." + std::string(name) + ".libdirs' must hold absolute paths, not '" +
                       info.libdirs[i] + "'",
                   entry.node("libdirs"));
    if (which == Libc::Glibc)
      arch.glibc_multiarch = entry.optional_string("multiarch").value_or("");
    arch.libcs[which] = std::move(info);
  }
  if (arch.libcs.empty() && libc.ok()) libc.fail("'libc' must describe musl, glibc or both");
}

}  // namespace

const char* libc_name(Libc libc) { return libc == Libc::Musl ? "musl" : "glibc"; }

std::optional<Libc> parse_libc(const std::string& name) {
  if (name == "musl") return Libc::Musl;
  if (name == "glibc" || name == "gnu") return Libc::Glibc;
  return std::nullopt;
}

const LibcInfo* Arch::libc(Libc which) const {
  auto it = libcs.find(which);
  return it == libcs.end() ? nullptr : &it->second;
}

bool Arch::matches_name(const std::string& wanted) const {
  return wanted == name || std::find(aliases.begin(), aliases.end(), wanted) != aliases.end();
}

Expected<Arch> parse_arch(const std::string& yaml_text, const std::string& path) {
  auto doc = parse_yaml(yaml_text, path);
  if (!doc) return doc.error();
  YamlReader top(*doc, path);
  if (!doc->IsMap()) return Error(path + ": an arch file must be a mapping of keys to values");
  if (auto repeated = find_repeated_key(*doc, path)) return Error(*repeated);
  top.reject_unknown_keys({"name", "aliases", "description", "tier", "elf", "libc", "kernel",
                           "qemu", "page_size", "compiler", "meson_cpu_family"});
  Arch arch;
  arch.source_file = path;
  arch.name = top.string("name");
  arch.aliases = top.strings("aliases");
  arch.description = top.optional_string("description").value_or("");
  arch.tier = static_cast<int>(top.integer("tier"));
  read_elf_identity(top.map("elf"), arch.elf);
  read_libcs(top.map("libc"), arch);

  YamlReader kernel = top.map("kernel");
  kernel.reject_unknown_keys({"arch", "image", "config"});
  arch.kernel_arch = kernel.string("arch");
  arch.kernel_image = kernel.optional_string("image").value_or("");
  // The Kconfig fragment lives beside the arch file: data of the arch, not of the recipe.
  if (auto config = kernel.optional_string("config")) {
    const std::filesystem::path beside = std::filesystem::path(path).parent_path() / *config;
    if (config->find('/') != std::string::npos || !std::filesystem::is_regular_file(beside))
      kernel.fail("'config' must name a file beside " + std::filesystem::path(path).filename().string() +
                      ", and " + beside.string() + " is not one",
                  kernel.node("config"));
    else
      arch.kernel_config = std::filesystem::absolute(beside).lexically_normal().string();
  }

  YamlReader qemu = top.map("qemu");
  qemu.reject_unknown_keys({"user", "system", "machine", "cpu", "console", "firmware"});
  arch.qemu_user = qemu.string("user");
  arch.qemu_system = qemu.string("system");
  arch.qemu_machine = qemu.optional_string("machine").value_or("");
  arch.qemu_cpu = qemu.optional_string("cpu").value_or("");
  arch.console = qemu.optional_string("console").value_or("");
  arch.qemu_firmware = qemu.optional_string("firmware").value_or("");

  arch.page_size = static_cast<uint32_t>(top.integer("page_size"));
  arch.meson_cpu_family = top.optional_string("meson_cpu_family").value_or(arch.name);
  YamlReader compiler = top.map("compiler");
  compiler.reject_unknown_keys({"llvm_target", "cflags"});
  arch.llvm_target = compiler.string("llvm_target");
  if (compiler.ok() && !std::all_of(arch.llvm_target.begin(), arch.llvm_target.end(),
                                    [](unsigned char c) { return std::isalnum(c); }))
    compiler.fail("'compiler.llvm_target' must name an LLVM backend (AArch64, RISCV, X86...), not '" +
                      arch.llvm_target + "'",
                  compiler.node("llvm_target"));
  arch.cflags = compiler.strings("cflags");

  if (top.ok() && !valid_arch_name(arch.name))
    top.fail("'name' must be lower-case letters, digits, '_', '-' or '.', not '" + arch.name + "'",
             top.node("name"));
  for (size_t i = 0; top.ok() && i < arch.aliases.size(); ++i)
    if (!valid_arch_name(arch.aliases[i]))
      top.fail("'aliases' must be lower-case letters, digits, '_', '-' or '.', not '" +
                   arch.aliases[i] + "'",
               top.node("aliases"));
  if (top.ok() && (arch.tier < 1 || arch.tier > 3))
    top.fail("'tier' must be 1, 2 or 3, not " + std::to_string(arch.tier), top.node("tier"));

  if (!top.ok()) return top.error();
  if (arch.page_size == 0 || (arch.page_size & (arch.page_size - 1)) != 0)
    return Error(yaml_location(path, (*doc)["page_size"].Mark()) +
                 ": 'page_size' must be a power of two");
  return arch;
}

Expected<Arch> load_arch_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_arch(*text, path);
}

Expected<ArchRegistry> ArchRegistry::load_dir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path& file = entry.path();
    // Hidden files are editor droppings (.#riscv64.yaml), not architectures.
    if (file.extension() == ".yaml" && !file.filename().string().starts_with("."))
      files.push_back(file.string());
  }
  if (ec) return Error(dir + ": cannot list architecture files: " + ec.message());
  std::sort(files.begin(), files.end());

  ArchRegistry registry;
  std::map<std::string, std::string> owner;  // every name and alias -> the file that claims it
  for (const std::string& file : files) {
    auto arch = load_arch_file(file);
    if (!arch) return arch.error();
    std::vector<std::string> names = {arch->name};
    names.insert(names.end(), arch->aliases.begin(), arch->aliases.end());
    for (const std::string& name : names) {
      auto [it, fresh] = owner.emplace(name, file);
      if (!fresh)
        return Error(file + ": name '" + name + "' is already used by " +
                     (it->second == file ? "this file" : it->second));
    }
    registry.add(std::move(*arch));
  }
  if (registry.arches_.empty()) return Error(dir + ": no architecture files (*.yaml) found");
  return registry;
}

void ArchRegistry::add(Arch arch) {
  arches_.push_back(std::move(arch));
  std::sort(arches_.begin(), arches_.end(),
            [](const Arch& a, const Arch& b) { return a.name < b.name; });
}

std::vector<std::string> ArchRegistry::llvm_targets() const {
  std::vector<std::string> targets;
  for (const Arch& arch : arches_) targets.push_back(arch.llvm_target);
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  return targets;
}

const Arch* ArchRegistry::find(const std::string& name) const {
  for (const Arch& arch : arches_)
    if (arch.matches_name(name)) return &arch;
  return nullptr;
}

Expected<const Arch*> ArchRegistry::require(const std::string& name) const {
  if (const Arch* arch = find(name)) return arch;
  std::string message = "unknown architecture '" + name + "'";
  if (auto close = suggest(name); !close.empty()) message += "; did you mean '" + close.front() + "'?";
  return Error(message + " (see 'xport arch list')");
}

const Arch* ArchRegistry::find_by_elf(uint16_t machine, int elf_class, Endian endian) const {
  for (const Arch& arch : arches_)
    if (arch.elf.machine == machine && arch.elf.elf_class == elf_class && arch.elf.endian == endian)
      return &arch;
  return nullptr;
}

const Arch* ArchRegistry::host() const {
  struct utsname uts;
  if (uname(&uts) != 0) return nullptr;
  return find(uts.machine);
}

std::vector<std::string> ArchRegistry::suggest(const std::string& name) const {
  std::vector<std::string> names;
  for (const Arch& arch : arches_) {
    names.push_back(arch.name);
    names.insert(names.end(), arch.aliases.begin(), arch.aliases.end());
  }
  return closest_names(name, names);
}

}  // namespace xport
