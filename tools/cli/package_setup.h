// What `xport build` and `xport rootfs` share: their options, and bringing the toolchain and
// the wanted packages (names and @profiles) up to date.
#pragma once

#include <string>
#include <vector>

#include "build/package_builder.h"
#include "cli/command.h"
#include "cli/options.h"

namespace xport::cli {

struct PackageRequest {
  std::string arch_name, kind_name, out, toolchain_dir;
  std::vector<std::string> packages;  // as given: names and @profiles
  PackageBuildOptions options;
};

/// --arch, --kind, --toolchain, --out, --cache, --mirror, --offline, --jobs.
void add_package_options(po::options_description& options, PackageRequest& request);

struct BuiltPackages {
  std::string arch;
  std::string packages_dir;           // the repository
  std::vector<std::string> wanted;    // the names, profiles expanded
};

/// Builds the toolchain and the packages. Returns kExitOk with `built` filled, or the exit
/// code after printing the error (kExitUsage for bad input, kExitFailed for a failed build).
int build_packages(const GlobalOptions& global, PackageRequest& request, BuiltPackages& built);

/// Builds the `linux` package (what is out of date) and unpacks its kernel image into
/// <out>/kernel/; `image` is its path. The same exit codes as build_packages.
int build_kernel(const GlobalOptions& global, PackageRequest& request, std::string& image);

}  // namespace xport::cli
