#include "inspect/path_scanner.h"

#include <algorithm>
#include <cstring>
#include <optional>

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

// The first place `pattern` (not empty) starts in `window`, or npos. memchr for its first byte
// is vectorised in glibc and skips most of the bytes; glibc's memmem is not, and was a third of
// all of xport inspect's time.
size_t find_pattern(std::string_view window, const std::string& pattern) {
  const char* at = window.data();
  const char* const end = window.data() + window.size();
  while (static_cast<size_t>(end - at) >= pattern.size()) {
    const void* first = std::memchr(at, pattern[0], static_cast<size_t>(end - at) - pattern.size() + 1);
    if (!first) break;
    at = static_cast<const char*>(first);
    if (std::memcmp(at + 1, pattern.data() + 1, pattern.size() - 1) == 0)
      return static_cast<size_t>(at - window.data());
    ++at;
  }
  return std::string_view::npos;
}

}  // namespace

PathScanner::PathScanner(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {
  patterns_.erase(std::remove(patterns_.begin(), patterns_.end(), std::string()), patterns_.end());
  std::sort(patterns_.begin(), patterns_.end());
  patterns_.erase(std::unique(patterns_.begin(), patterns_.end()), patterns_.end());
  for (const std::string& pattern : patterns_) longest_ = std::max(longest_, pattern.size());
}

std::vector<PathHit> PathScanner::scan(std::string_view data, const ConsumedFn& consumed) const {
  std::vector<std::optional<PathHit>> first(patterns_.size());
  size_t unfound = patterns_.size();
  // A match may start in one window and end in the next: each window also reads the first
  // longest-1 bytes of the following one, so a match is found in the window where it starts.
  for (size_t begin = 0; begin < data.size() && unfound > 0; begin += kWindow) {
    const size_t end = std::min(data.size(), begin + kWindow + longest_ - 1);
    std::string_view window = data.substr(begin, end - begin);
    for (size_t i = 0; i < patterns_.size(); ++i) {
      if (first[i]) continue;
      const std::string& pattern = patterns_[i];
      const size_t found = find_pattern(window, pattern);
      if (found == std::string_view::npos) continue;
      const size_t at = begin + found;
      first[i] = PathHit{pattern, context_around(data, at, pattern.size())};
      --unfound;
    }
    if (consumed) consumed(std::min(data.size(), begin + kWindow));
  }
  std::vector<PathHit> hits;
  for (auto& hit : first)
    if (hit) hits.push_back(std::move(*hit));
  return hits;
}

}  // namespace xport::inspect
