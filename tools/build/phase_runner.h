// Runs a recipe's phases (prepare, configure, build, check, install, post-install) as short
// shell snippets, each with its own log, in a scrubbed environment: only the variables given
// here reach the build, so nothing of the user's shell (LIBRARY_PATH, CPATH, PKG_CONFIG_PATH...)
// can leak into it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "recipe/recipe.h"

namespace xport {

struct PhaseContext {
  std::string source_dir;   // the extracted, patched source ($XPORT_SRC)
  bool source_read_only = false;  // an out_of_tree recipe's: not among the writable directories
  std::string build_dir;    // where configure and make run ($XPORT_BUILD), the phases' cwd
  std::string destdir;      // where install puts files ($DESTDIR)
  std::string log_dir;      // one <phase>.log per phase
  /// The environment of every phase, complete but for XPORT_SRC, XPORT_BUILD and DESTDIR,
  /// which run_phases sets from the fields above.
  std::map<std::string, std::string> environment;
  bool run_check = false;   // the check phase runs only when asked (cross builds rarely can)
  /// Side by side with other builds, the build phase (parallel compiling) yields to their
  /// serial steps (configure scripts, links), which are what everything else waits for.
  bool yield_in_build = false;
  /// Called when a phase starts, with its name.
  std::function<void(const std::string&)> on_phase;
  /// Called before a phase starts; an error stops the build there. It may block: the toolchain
  /// builder waits here for a build dependency that only this phase needs.
  std::function<Status(const std::string&)> before_phase;
};

/// The phases a build style runs when the recipe does not override them.
std::map<std::string, std::string> default_phases(const std::string& build_style);

/// The environment every build starts from: PATH, HOME, TMPDIR, LC_ALL=C, TZ=UTC, umask-safe
/// defaults. Callers add XPORT_* variables and tools (CC, AR...) on top.
std::map<std::string, std::string> scrubbed_environment(const std::string& path, const std::string& home,
                                                        const std::string& tmpdir);

/// How phases are shut off from the host, the best this host allows (probed once).
struct Isolation {
  enum class Kind { ReadOnlyHostNoNetwork, NoNetwork, None } kind;
  std::vector<std::string> prefix;
  /// The command prefix for a phase that may write only in `writable`.
  std::vector<std::string> command(const std::vector<std::string>& writable) const;
  std::string describe() const;
};
Isolation isolation();

/// Runs the phases of `recipe` in order, each as isolated as the host allows: no network, and
/// writing only in its source, build, staging, HOME and TMPDIR directories. On failure the Error carries the phase, the last lines
/// of its log and the log's path.
Status run_phases(const Recipe& recipe, const PhaseContext& context);

/// The last `lines` lines of a file, for error messages.
std::string tail_of_file(const std::string& path, size_t lines);

}  // namespace xport
