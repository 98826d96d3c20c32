// "Did you mean": names within a small edit distance of a misspelt one.
#pragma once

#include <string>
#include <vector>

namespace xport {

/// The candidates closest to `wanted` (at most a third of its length away), best first.
std::vector<std::string> closest_names(const std::string& wanted,
                                       const std::vector<std::string>& candidates);
/// "a, b, c".
std::string join_names(const std::vector<std::string>& names, const std::string& separator = ", ");

}  // namespace xport
