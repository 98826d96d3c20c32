// A finding is one thing the inspector has to say about one file. Every check has a stable
// kebab-case id, listed with its default severity and hint in checks.cc and docs/checks.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace xport::inspect {

enum class Severity { Info = 0, Warning = 1, Error = 2 };
const char* severity_name(Severity severity);
std::optional<Severity> parse_severity(const std::string& name);

/// A check as documented: the id users waive and search for.
struct CheckInfo {
  const char* id;
  Severity severity;  // default; a finding may be raised at another level
  const char* summary;
  const char* hint;   // how to fix what it finds
};

/// Every check the inspector knows, in documentation order.
const std::vector<CheckInfo>& all_checks();
const CheckInfo* find_check(const std::string& id);

struct Finding {
  std::string check;     // CheckInfo::id
  Severity severity = Severity::Error;
  std::string file;      // the input as given: a file, a file under a directory, or an archive
  std::string member;    // path inside the archive; empty for files on disk
  std::string target_path;  // where the file lands in the target root, e.g. /usr/bin/sh
  std::string message;   // one line, says what is wrong with this file
  std::string hint;      // how to fix it; defaults to the check's hint
  bool waived = false;
  std::string waiver_reason;

  /// "file" or "file:member", how people see the location.
  std::string location() const { return member.empty() ? file : file + ":" + member; }
};

}  // namespace xport::inspect
