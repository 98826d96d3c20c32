// Profiles: named sets of packages (`recipes/profiles/<name>.yaml`), written `@name` wherever
// packages are named (xport build, xport rootfs, xport graph). A profile may include others.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct Profile {
  std::string name;
  std::string description;
  std::vector<std::string> include;   // other profiles, whose packages come first
  std::vector<std::string> packages;
  std::string file;
};

class ProfileSet {
 public:
  /// Reads `<recipes_dir>/profiles/*.yaml`; no such directory means no profiles.
  static Expected<ProfileSet> load_dir(const std::string& recipes_dir);
  const std::vector<Profile>& all() const { return profiles_; }
  const Profile* find(const std::string& name) const;

  /// `names` with every `@profile` replaced by its packages (those of included profiles first,
  /// each package once). An unknown profile or an include cycle is an Error.
  Expected<std::vector<std::string>> expand(const std::vector<std::string>& names) const;

 private:
  std::vector<Profile> profiles_;
};

}  // namespace xport
