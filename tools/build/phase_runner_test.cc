#include "build/phase_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

Recipe custom_recipe(std::map<std::string, std::string> phases) {
  Recipe recipe;
  recipe.name = "demo";
  recipe.version = "1.0";
  recipe.build_style = "custom";
  recipe.phases = std::move(phases);
  return recipe;
}

// Source, build, staging and log directories under `dir`; HOME and TMPDIR `dir` unless given.
PhaseContext context_in(const std::string& dir, const std::string& home = "", const std::string& tmp = "") {
  PhaseContext context;
  context.source_dir = dir + "/src";
  context.build_dir = dir + "/build";
  context.destdir = dir + "/dest";
  context.log_dir = dir + "/logs";
  context.environment = scrubbed_environment("/usr/bin:/bin", home.empty() ? dir : home, tmp.empty() ? dir : tmp);
  return context;
}

TEST(PhaseRunner, RunsPhasesInOrderInAScrubbedEnvironment) {
  testing::TempDir dir;
  PhaseContext context = context_in(dir.path());
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
  PhaseContext context = context_in(dir.path());
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
  PhaseContext context = context_in(dir.path());
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
  PhaseContext context = context_in(dir.path(), dir.path() + "/home", dir.path() + "/tmp");
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
  PhaseContext context = context_in(dir.path());
  Recipe recipe = custom_recipe({{"build", "stat -c %d /dev > dev; test -c /dev/null && echo x > /dev/null"}});
  ASSERT_TRUE(run_phases(recipe, context).ok());
  std::ifstream seen(dir.path() + "/build/dev");
  unsigned long phase_dev = 0;
  ASSERT_TRUE(seen >> phase_dev);
  struct stat host_dev;
  ASSERT_EQ(stat("/dev", &host_dev), 0);
  EXPECT_NE(phase_dev, static_cast<unsigned long>(host_dev.st_dev));
}

TEST(PhaseRunner, APhaseHeldBackByAFailedDependencyDoesNotRun) {
  testing::TempDir dir;
  PhaseContext context = context_in(dir.path());
  std::vector<std::string> asked;
  context.before_phase = [&](const std::string& phase) -> Status {
    asked.push_back(phase);
    if (phase == "install") return Error("demo: not built: libc failed before install");
    return Status::success();
  };
  Recipe recipe = custom_recipe({{"build", "echo built > built"}, {"install", "echo installed > \"$DESTDIR/x\""}});
  Status status = run_phases(recipe, context);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "demo: not built: libc failed before install");
  EXPECT_EQ(asked, (std::vector<std::string>{"build", "install"}));
  EXPECT_TRUE(fs::exists(dir.path() + "/build/built"));
  EXPECT_FALSE(fs::exists(dir.path() + "/dest/x"));
}

TEST(PhaseRunner, AReadOnlySourceCannotBeWrittenByTheBuild) {
  if (isolation().kind != Isolation::Kind::ReadOnlyHostNoNetwork)
    GTEST_FAIL() << "needs bubblewrap (scripts/setup installs it): " << isolation().describe();
  testing::TempDir dir;
  dir.write("src/input", "pristine\n");
  PhaseContext context = context_in(dir.path(), dir.path() + "/home", dir.path() + "/tmp");
  context.source_read_only = true;
  Recipe recipe = custom_recipe({{"build", "cp \"$XPORT_SRC/input\" copied\n"
                                           "if echo changed > \"$XPORT_SRC/input\"; then exit 3; fi"}});
  Status status = run_phases(recipe, context);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(*read_file(dir.path() + "/src/input"), "pristine\n");
  EXPECT_EQ(*read_file(dir.path() + "/build/copied"), "pristine\n");
}

}  // namespace
}  // namespace xport
