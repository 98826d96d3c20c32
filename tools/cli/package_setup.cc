#include "cli/package_setup.h"

#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/toolchain_setup.h"
#include "package/package_install.h"
#include "recipe/profile.h"
#include "recipe/recipe.h"
#include "toolchain/toolchain_builder.h"

namespace xport::cli {

void add_package_options(po::options_description& options, PackageRequest& request) {
  options.add_options()
      ("arch,a", po::value(&request.arch_name)->required(), "target architecture (xport arch list)")
      ("kind", po::value(&request.kind_name)->default_value("llvm-musl"), "toolchain kind from toolchains/")
      ("toolchain", po::value(&request.toolchain_dir), "toolchain directory (default: out/toolchain/<arch>-<libc>)")
      ("out,o", po::value(&request.out), "packages and build state (default: out/build/<arch>)")
      ("cache", po::value(&request.options.fetch.cache_dir), "source cache (default: $XDG_CACHE_HOME/xport)")
      ("mirror", po::value(&request.options.fetch.mirrors)->composing(), "a directory of source files (repeatable)")
      ("offline", po::bool_switch(&request.options.fetch.offline), "fetch from the cache and mirrors only")
      ("jobs,j", po::value(&request.options.jobs)->default_value(0), "parallel jobs inside a build (0: all cores)");
}

int build_packages(const GlobalOptions& global, PackageRequest& request, BuiltPackages& built) {
  auto loaded = load(global, request.arch_name, request.kind_name);
  if (!loaded) return print_error(loaded.error());
  const std::string recipes_dir = global.data_dir + "/recipes";
  auto recipes = RecipeSet::load_dir(recipes_dir);
  if (!recipes) return print_error(recipes.error());
  auto profiles = ProfileSet::load_dir(recipes_dir);
  if (!profiles) return print_error(profiles.error());
  auto wanted = profiles->expand(request.packages);
  if (!wanted) return print_error(wanted.error());

  PackageBuildOptions& options = request.options;
  if (options.jobs == 0) options.jobs = std::max(1u, std::thread::hardware_concurrency());
  options.fetch.log = [](const std::string& line) { std::cerr << "xport: " << line << "\n"; };
  options.dry_run = global.dry_run;

  ToolchainOptions toolchain_options;
  toolchain_options.out_dir = absolute_dir(request.toolchain_dir.empty()
                                               ? default_toolchain_dir(*loaded->arch, loaded->kind.libc)
                                               : request.toolchain_dir);
  toolchain_options.fetch = options.fetch;
  toolchain_options.jobs = options.jobs;
  toolchain_options.dry_run = global.dry_run;
  toolchain_options.llvm_targets = loaded->arches.llvm_targets();
  ToolchainBuilder toolchain(*loaded->arch, loaded->kind, *recipes, loaded->llvm, toolchain_options);
  if (Status made = toolchain.build(); !made.ok()) {
    print_error(made.error());
    return kExitFailed;
  }

  options.out_dir = absolute_dir(request.out.empty() ? "out/build/" + loaded->arch->name : request.out);
  PackageBuilder builder(loaded->arches, toolchain.layout(), *recipes, loaded->kind.components, options);
  if (Status made = builder.build(*wanted); !made.ok()) {
    print_error(made.error());
    return kExitFailed;
  }
  built.arch = loaded->arch->name;
  built.packages_dir = builder.packages_dir();
  built.wanted = std::move(*wanted);
  return kExitOk;
}

int build_kernel(const GlobalOptions& global, PackageRequest& request, std::string& image) {
  request.packages = {"linux"};
  BuiltPackages built;
  if (int exit = build_packages(global, request, built); exit != kExitOk) return exit;
  const std::string kernel_dir = std::filesystem::path(built.packages_dir).parent_path().string() + "/kernel";
  image = kernel_dir + "/boot/vmlinuz";
  if (global.dry_run) return kExitOk;
  std::string package;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(built.packages_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("linux-") && name.ends_with(".pkg.tar.zst") && !name.starts_with("linux-headers-"))
      package = entry.path().string();
  }
  if (package.empty()) return print_error(Error(built.packages_dir + ": no linux package after the build"));
  // Unpacked anew each time: the package is the kernel's only record.
  std::filesystem::remove_all(kernel_dir, ec);
  std::filesystem::create_directories(kernel_dir, ec);
  if (auto installed = install_package_files(package, kernel_dir); !installed) {
    print_error(installed.error());
    return kExitFailed;
  }
  if (!std::filesystem::is_regular_file(image))
    return print_error(Error(package + ": no boot/vmlinuz in the package"));
  return kExitOk;
}

}  // namespace xport::cli
