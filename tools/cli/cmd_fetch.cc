// xport fetch [RECIPE...]: puts each recipe's sources into the cache, verified.
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "fetch/fetcher.h"
#include "recipe/graph.h"
#include "recipe/profile.h"
#include "recipe/recipe.h"

namespace xport::cli {

int run_fetch(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "fetch";
  spec.usage = "[options] [PKG...|@PROFILE...]";
  spec.about =
      "Fetches the sources of everything needed to build the named packages (all recipes when\n"
      "none is named; @name for a profile), so that a later build can run --offline, into the cache.\n"
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
      ("recipes", po::value(&names), "package names and @profiles");
  spec.positional.add("recipes", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;

  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  auto profiles = ProfileSet::load_dir(global.data_dir + "/recipes");
  if (!profiles) return print_error(profiles.error());
  auto wanted = profiles->expand(names);
  if (!wanted) return print_error(wanted.error());
  DependencyGraph graph(*recipes);
  auto selected = graph.build_order(graph.with_run_time_depends(*wanted));
  if (!selected) return print_error(selected.error());
  options.log = [](const std::string& line) { std::cerr << "xport fetch: " << line << "\n"; };
  SourceFetcher fetcher(options);
  int failures = 0;
  for (const Recipe* recipe : *selected) {
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
