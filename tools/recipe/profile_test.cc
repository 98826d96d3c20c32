#include "recipe/profile.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace xport {
namespace {

TEST(Profiles, IncludedProfilesComeFirstAndEachPackageOnce) {
  testing::TempDir dir;
  dir.write("recipes/profiles/minimal.yaml", "name: minimal\ndescription: small\npackages: [musl, busybox, make]\n");
  dir.write("recipes/profiles/base.yaml", "name: base\ndescription: more\ninclude: [minimal]\npackages: [xz, musl]\n");
  auto profiles = ProfileSet::load_dir(dir.path() + "/recipes");
  ASSERT_TRUE(profiles.ok()) << profiles.error().message();
  ASSERT_EQ(profiles->all().size(), 2u);
  auto expanded = profiles->expand({"zlib", "@base"});
  ASSERT_TRUE(expanded.ok()) << expanded.error().message();
  EXPECT_EQ(*expanded, (std::vector<std::string>{"zlib", "musl", "busybox", "make", "xz"}));
}

TEST(Profiles, AnUnknownProfileGetsADidYouMean) {
  testing::TempDir dir;
  dir.write("recipes/profiles/minimal.yaml", "name: minimal\ndescription: small\npackages: [musl]\n");
  auto profiles = ProfileSet::load_dir(dir.path() + "/recipes");
  ASSERT_TRUE(profiles.ok());
  auto expanded = profiles->expand({"@minmal"});
  ASSERT_FALSE(expanded.ok());
  EXPECT_EQ(expanded.error().message(), "no profile '@minmal' in recipes/profiles/; did you mean '@minimal'?");
}

TEST(Profiles, AnIncludeCycleIsAnErrorWithItsPath) {
  testing::TempDir dir;
  dir.write("recipes/profiles/a.yaml", "name: a\ndescription: a\ninclude: [b]\npackages: [x]\n");
  const std::string b = dir.write("recipes/profiles/b.yaml", "name: b\ndescription: b\ninclude: [a]\npackages: [y]\n");
  auto profiles = ProfileSet::load_dir(dir.path() + "/recipes");
  ASSERT_TRUE(profiles.ok());
  auto expanded = profiles->expand({"@a"});
  ASSERT_FALSE(expanded.ok());
  EXPECT_EQ(expanded.error().message(), b + ": profiles include each other: @a -> @b -> @a");
}

TEST(Profiles, ABadProfileFileIsNamedWithItsPosition) {
  testing::TempDir dir;
  const std::string file = dir.write("recipes/profiles/minimal.yaml", "name: minimal\ndescription: x\npackges: [musl]\n");
  auto profiles = ProfileSet::load_dir(dir.path() + "/recipes");
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.error().message().rfind(file + ":3:", 0), 0u) << profiles.error().message();
  EXPECT_NE(profiles.error().message().find("packges"), std::string::npos);
}

TEST(Profiles, NoProfilesDirectoryIsNoProfiles) {
  testing::TempDir dir;
  auto profiles = ProfileSet::load_dir(dir.path() + "/recipes");
  ASSERT_TRUE(profiles.ok());
  EXPECT_TRUE(profiles->all().empty());
}

}  // namespace
}  // namespace xport
