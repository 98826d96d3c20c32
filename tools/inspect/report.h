// The result of one inspection, and the writers that print it. Findings are collected once and
// every output format is a different view of the same Report (as llvm-readobj's dumpers are).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "inspect/finding.h"

namespace xport::inspect {

struct Report {
  std::string tool_version;
  std::string arch;           // the target architecture's name
  bool arch_inferred = false; // true when --arch was not given
  std::string libc;           // musl or glibc
  std::vector<std::string> inputs;
  uint64_t files_scanned = 0; // regular files, symlinks and archive members looked at
  uint64_t elf_files = 0;
  std::vector<std::string> notes;  // one-line remarks, e.g. how the architecture was inferred
  std::vector<Finding> findings;   // sorted by file, member, check

  /// Unwaived findings at or above `level`.
  size_t count_at_least(Severity level) const;
  /// Findings of exactly `severity` that are (or are not) waived.
  size_t count(Severity severity, bool waived) const;
  /// Waived findings of any severity.
  size_t count_waived() const;
};

/// `text` as valid UTF-8, each malformed byte replaced by U+FFFD. File names and messages can carry
/// arbitrary bytes from hostile inputs, and JSON and SARIF must stay valid documents.
std::string valid_utf8(const std::string& text);

/// Text grouped by file with a summary of counts; ANSI colour when `color` is set.
void write_text_report(const Report& report, std::ostream& out, bool color);
/// JSON, schema in docs/inspect-json.md.
void write_json_report(const Report& report, std::ostream& out);
/// SARIF 2.1.0: one rule per check, one result per finding, waived ones as suppressions.
void write_sarif_report(const Report& report, std::ostream& out);

}  // namespace xport::inspect
