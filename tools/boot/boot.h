// xport boot: a root booted as a system of its own in qemu-system-<arch>, not a chroot. The
// root becomes an initramfs (cpio) with a small first process laid over it, /xport/init, that
// mounts the kernel's file systems, runs the script with its output on the serial console
// between markers, and powers the machine off. The console is captured to a log; the script's
// status becomes xport's, and a hang ends at the timeout with the log's path.
#pragma once

#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"

namespace xport {

struct BootOptions {
  const Arch* arch = nullptr;
  std::string kernel;                // the kernel image (xport kernel)
  std::string root;                  // made by xport rootfs
  std::vector<std::string> layers;   // more directories laid over the root (the stage check's)
  std::string work_dir;              // the overlay, the initramfs, the console log
  std::string script;                // run by /bin/sh in the booted system
  int timeout_seconds = 600;
  unsigned memory_mb = 1024;
  unsigned cpus = 1;
  int64_t epoch = 0;                 // latest time in the initramfs
};

struct BootResult {
  int script_status = -1;
  std::string script_output;         // what the script printed, from the console
  std::string console_log;           // the whole console, on disk
  double uptime_at_end = 0;          // kernel start to the script's end, by the guest's clock
  double wall_seconds = 0;           // qemu's start to its end, by the host's
};

/// The first process of the booted system.
std::string boot_init_script();

/// The script run when none is given: the machine's name, pacman's database, the native compiler
/// compiling and running a program, and `stage_check` (a command line; "" = none).
std::string default_boot_script(const std::string& stage_check);

/// The qemu-system command for the arch's machine (from the arch file).
std::vector<std::string> qemu_system_command(const Arch& arch, const std::string& kernel, const std::string& initrd,
                                             unsigned memory_mb, unsigned cpus);

/// Reads the script's output and status from a console log; an Error says how far it got.
Expected<BootResult> read_console(const std::string& console, const std::string& log_path);

Expected<BootResult> boot(const BootOptions& options);

}  // namespace xport
