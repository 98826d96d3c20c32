// Checks on a file's bytes and metadata: build-host paths, pkg-config and libtool files,
// symlinks, permissions, ownership.
#include <sys/stat.h>

#include <algorithm>

#include "inspect/check_context.h"

namespace xport::inspect {

namespace {

bool ends_with(const std::string& text, const char* suffix) {
  return text.ends_with(suffix);
}

std::string quoted_context(const PathHit& hit) {
  if (hit.context == hit.pattern) return hit.pattern;
  return hit.pattern + " (in \"" + hit.context + "\")";
}

// Directories that exist only at run time: links into them are not dangling.
constexpr const char* kVirtualDirs[] = {"/proc/", "/sys/", "/dev/", "/run/", "/tmp/"};

// True when a relative symlink at `link_path` climbs above the root.
bool escapes_root(const std::string& link_path, const std::string& target) {
  int depth = 0;
  for (char c : root_dirname(link_path)) depth += c == '/';
  if (root_dirname(link_path) == "/") depth = 0;
  size_t start = 0;
  while (start <= target.size()) {
    size_t slash = target.find('/', start);
    if (slash == std::string::npos) slash = target.size();
    std::string_view part(target.data() + start, slash - start);
    if (part == "..") {
      if (--depth < 0) return true;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = slash + 1;
  }
  return false;
}

}  // namespace

void check_contents(const FileRecord& record, Content content, const Target& target,
                    FileFindings& findings, const ConsumedFn& consumed) {
  if (record.entry.kind != EntryKind::Regular) return;
  std::string_view bytes(reinterpret_cast<const char*>(content.data()), content.size());
  const bool pkgconfig = ends_with(record.target_path, ".pc");
  const bool libtool = ends_with(record.target_path, ".la");
  if (pkgconfig || libtool) {
    // Staging prefixes count here too: a .pc or .la is all paths, and a wrong one breaks users.
    std::vector<std::string> patterns = target.forbidden.patterns();
    patterns.insert(patterns.end(), target.staging_prefixes.begin(), target.staging_prefixes.end());
    for (const PathHit& hit : PathScanner(patterns).scan(bytes))
      findings.add(pkgconfig ? "pkgconfig" : "libtool", "refers to " + quoted_context(hit));
    return;
  }
  for (const PathHit& hit : target.forbidden.scan(bytes, consumed))
    findings.add("buildpaths", "contains " + quoted_context(hit));
  if (record.elf)
    for (const std::string& hit : record.elf->compressed_path_hits)
      findings.add("buildpaths", "a compressed section contains \"" + hit + "\"");
}

void check_metadata(const FileRecord& record, const Target& target, FileFindings& findings) {
  const Entry& entry = record.entry;
  if (entry.kind == EntryKind::Symlink) {
    if (!entry.link_target.empty() && entry.link_target[0] == '/')
      findings.add("symlink", Severity::Warning,
                   "absolute link to " + entry.link_target +
                       " (resolves against the host's / when the root is not the system root)");
    else if (escapes_root(record.target_path, entry.link_target))
      findings.add("symlink", "link to " + entry.link_target + " leaves the root");
    return;  // a link's mode and owner do not matter
  }
  if (entry.mode & (S_ISUID | S_ISGID)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", entry.mode & 07777);
    findings.add("permissions", std::string(entry.mode & S_ISUID ? "setuid" : "setgid") +
                                    " file (mode " + mode + ")");
  }
  const bool sticky_dir = entry.kind == EntryKind::Directory && (entry.mode & S_ISVTX);
  if ((entry.mode & S_IWOTH) && !sticky_dir && entry.kind != EntryKind::Other)
    findings.add("permissions", "world-writable " +
                                    std::string(entry.kind == EntryKind::Directory ? "directory"
                                                                                   : "file"));
  if (entry.uid != 0 || entry.gid != 0)
    findings.add("owner", "owned by uid " + std::to_string(entry.uid) + ", gid " +
                              std::to_string(entry.gid) + " instead of root");
}

void check_symlink_in_root(const FileRecord& record, RootView& root, FileFindings& findings) {
  const Entry& entry = record.entry;
  if (entry.kind != EntryKind::Symlink || entry.link_target.empty()) return;
  std::string target = entry.link_target[0] == '/'
                           ? entry.link_target
                           : root_dirname(record.target_path) + "/" + entry.link_target;
  target = normalize_root_path(target);
  if (std::any_of(std::begin(kVirtualDirs), std::end(kVirtualDirs),
                  [&](const char* dir) { return (target + "/").starts_with(dir); }))
    return;
  if (entry.link_target[0] != '/' && escapes_root(record.target_path, entry.link_target))
    return;  // already reported as leaving the root
  if (!root.resolve(record.target_path))
    findings.add("symlink", Severity::Warning,
                 "dangling: " + entry.link_target + " does not exist in " + root.describe());
}

void check_shebang_in_root(const FileRecord& record, RootView& root, FileFindings& findings) {
  if (record.shebang.empty()) return;
  // "#!/usr/bin/env -S python3 -u": the interpreter, then (for env) the program it looks up.
  std::vector<std::string> words;
  size_t start = 0;
  const std::string& line = record.shebang;
  while (start < line.size()) {
    size_t end = line.find_first_of(" \t", start);
    if (end == std::string::npos) end = line.size();
    if (end > start) words.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  if (words.empty()) {
    findings.add("shebang", "#! line names no interpreter");
    return;
  }
  const std::string& interpreter = words[0];
  if (interpreter[0] != '/') {
    findings.add("shebang", "interpreter '" + interpreter + "' is not an absolute path");
    return;
  }
  if (!root.resolve(interpreter)) {
    findings.add("shebang", "interpreter " + interpreter + " does not exist in " + root.describe());
    return;
  }
  if (!interpreter.ends_with("/env")) return;
  auto program = std::find_if(words.begin() + 1, words.end(),
                              [](const std::string& w) { return !w.starts_with("-"); });
  if (program == words.end() || program->find('=') != std::string::npos) return;
  for (const char* dir : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
    if (root.resolve(std::string(dir) + "/" + *program)) return;
  findings.add("shebang", "env runs '" + *program + "', which is in no bin directory of " +
                              root.describe());
}

void check_file_in_root(const FileRecord& record, const Target& target, RootView& root,
                        std::vector<Finding>& out) {
  FileFindings findings(record, out);
  check_symlink_in_root(record, root, findings);
  check_shebang_in_root(record, root, findings);
  if (record.elf) {
    check_interp_in_root(record, target, root, findings);
    check_linking(record, target, root, findings);
  }
}

}  // namespace xport::inspect
