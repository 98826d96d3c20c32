#include "fetch/debian_archive.h"

#include <algorithm>
#include <map>
#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "core/process.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

void add_deb822_stanza(const std::map<std::string, std::string>& fields,
                       std::vector<AptRepository>& out) {
  auto get = [&](const char* key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  };
  if (lower(get("enabled")) == "no") return;
  std::vector<std::string> types = split_words(get("types"));
  if (std::find(types.begin(), types.end(), "deb") == types.end()) return;
  std::string signed_by = get("signed-by");
  if (signed_by.find('\n') != std::string::npos || signed_by.find("BEGIN PGP") != std::string::npos)
    signed_by.clear();  // an inline key block: leave verification to apt's defaults
  for (const std::string& uri : split_words(get("uris")))
    for (const std::string& suite : split_words(get("suites")))
      out.push_back({uri, suite, split_words(get("components")), signed_by});
}

}  // namespace

std::vector<AptRepository> parse_apt_sources(const std::string& text, bool deb822) {
  std::vector<AptRepository> out;
  std::istringstream in(text);
  std::string line;
  if (!deb822) {
    while (std::getline(in, line)) {
      line = line.substr(0, line.find('#'));
      std::vector<std::string> words = split_words(line);
      if (words.size() < 3 || words[0] != "deb") continue;
      AptRepository repo;
      size_t at = 1;
      if (words[1].starts_with("[")) {
        // Options such as [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] up to the "]".
        for (; at < words.size(); ++at) {
          std::string option = words[at];
          option.erase(std::remove(option.begin(), option.end(), '['), option.end());
          bool last = option.find(']') != std::string::npos;
          option.erase(std::remove(option.begin(), option.end(), ']'), option.end());
          if (option.starts_with("signed-by=")) repo.signed_by = option.substr(10);
          if (last) {
            ++at;
            break;
          }
        }
      }
      if (at + 1 >= words.size()) continue;
      repo.uri = words[at];
      repo.suite = words[at + 1];
      repo.components.assign(words.begin() + static_cast<long>(at) + 2, words.end());
      out.push_back(std::move(repo));
    }
    return out;
  }
  std::map<std::string, std::string> fields;
  std::string last_key;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (!fields.empty()) add_deb822_stanza(fields, out);
      fields.clear();
      continue;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !last_key.empty()) {
      fields[last_key] += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last_key = lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    fields[last_key] = value;
  }
  if (!fields.empty()) add_deb822_stanza(fields, out);
  return out;
}

Expected<std::vector<AptRepository>> read_host_apt_repositories(const std::string& etc_apt) {
  std::vector<std::pair<std::string, bool>> files;
  if (fs::exists(etc_apt + "/sources.list")) files.emplace_back(etc_apt + "/sources.list", false);
  std::error_code ec;
  std::vector<std::string> parts;
  for (const auto& entry : fs::directory_iterator(etc_apt + "/sources.list.d", ec))
    parts.push_back(entry.path().string());
  std::sort(parts.begin(), parts.end());
  for (const std::string& part : parts) {
    if (part.ends_with(".list")) files.emplace_back(part, false);
    else if (part.ends_with(".sources")) files.emplace_back(part, true);
  }
  std::vector<AptRepository> repositories;
  for (const auto& [file, deb822] : files) {
    auto text = read_file(file);
    if (!text) return text.error();
    for (AptRepository& repo : parse_apt_sources(*text, deb822)) repositories.push_back(std::move(repo));
  }
  if (repositories.empty())
    return Error(etc_apt + ": no Debian repository is configured, so there is no source archive to use");
  return repositories;
}

std::string deb_src_list(const std::vector<AptRepository>& repositories) {
  std::string out = "# Written by xport from the host's apt configuration; deb-src only.\n";
  for (const AptRepository& repo : repositories) {
    out += "deb-src ";
    if (!repo.signed_by.empty()) out += "[signed-by=" + repo.signed_by + "] ";
    out += repo.uri + " " + repo.suite;
    for (const std::string& component : repo.components) out += " " + component;
    out += "\n";
  }
  return out;
}

DebianSourceArchive::DebianSourceArchive(std::string state_dir, std::string etc_apt)
    : state_dir_(std::move(state_dir)), etc_apt_(std::move(etc_apt)) {}

std::vector<std::string> DebianSourceArchive::apt_options() const {
  return {"-o", "Dir::Etc::SourceList=" + state_dir_ + "/sources.list",
          "-o", "Dir::Etc::SourceParts=" + state_dir_ + "/sources.list.d",
          "-o", "Dir::State::Lists=" + state_dir_ + "/lists",
          "-o", "Dir::Cache=" + state_dir_ + "/cache",
          "-o", "Dir::Cache::pkgcache=",
          "-o", "Dir::Cache::srcpkgcache=",
          "-o", "APT::Sandbox::User=root",
          "-o", "Debug::NoLocking=1",
          "-q"};
}

Status DebianSourceArchive::prepare() {
  if (prepared_) return Status::success();
  auto repositories = read_host_apt_repositories(etc_apt_);
  if (!repositories) return repositories.error();
  std::error_code ec;
  for (const char* dir : {"sources.list.d", "lists/partial", "cache/archives/partial"})
    fs::create_directories(state_dir_ + "/" + dir, ec);
  if (ec) return Error(state_dir_ + ": cannot create apt state: " + ec.message());
  const std::string list = deb_src_list(*repositories);
  auto old = read_file(state_dir_ + "/sources.list");
  bool lists_present = false;
  for (const auto& entry : fs::directory_iterator(state_dir_ + "/lists", ec))
    if (entry.path().filename().string().find("_Sources") != std::string::npos) lists_present = true;
  if (!old || *old != list || !lists_present) {
    if (Status written = write_file_atomically(state_dir_ + "/sources.list", list); !written.ok())
      return written;
    std::vector<std::string> argv = {"apt-get"};
    for (const std::string& option : apt_options()) argv.push_back(option);
    argv.push_back("update");
    auto result = run_process(argv);
    if (!result) return result.error();
    if (result->exit_code != 0)
      return Error("apt-get update for the source archive failed (state in " + state_dir_ + "):\n" +
                   result->output);
  }
  prepared_ = true;
  return Status::success();
}

std::vector<std::string> source_versions_with_file(const std::string& showsrc, const std::string& file) {
  std::vector<std::string> versions;
  std::istringstream lines(showsrc);
  std::string version;
  bool has_file = false;
  auto close_stanza = [&] {
    if (has_file && !version.empty() && std::find(versions.begin(), versions.end(), version) == versions.end())
      versions.push_back(version);
    version.clear();
    has_file = false;
  };
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      close_stanza();
    } else if (line.starts_with("Version: ")) {
      version = line.substr(9);
    } else if (line.starts_with(" ")) {
      // " <digest> <size> <name>" under Files: and Checksums-*:
      std::vector<std::string> words = split_words(line);
      if (words.size() == 3 && words[2] == file) has_file = true;
    }
  }
  close_stanza();
  return versions;
}

Expected<std::string> DebianSourceArchive::download(const std::string& package,
                                                    const std::string& version,
                                                    const std::string& file,
                                                    const std::string& download_dir) {
  if (Status ready = prepare(); !ready.ok()) return ready.error();
  std::error_code ec;
  fs::create_directories(download_dir, ec);
  const std::string path = download_dir + "/" + file;
  auto fetch = [&](const std::string& wanted) -> Expected<std::string> {
    std::vector<std::string> argv = {"apt-get"};
    for (const std::string& option : apt_options()) argv.push_back(option);
    argv.insert(argv.end(), {"source", "--download-only", package + "=" + wanted});
    auto result = run_process(argv, {.cwd = download_dir});
    if (!result) return result.error();
    // apt fails the whole download when one file is missing (a .dsc signature, say), but a
    // file it did fetch is as good as any: its sha256 is checked by the caller.
    if (fs::exists(path)) return path;
    if (result->exit_code != 0) return Error("apt-get source " + package + "=" + wanted + " failed:\n" + result->output);
    return Error("apt-get source " + package + "=" + wanted + " brought no file named " + file +
                 " (check the recipe's 'file')");
  };
  auto pinned = fetch(version);
  if (pinned) return pinned;
  std::vector<std::string> argv = {"apt-cache"};
  for (const std::string& option : apt_options()) argv.push_back(option);
  argv.insert(argv.end(), {"showsrc", package});
  auto showsrc = run_process(argv);
  if (!showsrc || showsrc->exit_code != 0) return pinned.error();
  for (const std::string& other : source_versions_with_file(showsrc->output, file)) {
    if (other == version) continue;
    if (auto fetched = fetch(other)) return fetched;
  }
  return pinned.error();
}

}  // namespace xport
