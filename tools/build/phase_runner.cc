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
  if (build_style == "autotools")
    return {{"configure",
             "\"$XPORT_SRC/configure\" --host=\"$XPORT_TRIPLE\" --build=\"$XPORT_BUILD_TRIPLE\" "
             "--prefix=/usr $XPORT_CONFIGURE_ARGS"},
            {"build", "make -j\"$XPORT_JOBS\""},
            {"install", "make DESTDIR=\"$DESTDIR\" install"}};
  if (build_style == "make")
    return {{"build", "make -C \"$XPORT_SRC\" -j\"$XPORT_JOBS\" $XPORT_CONFIGURE_ARGS"},
            {"install", "make -C \"$XPORT_SRC\" DESTDIR=\"$DESTDIR\" install"}};
  return {};  // kbuild and custom: the recipe says everything
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

const std::vector<std::string>& network_isolation() {
  // Probed once: a new network namespace as root, or inside a user namespace otherwise.
  static const std::vector<std::string> prefix = [] {
    for (std::vector<std::string> candidate : {std::vector<std::string>{"unshare", "--net"},
                                               std::vector<std::string>{"unshare", "--map-root-user", "--net"}}) {
      std::vector<std::string> probe = candidate;
      probe.push_back("true");
      if (auto result = run_process(probe); result && result->exit_code == 0) return candidate;
    }
    return std::vector<std::string>{};
  }();
  return prefix;
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
  for (const std::string& phase : known_phases()) {
    auto it = phases.find(phase);
    if (it == phases.end() || it->second.empty()) continue;
    if (phase == "check" && !context.run_check) continue;
    if (context.on_phase) context.on_phase(phase);
    const std::string log = context.log_dir + "/" + phase + ".log";
    fs::remove(log, ec);
    {
      std::ofstream header(log);
      header << "# xport: " << recipe.name << " " << recipe.version << ", phase " << phase << "\n# network: "
             << (network_isolation().empty() ? "the host's (no network namespace can be made here)"
                                             : "none (a network namespace of its own)")
             << "\n# " << it->second << "\n";
    }
    // umask 022 and -e: a phase fails at its first failing command, files get sane modes.
    std::vector<std::string> argv = network_isolation();
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
