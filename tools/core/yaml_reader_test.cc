#include "core/yaml_reader.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

YamlReader reader_for(const std::string& text) {
  auto node = parse_yaml(text, "t.yaml");
  EXPECT_TRUE(node.ok());
  return YamlReader(*node, "t.yaml");
}

TEST(YamlReader, ReadsTypedValues) {
  YamlReader r = reader_for("name: x\ncount: 0x10\nflag: yes\nlist: [a, b]\n");
  EXPECT_EQ(r.string("name"), "x");
  EXPECT_EQ(r.integer("count"), 16);
  EXPECT_TRUE(r.boolean("flag", false));
  EXPECT_EQ(r.strings("list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r.ok());
}

TEST(YamlReader, MissingKeyNamesFileAndKey) {
  YamlReader r = reader_for("name: x\n");
  r.map("inner").string("value");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.yaml:1:1: missing required key 'inner'");
}

TEST(YamlReader, NestedMissingKeyHasPath) {
  YamlReader r = reader_for("inner:\n  other: 1\n");
  r.map("inner").string("value");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.yaml:2:3: missing required key 'inner.value'");
}

TEST(YamlReader, UnknownKeyPointsAtIt) {
  YamlReader r = reader_for("name: x\nnmae: y\n");
  r.reject_unknown_keys({"name"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.yaml:2:1: unknown key 'nmae' (known keys: name)");
}

TEST(YamlReader, BadNumberIsAnError) {
  YamlReader r = reader_for("count: ten\n");
  r.integer("count");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "t.yaml:1:8: 'count' must be a whole number, not 'ten'");
}

TEST(YamlReader, SyntaxErrorHasPosition) {
  auto node = parse_yaml("a: [1, 2\n", "bad.yaml");
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().message().rfind("bad.yaml:", 0), 0u) << node.error().message();
}

}  // namespace
}  // namespace xport
