#include "run/target_runner.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/files.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return std::nullopt;
}

std::string hex_escaped(const std::vector<uint8_t>& bytes) {
  std::string text;
  for (uint8_t byte : bytes) {
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
    text += escaped;
  }
  return text;
}

}  // namespace

std::vector<BinfmtHandler> read_binfmt_handlers(const std::string& dir) {
  std::vector<BinfmtHandler> handlers;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "register" || name == "status") continue;
    auto text = read_file(entry.path().string());
    if (!text) continue;
    BinfmtHandler handler;
    handler.name = name;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      if (line == "enabled") handler.enabled = true;
      else if (line.starts_with("interpreter ")) handler.interpreter = line.substr(12);
      else if (line.starts_with("flags: ")) handler.fix_binary = line.find('F', 7) != std::string::npos;
    }
    handlers.push_back(std::move(handler));
  }
  return handlers;
}

std::optional<BinfmtHandler> binfmt_handler_for(const Arch& arch, const std::vector<BinfmtHandler>& handlers) {
  for (const BinfmtHandler& handler : handlers) {
    const std::string program = fs::path(handler.interpreter).filename().string();
    if (handler.enabled && (program == arch.qemu_user || program == arch.qemu_user + "-static")) return handler;
  }
  return std::nullopt;
}

std::string binfmt_registration(const Arch& arch, const std::string& interpreter) {
  // The first 20 bytes of the ELF header: magic, class, byte order, version, then e_type and
  // e_machine in the arch's byte order. The OS ABI byte is not compared (musl and glibc
  // binaries differ there); e_type's mask 0xfffe takes executables (2) and PIE/shared (3).
  const bool little = arch.elf.endian == Endian::Little;
  auto half = [&](uint16_t value) {
    return little ? std::vector<uint8_t>{uint8_t(value), uint8_t(value >> 8)}
                  : std::vector<uint8_t>{uint8_t(value >> 8), uint8_t(value)};
  };
  std::vector<uint8_t> magic = {0x7f, 'E', 'L', 'F', uint8_t(arch.elf.elf_class == 64 ? 2 : 1),
                                uint8_t(little ? 1 : 2), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
                               0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  for (uint8_t byte : half(2)) magic.push_back(byte);
  for (uint8_t byte : half(0xfffe)) mask.push_back(byte);
  for (uint8_t byte : half(arch.elf.machine)) magic.push_back(byte);
  for (uint8_t byte : half(0xffff)) mask.push_back(byte);
  return ":xport-" + arch.name + ":M::" + hex_escaped(magic) + ":" + hex_escaped(mask) + ":" + interpreter + ":F";
}

Status register_binfmt(const Arch& arch, const std::string& dir) {
  if (geteuid() != 0) return Error("registering a binfmt_misc handler needs root");
  if (!fs::exists(dir + "/register") &&
      mount("binfmt_misc", dir.c_str(), "binfmt_misc", 0, nullptr) != 0)
    return Error("cannot mount binfmt_misc on " + dir + ": " + std::strerror(errno));
  if (auto existing = binfmt_handler_for(arch, read_binfmt_handlers(dir)); existing && existing->fix_binary)
    return Status::success();
  auto qemu = find_program(arch.qemu_user + "-static");
  if (!qemu)
    return Error(arch.qemu_user + "-static not found: a handler that works inside a root needs QEMU linked "
                 "statically (apt-get install qemu-user-static)");
  const std::string line = binfmt_registration(arch, *qemu);
  std::ofstream registration(dir + "/register");
  registration << line;
  registration.close();
  if (!registration) return Error(dir + "/register: the kernel refused " + line);
  return Status::success();
}

Status mount_kernel_filesystems(const std::string& root) {
  if (unshare(CLONE_NEWNS) != 0) return Error(std::string("cannot make a mount namespace: ") + std::strerror(errno));
  // Mounts made below must not propagate back to the host's namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return Error(std::string("cannot make mounts private: ") + std::strerror(errno));
  // The root is made a mount point of its own: in a chroot, /proc/self/mounts lists only the
  // mounts inside it, and programs that look up the file system of "/" (pacman's disk space
  // check) must find one.
  if (mount(root.c_str(), root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
    return Error("cannot bind " + root + " onto itself: " + std::strerror(errno));
  struct KernelFilesystem {
    const char* dir;
    const char* source;
    const char* type;
    unsigned long flags;
  };
  for (const KernelFilesystem& fs_ : {KernelFilesystem{"proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC},
                                      KernelFilesystem{"sys", "sysfs", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC}}) {
    const std::string target = root + "/" + fs_.dir;
    if (!fs::is_directory(target) || fs::is_symlink(target)) continue;  // a root without it gets none
    if (mount(fs_.source, target.c_str(), fs_.type, fs_.flags, nullptr) != 0)
      return Error("cannot mount " + std::string(fs_.source) + " on " + target + ": " + std::strerror(errno));
  }
  const std::string dev = root + "/dev";
  if (!fs::is_directory(dev) || fs::is_symlink(dev)) return Status::success();
  return mount_private_dev(dev);
}

Status mount_private_dev(const std::string& dev) {
  // Target programs run as root: with the host's /dev bound in, a configure script's
  // `mv conftest /dev/null` or `rm -f /dev/null` would replace the host's device with a file
  // for every program on the machine. Here the nodes are bind mounts in a tmpfs: writing to
  // them works, unlinking or renaming onto them fails (EBUSY), new files stay in the tmpfs.
  if (mount("tmpfs", dev.c_str(), "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=1m") != 0)
    return Error("cannot mount a tmpfs on " + dev + ": " + std::strerror(errno));
  for (const char* node : {"null", "zero", "full", "random", "urandom", "tty", "ptmx"}) {
    const std::string host = std::string("/dev/") + node, target = dev + "/" + node;
    if (!fs::exists(host)) continue;
    if (int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666); fd >= 0) close(fd);
    if (mount(host.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
      return Error("cannot bind " + host + " on " + target + ": " + std::strerror(errno));
  }
  // A terminal opened by name (ttyname, `xport shell`) lives in devpts: bound whole, as its
  // entries cannot be removed.
  if (fs::is_directory("/dev/pts")) {
    fs::create_directory(dev + "/pts");
    if (mount("/dev/pts", (dev + "/pts").c_str(), nullptr, MS_BIND, nullptr) != 0)
      return Error("cannot bind /dev/pts on " + dev + "/pts: " + std::strerror(errno));
  }
  std::error_code ec;
  fs::create_directory(dev + "/shm", ec);
  for (const auto& [name, target] : {std::pair{"fd", "/proc/self/fd"}, std::pair{"stdin", "/proc/self/fd/0"},
                                     std::pair{"stdout", "/proc/self/fd/1"}, std::pair{"stderr", "/proc/self/fd/2"}})
    fs::create_symlink(target, dev + "/" + name, ec);
  return Status::success();
}

Expected<RunPlan> plan_target_run(const Arch& arch, const std::string& root, const std::vector<std::string>& command,
                                  RunVia via, const std::vector<BinfmtHandler>& handlers, bool is_root) {
  if (command.empty()) return Error("no command to run");
  if (!fs::is_directory(root)) return Error(root + ": no such root directory");
  auto handler = binfmt_handler_for(arch, handlers);
  const bool have_proot = find_program("proot").has_value();
  RunPlan plan;
  if (via == RunVia::Binfmt || (via == RunVia::Automatic && handler && handler->fix_binary)) {
    if (!handler)
      return Error("no binfmt_misc handler runs " + arch.name + " programs here (xport run --register-binfmt, as root, "
                   "registers " + arch.qemu_user + "-static)");
    if (!handler->fix_binary)
      return Error("the binfmt_misc handler " + handler->name + " has no F flag: its interpreter " +
                   handler->interpreter + " cannot be found inside the root");
    if (is_root) {
      plan.argv = {"chroot", root};
      plan.via = "chroot, binfmt_misc handler " + handler->name;
      plan.needs_kernel_filesystems = true;
    } else if (have_proot) {
      plan.argv = {"proot", "-r", root, "-b", "/proc", "-b", "/sys", "-b", "/dev", "-w", "/"};
      plan.via = "proot, binfmt_misc handler " + handler->name;  // not root: the host's /dev is safe
    } else {
      return Error("entering the root needs root (chroot) or proot (apt-get install proot)");
    }
  } else {
    if (!have_proot)
      return Error("cannot run " + arch.name + " programs so that their children run as " + arch.name +
                   " too: no binfmt_misc handler with the F flag (xport run --register-binfmt, as root) and no proot "
                   "(apt-get install proot)");
    if (!find_program(arch.qemu_user)) return Error(arch.qemu_user + " not found (apt-get install qemu-user)");
    plan.argv = {"proot", "-q", arch.qemu_user, "-r", root, "-b", "/proc", "-b", "/sys", "-w", "/"};
    plan.via = "proot -q " + arch.qemu_user;
    // As root, the root's /dev is a private one mounted first (mount_private_dev); as a user,
    // the host's /dev is bound in, which a user cannot damage.
    if (is_root) plan.needs_kernel_filesystems = true;
    else plan.argv.insert(plan.argv.end() - 2, {"-b", "/dev"});
  }
  plan.argv.insert(plan.argv.end(), command.begin(), command.end());
  return plan;
}

}  // namespace xport
