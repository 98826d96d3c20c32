// Builds a cross toolchain for one architecture: the host's clang and lld as the compiler, and
// the toolchain kind's components (kernel headers, musl, compiler-rt, the C++ runtimes) built
// from their recipes, in order, each staged and then merged into the toolchain directory.
// Every component has a stamp (a hash of everything that went into it): a component whose stamp
// still matches is not built again, and a changed one is rebuilt with everything after it.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "fetch/fetcher.h"
#include "fetch/source_tree.h"
#include "recipe/recipe.h"
#include "toolchain/toolchain_files.h"
#include "toolchain/toolchain_kind.h"

namespace xport {

struct ToolchainOptions {
  std::string out_dir;   // the toolchain directory
  FetchOptions fetch;
  unsigned jobs = 0;     // 0 = all cores
  bool dry_run = false;  // print the plan only
  bool progress = true;
  /// The LLVM backends of every known arch (ArchRegistry::llvm_targets): host components build
  /// for all of them, as they serve every arch (XPORT_LLVM_TARGETS; "" = whatever the host has).
  std::vector<std::string> llvm_targets;
};

/// Where `xport toolchain` puts a toolchain by default: out/toolchain/<arch>-<libc>.
std::string default_toolchain_dir(const Arch& arch, Libc libc);

/// The scrubbed environment in which a recipe's phases run with this toolchain: PATH to its
/// wrappers and the host's ordinary tools, XPORT_* variables, CC & co., prefix maps that hide
/// `source_dir` and `work` (which also holds the private HOME and TMPDIR).
std::map<std::string, std::string> recipe_environment(const ToolchainLayout& layout, const Recipe& recipe,
                                                      const std::string& work, const std::string& source_dir,
                                                      unsigned jobs);

/// Puts a recipe's sources, verified, into `source_dir` (from the extracted trees in the cache,
/// `cached_subtrees` per archive sha256), checks its license files and applies its patches.
Status prepare_recipe_sources(const Recipe& recipe, SourceFetcher& fetcher, const SourceTrees& trees,
                              const std::map<std::string, std::vector<std::string>>& cached_subtrees,
                              const std::string& source_dir);

/// Where a recipe's phases find their sources: for an `out_of_tree` recipe, the tree extracted
/// in the cache itself (licenses checked; read-only to the build, never copied: the Linux tree
/// is 75,000 files); else `source_dir`, filled by prepare_recipe_sources.
Expected<std::string> provide_recipe_sources(const Recipe& recipe, SourceFetcher& fetcher, const SourceTrees& trees,
                                             const std::map<std::string, std::vector<std::string>>& cached_subtrees,
                                             const std::string& source_dir);

/// The files of a built toolchain that `component` owns in the sysroot (paths relative to it,
/// sorted): those it installed there that no later component of `components` (the kind's order)
/// installed again, as the later one's copy is what the sysroot holds. `xport build` packages
/// them, so the target gets the same C library and C++ runtime the programs were linked with.
Expected<std::vector<std::string>> component_sysroot_files(const ToolchainLayout& layout,
                                                           const std::vector<std::string>& components,
                                                           const std::string& component);

class ToolchainBuilder {
 public:
  ToolchainBuilder(const Arch& arch, const ToolchainKind& kind, const RecipeSet& recipes,
                   const HostLlvm& llvm, ToolchainOptions options);

  /// Builds what is out of date. The Error names the component and the log to read.
  Status build();
  const ToolchainLayout& layout() const { return layout_; }

 private:
  struct Component {
    const Recipe* recipe;
    std::string stamp;  // the hash of its inputs
    bool host;          // built for the build machine, once per host (ToolchainKind::host_components)
  };
  Expected<std::vector<Component>> plan() const;
  /// Builds one component; `before_phase` may hold a phase back (ToolchainBuilder::build_side_by_side).
  Status build_component(const Component& component, size_t index, size_t total, bool alone,
                         const std::function<Status(const std::string&)>& before_phase);
  /// Builds the target components `todo` (indexes into `components`), each as soon as what it
  /// needs is built, side by side.
  Status build_side_by_side(const std::vector<Component>& components, const std::vector<size_t>& todo);
  /// Starts extracting, on threads of their own, the archives of the components from
  /// `first_stale` on; build_component waits for its archives' extraction.
  void extract_ahead(const std::vector<Component>& components, size_t first_stale);
  /// Installs what `staging` holds into the toolchain (hard links with `hard_link`, where possible)
  /// and records the files.
  Status merge_staging(const std::string& component, const std::string& staging, bool hard_link = false);
  /// Where the cache keeps a host component's installed files: <cache>/host/<name>-<stamp>.
  std::string host_cache_dir(const Component& component) const;
  std::string llvm_targets() const;  // options_.llvm_targets, space-separated
  /// Moves a host component's staged files to `cached`, replacing older builds of it.
  Status keep_in_cache(const std::string& staging, const std::string& cached) const;
  Status remove_installed_files(const std::string& component);
  Status write_manifest(const std::vector<Component>& components) const;
  std::string state_dir() const { return layout_.dir + "/.xport"; }

  const Arch& arch_;
  const ToolchainKind& kind_;
  const RecipeSet& recipes_;
  const HostLlvm& llvm_;
  ToolchainOptions options_;
  ToolchainLayout layout_;
  SourceFetcher fetcher_;
  SourceTrees trees_;
  // Per source archive (by sha256), the union of the subtrees its components extract: the one
  // extraction kept in the cache serves them all.
  std::map<std::string, std::vector<std::string>> cached_subtrees_;
  std::map<std::string, std::shared_future<bool>> extracting_;  // per archive sha256
  // When each component built started and ended, in seconds since build() began, for
  // <out>/.xport/logs/timeline.tsv: side by side, a component's own step times overlap others'.
  std::chrono::steady_clock::time_point began_;
  std::mutex timeline_mutex_;
  std::string timeline_;
};

}  // namespace xport
