// xport arch list | show NAME [--format text|json]
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <iomanip>
#include <iostream>

#include "arch/arch.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/suggest.h"

namespace xport::cli {

namespace {

const char* endian_name(Endian endian) { return endian == Endian::Little ? "little" : "big"; }

void print_arch_json(const Arch& arch) {
  llvm::json::OStream json(llvm::outs(), 2);
  json.object([&] {
    json.attribute("name", arch.name);
    json.attributeArray("aliases", [&] {
      for (const auto& alias : arch.aliases) json.value(alias);
    });
    json.attribute("description", arch.description);
    json.attribute("tier", arch.tier);
    json.attributeObject("elf", [&] {
      json.attribute("class", arch.elf.elf_class);
      json.attribute("endian", endian_name(arch.elf.endian));
      json.attribute("machine", arch.elf.machine);
      json.attributeArray("osabi", [&] {
        for (uint8_t abi : arch.elf.osabi) json.value(abi);
      });
      json.attributeObject("flags", [&] {
        json.attribute("decoder", arch.elf.flags_decoder.empty() ? "none" : arch.elf.flags_decoder);
        for (const auto& [key, value] : arch.elf.flags) json.attribute(key, value);
      });
    });
    json.attributeObject("libc", [&] {
      for (const auto& [libc, info] : arch.libcs) {
        json.attributeObject(libc_name(libc), [&] {
          json.attribute("triple", info.triple);
          json.attribute("loader", info.loader);
          json.attributeArray("libdirs", [&] {
            for (const auto& dir : info.libdirs) json.value(dir);
          });
        });
      }
    });
    json.attribute("glibc_multiarch", arch.glibc_multiarch);
    json.attribute("kernel_arch", arch.kernel_arch);
    json.attribute("kernel_image", arch.kernel_image);
    json.attribute("kernel_config", arch.kernel_config);
    json.attributeObject("qemu", [&] {
      json.attribute("user", arch.qemu_user);
      json.attribute("system", arch.qemu_system);
      json.attribute("machine", arch.qemu_machine);
      json.attribute("cpu", arch.qemu_cpu);
      json.attribute("console", arch.console);
      json.attribute("firmware", arch.qemu_firmware);
    });
    json.attribute("page_size", arch.page_size);
    json.attribute("llvm_target", arch.llvm_target);
    json.attributeArray("cflags", [&] {
      for (const auto& flag : arch.cflags) json.value(flag);
    });
    json.attribute("source_file", arch.source_file);
  });
  llvm::outs() << "\n";
  llvm::outs().flush();
}

void print_arch_text(const Arch& arch) {
  auto row = [](const char* key, const std::string& value) {
    std::cout << std::left << std::setw(16) << key << value << "\n";
  };
  row("name", arch.name);
  row("aliases", join_names(arch.aliases));
  row("description", arch.description);
  row("tier", std::to_string(arch.tier));
  row("elf", "ELF" + std::to_string(arch.elf.elf_class) + ", " + endian_name(arch.elf.endian) +
                  "-endian, e_machine " + std::to_string(arch.elf.machine));
  std::string flags = arch.elf.flags_decoder.empty() ? "none" : arch.elf.flags_decoder;
  for (const auto& [key, value] : arch.elf.flags) flags += ", " + key + "=" + value;
  row("e_flags", flags);
  for (const auto& [libc, info] : arch.libcs) {
    row(libc_name(libc), info.triple + ", loader " + info.loader);
    row("", "libdirs " + join_names(info.libdirs, ":"));
  }
  row("kernel ARCH", arch.kernel_arch);
  row("qemu", arch.qemu_user + ", " + arch.qemu_system + " -M " + arch.qemu_machine +
                  (arch.qemu_cpu.empty() ? "" : " -cpu " + arch.qemu_cpu));
  row("console", arch.console);
  if (!arch.kernel_image.empty()) row("kernel image", arch.kernel_image);
  if (!arch.kernel_config.empty()) row("kernel config", arch.kernel_config);
  if (!arch.qemu_firmware.empty()) row("firmware", arch.qemu_firmware);
  row("page size", std::to_string(arch.page_size));
  row("llvm target", arch.llvm_target);
  if (!arch.cflags.empty()) row("cflags", join_names(arch.cflags, " "));
  row("file", arch.source_file);
}

}  // namespace

int run_arch(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "arch";
  spec.usage = "list | show NAME [--format text|json]";
  spec.about = "Architectures are data: one YAML file per architecture in " + global.data_dir +
               "/arch.\nAdding an architecture is adding a file (see docs/arch.md).";
  std::string format;
  std::vector<std::string> words;
  spec.options.add_options()(
      "format", po::value(&format)->default_value("text"), "text or json")(
      "words", po::value(&words), "list, or show NAME");
  spec.positional.add("words", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  if (format != "text" && format != "json")
    return print_error(Error("--format must be text or json, not '" + format + "'"));

  auto registry = ArchRegistry::load_dir(global.data_dir + "/arch");
  if (!registry) return print_error(registry.error());

  if (words.empty() || (words[0] == "list" && words.size() == 1)) {
    if (format == "json") {
      llvm::json::OStream json(llvm::outs(), 2);
      json.array([&] {
        for (const Arch& arch : registry->all())
          json.object([&] {
            json.attribute("name", arch.name);
            json.attribute("tier", arch.tier);
            json.attribute("description", arch.description);
          });
      });
      llvm::outs() << "\n";
      llvm::outs().flush();
      return kExitOk;
    }
    for (const Arch& arch : registry->all())
      std::cout << std::left << std::setw(12) << arch.name << "tier " << arch.tier << "  "
                << arch.description << "\n";
    return kExitOk;
  }
  if (words[0] == "show" && words.size() == 2) {
    auto arch = registry->require(words[1]);
    if (!arch) return print_error(arch.error());
    if (format == "json") print_arch_json(**arch);
    else print_arch_text(**arch);
    return kExitOk;
  }
  std::cerr << "usage: xport arch " << spec.usage << "\n";
  return kExitUsage;
}

}  // namespace xport::cli
