// xport toolchain --arch A: builds a cross toolchain; xport env --arch A: prints its exports.
#include <filesystem>
#include <iostream>

#include "arch/arch.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/toolchain_setup.h"
#include "recipe/recipe.h"
#include "toolchain/toolchain_builder.h"

namespace xport::cli {

int run_toolchain(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "toolchain";
  spec.usage = "--arch ARCH [options]";
  spec.about =
      "Builds a cross toolchain for ARCH from source: the host's clang and lld as the compiler,\n"
      "then the components of the toolchain kind (toolchains/<kind>.yaml), each from its recipe:\n"
      "kernel UAPI headers, musl, compiler-rt, libunwind, libc++abi and libc++. Writes wrappers\n"
      "(bin/<triple>-cc ...), a clang config file, toolchain.cmake, meson.cross, config.site and\n"
      "manifest.json. Only what changed is rebuilt; logs are in <out>/.xport/logs/.";
  std::string arch_name, kind_name, out, libc;
  ToolchainOptions options;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name)->required(), "target architecture (xport arch list)")
      ("kind", po::value(&kind_name)->default_value("llvm-musl"), "toolchain kind from toolchains/")
      ("libc", po::value(&libc)->default_value("musl"), "C library (the kind decides; only musl now)")
      ("out,o", po::value(&out), "toolchain directory (default: out/toolchain/<arch>-<libc>)")
      ("cache", po::value(&options.fetch.cache_dir), "source cache (default: $XDG_CACHE_HOME/xport)")
      ("mirror", po::value(&options.fetch.mirrors)->composing(), "a directory of source files (repeatable)")
      ("offline", po::bool_switch(&options.fetch.offline), "fetch from the cache and mirrors only")
      ("jobs,j", po::value(&options.jobs)->default_value(0), "parallel jobs inside a build (0: all cores)");
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  auto loaded = load(global, arch_name, kind_name);
  if (!loaded) return print_error(loaded.error());
  if (libc != libc_name(loaded->kind.libc))
    return print_error(Error("toolchain kind " + kind_name + " builds for " + libc_name(loaded->kind.libc) +
                             ", not " + libc));
  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  options.out_dir = absolute_dir(out.empty() ? default_toolchain_dir(*loaded->arch, loaded->kind.libc) : out);
  options.dry_run = global.dry_run;
  options.llvm_targets = loaded->arches.llvm_targets();
  options.fetch.log = [](const std::string& line) { std::cerr << "xport toolchain: " << line << "\n"; };
  ToolchainBuilder builder(*loaded->arch, loaded->kind, *recipes, loaded->llvm, options);
  if (Status built = builder.build(); !built.ok()) return print_error(built.error());
  if (!global.dry_run)
    std::cout << "toolchain for " << builder.layout().triple() << " in " << options.out_dir << "\n"
              << "use it with: eval \"$(xport env --arch " << loaded->arch->name << " --out " << options.out_dir
              << ")\"\n";
  return kExitOk;
}

int run_env(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "env";
  spec.usage = "--arch ARCH [--out DIR]";
  spec.about = "Prints shell exports (CC, CXX, AR, PKG_CONFIG, ...) for a built toolchain, for eval.\n"
               "Also unsets the variables through which the host leaks in (CPATH, LIBRARY_PATH...).";
  std::string arch_name, kind_name, out;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name)->required(), "target architecture")
      ("kind", po::value(&kind_name)->default_value("llvm-musl"), "toolchain kind from toolchains/")
      ("out,o", po::value(&out), "toolchain directory (default: out/toolchain/<arch>-<libc>)");
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  auto loaded = load(global, arch_name, kind_name);
  if (!loaded) return print_error(loaded.error());
  ToolchainLayout layout;
  layout.arch = loaded->arch;
  layout.libc = loaded->arch->libc(loaded->kind.libc);
  layout.kind = &loaded->kind;
  layout.llvm = &loaded->llvm;
  if (!layout.libc) return print_error(Error(loaded->arch->name + " has no musl port"));
  layout.dir = absolute_dir(out.empty() ? default_toolchain_dir(*loaded->arch, loaded->kind.libc) : out);
  if (!std::filesystem::exists(layout.dir + "/manifest.json"))
    return print_error(Error(layout.dir + ": no toolchain there; run 'xport toolchain --arch " + arch_name + "'"));
  std::cout << toolchain_exports(layout);
  return kExitOk;
}

}  // namespace xport::cli
