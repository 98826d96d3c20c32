// xport run --arch A --root DIR -- CMD [ARGS...], and xport shell: target programs in a root,
// under QEMU user mode, with every program they start run as the target too.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/toolchain_setup.h"
#include "run/target_runner.h"

namespace xport::cli {

namespace {

int run_in_root(const std::vector<std::string>& args, const GlobalOptions& global, bool shell) {
  CommandLineSpec spec;
  spec.command = shell ? "shell" : "run";
  spec.usage = shell ? "--arch ARCH --root DIR [options]" : "--arch ARCH --root DIR [options] -- CMD [ARGS...]";
  spec.about =
      std::string(shell ? "Opens an interactive target shell (/bin/sh -l) in DIR" : "Runs CMD in DIR") +
      " under QEMU user mode, so that every program it\n"
      "starts runs as the target too (plain qemu-user would run the host's /bin/uname from a\n"
      "target shell): with a binfmt_misc handler for the arch that has the F flag, by chroot (or\n"
      "proot without root); otherwise with proot's QEMU mode (proot -q). --register-binfmt (root)\n"
      "registers qemu-<arch>-static for the arch first. The exit status is the program's.";
  std::string arch_name, root, via_name = "auto";
  bool register_handler = false, verbose = false;
  std::vector<std::string> command;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name)->required(), "target architecture (xport arch list)")
      ("root,r", po::value(&root)->required(), "the root directory (xport rootfs makes one)")
      ("via", po::value(&via_name)->default_value("auto"), "auto, binfmt or proot")
      ("register-binfmt", po::bool_switch(&register_handler), "register a binfmt_misc handler for the arch (root)")
      ("verbose,v", po::bool_switch(&verbose), "say how the program is run")
      ("command", po::value(&command), "the command and its arguments");
  if (!shell) spec.positional.add("command", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  if (shell) command = {"/bin/sh", "-l"};
  if (command.empty()) return print_error(Error("xport run: no command (xport run --arch A --root DIR -- CMD)"));
  RunVia via;
  if (via_name == "auto") via = RunVia::Automatic;
  else if (via_name == "binfmt") via = RunVia::Binfmt;
  else if (via_name == "proot") via = RunVia::Proot;
  else return print_error(Error("--via must be auto, binfmt or proot, not '" + via_name + "'"));

  auto loaded = load_arch(global, arch_name);
  if (!loaded) return print_error(loaded.error());
  const Arch* arch = loaded->arch;
  if (register_handler)
    if (Status registered = register_binfmt(*arch); !registered.ok()) return print_error(registered.error());
  auto plan = plan_target_run(*arch, absolute_dir(root), command, via, read_binfmt_handlers(), geteuid() == 0);
  if (!plan) return print_error(plan.error());
  if (verbose || global.dry_run) {
    std::cerr << "xport run: via " << plan->via << ":";
    for (const std::string& arg : plan->argv) std::cerr << " " << arg;
    std::cerr << "\n";
  }
  if (global.dry_run) return kExitOk;
  if (plan->needs_kernel_filesystems)
    if (Status mounted = mount_kernel_filesystems(absolute_dir(root)); !mounted.ok()) return print_error(mounted.error());
  std::vector<char*> argv;
  for (std::string& arg : plan->argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execvp(argv[0], argv.data());
  return print_error(Error(std::string("cannot run ") + argv[0] + ": " + std::strerror(errno)));
}

}  // namespace

int run_run(const std::vector<std::string>& args, const GlobalOptions& global) {
  return run_in_root(args, global, false);
}

int run_shell(const std::vector<std::string>& args, const GlobalOptions& global) {
  return run_in_root(args, global, true);
}

}  // namespace xport::cli
