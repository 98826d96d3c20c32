#include "inspect/inspector.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "core/paths.h"
#include "core/suggest.h"
#include "inspect/archive_reader.h"
#include "inspect/check_context.h"
#include "inspect/file_source.h"

namespace xport::inspect {

namespace fs = std::filesystem;

namespace {

constexpr size_t kInferenceSample = 512;
constexpr size_t kSmallFileLimit = 64 << 10;

enum class InputKind { Directory, Archive, File };

struct Input {
  std::string path;
  InputKind kind;
  std::shared_ptr<RootView> root;  // nullptr: no root to resolve against
  std::shared_ptr<DiskRoot> own_disk_root;  // set when the root is this directory itself
};

// One unit of parallel work: a file of a tree, a single file, or a whole archive.
struct Task {
  size_t input;
  std::string relative;  // inside a directory input; "" otherwise
};

bool starts_with_bytes(Content content, std::string_view magic) {
  return content.size() >= magic.size() && std::memcmp(content.data(), magic.data(), magic.size()) == 0;
}

std::string shebang_line(Content content) {
  if (!starts_with_bytes(content, "#!")) return {};
  std::string_view text(reinterpret_cast<const char*>(content.data()) + 2,
                        std::min<size_t>(content.size() - 2, 512));
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text.empty() ? " " : text);  // " ": a #! with nothing after it
}

std::string join_path(const std::string& dir, const std::string& relative) {
  if (dir.empty() || dir.back() == '/') return dir + relative;
  return dir + "/" + relative;
}

// Collects what the workers produce; each worker appends to its own vector.
struct Results {
  std::vector<std::vector<Finding>> per_worker;
  std::atomic<uint64_t> files{0};
  std::atomic<uint64_t> elf_files{0};
  std::mutex soname_mutex;
  // (input, SONAME) -> places it is found, for the duplicate check.
  std::map<std::pair<size_t, std::string>, std::vector<FileRecord>> sonames;
};

class Scanner {
 public:
  Scanner(const Target& target, std::vector<Input>& inputs, Results& results)
      : target_(target), inputs_(inputs), results_(results) {}

  void run_task(const Task& task, std::vector<Finding>& out) {
    Input& input = inputs_[task.input];
    switch (input.kind) {
      case InputKind::Directory:
        check_disk_file(input, task.input, join_path(input.path, task.relative), task.relative, out);
        break;
      case InputKind::File:
        check_disk_file(input, task.input, input.path, fs::path(input.path).filename().string(), out);
        break;
      case InputKind::Archive: check_archive(input, task.input, out); break;
    }
  }

 private:
  // Reads the ELF facts (if any) and runs the content checks; returns the record.
  FileRecord examine(std::string file, std::string member, std::string target_path, Entry entry,
                     Content content, std::vector<Finding>& out,
                     const ConsumedFn& consumed = nullptr) {
    results_.files++;
    FileRecord record{std::move(file), std::move(member), std::move(target_path), std::move(entry),
                      nullptr, {}};
    if (record.entry.kind == EntryKind::Regular) {
      record.shebang = shebang_line(content);
      if (is_elf(content)) {
        results_.elf_files++;
        auto facts = read_elf_facts(content, &target_.forbidden);
        if (facts)
          record.elf = std::make_shared<const ElfFacts>(std::move(*facts));
        else
          FileFindings(record, out).add("malformed", facts.error().message());
      }
    }
    // The ELF facts are copied out by now, so the scan may drop pages libelf converted in place.
    check_file_content(record, content, target_, out, consumed);
    return record;
  }

  void check_disk_file(Input& input, size_t input_index, const std::string& disk_path,
                       const std::string& relative, std::vector<Finding>& out) {
    const std::string target_path = normalize_root_path("/" + relative);
    auto file = MappedFile::open(disk_path, relative);
    if (!file) {
      FileRecord record{disk_path, "", target_path, {}, nullptr, {}};
      FileFindings(record, out).add("unreadable", file.error().message());
      return;
    }
    FileRecord record = examine(disk_path, "", target_path, file->entry(), file->content(), out,
                                [&](size_t offset) { file->release_before(offset); });
    if (record.entry.kind == EntryKind::Regular && starts_with_bytes(file->content(), "!<arch>\n")) {
      // Read through the file, not the mapping, so that the library's pages do not pile up.
      file->release_before(file->entry().size);
      check_static_library(record, disk_path, out);
    }
    if (record.elf && input.own_disk_root) input.own_disk_root->remember(target_path, record.elf);
    if (input.root) check_file_in_root(record, target_, *input.root, out);
    note_soname(input_index, record);
  }

  // A static library's members are objects: they get the checks that need no root.
  using ProblemFn = std::function<void(const Entry&, const std::string&)>;
  using ArchiveRead = std::function<Status(const EntryVisitor&, const ProblemFn&)>;
  void check_static_library(const FileRecord& library, const std::string& disk_path,
                            std::vector<Finding>& out) {
    check_static_library_members(library, out, [&](const EntryVisitor& visit, const ProblemFn& problem) {
      return read_archive(disk_path, visit, problem);
    });
  }
  void check_static_library(const FileRecord& library, Content content, std::vector<Finding>& out) {
    check_static_library_members(library, out, [&](const EntryVisitor& visit, const ProblemFn& problem) {
      return read_archive_memory(content.data(), content.size(), library.file, visit, problem);
    });
  }

  void check_static_library_members(const FileRecord& library, std::vector<Finding>& out,
                                    const ArchiveRead& read) {
    Status status = read(
        [&](const Entry& entry, Content member_content) {
          if (entry.kind != EntryKind::Regular || !is_elf(member_content)) return;
          results_.elf_files++;
          FileRecord record{library.file, entry.member, library.target_path, entry, nullptr, {}};
          auto facts = read_elf_facts(member_content, &target_.forbidden);
          if (!facts) {
            FileFindings(record, out).add("malformed", facts.error().message());
            return;
          }
          record.elf = std::make_shared<const ElfFacts>(std::move(*facts));
          FileFindings findings(record, out);
          for (const std::string& problem : record.elf->problems) findings.add("malformed", problem);
          check_elf_identity(record, target_, findings);
          check_elf_dynamic(record, target_, findings);
          check_contents(record, member_content, target_, findings);
        },
        [&](const Entry& entry, const std::string& problem) {
          FileRecord record{library.file, entry.member, library.target_path, entry, nullptr, {}};
          FileFindings(record, out).add("malformed", problem);
        });
    if (!status.ok()) FileFindings(library, out).add("malformed", status.error().message());
  }

  void check_archive(Input& input, size_t input_index, std::vector<Finding>& out) {
    // The archive's members are its root: index them all first, then resolve names.
    auto root = std::make_shared<MemoryRoot>(input.root);
    std::vector<FileRecord> records;
    Status status = read_archive(
        input.path,
        [&](const Entry& entry, Content content) {
          const std::string target_path = normalize_root_path("/" + entry.member);
          FileRecord record = examine(input.path, entry.member, target_path, entry, content, out);
          if (entry.kind == EntryKind::Regular && starts_with_bytes(content, "!<arch>\n"))
            check_static_library(record, content, out);
          std::string small;
          if (target_path.starts_with("/etc/") && content.size() <= kSmallFileLimit)
            small.assign(reinterpret_cast<const char*>(content.data()), content.size());
          root->add(target_path, RootNode{entry.kind, entry.link_target}, record.elf, std::move(small));
          records.push_back(std::move(record));
        },
        [&](const Entry& entry, const std::string& problem) {
          FileRecord record{input.path, entry.member, "/" + entry.member, entry, nullptr, {}};
          FileFindings(record, out).add("malformed", problem);
        });
    if (!status.ok()) {
      FileRecord record{input.path, "", "", {}, nullptr, {}};
      FileFindings(record, out).add("malformed", status.error().message());
    }
    for (const FileRecord& record : records) {
      if (record.entry.kind == EntryKind::Hardlink) continue;
      check_file_in_root(record, target_, *root, out);
      note_soname(input_index, record);
    }
  }

  void note_soname(size_t input_index, const FileRecord& record) {
    if (!record.elf || record.elf->soname.empty() || record.entry.kind != EntryKind::Regular) return;
    std::lock_guard lock(results_.soname_mutex);
    results_.sonames[{input_index, record.elf->soname}].push_back(
        FileRecord{record.file, record.member, record.target_path, {}, nullptr, {}});
  }

  const Target& target_;
  std::vector<Input>& inputs_;
  Results& results_;
};

Expected<std::vector<std::string>> list_tree(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Error(dir + ": cannot read directory: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error(dir + ": cannot read directory: " + ec.message());
    // lexically: fs::relative would follow a symlink and name its target instead.
    files.push_back(it->path().lexically_relative(dir).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The identity of an ELF file for majority voting, from its header alone.
struct Vote {
  const Arch* arch = nullptr;
  std::string interp;
};

std::optional<Vote> vote_of(Content content, const ArchRegistry& registry) {
  if (!is_elf(content)) return std::nullopt;
  auto facts = read_elf_headers(content);
  if (!facts) return std::nullopt;
  const Arch* arch = registry.find_by_elf(facts->machine, facts->elf_class,
                                          facts->big_endian ? Endian::Big : Endian::Little);
  if (!arch) return std::nullopt;
  return Vote{arch, facts->interp};
}

std::vector<Vote> sample_votes(const std::vector<Input>& inputs,
                               const std::vector<std::vector<std::string>>& trees,
                               const ArchRegistry& registry) {
  std::vector<Vote> votes;
  for (size_t i = 0; i < inputs.size() && votes.size() < kInferenceSample; ++i) {
    const Input& input = inputs[i];
    if (input.kind == InputKind::Archive) {
      (void)read_archive(
          input.path,
          [&](const Entry&, Content content) {
            if (votes.size() >= kInferenceSample) return;
            if (auto vote = vote_of(content, registry)) votes.push_back(*vote);
          },
          [](const Entry&, const std::string&) {});
      continue;
    }
    std::vector<std::string> paths;
    if (input.kind == InputKind::File) paths.push_back(input.path);
    for (const std::string& relative : trees[i]) paths.push_back(join_path(input.path, relative));
    for (const std::string& path : paths) {
      if (votes.size() >= kInferenceSample) break;
      auto file = MappedFile::open(path, "");
      if (!file) continue;
      if (auto vote = vote_of(file->content(), registry)) votes.push_back(*vote);
    }
  }
  return votes;
}

Status choose_target(const InspectOptions& options, const ArchRegistry& registry,
                     const std::vector<Vote>& votes, Target& target, Report& report) {
  if (!options.arch.empty()) {
    auto arch = registry.require(options.arch);
    if (!arch) return arch.error();
    target.arch = *arch;
  } else {
    std::map<std::string, size_t> count;
    for (const Vote& vote : votes) count[vote.arch->name]++;
    auto best = std::max_element(count.begin(), count.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best == count.end())
      return Error("cannot infer the architecture: no ELF file of a known architecture among the "
                   "inputs; give --arch");
    target.arch = registry.find(best->first);
    report.arch_inferred = true;
    report.notes.push_back("architecture inferred: " + best->first + " (" +
                           std::to_string(best->second) + " of " + std::to_string(votes.size()) +
                           " ELF files sampled)");
  }
  if (options.libc) {
    target.libc = *options.libc;
  } else {
    size_t musl = 0, glibc = 0;
    for (const Vote& vote : votes) {
      if (vote.arch != target.arch || vote.interp.empty()) continue;
      if (auto info = target.arch->libc(Libc::Musl); info && info->loader == vote.interp) ++musl;
      if (auto info = target.arch->libc(Libc::Glibc); info && info->loader == vote.interp) ++glibc;
    }
    target.libc = glibc > musl || !target.arch->libc(Libc::Musl) ? Libc::Glibc : Libc::Musl;
    if (glibc > 0 || musl > 0)
      report.notes.push_back(std::string("C library inferred: ") + libc_name(target.libc) +
                             " (from the program interpreters)");
  }
  target.libc_info = target.arch->libc(target.libc);
  if (!target.libc_info)
    return Error(target.arch->name + " has no " + libc_name(target.libc) + " port in " +
                 target.arch->source_file);
  return Status::success();
}

}  // namespace

void add_default_forbidden_paths(Target& target, const std::vector<std::string>& extra) {
  std::vector<std::string> forbidden = extra;
  // The host's multiarch dirs are foreign unless the target is the host's own glibc system.
  const bool target_is_host_abi =
      target.host == target.arch && target.libc == Libc::Glibc;
  if (target.host && !target.host->glibc_multiarch.empty() && !target_is_host_abi) {
    const std::string& tuple = target.host->glibc_multiarch;
    forbidden.push_back("/usr/lib/" + tuple);
    forbidden.push_back("/usr/include/" + tuple);
    forbidden.push_back("/lib/" + tuple);
  }
  target.staging_prefixes = {"/home/", "/tmp/", "/var/tmp/", "/build/", "/root/"};
  if (const char* home = std::getenv("HOME"); home && std::strlen(home) > 1) {
    std::string prefix = std::string(home) + (std::string(home).ends_with("/") ? "" : "/");
    forbidden.push_back(prefix);
    target.staging_prefixes.push_back(prefix);
  }
  for (const std::string& path : extra) target.staging_prefixes.push_back(path);
  target.forbidden = PathScanner(forbidden);
}

Expected<Report> inspect(const InspectOptions& options, const ArchRegistry& registry) {
  Report report;
  report.tool_version = xport_version();
  report.inputs = options.inputs;
  if (options.inputs.empty()) return Error("nothing to inspect: give files, directories or archives");
  if (!options.root.empty() && !fs::is_directory(options.root))
    return Error(options.root + ": --root is not a directory");
  std::shared_ptr<DiskRoot> given_root =
      options.root.empty() ? nullptr : std::make_shared<DiskRoot>(options.root);

  std::vector<Input> inputs;
  std::vector<std::vector<std::string>> trees;
  for (const std::string& path : options.inputs) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return Error(path + ": " + std::strerror(errno));
    Input input{path, InputKind::File, given_root, nullptr};
    std::vector<std::string> tree;
    if (S_ISDIR(st.st_mode)) {
      input.kind = InputKind::Directory;
      auto listed = list_tree(path);
      if (!listed) return listed.error();
      tree = std::move(*listed);
      if (!given_root) {
        input.own_disk_root = std::make_shared<DiskRoot>(path);
        input.root = input.own_disk_root;
      }
    } else if (!S_ISREG(st.st_mode)) {
      return Error(path + ": not a file, directory or archive");
    } else {
      auto file = MappedFile::open(path, "");
      if (!file) return file.error();
      if (!is_elf(file->content()) && looks_like_archive(path)) input.kind = InputKind::Archive;
    }
    inputs.push_back(std::move(input));
    trees.push_back(std::move(tree));
  }

  Target target;
  target.registry = &registry;
  target.host = registry.host();
  target.expected_compilers = options.expected_compilers;
  std::vector<Vote> votes;
  if (options.arch.empty() || !options.libc) votes = sample_votes(inputs, trees, registry);
  if (Status chosen = choose_target(options, registry, votes, target, report); !chosen.ok())
    return chosen.error();
  add_default_forbidden_paths(target, options.forbid_paths);
  report.arch = target.arch->name;
  report.libc = libc_name(target.libc);

  std::vector<Task> tasks;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].kind != InputKind::Directory) {
      tasks.push_back({i, ""});
      continue;
    }
    for (std::string& relative : trees[i]) tasks.push_back({i, std::move(relative)});
    trees[i].clear();
    trees[i].shrink_to_fit();
  }

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, tasks.size()));
  Results results;
  results.per_worker.resize(jobs);
  Scanner scanner(target, inputs, results);
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  auto work = [&](unsigned worker) {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      scanner.run_task(tasks[i], results.per_worker[worker]);
      uint64_t finished = ++done;
      if (worker == 0 && options.progress && finished % 64 == 0) options.progress(finished, tasks.size());
    }
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 1; w < jobs; ++w) threads.emplace_back(work, w);
    work(0);
  }
  if (options.progress) options.progress(tasks.size(), tasks.size());

  for (auto& findings : results.per_worker)
    std::move(findings.begin(), findings.end(), std::back_inserter(report.findings));
  for (auto& [key, places] : results.sonames) {
    if (places.size() < 2) continue;
    for (const FileRecord& place : places) {
      std::vector<std::string> others;
      for (const FileRecord& other : places)
        if (&other != &place) others.push_back(other.target_path);
      FileFindings(place, report.findings)
          .add("soname", "SONAME " + key.second + " is also used by " + join_names(others));
    }
  }
  report.files_scanned = results.files;
  report.elf_files = results.elf_files;
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.file, a.member, a.check, a.message) <
                            std::tie(b.file, b.member, b.check, b.message);
                   });
  return report;
}

}  // namespace xport::inspect
