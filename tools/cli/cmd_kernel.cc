// xport kernel --arch A: the Linux kernel for the arch, from the linux recipe and the arch's
// Kconfig fragment (arch/<arch>.kconfig), built as a package like any other.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/package_setup.h"

namespace xport::cli {

int run_kernel(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "kernel";
  spec.usage = "--arch ARCH [options]";
  spec.about =
      "Builds the linux package for ARCH as xport build does (only when it is out of date):\n"
      "tinyconfig, the recipe's options and the arch's fragment (kernel.config in the arch file),\n"
      "every option checked to have been taken, built with the toolchain's LLVM. Unpacks the image\n"
      "into <out>/kernel/boot/vmlinuz (its .config beside it) and prints its path.";
  PackageRequest request;
  add_package_options(spec.options, request);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  std::string image;
  if (int exit = build_kernel(global, request, image); exit != kExitOk) return exit;
  std::cout << image << "\n";
  return kExitOk;
}

}  // namespace xport::cli
