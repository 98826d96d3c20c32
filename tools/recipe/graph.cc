#include "recipe/graph.h"

#include <algorithm>
#include <functional>
#include <set>

namespace xport {

DependencyGraph::DependencyGraph(const RecipeSet& recipes) : recipes_(recipes) {
  for (const Recipe& recipe : recipes.all()) {
    providers_.emplace(recipe.name, &recipe);
    for (const RecipeOutput& output : recipe.outputs) providers_.emplace(output.name, &recipe);
  }
}

const Recipe* DependencyGraph::provider(const std::string& name) const {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second;
}

std::vector<std::string> DependencyGraph::package_names() const {
  std::vector<std::string> names;
  for (const auto& [name, recipe] : providers_) names.push_back(name);
  return names;
}

std::vector<const Recipe*> DependencyGraph::build_inputs(const Recipe& recipe) const {
  std::vector<const Recipe*> inputs;
  for (const std::string& name : recipe.build_depends)
    if (const Recipe* input = provider(name); input && input != &recipe &&
                                              std::find(inputs.begin(), inputs.end(), input) == inputs.end())
      inputs.push_back(input);
  std::sort(inputs.begin(), inputs.end(),
            [](const Recipe* a, const Recipe* b) { return a->name < b->name; });
  return inputs;
}

std::vector<std::string> DependencyGraph::find_cycle() const {
  enum class Mark { New, Open, Done };
  std::map<const Recipe*, Mark> marks;
  std::vector<const Recipe*> path;
  std::vector<std::string> cycle;
  std::function<bool(const Recipe*)> visit = [&](const Recipe* recipe) {
    marks[recipe] = Mark::Open;
    path.push_back(recipe);
    for (const Recipe* input : build_inputs(*recipe)) {
      if (marks[input] == Mark::Open) {
        auto from = std::find(path.begin(), path.end(), input);
        for (auto it = from; it != path.end(); ++it) cycle.push_back((*it)->name);
        cycle.push_back(input->name);
        return true;
      }
      if (marks[input] == Mark::New && visit(input)) return true;
    }
    path.pop_back();
    marks[recipe] = Mark::Done;
    return false;
  };
  for (const Recipe& recipe : recipes_.all())
    if (marks[&recipe] == Mark::New && visit(&recipe)) return cycle;
  return {};
}

Expected<std::vector<const Recipe*>> DependencyGraph::build_order(const std::vector<std::string>& wanted) const {
  if (std::vector<std::string> cycle = find_cycle(); !cycle.empty()) {
    std::string path;
    for (const std::string& name : cycle) path += (path.empty() ? "" : " -> ") + name;
    return Error("build dependency cycle: " + path);
  }
  std::vector<const Recipe*> roots;
  if (wanted.empty())
    for (const Recipe& recipe : recipes_.all()) roots.push_back(&recipe);
  for (const std::string& name : wanted) {
    const Recipe* recipe = provider(name);
    if (!recipe) {
      std::string message = "no recipe builds '" + name + "'";
      if (auto close = recipes_.suggest(name); !close.empty()) message += "; did you mean '" + close.front() + "'?";
      return Error(message);
    }
    roots.push_back(recipe);
  }
  std::sort(roots.begin(), roots.end(), [](const Recipe* a, const Recipe* b) { return a->name < b->name; });
  std::vector<const Recipe*> order;
  std::set<const Recipe*> placed, open;
  // True when `recipe` cannot be built before every recipe in `open` is: one of them is among its
  // build inputs, or what those need at run time, however far down.
  auto needs_open = [&](const Recipe* recipe) {
    std::set<const Recipe*> seen;
    std::function<bool(const Recipe*)> reaches = [&](const Recipe* from) {
      if (open.count(from)) return true;
      if (!seen.insert(from).second) return false;
      for (const Recipe* input : build_inputs(*from)) {
        if (reaches(input)) return true;
        for (const std::string& name : with_run_time_depends(input->depends))
          if (const Recipe* needed = provider(name); needed && reaches(needed)) return true;
      }
      return false;
    };
    return reaches(recipe);
  };
  std::function<void(const Recipe*)> place = [&](const Recipe* recipe) {
    if (!placed.insert(recipe).second) return;
    open.insert(recipe);
    for (const Recipe* input : build_inputs(*recipe)) {
      place(input);
      // A build dependency comes with what it needs at run time (libarchive's libz.so must be
      // in the sysroot to link against libarchive.so).
      for (const std::string& name : with_run_time_depends(input->depends))
        if (const Recipe* needed = provider(name)) place(needed);
    }
    // What the recipe needs at run time comes first too, where that breaks no build dependency:
    // the QA gate checks a package against its run-time depends (a script's interpreter, say).
    for (const std::string& name : recipe->depends)
      if (const Recipe* needed = provider(name); needed && !placed.count(needed) && !needs_open(needed))
        place(needed);
    open.erase(recipe);
    order.push_back(recipe);
  };
  for (const Recipe* root : roots) place(root);
  return order;
}

std::vector<std::string> DependencyGraph::with_run_time_depends(const std::vector<std::string>& names) const {
  std::vector<std::string> all;
  std::set<std::string> seen;
  std::function<void(const std::string&)> add = [&](const std::string& name) {
    if (!seen.insert(name).second) return;
    all.push_back(name);
    if (const Recipe* recipe = provider(name))
      for (const std::string& needed : recipe->depends) add(needed);
  };
  for (const std::string& name : names) add(name);
  return all;
}

std::string DependencyGraph::dot(const std::vector<const Recipe*>& order) const {
  std::set<const Recipe*> shown(order.begin(), order.end());
  std::string text = "digraph xport {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const Recipe* recipe : order)
    text += "  \"" + recipe->name + "\" [label=\"" + recipe->name + "\\n" + recipe->version + "\"];\n";
  for (const Recipe* recipe : order) {
    for (const Recipe* input : build_inputs(*recipe))
      if (shown.count(input)) text += "  \"" + recipe->name + "\" -> \"" + input->name + "\";\n";
    for (const std::string& name : recipe->depends)
      if (const Recipe* runtime = provider(name); runtime && runtime != recipe && shown.count(runtime))
        text += "  \"" + recipe->name + "\" -> \"" + runtime->name + "\" [style=dashed];\n";
  }
  return text + "}\n";
}

}  // namespace xport
