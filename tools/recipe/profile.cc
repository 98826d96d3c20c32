#include "recipe/profile.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "core/suggest.h"
#include "core/yaml_reader.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

Expected<Profile> load_profile_file(const std::string& path) {
  auto doc = load_yaml_file(path);
  if (!doc) return doc.error();
  if (!doc->IsMap()) return Error(path + ": a profile is a mapping with name, description and packages");
  YamlReader top(*doc, path);
  top.reject_unknown_keys({"name", "description", "include", "packages"});
  Profile profile;
  profile.name = top.string("name");
  profile.description = top.string("description");
  profile.include = top.strings("include");
  profile.packages = top.strings("packages");
  profile.file = path;
  if (!top.ok()) return top.error();
  if (const std::string expected = fs::path(path).stem().string(); profile.name != expected)
    return Error(yaml_location(path, (*doc)["name"].Mark()) + ": profile name '" + profile.name +
                 "' does not match its file name '" + expected + ".yaml'");
  return profile;
}

}  // namespace

Expected<ProfileSet> ProfileSet::load_dir(const std::string& recipes_dir) {
  const std::string dir = recipes_dir + "/profiles";
  ProfileSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return set;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  if (ec) return Error(dir + ": cannot list profiles: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    auto profile = load_profile_file(file);
    if (!profile) return profile.error();
    set.profiles_.push_back(std::move(*profile));
  }
  return set;
}

const Profile* ProfileSet::find(const std::string& name) const {
  for (const Profile& profile : profiles_)
    if (profile.name == name) return &profile;
  return nullptr;
}

Expected<std::vector<std::string>> ProfileSet::expand(const std::vector<std::string>& names) const {
  std::vector<std::string> expanded;
  std::set<std::string> seen;
  auto add = [&](const std::string& package) {
    if (seen.insert(package).second) expanded.push_back(package);
  };
  std::vector<std::string> open;  // profiles being expanded, to catch include cycles
  std::function<Status(const std::string&)> add_profile = [&](const std::string& name) -> Status {
    const Profile* profile = find(name);
    if (!profile) {
      std::vector<std::string> known;
      for (const Profile& p : profiles_) known.push_back(p.name);
      std::string message = "no profile '@" + name + "' in recipes/profiles/";
      if (auto close = closest_names(name, known); !close.empty()) message += "; did you mean '@" + close.front() + "'?";
      return Error(message);
    }
    if (std::find(open.begin(), open.end(), name) != open.end()) {
      std::string path;
      for (const std::string& p : open) path += "@" + p + " -> ";
      // Named where the cycle closes: the file whose include leads back.
      return Error(find(open.back())->file + ": profiles include each other: " + path + "@" + name);
    }
    open.push_back(name);
    for (const std::string& included : profile->include)
      if (Status status = add_profile(included); !status.ok()) return status;
    open.pop_back();
    for (const std::string& package : profile->packages) add(package);
    return Status::success();
  };
  for (const std::string& name : names) {
    if (!name.starts_with("@")) {
      add(name);
      continue;
    }
    if (Status status = add_profile(name.substr(1)); !status.ok()) return status.error();
  }
  return expanded;
}

}  // namespace xport
