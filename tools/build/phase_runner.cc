#include "build/phase_runner.h"

#include <filesystem>
#include <fstream>

#include "core/process.h"

namespace xport {

namespace fs = std::filesystem;

std::map<std::string, std::string> default_phases(const std::string& build_style) {
  if (build_style == "cmake")
    return {{"configure",
             "cmake -S \"$XPORT_SRC\" -B . -G Ninja -DCMAKE_BUILD_TYPE=Release "
             "-DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_TOOLCHAIN_FILE=\"$XPORT_CMAKE_TOOLCHAIN\" "
             "$XPORT_CONFIGURE_ARGS"},
            {"build", "cmake --build . -j\"$XPORT_JOBS\""},
            {"install", "DESTDIR=\"$DESTDIR\" cmake --install ."}};
  if (build_style == "meson")
    return {{"configure",
             "meson setup . \"$XPORT_SRC\" --prefix=/usr --buildtype=release "
             "--cross-file=\"$XPORT_MESON_CROSS\" $XPORT_CONFIGURE_ARGS"},
            {"build", "meson compile -j \"$XPORT_JOBS\""},
            {"install", "DESTDIR=\"$DESTDIR\" meson install --no-rebuild"}};
  // The toolchain's config.site answers what configure cannot learn without running target code.
  // CFLAGS arrives holding only the prefix maps, and autoconf adds its -O2 only without CFLAGS.
  // libtool's .la files are not installed: they name build-time paths and nothing on the target
  // reads them (Alpine and Arch drop them too).
  if (build_style == "autotools")
    return {{"configure",
             "CONFIG_SITE=\"$XPORT_TOOLCHAIN/config.site\" CFLAGS=\"-O2 $CFLAGS\" CXXFLAGS=\"-O2 $CXXFLAGS\" "
             "\"$XPORT_SRC/configure\" --host=\"$XPORT_TRIPLE\" --build=\"$XPORT_BUILD_TRIPLE\" "
             "--prefix=/usr --sysconfdir=/etc --localstatedir=/var $XPORT_CONFIGURE_ARGS"},
            {"build", "make -j\"$XPORT_JOBS\""},
            {"install", "make DESTDIR=\"$DESTDIR\" install\nfind \"$DESTDIR\" -name '*.la' -delete"}};
  // A Linux kernel, out of tree with the host's LLVM: tinyconfig, then the recipe's options
  // (configure_args, every arch) and the arch's fragment (arch/<arch>.kconfig); Kconfig drops an
  // option whose dependencies are not met without a word, so every one asked for is checked.
  // Built as the arch's image, dated and signed by SOURCE_DATE_EPOCH and "xport", not by the host.
  if (build_style == "kbuild") {
    // The toolchain's clang and linker (host-llvm's, which start faster) for the kernel and its
    // host programs; the rest of LLVM's tools from the host.
    const std::string make =
        "make -C \"$XPORT_SRC\" O=\"$PWD\" ARCH=\"$XPORT_KERNEL_ARCH\" LLVM=\"$XPORT_LLVM_BIN/\" "
        "CC=\"$XPORT_CLANG\" HOSTCC=\"$XPORT_CLANG\" LD=\"$XPORT_LINKER\" ";
    return {{"configure",
             "[ -n \"$XPORT_KERNEL_IMAGE\" ] || { echo \"arch $XPORT_ARCH names no kernel image\" >&2; exit 1; }\n" +
                 make + "tinyconfig\n"
                 "for option in $XPORT_CONFIGURE_ARGS; do echo \"$option\"; done > xport.kconfig\n"
                 "[ -z \"$XPORT_KERNEL_CONFIG\" ] || grep '^CONFIG_' \"$XPORT_KERNEL_CONFIG\" >> xport.kconfig\n"
                 "cat xport.kconfig >> .config\n" +
                 make + "olddefconfig\n"
                 "missing=$(while read -r option; do grep -qxF \"$option\" .config || echo \"$option\"; done < xport.kconfig)\n"
                 "[ -z \"$missing\" ] || { echo \"Kconfig did not take (a dependency is off):\"; echo \"$missing\"; exit 1; } >&2"},
            {"build", make +
                          "-j\"$XPORT_JOBS\" KBUILD_BUILD_USER=xport KBUILD_BUILD_HOST=xport "
                          "KBUILD_BUILD_TIMESTAMP=\"$(date -u -d \"@$SOURCE_DATE_EPOCH\")\" KCFLAGS=\"$CFLAGS\" "
                          "\"$(basename \"$XPORT_KERNEL_IMAGE\")\""},
            {"install",
             "install -D -m 644 \"$XPORT_KERNEL_IMAGE\" \"$DESTDIR/boot/vmlinuz\"\n"
             "install -D -m 644 .config \"$DESTDIR/boot/config\""}};
  }
  if (build_style == "make")
    return {{"build", "make -C \"$XPORT_SRC\" -j\"$XPORT_JOBS\" $XPORT_CONFIGURE_ARGS"},
            {"install", "make -C \"$XPORT_SRC\" DESTDIR=\"$DESTDIR\" install"}};
  return {};  // custom: the recipe says everything
}

std::map<std::string, std::string> scrubbed_environment(const std::string& path, const std::string& home,
                                                        const std::string& tmpdir) {
  return {{"PATH", path}, {"HOME", home},  {"TMPDIR", tmpdir},
          {"LC_ALL", "C"}, {"TZ", "UTC"},  {"SHELL", "/bin/sh"}};
}

std::string tail_of_file(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.erase(last.begin());
  }
  std::string out;
  for (const std::string& line : last) out += "  | " + line + "\n";
  return out;
}

namespace {

bool works(std::vector<std::string> argv) {
  argv.push_back("true");
  auto result = run_process(argv);
  return result && result->exit_code == 0;
}

}  // namespace

Isolation isolation() {
  // Probed once. bubblewrap: the host read-only, a new network namespace, the build's own
  // directories writable; else unshare: the network only; else nothing to be had here.
  // /tmp stays the host's, read-only (TMPDIR is the build's own): a private tmpfs there would
  // hide toolchains and work directories that live under /tmp. /dev is bwrap's own (null, zero,
  // random and the like bound in): with the host's, a build running as root that renames a file
  // onto /dev/null would replace the host's device.
  static const Isolation probed = [] {
    const std::vector<std::string> bwrap = {"bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
                                            "--proc", "/proc", "--unshare-net",
                                            "--die-with-parent"};
    if (works(bwrap)) return Isolation{Isolation::Kind::ReadOnlyHostNoNetwork, bwrap};
    for (std::vector<std::string> unshare : {std::vector<std::string>{"unshare", "--net"},
                                             std::vector<std::string>{"unshare", "--map-root-user", "--net"}})
      if (works(unshare)) return Isolation{Isolation::Kind::NoNetwork, unshare};
    return Isolation{Isolation::Kind::None, {}};
  }();
  return probed;
}

std::string Isolation::describe() const {
  switch (kind) {
    case Kind::ReadOnlyHostNoNetwork: return "no network, the host read-only but for the build's directories (bwrap)";
    case Kind::NoNetwork: return "no network (unshare); the host is writable (install bubblewrap to close it)";
    case Kind::None: return "none: the host's network and files (neither bwrap nor unshare works here)";
  }
  return "";
}

std::vector<std::string> Isolation::command(const std::vector<std::string>& writable) const {
  std::vector<std::string> argv = prefix;
  if (kind == Kind::ReadOnlyHostNoNetwork) {
    for (const std::string& dir : writable) {
      argv.push_back("--bind");
      argv.push_back(dir);
      argv.push_back(dir);
    }
    argv.push_back("--");
  }
  return argv;
}

Status run_phases(const Recipe& recipe, const PhaseContext& context) {
  std::map<std::string, std::string> phases = default_phases(recipe.build_style);
  for (const auto& [name, snippet] : recipe.phases) phases[name] = snippet;
  std::error_code ec;
  fs::create_directories(context.build_dir, ec);
  fs::create_directories(context.log_dir, ec);
  fs::create_directories(context.destdir, ec);
  if (ec) return Error(context.build_dir + ": cannot create build directories: " + ec.message());
  // Where things are is part of every phase's environment, set here from the context alone.
  std::map<std::string, std::string> environment = context.environment;
  environment["XPORT_SRC"] = context.source_dir;
  environment["XPORT_BUILD"] = context.build_dir;
  environment["DESTDIR"] = context.destdir;
  // What a build may write: its own directories, its HOME and TMPDIR; nothing else of the host.
  std::vector<std::string> writable = {context.build_dir, context.destdir};
  if (!context.source_read_only) writable.push_back(context.source_dir);
  for (const char* variable : {"HOME", "TMPDIR"})
    if (auto it = environment.find(variable); it != environment.end() && !it->second.empty())
      writable.push_back(it->second);
  for (const std::string& dir : writable) fs::create_directories(dir, ec);
  for (const std::string& phase : known_phases()) {
    auto it = phases.find(phase);
    if (it == phases.end() || it->second.empty()) continue;
    if (phase == "check" && !context.run_check) continue;
    if (context.before_phase)
      if (Status ready = context.before_phase(phase); !ready.ok()) return ready;
    if (context.on_phase) context.on_phase(phase);
    const std::string log = context.log_dir + "/" + phase + ".log";
    fs::remove(log, ec);
    {
      std::ofstream header(log);
      header << "# xport: " << recipe.name << " " << recipe.version << ", phase " << phase
             << "\n# isolation: " << isolation().describe() << "\n# " << it->second << "\n";
    }
    // umask 022 and -e: a phase fails at its first failing command, files get sane modes.
    std::vector<std::string> argv = isolation().command(writable);
    if (phase == "build" && context.yield_in_build)
      for (const char* arg : {"nice", "-n", "10"}) argv.push_back(arg);
    for (const char* arg : {"/bin/sh", "-ec"}) argv.push_back(arg);
    argv.push_back("umask 022\n" + it->second);
    auto result = run_process(argv, {.cwd = context.build_dir, .environment = environment, .output_file = log});
    if (!result) return Error(recipe.name + ": " + phase + ": " + result.error().message());
    if (result->exit_code != 0)
      return Error(recipe.name + ": phase " + phase + " failed (exit " + std::to_string(result->exit_code) +
                   "); last lines of " + log + ":\n" + tail_of_file(log, 25));
  }
  return Status::success();
}

}  // namespace xport
