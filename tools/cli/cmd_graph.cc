// xport graph [PKG...]: the build-dependency graph as Graphviz dot.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "recipe/graph.h"
#include "recipe/profile.h"

namespace xport::cli {

int run_graph(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "graph";
  spec.usage = "[PKG...|@PROFILE...]";
  spec.about =
      "Prints the recipes needed for the named packages (all recipes when none is named) and\n"
      "their dependencies as Graphviz dot: solid edges for build dependencies, dashed for run-time\n"
      "ones. Render it with: xport graph | dot -Tsvg > graph.svg";
  std::vector<std::string> packages;
  spec.options.add_options()("packages", po::value(&packages), "package names and @profiles");
  spec.positional.add("packages", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;

  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  auto profiles = ProfileSet::load_dir(global.data_dir + "/recipes");
  if (!profiles) return print_error(profiles.error());
  auto wanted = profiles->expand(packages);
  if (!wanted) return print_error(wanted.error());
  DependencyGraph graph(*recipes);
  auto order = graph.build_order(graph.with_run_time_depends(*wanted));
  if (!order) return print_error(order.error());
  std::cout << graph.dot(*order);
  return kExitOk;
}

}  // namespace xport::cli
