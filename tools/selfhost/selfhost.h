// xport selfhost: the target rebuilds its own compiler, and an independent path proves it.
//  1. The stage check (stage_check.h), inside a copy of the target root under `xport run`.
//  2. Diverse double-compiling (David A. Wheeler): the host's GCC builds a tcc cross compiler
//     for the target from the same source, that compiles the source into a target tcc, and the
//     target tcc, run on the target, compiles the source once more: the result must be stage2's
//     bytes. Two compilers that share nothing but the source agree, so stage2 is what the source
//     says, not what a compromised stage1 might have added.
//  3. The native rebuild (native_rebuild.h): the root's packages rebuilt inside the target from
//     the same recipes by the native compiler, and compared with the cross-built ones.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "fetch/fetcher.h"
#include "recipe/recipe.h"
#include "selfhost/native_rebuild.h"
#include "selfhost/stage_check.h"

namespace xport {

struct SelfhostOptions {
  const Arch* arch = nullptr;
  std::string root;          // made by xport rootfs; never changed (the work is done on a copy)
  std::string work_dir;      // the copy of the root, logs, the host-side builds
  std::string xport;         // this program, for `xport run`
  std::string via = "auto";  // xport run --via
  const Recipe* compiler = nullptr;  // the native compiler's recipe (tcc)
  bool diverse = true;       // run the diverse double-compiling path
  NativeRebuildRequest rebuild;  // packages to rebuild in the target (none: skipped)
  FetchOptions fetch;
  int step_timeout_seconds = 1800;
  std::function<void(const std::string&)> progress;
};

struct DiverseOutcome {
  bool ran = false;
  std::string host_compiler;       // "gcc (Debian 12.2.0-14) 12.2.0"
  std::string cross_sha256;        // the tcc cross compiler GCC built, runs on the host
  std::string intermediate_sha256; // the target tcc that cross compiler built
  std::string result_sha256;       // what that target tcc built, on the target
  bool identical = false;          // result == stage2
  std::string failure;
};

struct SelfhostReport {
  std::string arch;
  std::string root;
  std::string via;
  std::string compiler;          // "tcc 0.9.27+git20200814.62c30a4a"
  std::string stage1_sha256;
  std::string stage1_origin;     // how stage1 was made
  StageOutcome stage;
  double stage_seconds = 0;      // the stage check in the target, configure included
  DiverseOutcome diverse;
  double diverse_seconds = 0;    // the host builds and the target build of the diverse path
  std::vector<NativeRebuild> rebuilds;
  /// The stage check and (when it ran) the diverse path passed. A package the native compiler
  /// cannot build, or builds differently, is reported, not failed.
  bool passed() const;
};

Expected<SelfhostReport> run_selfhost(const SelfhostOptions& options);

std::string selfhost_report_text(const SelfhostReport& report);
std::string selfhost_report_json(const SelfhostReport& report);

}  // namespace xport
