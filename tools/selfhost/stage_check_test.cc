#include "selfhost/stage_check.h"

#include <gtest/gtest.h>

#include "core/process.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

const std::string kSha2(64, 'a'), kSha3(64, 'b');

TEST(StageCheck, IdenticalStagesAreReadFromTheScriptsOutput) {
  StageOutcome outcome = parse_stage_output("noise\nxport-stage: cpu aarch64\nxport-stage: stage2 " + kSha2 +
                                            "\nxport-stage: stage3 " + kSha2 + "\nxport-stage: identical\n");
  EXPECT_TRUE(outcome.identical);
  EXPECT_EQ(outcome.cpu, "aarch64");
  ASSERT_NE(outcome.find("stage3"), nullptr);
  EXPECT_EQ(outcome.find("stage3")->sha256, kSha2);
  EXPECT_TRUE(outcome.failure.empty());
}

TEST(StageCheck, DifferencesAndFailuresAreKept) {
  StageOutcome differ = parse_stage_output("xport-stage: stage2 " + kSha2 + "\nxport-stage: stage3 " + kSha3 +
                                           "\nxport-stage: ddc " + kSha2 + "\nxport-stage: differ stage3\n");
  EXPECT_FALSE(differ.identical);
  EXPECT_EQ(differ.different, std::vector<std::string>{"stage3"});
  StageOutcome failed = parse_stage_output("xport-stage: failed stage2\nerror: no such file\nmake: *** Error 1\n");
  EXPECT_FALSE(failed.identical);
  EXPECT_EQ(failed.failure, "stage2\n  | error: no such file\n  | make: *** Error 1");
  // "identical" without both stages is not believed.
  EXPECT_FALSE(parse_stage_output("xport-stage: identical\n").identical);
}

TEST(StageCheck, TheScriptIsValidShellAndItsCommandNamesTheSourceAndLoader) {
  testing::TempDir dir;
  const std::string script = dir.write("stage-check", stage_check_script(), 0755);
  auto checked = run_process({"sh", "-n", script});
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->exit_code, 0) << checked->output;
  StageCheckLayout layout{"/usr/src/tcc-1", "/usr/libexec/xport/stage-check", "/lib/ld-musl-aarch64.so.1"};
  EXPECT_EQ(layout.command({"ddc=/tmp/x"}),
            (std::vector<std::string>{"/bin/sh", "/usr/libexec/xport/stage-check", "/usr/src/tcc-1",
                                      "/lib/ld-musl-aarch64.so.1", "ddc=/tmp/x"}));
}

TEST(StageCheck, TheScriptComparesEveryBuildWithStage2) {
  // The script for real, with a stand-in "compiler": a make that copies CC's marker into tcc.
  testing::TempDir dir;
  dir.write("src/configure", "#!/bin/sh\necho 'CPU                 testcpu'\n", 0755);
  dir.write("src/Makefile", "tcc:\n\techo $(firstword $(CC)) > tcc\n");
  const std::string script = dir.write("stage-check", stage_check_script(), 0755);
  auto run = run_process({"sh", script, dir.path() + "/src", "/lib/ld.so", "other=elsewhere"});
  ASSERT_TRUE(run.ok());
  StageOutcome outcome = parse_stage_output(run->output);
  EXPECT_EQ(outcome.cpu, "testcpu") << run->output;
  // stage2 was made by "tcc", stage3 by the stage2 path, "other" by "elsewhere": all differ.
  EXPECT_EQ(run->exit_code, 1) << run->output;
  EXPECT_EQ(outcome.different, (std::vector<std::string>{"stage3", "other"})) << run->output;
  ASSERT_EQ(outcome.builds.size(), 3u) << run->output;
}

}  // namespace
}  // namespace xport
