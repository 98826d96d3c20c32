// xport boot --arch A --root DIR: the root booted as a system of its own in qemu-system-<arch>,
// a script run inside it, and its status returned.
#include <filesystem>
#include <iostream>
#include <thread>

#include "boot/boot.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/package_setup.h"
#include "cli/toolchain_setup.h"
#include "core/files.h"
#include "core/process.h"
#include "image/image.h"
#include "recipe/recipe.h"
#include "selfhost/stage_check.h"

namespace xport::cli {

int run_boot(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "boot";
  spec.usage = "--arch ARCH [--root DIR] [--script FILE] [--timeout S] [options]";
  spec.about =
      "Boots the root (xport rootfs made it) as an initramfs in qemu-system-<arch> with the arch's\n"
      "machine, CPU and console (arch/<arch>.yaml) and the kernel of `xport kernel` (or --kernel),\n"
      "runs the script inside the booted system, powers it off and exits with the script's status.\n"
      "The default script prints uname -m and pacman -Q, compiles and runs hello with tcc, and runs\n"
      "the stage check (tcc rebuilds itself twice, the same bytes). The serial console goes to\n"
      "<work>/console.log; a boot that does not end within the timeout is stopped and said so.";
  PackageRequest request;
  std::string root, kernel, script_file, work, compiler_name = "tcc";
  int timeout = 600;
  unsigned memory = 1024, cpus = 0;
  bool no_stage_check = false;
  add_package_options(spec.options, request);
  spec.options.add_options()
      ("root,r", po::value(&root), "the root to boot (default: out/root/<arch>, where xport rootfs puts it)")
      ("kernel", po::value(&kernel), "a kernel image (default: build it as xport kernel does)")
      ("script", po::value(&script_file), "a shell script to run in the booted system (default: see above)")
      ("no-stage-check", po::bool_switch(&no_stage_check), "leave the stage check out of the default script")
      ("compiler", po::value(&compiler_name)->default_value("tcc"), "the native compiler's recipe, for the stage check")
      ("timeout", po::value(&timeout)->default_value(600), "seconds the boot may take in all")
      ("memory", po::value(&memory)->default_value(1024), "the machine's memory in MiB")
      ("cpus", po::value(&cpus)->default_value(0), "the machine's CPUs (0: the host's cores)")
      ("work,w", po::value(&work), "work directory (default: out/boot/<arch>)");
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;

  auto loaded = load_arch(global, request.arch_name);
  if (!loaded) return print_error(loaded.error());
  const Arch* arch = loaded->arch;
  BootOptions options;
  options.arch = arch;
  options.root = root.empty() ? default_root_dir(arch->name) : absolute_dir(root);
  options.work_dir = absolute_dir(work.empty() ? "out/boot/" + arch->name : work);
  options.timeout_seconds = timeout;
  options.memory_mb = memory;
  options.cpus = cpus ? cpus : std::max(1u, std::thread::hardware_concurrency());
  if (!std::filesystem::is_directory(options.root)) return print_error(Error(options.root + ": no such root directory"));
  if (kernel.empty()) {
    if (int exit = build_kernel(global, request, kernel); exit != kExitOk) return exit;
  }
  options.kernel = absolute_dir(kernel);
  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);

  if (!script_file.empty()) {
    auto text = read_file(script_file);
    if (!text) return print_error(text.error());
    options.script = *text;
  } else {
    std::string stage_check;
    if (!no_stage_check) {
      auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
      if (!recipes) return print_error(recipes.error());
      const Recipe* compiler = recipes->find(compiler_name);
      const LibcInfo* musl = arch->libc(Libc::Musl);
      if (!compiler || !musl) return print_error(Error("no recipe '" + compiler_name + "' or no musl for " + arch->name));
      const std::string layer = options.work_dir + "/stage-check";
      std::filesystem::remove_all(layer, ec);
      FetchOptions fetch = request.options.fetch;
      fetch.log = [](const std::string& line) { std::cerr << "xport: " << line << "\n"; };
      auto layout = install_stage_check(*compiler, fetch, musl->loader, layer);
      if (!layout) return print_error(layout.error());
      options.layers.push_back(layer);
      stage_check = quote_command(layout->command());
    }
    options.script = default_boot_script(stage_check);
  }
  options.epoch = root_install_epoch(options.root).value_or(0);
  if (global.dry_run) {
    std::cout << quote_command(qemu_system_command(*arch, options.kernel, options.work_dir + "/initramfs.cpio",
                                                   options.memory_mb, options.cpus))
              << "\n";
    return kExitOk;
  }
  std::cerr << "xport boot: " << arch->qemu_system << ", console in " << options.work_dir << "/console.log\n";
  auto booted = boot(options);
  if (!booted) {
    print_error(booted.error());
    return kExitFailed;
  }
  std::cout << booted->script_output;
  std::cerr << "xport boot: the script ended with status " << booted->script_status << " after "
            << booted->uptime_at_end << " s of the guest's uptime (" << static_cast<int>(booted->wall_seconds + 0.5)
            << " s in all)\n";
  return booted->script_status & 0xff;  // the script's own status
}

}  // namespace xport::cli
