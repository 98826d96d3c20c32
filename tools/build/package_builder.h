// xport build: cross-compiles recipes with a built toolchain into pacman packages. For each
// recipe in build order: sources fetched and copied, phases run in a scrubbed environment with
// a log each, the staged files split into the recipe's outputs, each output packed, the QA gate
// (xport inspect on the package against the toolchain's sysroot, the recipe's waivers applied),
// and only then the packages published with the repository database and the stamp written.
// An interrupted build publishes nothing and leaves no stamp; the next run starts it again.
#pragma once

#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "fetch/fetcher.h"
#include "recipe/graph.h"
#include "toolchain/toolchain_files.h"

namespace xport {

struct PackageBuildOptions {
  std::string out_dir;   // packages/, state/ (stamps, logs, work)
  FetchOptions fetch;
  unsigned jobs = 1;     // make -j inside a build
  bool dry_run = false;  // print the plan only
  bool progress = true;
  std::string repo_name = "xport";
};

class PackageBuilder {
 public:
  /// `toolchain` must be built; `provided` are the package names it already provides (its
  /// components), which are neither built nor packaged here.
  PackageBuilder(const ArchRegistry& arches, const ToolchainLayout& toolchain, const RecipeSet& recipes,
                 std::vector<std::string> provided, PackageBuildOptions options);

  /// Builds what is out of date for `wanted` (every recipe when empty). The Error names the
  /// package, and the log or the QA findings to read.
  Status build(const std::vector<std::string>& wanted);

  std::string packages_dir() const { return options_.out_dir + "/packages"; }

 private:
  struct Planned {
    const Recipe* recipe;
    std::string stamp;
  };
  Expected<std::vector<Planned>> plan(const std::vector<std::string>& wanted) const;
  Status build_one(const Planned& planned, size_t index, size_t total);
  Status quality_gate(const Recipe& recipe, const std::string& package, const std::string& work) const;
  Status publish(const Recipe& recipe, const std::vector<std::string>& packages);
  std::string state_dir() const { return options_.out_dir + "/state"; }

  const ArchRegistry& arches_;
  const ToolchainLayout& toolchain_;
  const RecipeSet& recipes_;
  DependencyGraph graph_;
  std::vector<std::string> provided_;
  PackageBuildOptions options_;
};

}  // namespace xport
