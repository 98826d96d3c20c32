#include "recipe/recipe.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

constexpr const char* kGood = R"(name: zlib
version: 1.2.13
release: 2
description: compression library
license: Zlib
license_files:
  - {path: LICENSE, sha256: 0000000000000000000000000000000000000000000000000000000000000001}
sources:
  - url: https://zlib.net/zlib-1.2.13.tar.xz
    sha256: d14c38e313afc35a9a8760dadf26042f51ea0f5d154b0630a31da0540107fb98
    debian: {package: zlib, version: "1:1.2.13.dfsg-1"}
build_style: custom
features: {static: on, shared: off}
phases:
  configure: ./configure --prefix=/usr
  build: make -j$XPORT_JOBS
depends: [musl]
host_tools:
  - {command: make, debian: make}
outputs:
  - {name: zlib-dev, files: [usr/include/*]}
waivers:
  - {check: stripped, path: "*.a", reason: static archives keep symbols}
unsupported_arches: {s390x: not tested}
source_date_epoch: 1665000000
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(Recipe, ParsesEveryField) {
  auto recipe = parse_recipe(kGood, "recipes/zlib/zlib.yaml");
  ASSERT_TRUE(recipe.ok()) << recipe.error().message();
  EXPECT_EQ(recipe->name, "zlib");
  EXPECT_EQ(recipe->release, 2);
  ASSERT_EQ(recipe->sources.size(), 1u);
  EXPECT_EQ(recipe->sources[0].file, "zlib-1.2.13.tar.xz");
  EXPECT_EQ(recipe->sources[0].debian_package, "zlib");
  EXPECT_EQ(recipe->sources[0].debian_version, "1:1.2.13.dfsg-1");
  EXPECT_EQ(recipe->features.at("static"), true);
  EXPECT_EQ(recipe->features.at("shared"), false);
  EXPECT_EQ(recipe->phases.at("build"), "make -j$XPORT_JOBS");
  EXPECT_EQ(recipe->host_tools[0].debian_package, "make");
  EXPECT_EQ(recipe->outputs[0].files, std::vector<std::string>{"usr/include/*"});
  EXPECT_EQ(recipe->waivers[0].reason, "static archives keep symbols");
  EXPECT_EQ(recipe->unsupported_arches.at("s390x"), "not tested");
  EXPECT_EQ(recipe->source_date_epoch, 1665000000);
  EXPECT_EQ(recipe->dir, "recipes/zlib");
}

TEST(Recipe, ParsesPhaseDependsAndOutOfTree) {
  auto recipe = parse_recipe(replace(replace(kGood, "depends: [musl]", "depends: [musl]\nbuild_depends: [a, b]\n"
                                                                          "phase_depends: {install: [b]}"),
                                     "build_style: custom", "build_style: custom\nout_of_tree: true"),
                             "recipes/zlib/zlib.yaml");
  ASSERT_TRUE(recipe.ok()) << recipe.error().message();
  EXPECT_EQ(recipe->phase_depends.at("install"), std::vector<std::string>{"b"});
  EXPECT_TRUE(recipe->out_of_tree);
  EXPECT_FALSE(parse_recipe(kGood, "recipes/zlib/zlib.yaml")->out_of_tree);
}

TEST(Recipe, RejectsBadInputWithPosition) {
  const std::string path = "recipes/zlib/zlib.yaml";
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {replace(kGood, "d14c38e313afc35a9a8760dadf26042f51ea0f5d154b0630a31da0540107fb98", "abc"),
       path + ":10:13: 'sha256' must be 64 lower-case hex digits (a sha256), not 'abc'"},
      {replace(kGood, "build_style: custom", "build_style: scons"),
       path + ":12:14: 'build_style' must be one of autotools, cmake, meson, make, kbuild, custom, not 'scons'"},
      {replace(kGood, "version: 1.2.13\n", ""), path + ":1:1: missing required key 'version'"},
      {replace(kGood, "release: 2", "relaese: 2"),
       path + ":3:1: unknown key 'relaese' (known keys: name, version, release, description, homepage, "
              "license, license_files, sources, patches, build_style, out_of_tree, configure_args, features, "
              "phases, depends, build_depends, phase_depends, host_tools, outputs, waivers, unsupported_arches, "
              "source_date_epoch)"},
      {replace(kGood, "depends: [musl]", "depends: [musl]\nbuild_depends: [a]\nphase_depends: {install: [b]}"),
       path + ":19:26: 'b' in phase_depends.install is not in build_depends"},
      {replace(kGood, "depends: [musl]", "depends: [musl]\nbuild_depends: [a]\nphase_depends: {instal: [a]}"),
       path + ":19:17: unknown phase 'instal' (phases: prepare, configure, build, check, install, post-install)"},
      {replace(kGood, "build_style: custom", "build_style: custom\nout_of_tree: true\npatches: [{path: p, "
                                                "sha256: 0000000000000000000000000000000000000000000000000000000000000002}]"),
       path + ":13:14: 'out_of_tree' builds read the one extracted source tree as it is: one source, no "
              "'destination', no patches"},
      {replace(kGood, "  build: make", "  biuld: make"),
       path + ":16:3: unknown phase 'biuld' (phases: prepare, configure, build, check, install, post-install)"},
      {replace(kGood, "shared: off", "shared: maybe"), path + ":13:32: feature 'shared' must be on or off"},
      {replace(kGood, "name: zlib", "name: zlibb"),
       path + ":1:7: recipe name 'zlibb' does not match its file name 'zlib.yaml'"},
      {"name: [unclosed\n", ""},
  };
  for (const Case& c : cases) {
    auto recipe = parse_recipe(c.text, path);
    ASSERT_FALSE(recipe.ok()) << c.message;
    if (c.message.empty())
      EXPECT_EQ(recipe.error().message().rfind(path + ":", 0), 0u) << recipe.error().message();
    else
      EXPECT_EQ(recipe.error().message(), c.message);
  }
}

}  // namespace
}  // namespace xport
