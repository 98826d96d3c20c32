#include "recipe/lint.h"

#include <gtest/gtest.h>

#include "arch/arch_test_support.h"
#include "fetch/sha256.h"
#include "recipe/recipe_test_support.h"

namespace xport {
namespace {

using recipe_test::write_recipe;

ArchRegistry arches() {
  auto registry = ArchRegistry::load_dir(arch_test::data_dir() + "/arch");
  EXPECT_TRUE(registry.ok());
  return std::move(*registry);
}

TEST(RecipeLint, TheRepositorysRecipesAreClean) {
  EXPECT_EQ(lint_recipes(arch_test::data_dir() + "/recipes", arches()), std::vector<std::string>{});
}

TEST(RecipeLint, AProfileNamingAnUnknownPackageIsAProblem) {
  testing::TempDir dir;
  const std::string recipes_dir = write_recipe(dir, "musl");
  const std::string file = dir.write("recipes/profiles/minimal.yaml",
                                     "name: minimal\ndescription: small\npackages: [musl, busybx]\n");
  EXPECT_EQ(lint_recipes(recipes_dir, arches()),
            std::vector<std::string>{file + ": profile 'minimal' names 'busybx', which no recipe builds"});
}

TEST(RecipeLint, ReportsEveryProblemWithWhereItIs) {
  testing::TempDir dir;
  write_recipe(dir, "musl");
  write_recipe(dir, "zlib", "build_depends: [musl]\ndepends:\n  - mussl\n");
  write_recipe(dir, "broken", "colour: blue\n");  // an unknown key does not hide the others
  dir.write("recipes/patched/fix.patch", "--- a\n+++ b\n");
  write_recipe(dir, "patched",
               "patches:\n  - {path: fix.patch, sha256: "
               "0000000000000000000000000000000000000000000000000000000000000000}\n"
               "waivers:\n  - {check: no-such-check, path: '*', reason: testing}\n"
               "unsupported_arches: {aarch65: no}\n");
  write_recipe(dir, "twin", "outputs:\n  - {name: zlib, files: ['*']}\n");
  write_recipe(dir, "a", "build_depends: [b]\n");
  const std::string recipes_dir = write_recipe(dir, "b", "build_depends: [a]\n");

  auto problems = lint_recipes(recipes_dir, arches());
  auto has = [&](const std::string& text) {
    for (const std::string& problem : problems)
      if (problem.find(text) != std::string::npos) return true;
    return false;
  };
  std::string all;
  for (const std::string& problem : problems) all += problem + "\n";
  EXPECT_TRUE(has(recipes_dir + "/broken/broken.yaml:10:1: unknown key 'colour'")) << all;
  EXPECT_TRUE(has(recipes_dir + "/zlib/zlib.yaml:12:5: depends names 'mussl', which no recipe builds; did you mean 'musl'?")) << all;
  EXPECT_TRUE(has("patch fix.patch has sha256 " + sha256_text("--- a\n+++ b\n"))) << all;
  EXPECT_TRUE(has("waiver of unknown check 'no-such-check'")) << all;
  EXPECT_TRUE(has("unsupported_arches names 'aarch65', which is no arch in arch/; did you mean 'aarch64'?")) << all;
  EXPECT_TRUE(has("package 'zlib' is also built by")) << all;
  EXPECT_TRUE(has("build dependency cycle: a -> b -> a")) << all;
  EXPECT_EQ(problems.size(), 7u) << all;
}

}  // namespace
}  // namespace xport
