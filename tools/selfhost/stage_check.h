// The stage check of the target's own C compiler (tcc). Inside the target, the compiler as it
// was cross-built (stage1) compiles its own source into stage2, stage2 compiles it into stage3,
// and the two must be the same bytes. Other compilers of the same source (the diverse
// double-compiling path, say) are built the same way and must give stage2's bytes too.
// The check is one shell script for the target's own sh, make and tcc, so that xport selfhost
// (under qemu-user) and xport boot (in a virtual machine) run the very same steps.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "fetch/fetcher.h"
#include "recipe/recipe.h"

namespace xport {

/// Where the stage check is inside a root.
struct StageCheckLayout {
  std::string source_dir;  // the compiler's source, e.g. /usr/src/tcc-0.9.27
  std::string script;      // /usr/libexec/xport/stage-check
  std::string loader;      // the C library's loader the compiler links programs with

  /// The command that runs the check inside the root; `extra` are NAME=COMPILER pairs.
  std::vector<std::string> command(const std::vector<std::string>& extra = {}) const;
};

/// The script: `stage-check SOURCE_DIR LOADER [NAME=COMPILER...]`. It prints one
/// "xport-stage: <name> <sha256>" line per build and "xport-stage: identical" or
/// "xport-stage: differ <names>"; exit 0 identical, 1 different, 2 a step failed.
std::string stage_check_script();

/// Puts the compiler recipe's source (fetched, verified, patched) and the script into `root`, a
/// copy of the target root or a layer laid over it.
Expected<StageCheckLayout> install_stage_check(const Recipe& compiler, const FetchOptions& fetch,
                                               const std::string& loader, const std::string& root);

struct StageBuild {
  std::string name;    // stage2, stage3, ddc...
  std::string sha256;  // of the compiler binary built
};

struct StageOutcome {
  std::vector<StageBuild> builds;
  std::string cpu;            // what tcc's configure called the target
  bool identical = false;     // every build has stage2's bytes
  std::string failure;        // the step that failed and the end of its log, if one did
  std::vector<std::string> different;
  const StageBuild* find(const std::string& name) const;
};

/// Reads what the script printed.
StageOutcome parse_stage_output(const std::string& output);

}  // namespace xport
