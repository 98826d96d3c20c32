#include "recipe/recipe.h"

#include <algorithm>
#include <filesystem>

#include "core/files.h"
#include "core/suggest.h"
#include "core/yaml_reader.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

bool is_sha256(const std::string& text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); });
}

void require_sha256(YamlReader& reader, const char* key, const std::string& value) {
  if (reader.ok() && !is_sha256(value))
    reader.fail("'" + std::string(key) + "' must be 64 lower-case hex digits (a sha256), not '" +
                    value + "'",
                reader.node(key));
}

std::vector<HashedFile> read_hashed_files(YamlReader& top, const char* key) {
  std::vector<HashedFile> files;
  YAML::Node list = top.node(key);
  if (!list.IsDefined() || list.IsNull()) return files;
  if (!list.IsSequence()) {
    top.fail("'" + std::string(key) + "' must be a list", list);
    return files;
  }
  for (const YAML::Node& item : list) {
    YamlReader entry = top.child(item, std::string(key) + "[]");
    entry.reject_unknown_keys({"path", "sha256"});
    HashedFile file{entry.string("path"), entry.string("sha256")};
    require_sha256(entry, "sha256", file.sha256);
    if (!entry.ok()) return files;
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

const std::vector<std::string>& known_build_styles() {
  static const std::vector<std::string> styles = {"autotools", "cmake", "meson", "make", "kbuild", "custom"};
  return styles;
}

const std::vector<std::string>& known_phases() {
  static const std::vector<std::string> phases = {"prepare", "configure", "build", "check", "install",
                                                  "post-install"};
  return phases;
}

Expected<Recipe> parse_recipe(const std::string& yaml_text, const std::string& path) {
  auto doc = parse_yaml(yaml_text, path);
  if (!doc) return doc.error();
  if (!doc->IsMap()) return Error(path + ": a recipe must be a mapping of keys to values");
  YamlReader top(*doc, path);
  top.reject_unknown_keys({"name", "version", "release", "description", "homepage", "license",
                           "license_files", "sources", "patches", "build_style", "out_of_tree", "configure_args",
                           "features", "phases", "depends", "build_depends", "phase_depends", "host_tools", "outputs",
                           "waivers", "unsupported_arches", "source_date_epoch"});
  Recipe recipe;
  recipe.file = path;
  recipe.dir = fs::path(path).parent_path().string();
  recipe.name = top.string("name");
  recipe.version = top.string("version");
  recipe.release = static_cast<int>(top.optional_integer("release").value_or(1));
  recipe.description = top.string("description");
  recipe.homepage = top.optional_string("homepage").value_or("");
  recipe.license = top.string("license");
  recipe.license_files = read_hashed_files(top, "license_files");
  recipe.patches = read_hashed_files(top, "patches");
  recipe.build_style = top.string("build_style");
  recipe.out_of_tree = top.boolean("out_of_tree", false);
  recipe.configure_args = top.strings("configure_args");
  recipe.depends = top.strings("depends");
  recipe.build_depends = top.strings("build_depends");
  for (const char* key : {"depends", "build_depends"})
    if (YAML::Node list = top.node(key); top.has(key) && list.IsSequence())
      for (const YAML::Node& item : list)
        if (item.IsScalar()) recipe.mentions.emplace(item.Scalar(), yaml_location(path, item.Mark()));
  recipe.source_date_epoch = top.integer("source_date_epoch");
  if (!top.ok()) return top.error();

  if (std::find(known_build_styles().begin(), known_build_styles().end(), recipe.build_style) ==
      known_build_styles().end())
    top.fail("'build_style' must be one of " + join_names(known_build_styles()) + ", not '" +
                 recipe.build_style + "'",
             top.node("build_style"));

  YAML::Node sources = top.node("sources");
  // An empty list is allowed: a recipe such as base-files writes every file in its phases.
  if (!sources.IsDefined() || !sources.IsSequence()) {
    top.fail("'sources' must be a list of sources ([] when the phases make every file)", sources);
  } else {
    for (const YAML::Node& item : sources) {
      YamlReader source = top.child(item, "sources[]");
      source.reject_unknown_keys({"url", "sha256", "file", "debian", "extract", "destination"});
      SourceSpec spec;
      spec.urls = source.strings("url");
      spec.sha256 = source.string("sha256");
      require_sha256(source, "sha256", spec.sha256);
      spec.file = source.optional_string("file").value_or("");
      if (spec.file.empty() && !spec.urls.empty()) spec.file = spec.urls[0].substr(spec.urls[0].rfind('/') + 1);
      if (source.ok() && spec.file.empty()) source.fail("a source needs a 'url' or a 'file' name");
      if (spec.file.find('/') != std::string::npos || spec.file == "..")
        source.fail("'file' must be a plain file name, not '" + spec.file + "'", source.node("file"));
      if (source.has("debian")) {
        YamlReader debian = source.map("debian");
        debian.reject_unknown_keys({"package", "version"});
        spec.debian_package = debian.string("package");
        spec.debian_version = debian.string("version");
      }
      if (source.ok() && spec.urls.empty() && spec.debian_package.empty())
        source.fail("a source needs 'url' or 'debian' (somewhere to get it from)");
      spec.extract = source.strings("extract");
      spec.destination = source.optional_string("destination").value_or("");
      recipe.sources.push_back(std::move(spec));
      if (!source.ok()) break;
    }
  }

  if (recipe.out_of_tree && top.ok() && (recipe.sources.size() != 1 || !recipe.patches.empty() ||
                                         !recipe.sources.front().destination.empty()))
    top.fail("'out_of_tree' builds read the one extracted source tree as it is: one source, no "
             "'destination', no patches",
             top.node("out_of_tree"));
  if (top.has("features")) {
    for (const auto& entry : top.node("features")) {
      const std::string& value = entry.second.IsScalar() ? entry.second.Scalar() : "";
      if (value != "on" && value != "off" && value != "true" && value != "false") {
        top.fail("feature '" + entry.first.Scalar() + "' must be on or off", entry.second);
        break;
      }
      recipe.features[entry.first.Scalar()] = value == "on" || value == "true";
    }
  }
  if (top.has("phases")) {
    YamlReader phases = top.map("phases");
    std::vector<const char*> names;
    for (const std::string& phase : known_phases()) names.push_back(phase.c_str());
    for (const auto& entry : top.node("phases")) {
      const std::string name = entry.first.Scalar();
      if (std::find(known_phases().begin(), known_phases().end(), name) == known_phases().end()) {
        phases.fail("unknown phase '" + name + "' (phases: " + join_names(known_phases()) + ")", entry.first);
        break;
      }
      recipe.phases[name] = phases.string(name.c_str());
    }
  }
  if (top.has("phase_depends")) {
    YamlReader phase_depends = top.map("phase_depends");
    for (const auto& entry : top.node("phase_depends")) {
      const std::string phase = entry.first.Scalar();
      if (std::find(known_phases().begin(), known_phases().end(), phase) == known_phases().end()) {
        phase_depends.fail("unknown phase '" + phase + "' (phases: " + join_names(known_phases()) + ")", entry.first);
        break;
      }
      for (const std::string& name : phase_depends.strings(phase.c_str())) {
        if (std::find(recipe.build_depends.begin(), recipe.build_depends.end(), name) == recipe.build_depends.end())
          phase_depends.fail("'" + name + "' in phase_depends." + phase + " is not in build_depends", entry.second);
        recipe.phase_depends[phase].push_back(name);
      }
    }
  }
  if (top.has("host_tools")) {
    for (const YAML::Node& item : top.node("host_tools")) {
      YamlReader tool = top.child(item, "host_tools[]");
      tool.reject_unknown_keys({"command", "debian"});
      recipe.host_tools.push_back({tool.string("command"), tool.string("debian")});
      if (!tool.ok()) break;
    }
  }
  if (top.has("outputs")) {
    for (const YAML::Node& item : top.node("outputs")) {
      YamlReader output = top.child(item, "outputs[]");
      output.reject_unknown_keys({"name", "description", "files"});
      recipe.outputs.push_back({output.string("name"), output.optional_string("description").value_or(""),
                                output.strings("files")});
      if (!output.ok()) break;
    }
  }
  if (top.has("waivers")) {
    for (const YAML::Node& item : top.node("waivers")) {
      YamlReader waiver = top.child(item, "waivers[]");
      waiver.reject_unknown_keys({"check", "path", "reason"});
      recipe.waivers.push_back({waiver.string("check"), waiver.string("path"), waiver.string("reason")});
      if (!waiver.ok()) break;
    }
  }
  if (top.has("unsupported_arches")) {
    for (const auto& entry : top.node("unsupported_arches"))
      recipe.unsupported_arches[entry.first.Scalar()] =
          entry.second.IsScalar() ? entry.second.Scalar() : "unsupported";
  }
  if (!top.ok()) return top.error();
  const std::string expected = fs::path(path).stem().string();
  if (recipe.name != expected)
    return Error(yaml_location(path, (*doc)["name"].Mark()) + ": recipe name '" + recipe.name +
                 "' does not match its file name '" + expected + ".yaml'");
  return recipe;
}

Expected<Recipe> load_recipe_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_recipe(*text, path);
}

Expected<RecipeSet> RecipeSet::load_dir(const std::string& dir, std::vector<std::string>* problems) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_directory()) continue;
    fs::path file = entry.path() / (entry.path().filename().string() + ".yaml");
    if (fs::exists(file)) files.push_back(file.string());
  }
  if (ec) return Error(dir + ": cannot list recipes: " + ec.message());
  std::sort(files.begin(), files.end());
  RecipeSet set;
  for (const std::string& file : files) {
    auto recipe = load_recipe_file(file);
    if (!recipe && problems) {
      problems->push_back(recipe.error().message());
      continue;
    }
    if (!recipe) return recipe.error();
    set.recipes_.push_back(std::move(*recipe));
  }
  return set;
}

const Recipe* RecipeSet::find(const std::string& name) const {
  for (const Recipe& recipe : recipes_)
    if (recipe.name == name) return &recipe;
  return nullptr;
}

std::vector<std::string> RecipeSet::suggest(const std::string& name) const {
  std::vector<std::string> names;
  for (const Recipe& recipe : recipes_) names.push_back(recipe.name);
  return closest_names(name, names);
}

}  // namespace xport
