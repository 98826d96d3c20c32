#include "cli/command.h"

namespace xport::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"help", "list the subcommands, or show one's options", run_help},
      {"arch", "list the architectures or show one (arch/*.yaml)", run_arch},
      {"inspect", "check ELF files, trees and archives for host contamination and porting defects",
       run_inspect},
      {"fetch", "download recipes' sources into the cache, verified by sha256", run_fetch},
      {"toolchain", "build a cross toolchain (headers, musl, compiler-rt, libc++) for an arch", run_toolchain},
      {"build", "cross-build packages from recipes into a pacman repository, checked by inspect", run_build},
      {"rootfs", "install built packages (names, @profiles) and their depends into a root, with pacman's database",
       run_rootfs},
      {"kernel", "build the Linux kernel for an arch (the linux recipe and the arch's Kconfig fragment)", run_kernel},
      {"image", "write a root as a reproducible tar, cpio (initramfs) or ext4 image", run_image},
      {"run", "run a target program in a root under qemu-user, its children too (binfmt_misc or proot)", run_run},
      {"shell", "an interactive target shell in a root, as xport run does", run_shell},
      {"selfhost", "the target rebuilds its compiler (stage check), diverse double-compiling, native rebuild",
       run_selfhost},
      {"boot", "boot a root in qemu-system (initramfs), run a script in it, return its status", run_boot},
      {"recipe", "list the recipes, or lint them all (file:line:column for each problem)", run_recipe},
      {"graph", "print the recipes' dependency graph as Graphviz dot", run_graph},
      {"env", "print shell exports for a built toolchain", run_env},
  };
  return table;
}

}  // namespace xport::cli
