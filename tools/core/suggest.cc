#include "core/suggest.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>

namespace xport {

std::vector<std::string> closest_names(const std::string& wanted,
                                       const std::vector<std::string>& candidates) {
  const unsigned limit = std::max<unsigned>(1, static_cast<unsigned>(wanted.size() / 3));
  std::vector<std::pair<unsigned, std::string>> scored;
  for (const std::string& candidate : candidates) {
    unsigned distance = llvm::StringRef(wanted).edit_distance(candidate, true, limit + 1);
    bool prefix = !wanted.empty() && llvm::StringRef(candidate).starts_with(wanted);
    if (distance <= limit || prefix) scored.emplace_back(prefix ? 0 : distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto& [distance, name] : scored)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

std::string join_names(const std::vector<std::string>& names, const std::string& separator) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

}  // namespace xport
