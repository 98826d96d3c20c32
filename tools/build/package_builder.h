// xport build: cross-compiles recipes with a built toolchain into pacman packages. For each
// recipe in build order: sources fetched and copied, a build sysroot made when the recipe
// build-depends on packages built here (the toolchain's sysroot plus those packages), phases
// run in a scrubbed environment with a log each, the staged files split into the recipe's
// outputs, each output packed, the QA gate (xport inspect on the package against the sysroot,
// the recipe's waivers applied), and only then the packages published with the repository
// database and the stamp written. The toolchain's components (musl, the kernel headers, the
// C++ runtimes) are not built again: their files in the toolchain's sysroot are packaged, so
// the target runs the very libraries its programs were linked against.
// An interrupted build publishes nothing and leaves no stamp; the next run starts it again.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "fetch/fetcher.h"
#include "package/sbom.h"
#include "recipe/graph.h"
#include "toolchain/toolchain_files.h"

namespace xport {

struct PackageBuildOptions {
  std::string out_dir;   // packages/, state/ (stamps, logs, work)
  FetchOptions fetch;
  unsigned jobs = 1;     // packages built side by side, and make -j shared out among them
  bool dry_run = false;  // print the plan only
  bool progress = true;
  std::string repo_name = "xport";
};

class PackageBuilder {
 public:
  /// `toolchain` must be built; `components` are its components in the kind's order, packaged
  /// from its sysroot rather than built.
  PackageBuilder(const ArchRegistry& arches, const ToolchainLayout& toolchain, const RecipeSet& recipes,
                 std::vector<std::string> components, PackageBuildOptions options);

  /// Builds what is out of date for `wanted` and what they need at run time (every recipe when
  /// empty). The Error names the package, and the log or the QA findings to read.
  Status build(const std::vector<std::string>& wanted);

  std::string packages_dir() const { return options_.out_dir + "/packages"; }

 private:
  struct Planned {
    const Recipe* recipe;
    std::string stamp;
    /// For a toolchain component: its files in the toolchain's sysroot, which are packaged.
    std::vector<std::string> toolchain_files;
    /// Recipes built here whose packages the build sysroot needs (build dependencies and what
    /// they need at run time); none: the toolchain's sysroot is used as it is.
    std::vector<const Recipe*> sysroot_inputs;
    /// Recipes built here that the package needs at run time and that are built before it: the
    /// QA gate checks the package against the sysroot with those installed (a script's
    /// interpreter, a library dlopen'd by name). Not part of the stamp: they change no byte.
    std::vector<const Recipe*> run_time_inputs;
  };
  Expected<std::vector<Planned>> plan(const std::vector<std::string>& wanted) const;
  Status build_side_by_side(const std::vector<Planned>& planned, const std::vector<size_t>& todo);
  /// `jobs` for make -j inside; `alone` when no other build can run beside it (the progress line
  /// is redrawn in place then).
  Status build_one(const Planned& planned, size_t index, size_t total, unsigned jobs, bool alone);
  SbomInput sbom_input(const Recipe& recipe, const WrittenPackage& package) const;
  Status stage_from_toolchain(const Planned& planned, const std::string& staging) const;
  /// A copy of `base` with the published packages of `inputs` installed.
  Status make_sysroot(const Planned& planned, const std::string& base, const std::vector<const Recipe*>& inputs,
                      const std::string& sysroot) const;
  Status quality_gate(const Recipe& recipe, const std::string& package, const std::string& work,
                      const std::string& sysroot) const;
  Status publish(const Recipe& recipe, const std::vector<std::string>& packages);
  std::string state_dir() const { return options_.out_dir + "/state"; }

  const ArchRegistry& arches_;
  const ToolchainLayout& toolchain_;
  const RecipeSet& recipes_;
  DependencyGraph graph_;
  std::vector<std::string> components_;
  PackageBuildOptions options_;
  std::map<std::string, WrittenPackage> repository_;  // by file name; guarded by publish_mutex_
  bool repository_read_ = false;
  std::mutex fetch_mutex_;
  std::mutex publish_mutex_;
};

}  // namespace xport
