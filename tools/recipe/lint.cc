#include "recipe/lint.h"

#include <map>

#include "core/suggest.h"
#include "fetch/sha256.h"
#include "inspect/finding.h"
#include "recipe/graph.h"
#include "recipe/profile.h"

namespace xport {

namespace {

std::string did_you_mean(const std::string& name, const std::vector<std::string>& known) {
  auto close = closest_names(name, known);
  return close.empty() ? "" : "; did you mean '" + close.front() + "'?";
}

void check_dependencies(const Recipe& recipe, const DependencyGraph& graph, std::vector<std::string>& problems) {
  const std::vector<std::string> known = graph.package_names();
  for (const auto* list : {&recipe.build_depends, &recipe.depends}) {
    for (const std::string& name : *list) {
      if (graph.provider(name)) continue;
      auto where = recipe.mentions.find(name);
      problems.push_back((where == recipe.mentions.end() ? recipe.file : where->second) + ": " +
                         (list == &recipe.depends ? "depends" : "build_depends") + " names '" + name +
                         "', which no recipe builds" + did_you_mean(name, known));
    }
  }
}

void check_files(const Recipe& recipe, const ArchRegistry& arches, std::vector<std::string>& problems) {
  for (const HashedFile& patch : recipe.patches) {
    const std::string path = recipe.dir + "/" + patch.path;
    auto actual = sha256_file(path);
    if (!actual)
      problems.push_back(recipe.file + ": patch " + patch.path + ": " + actual.error().message());
    else if (*actual != patch.sha256)
      problems.push_back(recipe.file + ": patch " + patch.path + " has sha256 " + *actual + ", the recipe says " +
                         patch.sha256);
  }
  for (const RecipeWaiver& waiver : recipe.waivers)
    if (!inspect::find_check(waiver.check))
      problems.push_back(recipe.file + ": waiver of unknown check '" + waiver.check +
                         "' (the checks are listed in docs/checks.md)");
  for (const auto& [arch, why] : recipe.unsupported_arches)
    if (!arches.find(arch))
      problems.push_back(recipe.file + ": unsupported_arches names '" + arch + "', which is no arch in arch/" +
                         (arches.suggest(arch).empty() ? "" : "; did you mean '" + arches.suggest(arch).front() + "'?"));
}

}  // namespace

std::vector<std::string> lint_recipes(const std::string& dir, const ArchRegistry& arches) {
  std::vector<std::string> problems;
  auto recipes = RecipeSet::load_dir(dir, &problems);
  if (!recipes) return {recipes.error().message()};

  std::map<std::string, const Recipe*> providers;
  auto claim = [&](const std::string& name, const Recipe& recipe) {
    auto [it, fresh] = providers.emplace(name, &recipe);
    if (!fresh && it->second != &recipe)
      problems.push_back(recipe.file + ": package '" + name + "' is also built by " + it->second->file);
  };
  for (const Recipe& recipe : recipes->all()) {
    claim(recipe.name, recipe);
    for (const RecipeOutput& output : recipe.outputs) claim(output.name, recipe);
  }
  DependencyGraph graph(*recipes);
  for (const Recipe& recipe : recipes->all()) {
    check_dependencies(recipe, graph, problems);
    check_files(recipe, arches, problems);
  }
  if (std::vector<std::string> cycle = graph.find_cycle(); !cycle.empty()) {
    std::string path;
    for (const std::string& name : cycle) path += (path.empty() ? "" : " -> ") + name;
    const Recipe* first = graph.provider(cycle.front());
    problems.push_back(first->file + ": build dependency cycle: " + path);
  }
  auto profiles = ProfileSet::load_dir(dir);
  if (!profiles) {
    problems.push_back(profiles.error().message());
    return problems;
  }
  for (const Profile& profile : profiles->all()) {
    for (const std::string& name : profile.packages)
      if (!graph.provider(name)) problems.push_back(profile.file + ": profile '" + profile.name +
                                                    "' names '" + name + "', which no recipe builds");
    if (auto expanded = profiles->expand({"@" + profile.name}); !expanded) problems.push_back(expanded.error().message());
  }
  return problems;
}

}  // namespace xport
