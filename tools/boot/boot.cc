#include "boot/boot.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "core/process.h"
#include "image/image.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBegin = "xport-boot: script begins";
constexpr const char* kEnd = "xport-boot: script ended with status ";

}  // namespace

std::string boot_init_script() {
  return R"SH(#!/bin/sh
# Written by xport: the first process of a test boot. Mounts the kernel's file systems, runs
# /xport/script with its output on the console between two markers, and powers off.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root
cd /
echo "xport-boot: script begins"
/bin/sh /xport/script
status=$?
read -r uptime rest < /proc/uptime
echo "xport-boot: script ended with status $status after $uptime s"
poweroff -f
)SH";
}

std::string default_boot_script(const std::string& stage_check) {
  std::string script = R"SH(set -e
echo "== uname -m"
uname -m
echo "== pacman -Q"
if command -v pacman > /dev/null; then pacman -Q; else echo "(this root has no pacman)"; fi
echo "== the native compiler: hello"
printf '#include <stdio.h>\nint main(void) { printf("hello from tcc on the booted system\\n"); return 0; }\n' > /tmp/hello.c
tcc -o /tmp/hello /tmp/hello.c
/tmp/hello
)SH";
  if (!stage_check.empty()) script += "echo \"== stage check\"\n" + stage_check + "\n";
  return script;
}

std::vector<std::string> qemu_system_command(const Arch& arch, const std::string& kernel, const std::string& initrd,
                                             unsigned memory_mb, unsigned cpus) {
  std::vector<std::string> argv = {arch.qemu_system};
  if (!arch.qemu_machine.empty()) argv.insert(argv.end(), {"-M", arch.qemu_machine});
  if (!arch.qemu_cpu.empty()) argv.insert(argv.end(), {"-cpu", arch.qemu_cpu});
  if (!arch.qemu_firmware.empty()) argv.insert(argv.end(), {"-bios", arch.qemu_firmware});
  // No network card (its boot ROM is not installed, and the root has no network yet), no
  // display, and a reboot ends qemu instead of starting over.
  argv.insert(argv.end(), {"-m", std::to_string(memory_mb), "-smp", std::to_string(cpus), "-nographic", "-nic", "none",
                           "-no-reboot", "-kernel", kernel, "-initrd", initrd, "-append",
                           "console=" + arch.console + " rdinit=/xport/init panic=-1"});
  return argv;
}

Expected<BootResult> read_console(const std::string& console, const std::string& log_path) {
  BootResult result;
  result.console_log = log_path;
  std::istringstream lines(console);
  bool begun = false, ended = false;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!begun) {
      begun = line.ends_with(kBegin);
      continue;
    }
    if (auto at = line.find(kEnd); at != std::string::npos) {
      std::istringstream rest(line.substr(at + std::string(kEnd).size()));
      std::string after;
      rest >> result.script_status >> after >> result.uptime_at_end;
      ended = true;
      break;
    }
    result.script_output += line + "\n";
  }
  if (!begun) return Error("the system did not reach the script (console log: " + log_path + ")");
  if (!ended) return Error("the script did not finish (console log: " + log_path + ")");
  return result;
}

Expected<BootResult> boot(const BootOptions& options) {
  const Arch& arch = *options.arch;
  if (arch.qemu_system.empty() || arch.console.empty())
    return Error(arch.name + ": no qemu.system or qemu.console in " + arch.source_file);
  if (find_program(arch.qemu_system).empty())
    return Error(arch.qemu_system + " not found (apt-get install qemu-system-arm or qemu-system-misc)");
  if (!fs::is_regular_file(options.kernel)) return Error(options.kernel + ": no such kernel image");
  if (!fs::is_directory(options.root)) return Error(options.root + ": no such root directory");
  if (!fs::exists(options.root + "/bin/sh") && !fs::is_symlink(options.root + "/bin/sh"))
    return Error(options.root + ": no /bin/sh to run the script with");

  std::error_code ec;
  const std::string overlay = options.work_dir + "/overlay";
  fs::remove_all(overlay, ec);
  fs::create_directories(overlay + "/xport", ec);
  if (ec) return Error(overlay + ": cannot create: " + ec.message());
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"init", boot_init_script()},
                                   std::pair<std::string, std::string>{"script", options.script}}) {
    const std::string path = overlay + "/xport/" + name;
    if (Status written = write_file_atomically(path, text); !written.ok()) return written.error();
    if (chmod(path.c_str(), 0755) != 0) return Error(path + ": cannot make it executable");
  }
  std::vector<std::string> layers = {options.root};
  layers.insert(layers.end(), options.layers.begin(), options.layers.end());
  layers.push_back(overlay);
  const std::string initrd = options.work_dir + "/initramfs.cpio";
  if (Status imaged = write_image_layers(layers, ImageFormat::Cpio, initrd, options.epoch); !imaged.ok())
    return imaged.error();

  const std::string log = options.work_dir + "/console.log";
  fs::remove(log, ec);
  const auto started = std::chrono::steady_clock::now();
  auto ran = run_process(qemu_system_command(arch, options.kernel, initrd, options.memory_mb, options.cpus),
                         {.output_file = log, .timeout_seconds = options.timeout_seconds});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!ran) return ran.error();
  auto console = read_file(log);
  if (!console) return console.error();
  if (ran->timed_out)
    return Error("the boot did not end within " + std::to_string(options.timeout_seconds) + " s: " +
                 (console->find(kBegin) == std::string::npos ? "the system never reached the script"
                                                             : "the script was still running") +
                 " (console log: " + log + ")");
  auto result = read_console(*console, log);
  if (!result) {
    return Error("qemu exited with status " + std::to_string(ran->exit_code) + ": " + result.error().message());
  }
  result->wall_seconds = wall;
  return result;
}

}  // namespace xport
