// Typed access to a YAML mapping that remembers the first problem it meets, with file:line:column.
// Data files (arch/, toolchains/, recipes/, waivers) are read through it so every one of them
// reports a typo or a missing key the same way.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

/// "file:line:column" for a node (yaml-cpp counts from 0, people count from 1).
std::string yaml_location(const std::string& file, const YAML::Mark& mark);

/// Loads a YAML document, turning a syntax error into an Error with its position.
Expected<YAML::Node> load_yaml_file(const std::string& path);
Expected<YAML::Node> parse_yaml(const std::string& text, const std::string& path);

class YamlReader {
 public:
  /// `node` must be a mapping; `context` names it in messages ("" at the top level).
  YamlReader(YAML::Node node, std::string file, std::string context = "");

  std::string string(const char* key);  // required
  std::optional<std::string> optional_string(const char* key);
  int64_t integer(const char* key);  // required
  std::optional<int64_t> optional_integer(const char* key);
  bool boolean(const char* key, bool fallback);
  /// A scalar or a sequence of scalars; absent means empty.
  std::vector<std::string> strings(const char* key);
  /// A nested mapping; absent and required is an error, absent and optional gives an empty reader.
  YamlReader map(const char* key, bool required = true);
  /// A reader for a mapping inside this one (a list item, say) that shares the first error.
  YamlReader child(const YAML::Node& node, const std::string& context);
  bool has(const char* key) const;
  /// The node itself, for sequences of mappings and free-form maps.
  YAML::Node node(const char* key) const;

  /// Records an error for every key not in `known`.
  void reject_unknown_keys(std::initializer_list<const char*> known);
  /// Records an error at `node` (or at this mapping when `node` is null).
  void fail(const std::string& message, const YAML::Node& at = YAML::Node());

  const std::string& file() const { return file_; }
  bool ok() const { return !first_error_ || !*first_error_; }
  /// The first recorded error. Nested readers share it with their parent.
  Error error() const;

 private:
  YamlReader(YAML::Node node, std::string file, std::string context,
             std::shared_ptr<std::optional<std::string>> first_error);
  std::string key_path(const char* key) const;
  const YAML::Node* scalar_or_fail(const char* key, bool required, YAML::Node& holder);
  std::optional<std::string> optional_string_impl(const char* key, bool required);
  std::optional<int64_t> optional_integer_impl(const char* key, bool required);

  YAML::Node node_;
  std::string file_;
  std::string context_;
  std::shared_ptr<std::optional<std::string>> first_error_;
};

}  // namespace xport
