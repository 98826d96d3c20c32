// What every check sees: the target (arch, libc, forbidden paths) and the file under check.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "inspect/elf_facts.h"
#include "inspect/finding.h"
#include "inspect/input.h"
#include "inspect/path_scanner.h"
#include "inspect/root_view.h"

namespace xport::inspect {

/// The target the files are checked against. Read-only while files are checked.
struct Target {
  const ArchRegistry* registry = nullptr;
  const Arch* arch = nullptr;
  Libc libc = Libc::Musl;
  const LibcInfo* libc_info = nullptr;
  const Arch* host = nullptr;  // the build machine's arch, when there is a file for it
  PathScanner forbidden{{}};   // --forbid-path plus the host defaults
  /// Path prefixes that mark a staging or build directory in rpaths, .pc and .la files.
  std::vector<std::string> staging_prefixes;
  /// Substrings of a .comment entry that mean "made by the expected compiler".
  std::vector<std::string> expected_compilers;
};

/// Builds the forbidden-path list and staging prefixes for a target.
void add_default_forbidden_paths(Target& target, const std::vector<std::string>& extra);

/// One file being checked, with what has been read of it.
struct FileRecord {
  std::string file;         // as the user sees it: dir/usr/bin/sh, or the archive
  std::string member;       // inside an archive (or a static library), "" otherwise
  std::string target_path;  // /usr/bin/sh
  Entry entry;
  std::shared_ptr<const ElfFacts> elf;
  std::string shebang;      // the #! line without "#!", "" when not a script
};

/// Collects findings for one file, filling in where and the check's default hint.
class FileFindings {
 public:
  FileFindings(const FileRecord& record, std::vector<Finding>& out) : record_(record), out_(out) {}
  void add(const char* check, std::string message);
  void add(const char* check, Severity severity, std::string message);

 private:
  const FileRecord& record_;
  std::vector<Finding>& out_;
};

/// Checks that need only the file itself (and its bytes, which are valid only now).
/// `consumed` hears how far the bytes have been read for the last time (see PathScanner).
void check_file_content(const FileRecord& record, Content content, const Target& target,
                        std::vector<Finding>& out, const ConsumedFn& consumed = nullptr);
/// Checks that resolve names in the root (interpreter, libraries, #!, symlinks).
void check_file_in_root(const FileRecord& record, const Target& target, RootView& root,
                        std::vector<Finding>& out);

// The checks, grouped by subject; each file is small and has its own tests.
void check_elf_identity(const FileRecord& record, const Target& target, FileFindings& findings);
void check_elf_hardening(const FileRecord& record, const Target& target, FileFindings& findings);
void check_elf_dynamic(const FileRecord& record, const Target& target, FileFindings& findings);
void check_contents(const FileRecord& record, Content content, const Target& target,
                    FileFindings& findings, const ConsumedFn& consumed = nullptr);
void check_metadata(const FileRecord& record, const Target& target, FileFindings& findings);
void check_interp_in_root(const FileRecord& record, const Target& target, RootView& root,
                          FileFindings& findings);
void check_linking(const FileRecord& record, const Target& target, RootView& root,
                   FileFindings& findings);
void check_shebang_in_root(const FileRecord& record, RootView& root, FileFindings& findings);
void check_symlink_in_root(const FileRecord& record, RootView& root, FileFindings& findings);

}  // namespace xport::inspect
