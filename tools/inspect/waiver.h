// Known exceptions: a waiver file lists (check, path glob, reason). Waived findings stay in the
// report, marked, so that JSON and SARIF consumers still see them and why they are accepted.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "inspect/finding.h"

namespace xport::inspect {

struct Waiver {
  std::string check;   // a check id, or "*" for every check
  std::string path;    // glob (fnmatch) on the target path ("/usr/bin/foo") or the location
  std::string reason;  // required: a waiver without a reason is not accepted
  std::string origin;  // file:line:column where it was written, for messages
};

/// Reads a waiver file: a YAML list of mappings with keys check, path and reason. Unknown check
/// ids, missing keys and empty reasons are errors with file:line:column.
Expected<std::vector<Waiver>> load_waivers(const std::string& path);
Expected<std::vector<Waiver>> parse_waivers(const std::string& yaml_text, const std::string& path);

/// Marks each finding matched by a waiver (first match wins).
void apply_waivers(std::vector<Finding>& findings, const std::vector<Waiver>& waivers);

}  // namespace xport::inspect
