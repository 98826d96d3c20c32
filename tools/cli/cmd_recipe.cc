// xport recipe list | lint: the recipes in recipes/, and every problem in them.
#include <iomanip>
#include <iostream>

#include "arch/arch.h"
#include "cli/command.h"
#include "cli/options.h"
#include "recipe/lint.h"
#include "recipe/recipe.h"

namespace xport::cli {

int run_recipe(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "recipe";
  spec.usage = "list | lint";
  spec.about =
      "list: every recipe with its version and description.\n"
      "lint: checks every recipe in " + global.data_dir + "/recipes (unknown keys, missing fields,\n"
      "dependencies no recipe builds, build dependency cycles, patch hashes, waivers, arch\n"
      "names) and prints each problem as file:line:column; exit 1 when there is one.";
  std::vector<std::string> words;
  spec.options.add_options()("words", po::value(&words), "list or lint");
  spec.positional.add("words", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  const std::string dir = global.data_dir + "/recipes";

  if (words.size() == 1 && words[0] == "list") {
    auto recipes = RecipeSet::load_dir(dir);
    if (!recipes) return print_error(recipes.error());
    for (const Recipe& recipe : recipes->all())
      std::cout << std::left << std::setw(16) << recipe.name << std::setw(12)
                << recipe.version + "-" + std::to_string(recipe.release) << recipe.description << "\n";
    return kExitOk;
  }
  if (words.size() == 1 && words[0] == "lint") {
    auto arches = ArchRegistry::load_dir(global.data_dir + "/arch");
    if (!arches) return print_error(arches.error());
    const std::vector<std::string> problems = lint_recipes(dir, *arches);
    for (const std::string& problem : problems) std::cout << problem << "\n";
    std::cerr << "xport recipe lint: " << problems.size() << " problem" << (problems.size() == 1 ? "" : "s")
              << " in " << dir << "\n";
    return problems.empty() ? kExitOk : kExitFailed;
  }
  std::cerr << "usage: xport recipe " << spec.usage << "\n";
  return kExitUsage;
}

}  // namespace xport::cli
