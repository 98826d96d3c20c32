#include "cli/toolchain_setup.h"

#include <filesystem>

namespace xport::cli {

std::string absolute_dir(const std::string& dir) {
  std::string absolute = std::filesystem::absolute(dir).lexically_normal().string();
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  return absolute;
}

std::string default_root_dir(const std::string& arch_name) { return absolute_dir("out/root/" + arch_name); }

Expected<LoadedArch> load_arch(const GlobalOptions& global, const std::string& arch_name) {
  LoadedArch loaded;
  auto arches = ArchRegistry::load_dir(global.data_dir + "/arch");
  if (!arches) return arches.error();
  loaded.arches = std::move(*arches);
  auto arch = loaded.arches.require(arch_name);
  if (!arch) return arch.error();
  loaded.arch = *arch;
  return loaded;
}

Expected<Loaded> load(const GlobalOptions& global, const std::string& arch_name,
                      const std::string& kind_name) {
  auto arch = load_arch(global, arch_name);
  if (!arch) return arch.error();
  Loaded loaded;
  loaded.arches = std::move(arch->arches);
  loaded.arch = arch->arch;
  auto kind = load_toolchain_kind(global.data_dir + "/toolchains/" + kind_name + ".yaml");
  if (!kind) return kind.error();
  loaded.kind = std::move(*kind);
  auto llvm = find_host_llvm(loaded.kind.llvm_versions);
  if (!llvm) return llvm.error();
  loaded.llvm = std::move(*llvm);
  return loaded;
}

}  // namespace xport::cli
