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

TEST(QuoteCommand, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(quote_command({"cc", "-o", "a b", "it's"}), "cc -o 'a b' 'it'\\''s'");
}

}  // namespace
}  // namespace xport
