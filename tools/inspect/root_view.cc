#include "inspect/root_view.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace xport::inspect {

namespace {

constexpr int kMaxSymlinkHops = 40;  // as Linux's MAXSYMLINKS

std::vector<std::string> split_components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::string normalize_root_path(const std::string& path) {
  std::vector<std::string> out;
  for (std::string& part : split_components(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(std::move(part));
  }
  std::string result;
  for (const std::string& part : out) result += "/" + part;
  return result.empty() ? "/" : result;
}

std::string root_dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

std::optional<std::string> RootView::resolve(const std::string& path) const {
  std::vector<std::string> pending = split_components(path);
  std::reverse(pending.begin(), pending.end());  // a stack: next component at the back
  std::string current;                          // resolved so far, "" meaning "/"
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      current = current.empty() ? "" : root_dirname(current) == "/" ? "" : root_dirname(current);
      continue;
    }
    std::string candidate = current + "/" + part;
    std::optional<RootNode> node = lstat(candidate);
    if (!node) return std::nullopt;
    if (node->kind == EntryKind::Symlink) {
      if (++hops > kMaxSymlinkHops || node->link_target.empty()) return std::nullopt;
      std::vector<std::string> target = split_components(node->link_target);
      for (auto it = target.rbegin(); it != target.rend(); ++it) pending.push_back(*it);
      if (node->link_target[0] == '/') current.clear();
      continue;
    }
    if (!pending.empty() && node->kind != EntryKind::Directory) return std::nullopt;
    current = candidate;
  }
  return current.empty() ? "/" : current;
}

DiskRoot::DiskRoot(std::string dir) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

std::optional<RootNode> DiskRoot::lstat(const std::string& path) const {
  std::string full = dir_ + path;
  struct stat st;
  if (::lstat(full.c_str(), &st) != 0) return std::nullopt;
  RootNode node;
  if (S_ISREG(st.st_mode)) {
    node.kind = EntryKind::Regular;
  } else if (S_ISDIR(st.st_mode)) {
    node.kind = EntryKind::Directory;
  } else if (S_ISLNK(st.st_mode)) {
    node.kind = EntryKind::Symlink;
    char buffer[4096];
    ssize_t length = readlink(full.c_str(), buffer, sizeof buffer);
    if (length < 0) return std::nullopt;
    node.link_target.assign(buffer, static_cast<size_t>(length));
  } else {
    node.kind = EntryKind::Other;
  }
  return node;
}

std::optional<std::string> DiskRoot::read_small_file(const std::string& path) const {
  constexpr size_t kLimit = 64 << 10;
  auto resolved = resolve(path);
  if (!resolved) return std::nullopt;
  std::string full = dir_ + *resolved;
  int fd = open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::optional<std::string> text;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) <= kLimit) {
    std::string buffer(static_cast<size_t>(st.st_size), '\0');
    ssize_t n = pread(fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) {
      buffer.resize(static_cast<size_t>(n));
      text = std::move(buffer);
    }
  }
  close(fd);
  return text;
}

void DiskRoot::remember(const std::string& path, std::shared_ptr<const ElfFacts> facts) {
  std::lock_guard lock(mutex_);
  cache_.emplace(path, std::move(facts));
}

std::shared_ptr<const ElfFacts> DiskRoot::elf(const std::string& path) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(path); it != cache_.end()) return it->second;
  }
  std::shared_ptr<const ElfFacts> facts;
  std::string full = dir_ + path;
  int fd = open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* map = mmap(nullptr, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      auto read = read_elf_facts(Content(static_cast<unsigned char*>(map), st.st_size));
      if (read) facts = std::make_shared<const ElfFacts>(std::move(*read));
      munmap(map, st.st_size);
    }
  }
  if (fd >= 0) close(fd);
  std::lock_guard lock(mutex_);
  return cache_.emplace(path, facts).first->second;
}

void MemoryRoot::add(const std::string& path, RootNode node, std::shared_ptr<const ElfFacts> facts,
                     std::string small_content) {
  items_[normalize_root_path(path)] =
      Item{std::move(node), std::move(facts), std::move(small_content)};
}

std::optional<std::string> MemoryRoot::read_small_file(const std::string& path) const {
  auto resolved = resolve(path);
  if (!resolved) return std::nullopt;
  if (auto it = items_.find(*resolved); it != items_.end()) {
    if (it->second.node.kind != EntryKind::Regular) return std::nullopt;
    return it->second.small_content;
  }
  return lower_ ? lower_->read_small_file(*resolved) : std::nullopt;
}

std::optional<RootNode> MemoryRoot::lstat(const std::string& path) const {
  if (auto it = items_.find(path); it != items_.end()) return it->second.node;
  if (lower_)
    if (auto node = lower_->lstat(path)) return node;
  // Archives often omit directory members: a path is a directory when something lies below it.
  auto below = items_.lower_bound(path + "/");
  if (path == "/" || (below != items_.end() && below->first.starts_with(path + "/")))
    return RootNode{EntryKind::Directory, ""};
  return std::nullopt;
}

std::shared_ptr<const ElfFacts> MemoryRoot::elf(const std::string& path) {
  if (auto it = items_.find(path); it != items_.end()) return it->second.facts;
  return lower_ ? lower_->elf(path) : nullptr;
}

std::string MemoryRoot::describe() const {
  return lower_ ? "the archive over " + lower_->describe() : "the archive";
}

}  // namespace xport::inspect
