// Running target programs inside a root under QEMU user mode so that every program they start
// also runs as the target: through a binfmt_misc handler for the arch (the kernel hands every
// target executable to QEMU, in a chroot too when the handler has the F flag), or through
// proot's QEMU mode (-q), which does the same in user space. Plain `qemu-<arch> -L root` is not
// enough: a target shell would exec the host's /bin/uname.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"

namespace xport {

struct BinfmtHandler {
  std::string name;
  std::string interpreter;
  bool enabled = false;
  bool fix_binary = false;  // F: the interpreter is opened when registered, so it works in a chroot
};

inline constexpr const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";

/// The handlers registered in `dir` (none when binfmt_misc is not mounted there).
std::vector<BinfmtHandler> read_binfmt_handlers(const std::string& dir = kBinfmtDir);

/// An enabled handler whose interpreter is the arch's QEMU (qemu-<arch> or qemu-<arch>-static).
std::optional<BinfmtHandler> binfmt_handler_for(const Arch& arch, const std::vector<BinfmtHandler>& handlers);

/// The line that registers `interpreter` for the arch's executables and shared objects
/// (":xport-<arch>:M::<ELF header magic>:<mask>:<interpreter>:F"), from the arch's ELF identity.
std::string binfmt_registration(const Arch& arch, const std::string& interpreter);

/// Mounts binfmt_misc when needed and registers the arch's QEMU, statically linked (a dynamic
/// one could not load its own libraries inside the root). Needs root.
Status register_binfmt(const Arch& arch, const std::string& dir = kBinfmtDir);

enum class RunVia { Automatic, Binfmt, Proot };

struct RunPlan {
  std::vector<std::string> argv;  // what to exec
  std::string via;                // how, in words, for --verbose and errors
  /// As root, the root needs /proc, /sys and a private /dev mounted first (mount_kernel_filesystems).
  bool needs_kernel_filesystems = false;
};

/// Mounts proc, sysfs and a private /dev (mount_private_dev) into `root` (where the root has
/// those directories) in a mount namespace of this process's own, as a booted system has them:
/// programs read /proc/self/mounts (pacman's disk space check), /dev/null and the like. Nothing
/// outside this process and its children sees the mounts, and they go when it ends. Needs root.
Status mount_kernel_filesystems(const std::string& root);

/// Mounts on `dev` a tmpfs holding the host's null, zero, full, random, urandom, tty and ptmx as
/// bind mounts, devpts, and the fd/stdin/stdout/stderr links: a target program running as root can
/// use them but cannot replace or remove the host's devices.
Status mount_private_dev(const std::string& dev);

/// How to run `command` in `root` for `arch`: with a binfmt handler, chroot as root (proot -r
/// otherwise); without one, proot -q. An Error says what is missing when neither can be done.
Expected<RunPlan> plan_target_run(const Arch& arch, const std::string& root, const std::vector<std::string>& command,
                                  RunVia via, const std::vector<BinfmtHandler>& handlers, bool is_root);

}  // namespace xport
