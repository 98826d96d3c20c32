// Searches bytes for forbidden paths (the build host's directories, staging dirs).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xport::inspect {

struct PathHit {
  std::string pattern;  // the forbidden path that matched
  std::string context;  // the printable string around it, e.g. /usr/lib/x86_64-linux-gnu/libz.so
};

class PathScanner {
 public:
  explicit PathScanner(std::vector<std::string> patterns);

  /// Each pattern found in `data`, once, with the first place it occurs.
  std::vector<PathHit> scan(std::string_view data) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  std::vector<std::string> patterns_;
};

}  // namespace xport::inspect
