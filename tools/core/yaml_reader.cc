#include "core/yaml_reader.h"

#include <fstream>
#include <set>
#include <sstream>

namespace xport {

std::string yaml_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Expected<YAML::Node> parse_yaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error(yaml_location(path, e.mark) + ": " + e.msg);
  }
}

Expected<YAML::Node> load_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path + ": cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(path + ": read error");
  return parse_yaml(text.str(), path);
}

YamlReader::YamlReader(YAML::Node node, std::string file, std::string context)
    : YamlReader(std::move(node), std::move(file), std::move(context),
                 std::make_shared<std::optional<std::string>>()) {}

YamlReader::YamlReader(YAML::Node node, std::string file, std::string context,
                       std::shared_ptr<std::optional<std::string>> first_error)
    : node_(std::move(node)),
      file_(std::move(file)),
      context_(std::move(context)),
      first_error_(std::move(first_error)) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    fail(context_.empty() ? "expected a mapping of keys to values"
                          : "'" + context_ + "' must be a mapping of keys to values");
  }
}

std::string YamlReader::key_path(const char* key) const {
  return context_.empty() ? key : context_ + "." + key;
}

void YamlReader::fail(const std::string& message, const YAML::Node& at) {
  if (*first_error_) return;
  YAML::Mark mark = at.Mark().is_null() ? node_.Mark() : at.Mark();
  *first_error_ = yaml_location(file_, mark) + ": " + message;
}

Error YamlReader::error() const { return Error(first_error_->value_or("no error")); }

bool YamlReader::has(const char* key) const {
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Node YamlReader::node(const char* key) const {
  if (!node_.IsMap()) return YAML::Node();
  return node_[key];
}

const YAML::Node* YamlReader::scalar_or_fail(const char* key, bool required, YAML::Node& holder) {
  if (!has(key)) {
    if (required) fail("missing required key '" + key_path(key) + "'");
    return nullptr;
  }
  holder = node_[key];
  if (!holder.IsScalar()) {
    fail("'" + key_path(key) + "' must be a single value", holder);
    return nullptr;
  }
  return &holder;
}

std::string YamlReader::string(const char* key) {
  return optional_string_impl(key, true).value_or("");
}

std::optional<std::string> YamlReader::optional_string(const char* key) {
  return optional_string_impl(key, false);
}

std::optional<std::string> YamlReader::optional_string_impl(const char* key, bool required) {
  YAML::Node holder;
  if (!scalar_or_fail(key, required, holder)) return std::nullopt;
  return holder.Scalar();
}

std::optional<int64_t> YamlReader::optional_integer_impl(const char* key, bool required) {
  YAML::Node holder;
  if (!scalar_or_fail(key, required, holder)) return std::nullopt;
  const std::string& text = holder.Scalar();
  try {
    size_t used = 0;
    int64_t value = std::stoll(text, &used, 0);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  fail("'" + key_path(key) + "' must be a whole number, not '" + text + "'", holder);
  return std::nullopt;
}

int64_t YamlReader::integer(const char* key) { return optional_integer_impl(key, true).value_or(0); }

std::optional<int64_t> YamlReader::optional_integer(const char* key) {
  return optional_integer_impl(key, false);
}

bool YamlReader::boolean(const char* key, bool fallback) {
  YAML::Node holder;
  if (!scalar_or_fail(key, false, holder)) return fallback;
  const std::string& text = holder.Scalar();
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  fail("'" + key_path(key) + "' must be true or false, not '" + text + "'", holder);
  return fallback;
}

std::vector<std::string> YamlReader::strings(const char* key) {
  std::vector<std::string> out;
  if (!has(key)) return out;
  YAML::Node value = node_[key];
  if (value.IsScalar()) {
    out.push_back(value.Scalar());
    return out;
  }
  if (!value.IsSequence()) {
    fail("'" + key_path(key) + "' must be a value or a list of values", value);
    return out;
  }
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) {
      fail("'" + key_path(key) + "' items must be single values", item);
      return out;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

YamlReader YamlReader::map(const char* key, bool required) {
  if (!has(key)) {
    if (required) fail("missing required key '" + key_path(key) + "'");
    return YamlReader(YAML::Node(YAML::NodeType::Map), file_, key_path(key), first_error_);
  }
  return YamlReader(node_[key], file_, key_path(key), first_error_);
}

YamlReader YamlReader::child(const YAML::Node& node, const std::string& context) {
  return YamlReader(node, file_, context, first_error_);
}

void YamlReader::reject_unknown_keys(std::initializer_list<const char*> known) {
  if (!node_.IsMap()) return;
  std::set<std::string> allowed(known.begin(), known.end());
  for (const auto& entry : node_) {
    const std::string name = entry.first.Scalar();
    if (!allowed.count(name)) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      fail("unknown key '" + key_path(name.c_str()) + "' (known keys: " + list + ")", entry.first);
      return;
    }
  }
}

}  // namespace xport
