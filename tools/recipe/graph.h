// The recipes' build-dependency graph: which recipe provides a package name (a recipe's own
// name or one of its outputs), the build order for a set of wanted packages, cycles, and a
// Graphviz view. `xport recipe lint`, `xport graph` and the build engine all use it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "recipe/recipe.h"

namespace xport {

class DependencyGraph {
 public:
  explicit DependencyGraph(const RecipeSet& recipes);

  /// The recipe that builds package `name`, or nullptr.
  const Recipe* provider(const std::string& name) const;
  /// Every package name the recipes provide, sorted.
  std::vector<std::string> package_names() const;

  /// A cycle of build dependencies as a path that ends where it starts (a -> b -> a), or empty.
  std::vector<std::string> find_cycle() const;

  /// The recipes to build for `wanted` (all recipes when empty), build dependencies and what
  /// those need at run time first, then a recipe's own run-time depends where no build
  /// dependency forbids it;
  /// ties in the order of recipe names, so the plan is the same every time. An unknown name or
  /// a cycle is an Error.
  Expected<std::vector<const Recipe*>> build_order(const std::vector<std::string>& wanted) const;

  /// `names` and every package they need at run time, transitively, in first-seen order
  /// (run-time cycles are allowed; unknown names are kept for build_order to report).
  std::vector<std::string> with_run_time_depends(const std::vector<std::string>& names) const;

  /// Graphviz dot of the recipes in `order`: solid edges for build dependencies, dashed for
  /// run-time ones.
  std::string dot(const std::vector<const Recipe*>& order) const;

 private:
  /// Build dependencies of a recipe, as recipes (unknown names are left out; lint reports them).
  std::vector<const Recipe*> build_inputs(const Recipe& recipe) const;

  const RecipeSet& recipes_;
  std::map<std::string, const Recipe*> providers_;
};

}  // namespace xport
