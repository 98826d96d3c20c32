#include "recipe/graph.h"

#include <gtest/gtest.h>

#include "recipe/recipe_test_support.h"

namespace xport {
namespace {

using recipe_test::write_recipe;

std::vector<std::string> names(const std::vector<const Recipe*>& recipes) {
  std::vector<std::string> out;
  for (const Recipe* recipe : recipes) out.push_back(recipe->name);
  return out;
}

TEST(DependencyGraph, BuildDependenciesComeFirstAndOutputsNameTheirRecipe) {
  testing::TempDir dir;
  write_recipe(dir, "musl");
  write_recipe(dir, "zlib", "build_depends: [musl]\noutputs:\n  - {name: zlib-dev, files: [usr/include/*]}\n");
  write_recipe(dir, "pacman", "build_depends: [zlib-dev, libarchive]\ndepends: [zlib]\n");
  const std::string recipes_dir = write_recipe(dir, "libarchive", "build_depends: [zlib-dev, musl]\n");
  auto recipes = RecipeSet::load_dir(recipes_dir);
  ASSERT_TRUE(recipes.ok()) << recipes.error().message();
  DependencyGraph graph(*recipes);
  EXPECT_EQ(graph.provider("zlib-dev")->name, "zlib");

  auto order = graph.build_order({"pacman"});
  ASSERT_TRUE(order.ok()) << order.error().message();
  EXPECT_EQ(names(*order), (std::vector<std::string>{"musl", "zlib", "libarchive", "pacman"}));
  auto just_musl = graph.build_order({"musl"});
  EXPECT_EQ(names(*just_musl), std::vector<std::string>{"musl"});

  const std::string dot = graph.dot(*order);
  EXPECT_NE(dot.find("\"pacman\" -> \"libarchive\";"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"pacman\" -> \"zlib\" [style=dashed];"), std::string::npos) << dot;
}

TEST(DependencyGraph, RunTimeDependsAreFollowedThroughCycles) {
  testing::TempDir dir;
  write_recipe(dir, "musl");
  write_recipe(dir, "busybox", "depends: [musl]\n");
  write_recipe(dir, "perl", "depends: [perl-modules, musl]\n");
  const std::string recipes_dir = write_recipe(dir, "perl-modules", "depends: [perl]\n");
  auto recipes = RecipeSet::load_dir(recipes_dir);
  ASSERT_TRUE(recipes.ok()) << recipes.error().message();
  DependencyGraph graph(*recipes);
  EXPECT_EQ(graph.with_run_time_depends({"perl", "busybox"}),
            (std::vector<std::string>{"perl", "perl-modules", "musl", "busybox"}));
  EXPECT_EQ(graph.with_run_time_depends({"nosuch"}), std::vector<std::string>{"nosuch"});
}

TEST(DependencyGraph, RunTimeDependsComeFirstUnlessTheyNeedTheRecipeBuilt) {
  testing::TempDir dir;
  write_recipe(dir, "musl");
  // xz's scripts need busybox's /bin/sh; busybox sorts after xz, yet comes first.
  write_recipe(dir, "xz", "depends: [busybox, musl]\n");
  write_recipe(dir, "busybox", "build_depends: [musl]\ndepends: [musl]\n");
  // tcc needs make at run time, and make is built with tcc: make cannot come first.
  write_recipe(dir, "tcc", "depends: [make]\n");
  const std::string recipes_dir = write_recipe(dir, "make", "build_depends: [tcc]\n");
  auto recipes = RecipeSet::load_dir(recipes_dir);
  ASSERT_TRUE(recipes.ok()) << recipes.error().message();
  DependencyGraph graph(*recipes);
  auto order = graph.build_order({"xz"});
  ASSERT_TRUE(order.ok()) << order.error().message();
  EXPECT_EQ(names(*order), (std::vector<std::string>{"musl", "busybox", "xz"}));
  auto compilers = graph.build_order(graph.with_run_time_depends({"tcc"}));
  ASSERT_TRUE(compilers.ok()) << compilers.error().message();
  EXPECT_EQ(names(*compilers), (std::vector<std::string>{"tcc", "make"}));
}

TEST(DependencyGraph, ACycleIsReportedAsAPath) {
  testing::TempDir dir;
  write_recipe(dir, "a", "build_depends: [b]\n");
  write_recipe(dir, "b", "build_depends: [c]\n");
  const std::string recipes_dir = write_recipe(dir, "c", "build_depends: [a]\n");
  auto recipes = RecipeSet::load_dir(recipes_dir);
  ASSERT_TRUE(recipes.ok());
  DependencyGraph graph(*recipes);
  EXPECT_EQ(graph.find_cycle(), (std::vector<std::string>{"a", "b", "c", "a"}));
  auto order = graph.build_order({});
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().message(), "build dependency cycle: a -> b -> c -> a");
}

TEST(DependencyGraph, AnUnknownPackageGetsADidYouMean) {
  testing::TempDir dir;
  auto recipes = RecipeSet::load_dir(write_recipe(dir, "busybox"));
  ASSERT_TRUE(recipes.ok());
  auto order = DependencyGraph(*recipes).build_order({"busybx"});
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().message(), "no recipe builds 'busybx'; did you mean 'busybox'?");
}

TEST(DependencyGraph, TheRepositorysRecipesHaveNoCycle) {
  auto recipes = RecipeSet::load_dir(std::string(XPORT_SOURCE_DATA_DIR) + "/recipes");
  ASSERT_TRUE(recipes.ok()) << recipes.error().message();
  auto order = DependencyGraph(*recipes).build_order({});
  ASSERT_TRUE(order.ok()) << order.error().message();
  EXPECT_EQ(order->size(), recipes->all().size());
}

}  // namespace
}  // namespace xport
