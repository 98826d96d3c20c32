// xport fetch [RECIPE...]: puts each recipe's sources into the cache, verified.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "fetch/fetcher.h"
#include "recipe/recipe.h"

namespace xport::cli {

int run_fetch(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "fetch";
  spec.usage = "[options] [RECIPE...]";
  spec.about =
      "Fetches the sources of the named recipes (all recipes when none is named) into the cache.\n"
      "Each source is tried from the cache, the --mirror directories, its upstream URLs and\n"
      "Debian's source archive (apt-get source, with deb-src entries derived from the host's apt\n"
      "configuration into xport's own apt state), and enters the cache only when its sha256\n"
      "matches the recipe.";
  FetchOptions options;
  std::vector<std::string> names;
  spec.options.add_options()
      ("cache", po::value(&options.cache_dir), "cache directory (default: $XDG_CACHE_HOME/xport)")
      ("mirror", po::value(&options.mirrors)->composing(), "a directory of source files (repeatable)")
      ("offline", po::bool_switch(&options.offline), "use only the cache and the mirrors")
      ("recipes", po::value(&names), "recipe names");
  spec.positional.add("recipes", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;

  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  std::vector<const Recipe*> selected;
  if (names.empty())
    for (const Recipe& recipe : recipes->all()) selected.push_back(&recipe);
  for (const std::string& name : names) {
    const Recipe* recipe = recipes->find(name);
    if (!recipe) {
      std::string message = "no recipe '" + name + "'";
      if (auto close = recipes->suggest(name); !close.empty()) message += "; did you mean '" + close.front() + "'?";
      return print_error(Error(message));
    }
    selected.push_back(recipe);
  }
  options.log = [](const std::string& line) { std::cerr << "xport fetch: " << line << "\n"; };
  SourceFetcher fetcher(options);
  int failures = 0;
  for (const Recipe* recipe : selected) {
    for (const SourceSpec& source : recipe->sources) {
      if (global.dry_run) {
        std::cout << recipe->name << ": " << source.file << " -> " << fetcher.cache_path(source) << "\n";
        continue;
      }
      auto path = fetcher.fetch(source);
      if (!path) {
        print_error(Error(recipe->name + ": " + path.error().message()));
        ++failures;
        continue;
      }
      std::cout << recipe->name << ": " << *path << "\n";
    }
  }
  return failures ? kExitFailed : kExitOk;
}

}  // namespace xport::cli
