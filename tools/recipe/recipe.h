// A recipe is the declarative description of one package: where its source comes from (pinned
// by sha256), how it is built, what it needs and what it produces. One YAML file per package,
// recipes/<name>/<name>.yaml, with its patches beside it. The format is in docs/recipes.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct SourceSpec {
  std::vector<std::string> urls;     // upstream locations, tried in order
  std::string sha256;                // of the file as downloaded
  std::string file;                  // cache file name (default: the first URL's base name)
  std::string debian_package;        // `apt-get source` fallback: source package name ...
  std::string debian_version;        // ... and version
  std::vector<std::string> extract;  // only these subtrees (after the top directory is stripped)
  std::string destination;           // sub-directory of the work tree to extract into ("" = top)
};

struct HashedFile {
  std::string path;    // relative to the source tree (licenses) or the recipe dir (patches)
  std::string sha256;
};

struct HostTool {
  std::string command;         // what the build runs, e.g. rsync
  std::string debian_package;  // what provides it on a Debian host
};

struct RecipeOutput {
  std::string name;                // package name, e.g. zlib-dev
  std::string description;
  std::vector<std::string> files;  // globs relative to the install root
};

struct RecipeWaiver {
  std::string check;
  std::string path;
  std::string reason;
};

struct Recipe {
  std::string name;
  std::string version;
  int release = 1;
  std::string description;
  std::string homepage;
  std::string license;                  // SPDX expression
  std::vector<HashedFile> license_files;
  std::vector<SourceSpec> sources;
  std::vector<HashedFile> patches;
  std::string build_style;              // autotools, cmake, meson, make, kbuild, custom
  /// The build writes nothing into its sources, so its phases read the tree extracted in the
  /// cache (read-only) instead of a copy. One source, no patches.
  bool out_of_tree = false;
  std::vector<std::string> configure_args;
  std::map<std::string, bool> features;  // every optional feature, on or off
  std::map<std::string, std::string> phases;  // prepare, configure, build, check, install, post-install
  std::vector<std::string> depends;        // at run time on the target
  std::vector<std::string> build_depends;  // target packages needed to build
  /// Build dependencies that only a later phase needs (phase -> names, each also in
  /// build_depends): the earlier phases may run while those are still being built.
  std::map<std::string, std::vector<std::string>> phase_depends;
  std::vector<HostTool> host_tools;
  std::vector<RecipeOutput> outputs;
  std::vector<RecipeWaiver> waivers;
  std::map<std::string, std::string> unsupported_arches;  // arch -> why
  int64_t source_date_epoch = 0;

  /// Where each name in depends and build_depends is written ("file:line:column"), for messages.
  std::map<std::string, std::string> mentions;

  std::string file;  // the YAML file
  std::string dir;   // its directory (patches live here)
};

/// The build styles a recipe may name.
const std::vector<std::string>& known_build_styles();
/// The phases a recipe may override, in the order they run.
const std::vector<std::string>& known_phases();

/// Parses one recipe; errors carry file:line:column and the key at fault.
Expected<Recipe> parse_recipe(const std::string& yaml_text, const std::string& path);
Expected<Recipe> load_recipe_file(const std::string& path);

/// Every recipe under a directory (recipes/<name>/<name>.yaml).
class RecipeSet {
 public:
  /// Fails on the first bad recipe; with `problems`, a bad recipe is described there instead
  /// and left out, so that one broken file does not hide the others (xport recipe lint).
  static Expected<RecipeSet> load_dir(const std::string& dir, std::vector<std::string>* problems = nullptr);
  const std::vector<Recipe>& all() const { return recipes_; }
  const Recipe* find(const std::string& name) const;
  std::vector<std::string> suggest(const std::string& name) const;

 private:
  std::vector<Recipe> recipes_;
};

}  // namespace xport
