#include "toolchain/toolchain_kind.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/files.h"
#include "core/process.h"
#include "core/suggest.h"
#include "core/yaml_reader.h"

namespace xport {

namespace fs = std::filesystem;

ToolchainArchQuirks ToolchainKind::quirks_for(const Arch& arch) const {
  auto it = arch_quirks.find(arch.name);
  return it == arch_quirks.end() ? ToolchainArchQuirks{} : it->second;
}

Expected<ToolchainKind> parse_toolchain_kind(const std::string& yaml_text, const std::string& path) {
  auto doc = parse_yaml(yaml_text, path);
  if (!doc) return doc.error();
  if (!doc->IsMap()) return Error(path + ": a toolchain file must be a mapping of keys to values");
  YamlReader top(*doc, path);
  top.reject_unknown_keys({"name", "description", "libc", "llvm_versions", "host_components",
                           "clang", "lld", "ar", "ranlib", "components", "arch"});
  ToolchainKind kind;
  kind.source_file = path;
  kind.name = top.string("name");
  kind.description = top.optional_string("description").value_or("");
  const std::string libc = top.string("libc");
  if (top.ok()) {
    auto parsed = parse_libc(libc);
    if (!parsed) top.fail("'libc' must be musl or glibc, not '" + libc + "'", top.node("libc"));
    else kind.libc = *parsed;
  }
  for (const std::string& version : top.strings("llvm_versions")) {
    try {
      kind.llvm_versions.push_back(std::stoi(version));
    } catch (const std::exception&) {
      top.fail("'llvm_versions' must list whole numbers, not '" + version + "'", top.node("llvm_versions"));
    }
  }
  if (top.ok() && kind.llvm_versions.empty()) top.fail("missing required key 'llvm_versions'");
  kind.components = top.strings("components");
  if (top.ok() && kind.components.empty()) top.fail("missing required key 'components'");
  kind.host_components = top.strings("host_components");
  for (const std::string& name : kind.host_components)
    if (std::find(kind.components.begin(), kind.components.end(), name) != kind.components.end())
      top.fail("'" + name + "' is both a host component and a component", top.node("host_components"));
  for (auto [key, field] : {std::pair{"clang", &kind.clang}, std::pair{"lld", &kind.lld},
                            std::pair{"ar", &kind.ar}, std::pair{"ranlib", &kind.ranlib}}) {
    *field = top.optional_string(key).value_or("");
    if (!field->empty() && (field->front() == '/' || field->find("..") != std::string::npos))
      top.fail("'" + std::string(key) + "' is a path inside the toolchain directory, not '" + *field + "'",
               top.node(key));
    else if (!field->empty() && kind.host_components.empty())
      top.fail("'" + std::string(key) + "' names a program in the toolchain, but no host_components install one",
               top.node(key));
  }
  if (top.has("arch")) {
    for (const auto& entry : top.node("arch")) {
      YamlReader quirks = top.child(entry.second, "arch." + entry.first.Scalar());
      quirks.reject_unknown_keys({"linker", "linker_package", "cflags", "unsupported"});
      ToolchainArchQuirks q;
      q.linker = quirks.optional_string("linker").value_or("");
      q.linker_package = quirks.optional_string("linker_package").value_or("");
      q.cflags = quirks.strings("cflags");
      q.unsupported = quirks.optional_string("unsupported").value_or("");
      kind.arch_quirks[entry.first.Scalar()] = q;
    }
  }
  if (!top.ok()) return top.error();
  return kind;
}

Expected<ToolchainKind> load_toolchain_kind(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_toolchain_kind(*text, path);
}

Expected<HostLlvm> find_host_llvm(const std::vector<int>& versions) {
  std::string missing;
  for (int version : versions) {
    HostLlvm llvm;
    llvm.version = version;
    llvm.bin_dir = "/usr/lib/llvm-" + std::to_string(version) + "/bin";
    struct Tool {
      std::string* field;
      const char* name;
      const char* package;
    } tools[] = {
        {&llvm.clang, "clang", "clang"},         {&llvm.clangxx, "clang++", "clang"},
        {&llvm.lld, "ld.lld", "lld"},            {&llvm.ar, "llvm-ar", "llvm"},
        {&llvm.nm, "llvm-nm", "llvm"},           {&llvm.ranlib, "llvm-ranlib", "llvm"},
        {&llvm.strip, "llvm-strip", "llvm"},     {&llvm.objcopy, "llvm-objcopy", "llvm"},
        {&llvm.objdump, "llvm-objdump", "llvm"}, {&llvm.readelf, "llvm-readelf", "llvm"},
    };
    std::vector<std::string> absent;
    for (Tool& tool : tools) {
      const std::string path = llvm.bin_dir + "/" + tool.name;
      if (access(path.c_str(), X_OK) != 0) {
        absent.push_back(std::string(tool.name) + " (Debian package " + tool.package + "-" +
                         std::to_string(version) + ")");
        continue;
      }
      *tool.field = path;
    }
    if (!absent.empty()) {
      missing += "\n  LLVM " + std::to_string(version) + ": no " + join_names(absent);
      continue;
    }
    auto banner = run_process({llvm.clang, "--version"});
    auto resource = run_process({llvm.clang, "-print-resource-dir"});
    if (!banner || banner->exit_code != 0 || !resource || resource->exit_code != 0) {
      missing += "\n  LLVM " + std::to_string(version) + ": " + llvm.clang + " does not run";
      continue;
    }
    llvm.version_string = banner->output.substr(0, banner->output.find('\n'));
    llvm.resource_dir = resource->output.substr(0, resource->output.find('\n'));
    return llvm;
  }
  return Error("no usable host LLVM:" + missing);
}

}  // namespace xport
