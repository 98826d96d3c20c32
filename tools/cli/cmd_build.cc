// xport build --arch A [PKG...]: packages cross-built from recipes with the arch's toolchain.
#include <filesystem>
#include <iostream>
#include <thread>

#include "build/package_builder.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/toolchain_setup.h"
#include "recipe/recipe.h"
#include "toolchain/toolchain_builder.h"

namespace xport::cli {

int run_build(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "build";
  spec.usage = "--arch ARCH [options] [PKG...]";
  spec.about =
      "Cross-compiles the named packages (every recipe when none is named) and what they need to\n"
      "build, in dependency order, with the arch's toolchain (built or brought up to date first).\n"
      "Each recipe's phases run in a scrubbed environment with a log each; its files become\n"
      "pacman packages that must pass xport inspect (the recipe's waivers applied) before they are\n"
      "published to <out>/packages with the repository database xport.db. A package is rebuilt\n"
      "only when its recipe, patches, toolchain or build dependencies changed. -n prints the plan.";
  std::string arch_name, kind_name, out, toolchain_dir;
  std::vector<std::string> packages;
  PackageBuildOptions options;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name)->required(), "target architecture (xport arch list)")
      ("kind", po::value(&kind_name)->default_value("llvm-musl"), "toolchain kind from toolchains/")
      ("toolchain", po::value(&toolchain_dir), "toolchain directory (default: out/toolchain/<arch>-<libc>)")
      ("out,o", po::value(&out), "packages and build state (default: out/build/<arch>)")
      ("cache", po::value(&options.fetch.cache_dir), "source cache (default: $XDG_CACHE_HOME/xport)")
      ("mirror", po::value(&options.fetch.mirrors)->composing(), "a directory of source files (repeatable)")
      ("offline", po::bool_switch(&options.fetch.offline), "fetch from the cache and mirrors only")
      ("jobs,j", po::value(&options.jobs)->default_value(0), "parallel jobs inside a build (0: all cores)")
      ("packages", po::value(&packages), "package names");
  spec.positional.add("packages", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  auto loaded = load(global, arch_name, kind_name);
  if (!loaded) return print_error(loaded.error());
  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  if (options.jobs == 0) options.jobs = std::max(1u, std::thread::hardware_concurrency());
  options.fetch.log = [](const std::string& line) { std::cerr << "xport build: " << line << "\n"; };
  options.dry_run = global.dry_run;

  ToolchainOptions toolchain_options;
  toolchain_options.out_dir = absolute_dir(
      toolchain_dir.empty() ? default_toolchain_dir(*loaded->arch, loaded->kind.libc) : toolchain_dir);
  toolchain_options.fetch = options.fetch;
  toolchain_options.jobs = options.jobs;
  toolchain_options.dry_run = global.dry_run;
  ToolchainBuilder toolchain(*loaded->arch, loaded->kind, *recipes, loaded->llvm, toolchain_options);
  if (Status built = toolchain.build(); !built.ok()) return print_error(built.error());

  options.out_dir = absolute_dir(out.empty() ? "out/build/" + loaded->arch->name : out);
  PackageBuilder builder(loaded->arches, toolchain.layout(), *recipes, loaded->kind.components, options);
  if (Status built = builder.build(packages); !built.ok()) {
    print_error(built.error());
    return kExitFailed;
  }
  if (!global.dry_run) std::cout << "packages for " << loaded->arch->name << " in " << builder.packages_dir() << "\n";
  return kExitOk;
}

}  // namespace xport::cli
