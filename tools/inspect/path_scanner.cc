#include "inspect/path_scanner.h"

#include <algorithm>
#include <cstring>

namespace xport::inspect {

namespace {

bool printable(char c) { return c >= 0x20 && c < 0x7f; }

std::string context_around(std::string_view data, size_t at, size_t length) {
  constexpr size_t kMaxContext = 200;
  size_t begin = at;
  while (begin > 0 && at - begin < kMaxContext && printable(data[begin - 1])) --begin;
  size_t end = at + length;
  while (end < data.size() && end - at < kMaxContext && printable(data[end])) ++end;
  return std::string(data.substr(begin, end - begin));
}

}  // namespace

PathScanner::PathScanner(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {
  patterns_.erase(std::remove(patterns_.begin(), patterns_.end(), std::string()), patterns_.end());
  std::sort(patterns_.begin(), patterns_.end());
  patterns_.erase(std::unique(patterns_.begin(), patterns_.end()), patterns_.end());
}

std::vector<PathHit> PathScanner::scan(std::string_view data) const {
  std::vector<PathHit> hits;
  for (const std::string& pattern : patterns_) {
    // memmem (two-way, vectorised in glibc) is what makes scanning every byte affordable.
    const void* found = memmem(data.data(), data.size(), pattern.data(), pattern.size());
    if (!found) continue;
    size_t at = static_cast<const char*>(found) - data.data();
    hits.push_back({pattern, context_around(data, at, pattern.size())});
  }
  return hits;
}

}  // namespace xport::inspect
