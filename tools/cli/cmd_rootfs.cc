// xport rootfs --arch A [PKG...|@PROFILE] --root DIR: a root file system of built packages.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/package_setup.h"
#include "cli/toolchain_setup.h"
#include "rootfs/rootfs.h"

namespace xport::cli {

int run_rootfs(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "rootfs";
  spec.usage = "--arch ARCH [--root DIR] [options] PKG...|@PROFILE...";
  spec.about =
      "Builds the named packages as xport build does (only what is out of date), then installs\n"
      "them and everything they depend on from the repository into DIR (out/root/<arch> unless\n"
      "given), which must be absent or empty: dependencies first, each package's files checked against the others', and each\n"
      "recorded in pacman's local database (var/lib/pacman/local), so pacman on the target can\n"
      "query, check and remove them. The root is assembled in DIR.partial and renamed when done.";
  PackageRequest request;
  std::string root;
  add_package_options(spec.options, request);
  spec.options.add_options()
      ("root,r", po::value(&root), "the root directory to create (default: out/root/<arch>)")
      ("packages", po::value(&request.packages)->required(), "package names and @profiles");
  spec.positional.add("packages", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  BuiltPackages built;
  if (int exit = build_packages(global, request, built); exit != kExitOk) return exit;
  if (global.dry_run) return kExitOk;
  root = root.empty() ? default_root_dir(built.arch) : absolute_dir(root);
  auto made = make_rootfs(built.packages_dir, built.wanted, root);
  if (!made) {
    print_error(made.error());
    return kExitFailed;
  }
  std::cout << "root for " << built.arch << " in " << root << ": " << made->installed.size()
            << " packages, " << made->files << " files\n";
  return kExitOk;
}

}  // namespace xport::cli
