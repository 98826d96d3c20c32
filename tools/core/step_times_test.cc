#include "core/step_times.h"

#include <gtest/gtest.h>

#include <thread>

namespace xport {
namespace {

TEST(StepTimes, OneLinePerFinishedStepInOrder) {
  StepTimes times;
  times.start("fetch");
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  times.start("build");
  times.stop();
  times.stop();  // stopping twice records nothing more
  const std::string& tsv = times.tsv();
  ASSERT_EQ(tsv.rfind("fetch\t", 0), 0u) << tsv;
  const double fetch = std::stod(tsv.substr(6));
  EXPECT_GE(fetch, 0.03);
  EXPECT_NE(tsv.find("\nbuild\t0.0"), std::string::npos) << tsv;
  EXPECT_EQ(std::count(tsv.begin(), tsv.end(), '\n'), 2);
}

TEST(StepTimes, NothingBeforeTheFirstStep) {
  StepTimes times;
  times.stop();
  EXPECT_EQ(times.tsv(), "");
}

}  // namespace
}  // namespace xport
