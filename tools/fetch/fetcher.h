// Gets a recipe's source into the cache, verified. Where from, in order: the cache, --mirror
// directories, the upstream URLs (with curl or wget when the host has one), then Debian's source
// archive. A file enters the cache only after its sha256 matched, by an atomic rename; a file
// with the wrong hash is kept aside in <cache>/rejected/ and never used.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "recipe/recipe.h"

namespace xport {

struct FetchOptions {
  std::string cache_dir;               // holds sources/, rejected/, apt/, tmp/
  std::vector<std::string> mirrors;    // directories holding source files by name
  bool offline = false;                // cache and mirrors only
  std::function<void(const std::string&)> log;  // one line per thing done, for progress
};

/// $XDG_CACHE_HOME/xport, else ~/.cache/xport.
std::string default_cache_dir();

class SourceFetcher {
 public:
  explicit SourceFetcher(FetchOptions options);

  /// The cached, verified file for `source`, fetched first when missing.
  Expected<std::string> fetch(const SourceSpec& source);
  /// Where `source` lives in the cache once verified.
  std::string cache_path(const SourceSpec& source) const;

 private:
  Expected<std::string> admit(const std::string& candidate, const SourceSpec& source, bool move);
  std::string log_line(const std::string& line) const;
  FetchOptions options_;
};

}  // namespace xport
