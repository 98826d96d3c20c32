// xport build --arch A [PKG...|@PROFILE]: packages cross-built from recipes with the arch's toolchain.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/package_setup.h"

namespace xport::cli {

int run_build(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "build";
  spec.usage = "--arch ARCH [options] [PKG...|@PROFILE...]";
  spec.about =
      "Cross-compiles the named packages (every recipe when none is named; @name for a profile in\n"
      "recipes/profiles/) and what they need to build and to run, in dependency order, with the\n"
      "arch's toolchain (built or brought up to date first; its components are packaged from it).\n"
      "Each recipe's phases run in a scrubbed environment with a log each; its files become\n"
      "pacman packages that must pass xport inspect (the recipe's waivers applied) before they are\n"
      "published to <out>/packages with the repository database xport.db. A package is rebuilt\n"
      "only when its recipe, patches, toolchain or build dependencies changed. -n prints the plan.";
  PackageRequest request;
  add_package_options(spec.options, request);
  spec.options.add_options()("packages", po::value(&request.packages), "package names and @profiles");
  spec.positional.add("packages", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  BuiltPackages built;
  if (int exit = build_packages(global, request, built); exit != kExitOk) return exit;
  if (!global.dry_run) std::cout << "packages for " << built.arch << " in " << built.packages_dir << "\n";
  return kExitOk;
}

}  // namespace xport::cli
