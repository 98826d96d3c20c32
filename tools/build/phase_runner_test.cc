#include "build/phase_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testing/fixtures.h"

namespace xport {
namespace {

Recipe custom_recipe(std::map<std::string, std::string> phases) {
  Recipe recipe;
  recipe.name = "demo";
  recipe.version = "1.0";
  recipe.build_style = "custom";
  recipe.phases = std::move(phases);
  return recipe;
}

TEST(PhaseRunner, RunsPhasesInOrderInAScrubbedEnvironment) {
  testing::TempDir dir;
  PhaseContext context{dir.path() + "/src", dir.path() + "/build", dir.path() + "/dest", dir.path() + "/logs",
                       scrubbed_environment("/usr/bin:/bin", dir.path(), dir.path()), false, nullptr};
  std::vector<std::string> seen;
  context.on_phase = [&](const std::string& phase) { seen.push_back(phase); };
  Recipe recipe = custom_recipe({{"install", "echo \"${LIBRARY_PATH-clean}\" > \"$DESTDIR/env\""},
                                 {"configure", "echo configured > stamp"},
                                 {"check", "false"}});
  ASSERT_TRUE(run_phases(recipe, context).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"configure", "install"}));  // check is off by default
  std::ifstream env(dir.path() + "/dest/env");
  std::string line;
  std::getline(env, line);
  EXPECT_EQ(line, "clean");  // LIBRARY_PATH of the caller did not reach the build
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/build/stamp"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/logs/configure.log"));
}

TEST(PhaseRunner, FailureNamesThePhaseAndShowsTheLogTail) {
  testing::TempDir dir;
  PhaseContext context{dir.path() + "/src", dir.path() + "/build", dir.path() + "/dest", dir.path() + "/logs",
                       scrubbed_environment("/usr/bin:/bin", dir.path(), dir.path()), false, nullptr};
  Recipe recipe = custom_recipe({{"build", "echo compiling; echo 'error: no such file' >&2; exit 7"},
                                 {"install", "echo never"}});
  Status status = run_phases(recipe, context);
  ASSERT_FALSE(status.ok());
  const std::string& message = status.error().message();
  EXPECT_NE(message.find("demo: phase build failed (exit 7); last lines of " + dir.path() + "/logs/build.log"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("  | error: no such file"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/logs/install.log"));
}

TEST(PhaseRunner, PhasesSeeNoNetworkButLoopback) {
  if (isolation().kind == Isolation::Kind::None) GTEST_SKIP() << isolation().describe();
  testing::TempDir dir;
  PhaseContext context{dir.path() + "/src", dir.path() + "/build", dir.path() + "/dest", dir.path() + "/logs",
                       scrubbed_environment("/usr/bin:/bin", dir.path(), dir.path()), false, nullptr};
  // /proc/net/dev lists the interfaces of the reader's network namespace: two header lines, then one
  // per interface.
  Recipe recipe = custom_recipe({{"build", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' > interfaces"}});
  ASSERT_TRUE(run_phases(recipe, context).ok());
  std::ifstream interfaces(dir.path() + "/build/interfaces");
  std::string all, line;
  while (std::getline(interfaces, line)) all += line + " ";
  EXPECT_EQ(all, "lo ");
}

TEST(PhaseRunner, PhasesWriteOnlyInTheirOwnDirectories) {
  if (isolation().kind != Isolation::Kind::ReadOnlyHostNoNetwork) GTEST_SKIP() << isolation().describe();
  testing::TempDir dir;
  PhaseContext context{dir.path() + "/src", dir.path() + "/build", dir.path() + "/dest", dir.path() + "/logs",
                       scrubbed_environment("/usr/bin:/bin", dir.path() + "/home", dir.path() + "/tmp"), false,
                       nullptr};
  // A directory of the host's, beside the test's own.
  const std::string outside = (std::filesystem::current_path() / ("phase-escape-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(outside);
  Recipe recipe = custom_recipe({{"build", "touch built \"$HOME/.rc\" \"$TMPDIR/scratch\" \"$XPORT_SRC/generated\""},
                                 {"install", "touch \"$DESTDIR/installed\"; touch '" + outside + "/escaped'"}});
  Status status = run_phases(recipe, context);
  const bool escaped = std::filesystem::exists(outside + "/escaped");
  std::filesystem::remove_all(outside);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("phase install failed"), std::string::npos) << status.error().message();
  EXPECT_NE(status.error().message().find("Read-only file system"), std::string::npos) << status.error().message();
  for (const char* made : {"/build/built", "/home/.rc", "/tmp/scratch", "/src/generated", "/dest/installed"})
    EXPECT_TRUE(std::filesystem::exists(dir.path() + made)) << made;
  EXPECT_FALSE(escaped);
}

TEST(PhaseRunner, PhasesHaveADevOfTheirOwn) {
  // A build running as root that renames onto /dev/null must not reach the host's device: the
  // phase's /dev is another file system than the host's, with a working null in it. (The test
  // compares devices rather than renaming, which would break the host on a regression.)
  if (isolation().kind != Isolation::Kind::ReadOnlyHostNoNetwork) GTEST_SKIP() << isolation().describe();
  testing::TempDir dir;
  PhaseContext context{dir.path() + "/src", dir.path() + "/build", dir.path() + "/dest", dir.path() + "/logs",
                       scrubbed_environment("/usr/bin:/bin", dir.path(), dir.path()), false, nullptr};
  Recipe recipe = custom_recipe({{"build", "stat -c %d /dev > dev; test -c /dev/null && echo x > /dev/null"}});
  ASSERT_TRUE(run_phases(recipe, context).ok());
  std::ifstream seen(dir.path() + "/build/dev");
  unsigned long phase_dev = 0;
  ASSERT_TRUE(seen >> phase_dev);
  struct stat host_dev;
  ASSERT_EQ(stat("/dev", &host_dev), 0);
  EXPECT_NE(phase_dev, static_cast<unsigned long>(host_dev.st_dev));
}

}  // namespace
}  // namespace xport
