// Searches bytes for forbidden paths (the build host's directories, staging dirs).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace xport::inspect {

struct PathHit {
  std::string pattern;  // the forbidden path that matched
  std::string context;  // the printable string around it, e.g. /usr/lib/x86_64-linux-gnu/libz.so
};

/// Told, during a scan, that no byte before `offset` will be read again: a mapped file can drop
/// those pages, so a scan of a file of any size keeps only a window of it in memory.
using ConsumedFn = std::function<void(size_t offset)>;

class PathScanner {
 public:
  explicit PathScanner(std::vector<std::string> patterns);

  /// Each pattern found in `data`, once, with the first place it occurs, in pattern order.
  /// The data is read window by window, every pattern searched in a window while it is in the
  /// cache, and each window's end reported to `consumed` once the scan is past it.
  std::vector<PathHit> scan(std::string_view data, const ConsumedFn& consumed = nullptr) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

  static constexpr size_t kWindow = 1 << 20;

 private:
  std::vector<std::string> patterns_;
  size_t longest_ = 0;
};

}  // namespace xport::inspect
