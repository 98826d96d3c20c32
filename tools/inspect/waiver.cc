#include "inspect/waiver.h"

#include <fnmatch.h>

#include "core/suggest.h"
#include "core/yaml_reader.h"

namespace xport::inspect {

namespace {

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// One list item; records the first problem in `reader` and returns what it could read.
Waiver read_waiver(YamlReader& reader, const YAML::Node& item) {
  Waiver waiver;
  waiver.origin = yaml_location(reader.file(), item.Mark());
  reader.reject_unknown_keys({"check", "path", "reason"});
  waiver.check = reader.string("check");
  waiver.path = reader.string("path");
  waiver.reason = reader.string("reason");
  if (!reader.ok()) return waiver;
  if (waiver.check != "*" && !find_check(waiver.check)) {
    std::vector<std::string> ids;
    for (const CheckInfo& check : all_checks()) ids.push_back(check.id);
    std::string message = "unknown check '" + waiver.check + "'";
    if (auto close = closest_names(waiver.check, ids); !close.empty())
      message += "; did you mean '" + close.front() + "'?";
    else
      message += " (the ids are in docs/checks.md; '*' waives every check)";
    reader.fail(message, reader.node("check"));
  } else if (blank(waiver.path)) {
    reader.fail("'path' must not be empty", reader.node("path"));
  } else if (blank(waiver.reason)) {
    reader.fail("'reason' must not be empty: say why the finding is accepted",
                reader.node("reason"));
  }
  return waiver;
}

bool glob_matches(const std::string& pattern, const std::string& text) {
  // No FNM_PATHNAME: '*' also matches '/', so "/usr/lib/firmware/*" covers the whole tree.
  return !text.empty() && fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool waiver_matches(const Waiver& waiver, const Finding& finding) {
  if (waiver.check != "*" && waiver.check != finding.check) return false;
  const std::string& target = finding.target_path;
  if (glob_matches(waiver.path, target)) return true;
  if (target.starts_with("/") && glob_matches(waiver.path, target.substr(1))) return true;
  return glob_matches(waiver.path, finding.location());
}

Expected<std::vector<Waiver>> read_waivers(const YAML::Node& root, const std::string& path) {
  std::vector<Waiver> waivers;
  // An empty file waives nothing; that is not a mistake worth stopping for.
  if (!root.IsDefined() || root.IsNull()) return waivers;
  if (!root.IsSequence())
    return Error(yaml_location(path, root.Mark()) +
                 ": a waiver file is a list of entries with keys check, path and reason");
  size_t number = 0;
  for (const YAML::Node& item : root) {
    ++number;
    // yaml-cpp marks an empty item where the next token starts, so name it by its number.
    if (!item.IsDefined() || item.IsNull())
      return Error(yaml_location(path, root.Mark()) + ": waiver " + std::to_string(number) +
                   " is empty: give check, path and reason");
    YamlReader reader(item, path);
    Waiver waiver = read_waiver(reader, item);
    if (!reader.ok()) return reader.error();
    waivers.push_back(std::move(waiver));
  }
  return waivers;
}

}  // namespace

Expected<std::vector<Waiver>> parse_waivers(const std::string& yaml_text, const std::string& path) {
  auto document = parse_yaml(yaml_text, path);
  if (!document) return document.error();
  return read_waivers(*document, path);
}

Expected<std::vector<Waiver>> load_waivers(const std::string& path) {
  auto document = load_yaml_file(path);
  if (!document) return document.error();
  return read_waivers(*document, path);
}

void apply_waivers(std::vector<Finding>& findings, const std::vector<Waiver>& waivers) {
  for (Finding& finding : findings) {
    for (const Waiver& waiver : waivers) {
      if (!waiver_matches(waiver, finding)) continue;
      finding.waived = true;
      finding.waiver_reason = waiver.reason;
      break;
    }
  }
}

}  // namespace xport::inspect
