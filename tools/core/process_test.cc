#include "core/process.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

TEST(RunProcess, CapturesOutputAndExitCode) {
  auto result = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->output, "out\nerr\n");
}

TEST(RunProcess, UsesTheGivenEnvironmentOnly) {
  auto result = run_process({"sh", "-c", "echo ${LIBRARY_PATH-unset} $ONLY"},
                            {.environment = std::map<std::string, std::string>{
                                 {"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->output, "unset this\n");
}

TEST(RunProcess, MissingProgramIsAnError) {
  auto result = run_process({"no-such-program-xport"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "no-such-program-xport: command not found");
}

TEST(RunProcess, ATimeoutKillsTheProgramAndKeepsWhatItPrinted) {
  auto result = run_process({"sh", "-c", "echo started; exec sleep 30"}, {.timeout_seconds = 1});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->exit_code, 128 + 9);
  EXPECT_EQ(result->output, "started\n");
  auto quick = run_process({"sh", "-c", "echo done; exit 4"}, {.timeout_seconds = 10});
  ASSERT_TRUE(quick.ok());
  EXPECT_FALSE(quick->timed_out);
  EXPECT_EQ(quick->exit_code, 4);
  EXPECT_EQ(quick->output, "done\n");
}

TEST(QuoteCommand, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(quote_command({"cc", "-o", "a b", "it's"}), "cc -o 'a b' 'it'\\''s'");
}

}  // namespace
}  // namespace xport
