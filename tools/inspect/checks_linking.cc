// Checks that follow an object's links into the root: its interpreter, the libraries it needs
// (found by the target loader's own search rules) and the symbols those libraries define.
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/suggest.h"
#include "inspect/check_context.h"

namespace xport::inspect {

namespace {

constexpr size_t kMaxClosure = 512;

// Symbols the static linker defines in every executable; a library may use them undefined.
constexpr std::string_view kLinkerDefinedSymbols[] = {
    "__global_pointer$", "_DYNAMIC",   "_GLOBAL_OFFSET_TABLE_", "__ehdr_start",
    "__executable_start", "__bss_start", "_edata",               "_end"};

bool same_machine(const ElfFacts& a, const ElfFacts& b) {
  return a.machine == b.machine && a.elf_class == b.elf_class && a.big_endian == b.big_endian;
}

std::string expand_origin(const std::string& entry, const std::string& object_path) {
  std::string origin = root_dirname(object_path);
  std::string out = entry;
  for (const char* token : {"${ORIGIN}", "$ORIGIN"}) {
    size_t at;
    while ((at = out.find(token)) != std::string::npos) out.replace(at, std::strlen(token), origin);
  }
  return out;
}

// musl reads /etc/ld-musl-<name>.path, <name> being what its loader is called after "ld-musl-".
std::string musl_path_file(const std::string& loader) {
  size_t start = loader.find("ld-musl-");
  if (start == std::string::npos) return {};
  start += std::strlen("ld-musl-");
  size_t end = loader.find(".so", start);
  return "/etc/ld-musl-" + loader.substr(start, end - start) + ".path";
}

struct SearchResult {
  std::optional<std::string> path;  // resolved path of a library of the right machine
  std::string wrong_machine;        // a candidate rejected for its machine
  std::vector<std::string> searched;
};

class LibrarySearch {
 public:
  LibrarySearch(const Target& target, RootView& root) : root_(root) {
    default_dirs_ = target.libc_info->libdirs;
    if (target.libc == Libc::Musl) {
      // The path file replaces the default dirs when it exists; it is small, read it whole.
      std::string file = musl_path_file(target.libc_info->loader);
      if (auto dirs = read_path_file(file)) default_dirs_ = *dirs;
    }
  }

  SearchResult find(const std::string& name, const ElfFacts& requester,
                    const std::string& requester_path) {
    SearchResult result;
    if (name.find('/') != std::string::npos) {
      try_candidate(name[0] == '/' ? name : root_dirname(requester_path) + "/" + name, requester,
                    result);
      return result;
    }
    std::vector<std::string> dirs;
    // DT_RPATH is used only when there is no DT_RUNPATH (both loaders agree on this).
    const auto& first = requester.runpath.empty() ? requester.rpath : requester.runpath;
    for (const std::string& entry : first)
      if (!entry.empty()) dirs.push_back(expand_origin(entry, requester_path));
    dirs.insert(dirs.end(), default_dirs_.begin(), default_dirs_.end());
    for (const std::string& dir : dirs)
      if (try_candidate(normalize_root_path(dir + "/" + name), requester, result)) return result;
    return result;
  }

  RootView& root() { return root_; }

 private:
  bool try_candidate(const std::string& path, const ElfFacts& requester, SearchResult& result) {
    result.searched.push_back(root_dirname(path));
    auto resolved = root_.resolve(path);
    if (!resolved) return false;
    auto facts = root_.elf(*resolved);
    if (facts && same_machine(*facts, requester)) {
      result.path = *resolved;
      return true;
    }
    if (result.wrong_machine.empty()) result.wrong_machine = path;
    return false;
  }

  std::optional<std::vector<std::string>> read_path_file(const std::string& file) {
    auto text = root_.read_small_file(file);
    if (!text) return std::nullopt;
    std::vector<std::string> dirs;
    std::string current;
    for (char c : *text + "\n") {
      if (c == ':' || c == '\n') {
        if (!current.empty()) dirs.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    return dirs;
  }

  RootView& root_;
  std::vector<std::string> default_dirs_;
};

}  // namespace

void check_interp_in_root(const FileRecord& record, const Target& target, RootView& root,
                          FileFindings& findings) {
  const std::string& interp = record.elf->interp;
  if (interp.empty()) return;
  if (!root.resolve(interp))
    findings.add("interp", "interpreter " + interp + " does not exist in " + root.describe());
}

void check_linking(const FileRecord& record, const Target& target, RootView& root,
                   FileFindings& findings) {
  const ElfFacts& elf = *record.elf;
  if (elf.type != ET_EXEC && elf.type != ET_DYN) return;
  if (elf.needed.empty() && elf.undefined.empty()) return;
  LibrarySearch search(target, root);

  // Breadth-first over DT_NEEDED; only the object's own needs are reported, the closure is
  // what defines its symbols. The interpreter is part of every closure (it is the libc on musl
  // and defines _dl_* on glibc).
  std::vector<std::shared_ptr<const ElfFacts>> closure;
  std::set<std::string> visited;
  std::vector<std::pair<std::string, std::shared_ptr<const ElfFacts>>> queue;
  if (!elf.interp.empty())
    if (auto path = root.resolve(elf.interp))
      if (auto facts = root.elf(*path); facts && visited.insert(*path).second)
        queue.emplace_back(*path, facts);
  for (const std::string& name : elf.needed) {
    SearchResult found = search.find(name, elf, record.target_path);
    if (!found.path) {
      if (!found.wrong_machine.empty())
        findings.add("needed", name + " was found at " + found.wrong_machine +
                                   " but is for another architecture");
      else
        findings.add("needed", name + " is not in " + root.describe() + " (searched " +
                                   join_names(found.searched, ":") + ")");
      continue;
    }
    if (visited.insert(*found.path).second) queue.emplace_back(*found.path, root.elf(*found.path));
  }
  if (elf.undefined.empty()) return;
  for (size_t i = 0; i < queue.size() && i < kMaxClosure; ++i) {
    auto [path, facts] = queue[i];
    if (!facts) continue;
    closure.push_back(facts);
    for (const std::string& name : facts->needed) {
      SearchResult found = search.find(name, *facts, path);
      if (found.path && visited.insert(*found.path).second)
        queue.emplace_back(*found.path, root.elf(*found.path));
    }
  }
  std::vector<std::string> missing;
  for (const std::string& symbol : elf.undefined) {
    const uint64_t hash = symbol_hash(symbol);
    if (std::find(std::begin(kLinkerDefinedSymbols), std::end(kLinkerDefinedSymbols), symbol) !=
        std::end(kLinkerDefinedSymbols))
      continue;
    bool defined = std::any_of(closure.begin(), closure.end(), [&](const auto& lib) {
      return std::binary_search(lib->defined.begin(), lib->defined.end(), hash);
    });
    if (!defined) missing.push_back(symbol);
  }
  if (missing.empty()) return;
  const size_t shown = std::min<size_t>(missing.size(), 8);
  findings.add("undefined",
               std::to_string(missing.size()) + " undefined symbol" + (missing.size() > 1 ? "s" : "") +
                   " defined by no library it needs: " +
                   join_names(std::vector<std::string>(missing.begin(), missing.begin() + shown)) +
                   (missing.size() > shown ? ", ..." : ""));
}

}  // namespace xport::inspect
