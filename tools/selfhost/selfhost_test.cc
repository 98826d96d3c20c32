#include "selfhost/selfhost.h"

#include <gtest/gtest.h>

#include <llvm/Support/JSON.h>

namespace xport {
namespace {

SelfhostReport passing_report() {
  SelfhostReport report;
  report.arch = "aarch64";
  report.compiler = "tcc 1";
  report.stage.builds = {{"stage2", std::string(64, 'a')}, {"stage3", std::string(64, 'a')}};
  report.stage.identical = true;
  report.diverse.ran = true;
  report.diverse.result_sha256 = std::string(64, 'a');
  report.diverse.identical = true;
  return report;
}

TEST(Selfhost, PassesOnlyWhenTheStagesAndTheDiversePathAgree) {
  SelfhostReport report = passing_report();
  EXPECT_TRUE(report.passed());
  report.diverse.identical = false;
  EXPECT_FALSE(report.passed());
  report = passing_report();
  report.stage.failure = "stage2";
  EXPECT_FALSE(report.passed());
  // A package the target cannot build is reported, not failed.
  report = passing_report();
  report.rebuilds.push_back({"busybox", "1-1", NativeRebuild::Result::CannotBuild, "needs clang-16", {}, 0});
  EXPECT_TRUE(report.passed());
}

TEST(Selfhost, TheReportSaysEachResultInTextAndJson) {
  SelfhostReport report = passing_report();
  report.rebuilds.push_back({"zlib", "1.2.13-1", NativeRebuild::Result::Different, "",
                             {{"usr/lib/libz.a", "contents differ"}}, 12});
  const std::string text = selfhost_report_text(report);
  EXPECT_NE(text.find("stage2 and stage3: identical"), std::string::npos) << text;
  EXPECT_NE(text.find("path 2 and stage2: identical"), std::string::npos) << text;
  EXPECT_NE(text.find("zlib 1.2.13-1: built, differs (12 s)"), std::string::npos) << text;
  EXPECT_NE(text.find("usr/lib/libz.a: contents differ"), std::string::npos) << text;
  EXPECT_NE(text.find("result: passed"), std::string::npos) << text;
  auto json = llvm::json::parse(selfhost_report_json(report));
  ASSERT_TRUE(bool(json));
  const llvm::json::Object* top = json->getAsObject();
  EXPECT_EQ(top->getBoolean("passed"), true);
  EXPECT_EQ(top->getObject("diverse_double_compiling")->getBoolean("identical_to_stage2"), true);
  EXPECT_EQ(top->getArray("native_rebuild")->front().getAsObject()->getString("result"), "built, differs");
}

}  // namespace
}  // namespace xport
