#include "fetch/fetcher.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/process.h"
#include "fetch/debian_archive.h"
#include "fetch/sha256.h"

namespace xport {

namespace fs = std::filesystem;

std::string default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/xport";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache/xport";
}

SourceFetcher::SourceFetcher(FetchOptions options) : options_(std::move(options)) {
  if (options_.cache_dir.empty()) options_.cache_dir = default_cache_dir();
}

std::string SourceFetcher::cache_path(const SourceSpec& source) const {
  return options_.cache_dir + "/sources/" + source.sha256 + "/" + source.file;
}

std::string SourceFetcher::log_line(const std::string& line) const {
  if (options_.log) options_.log(line);
  return line;
}

// Verifies `candidate` and, when it matches, moves or copies it into the cache atomically.
Expected<std::string> SourceFetcher::admit(const std::string& candidate, const SourceSpec& source,
                                           bool move) {
  auto actual = sha256_file(candidate);
  if (!actual) return actual.error();
  if (*actual != source.sha256) {
    const std::string rejected_dir = options_.cache_dir + "/rejected";
    std::error_code ec;
    fs::create_directories(rejected_dir, ec);
    const std::string kept = rejected_dir + "/" + source.file + "." + *actual;
    if (move) fs::rename(candidate, kept, ec);
    else fs::copy_file(candidate, kept, fs::copy_options::overwrite_existing, ec);
    return Error(candidate + ": sha256 mismatch for " + source.file + ": expected " + source.sha256 +
                 ", got " + *actual + (ec ? "" : "; the file is kept in " + kept + " for inspection"));
  }
  const std::string target = cache_path(source);
  std::error_code ec;
  fs::create_directories(fs::path(target).parent_path(), ec);
  if (ec) return Error(target + ": cannot create the cache directory: " + ec.message());
  if (move) {
    fs::rename(candidate, target, ec);
    if (!ec) return target;
  }
  // Copy into the cache's own temporary dir first so the final step is a rename.
  const std::string temp = options_.cache_dir + "/tmp/" + source.file + "." + std::to_string(getpid());
  fs::create_directories(fs::path(temp).parent_path(), ec);
  fs::copy_file(candidate, temp, fs::copy_options::overwrite_existing, ec);
  if (ec) return Error(temp + ": cannot copy into the cache: " + ec.message());
  fs::rename(temp, target, ec);
  if (ec) return Error(target + ": cannot move into the cache: " + ec.message());
  return target;
}

Expected<std::string> SourceFetcher::fetch(const SourceSpec& source) {
  const std::string cached = cache_path(source);
  if (fs::exists(cached)) return cached;
  std::vector<std::string> tried;

  for (const std::string& mirror : options_.mirrors) {
    const std::string candidate = mirror + "/" + source.file;
    if (!fs::exists(candidate)) {
      tried.push_back(candidate + ": not there");
      continue;
    }
    log_line("fetch " + source.file + " from mirror " + mirror);
    auto admitted = admit(candidate, source, /*move=*/false);
    if (admitted) return admitted;
    tried.push_back(admitted.error().message());
  }
  if (options_.offline) {
    tried.push_back("--offline: no downloads");
    return Error("cannot fetch " + source.file + ":\n  " + [&] {
      std::string all;
      for (const std::string& t : tried) all += (all.empty() ? "" : "\n  ") + t;
      return all;
    }());
  }

  const std::string temp_dir = options_.cache_dir + "/tmp";
  std::error_code ec;
  fs::create_directories(temp_dir, ec);
  std::string downloader = find_program("curl");
  bool is_curl = !downloader.empty();
  if (downloader.empty()) downloader = find_program("wget");
  for (const std::string& url : source.urls) {
    if (downloader.empty()) {
      tried.push_back(url + ": neither curl nor wget is installed");
      break;
    }
    const std::string temp = temp_dir + "/" + source.file + ".download." + std::to_string(getpid());
    log_line("fetch " + source.file + " from " + url);
    std::vector<std::string> argv =
        is_curl ? std::vector<std::string>{downloader, "-fsSL", "--connect-timeout", "15", "--retry", "1",
                                           "-o", temp, url}
                : std::vector<std::string>{downloader, "-q", "--timeout=15", "--tries=2", "-O", temp, url};
    auto result = run_process(argv);
    if (!result || result->exit_code != 0) {
      fs::remove(temp, ec);
      tried.push_back(url + ": " + (result ? "download failed: " + result->output : result.error().message()));
      continue;
    }
    auto admitted = admit(temp, source, /*move=*/true);
    if (admitted) return admitted;
    tried.push_back(admitted.error().message());
  }

  if (!source.debian_package.empty()) {
    log_line("fetch " + source.file + " from Debian's source archive (" + source.debian_package + " " +
             source.debian_version + ")");
    DebianSourceArchive archive(options_.cache_dir + "/apt");
    const std::string download_dir = temp_dir + "/apt-source." + std::to_string(getpid());
    auto downloaded = archive.download(source.debian_package, source.debian_version, source.file, download_dir);
    if (downloaded) {
      auto admitted = admit(*downloaded, source, /*move=*/true);
      fs::remove_all(download_dir, ec);
      if (admitted) return admitted;
      tried.push_back(admitted.error().message());
    } else {
      fs::remove_all(download_dir, ec);
      tried.push_back(downloaded.error().message());
    }
  }
  std::string all;
  for (const std::string& t : tried) all += "\n  " + t;
  return Error("cannot fetch " + source.file + ":" + all);
}

}  // namespace xport
