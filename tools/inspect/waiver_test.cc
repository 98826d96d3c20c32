// Waiver files: what a good one gives, the exact message for each kind of mistake, and how
// waivers are matched against findings.
#include "inspect/waiver.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace xport::inspect {
namespace {

std::string error_of(const std::string& yaml) {
  auto parsed = parse_waivers(yaml, "w.yaml");
  if (parsed.ok()) return "<parsed>";
  return parsed.error().message();
}

TEST(Waivers, ParsesAGoodFile) {
  auto parsed = parse_waivers(
      "# accepted findings\n"
      "- check: interp\n"
      "  path: /usr/bin/*\n"
      "  reason: vendor binary, loader provided by the vendor package\n"
      "- check: \"*\"\n"
      "  path: usr/lib/firmware/*\n"
      "  reason: firmware blobs\n",
      "w.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  ASSERT_EQ(parsed->size(), 2u);
  const Waiver& first = (*parsed)[0];
  EXPECT_EQ(first.check, "interp");
  EXPECT_EQ(first.path, "/usr/bin/*");
  EXPECT_EQ(first.reason, "vendor binary, loader provided by the vendor package");
  EXPECT_EQ(first.origin, "w.yaml:2:3");
  EXPECT_EQ((*parsed)[1].check, "*");
  EXPECT_EQ((*parsed)[1].origin, "w.yaml:5:3");
}

TEST(Waivers, EmptyFileWaivesNothing) {
  auto parsed = parse_waivers("# nothing yet\n", "w.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_TRUE(parsed->empty());
}

TEST(Waivers, LoadsFromDisk) {
  testing::TempDir dir;
  std::string file = dir.write("waive.yaml", "- {check: pie, path: /usr/bin/x, reason: static}\n");
  auto loaded = load_waivers(file);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].origin, file + ":1:3");
  auto missing = load_waivers(dir.path() + "/none.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), dir.path() + "/none.yaml: cannot open file");
}

TEST(Waivers, RejectsUnknownCheckWithSuggestion) {
  EXPECT_EQ(error_of("- check: intrep\n  path: /x\n  reason: r\n"),
            "w.yaml:1:10: unknown check 'intrep'; did you mean 'interp'?");
  EXPECT_EQ(error_of("- check: zzzzzzzz\n  path: /x\n  reason: r\n"),
            "w.yaml:1:10: unknown check 'zzzzzzzz' (the ids are in docs/checks.md; '*' waives "
            "every check)");
}

TEST(Waivers, RejectsUnknownKey) {
  EXPECT_EQ(error_of("- check: pie\n  path: /x\n  reason: r\n  expires: 2025\n"),
            "w.yaml:4:3: unknown key 'expires' (known keys: check, path, reason)");
}

TEST(Waivers, RejectsMissingKeys) {
  EXPECT_EQ(error_of("- check: pie\n  path: /x\n"), "w.yaml:1:3: missing required key 'reason'");
  EXPECT_EQ(error_of("- path: /x\n  reason: r\n"), "w.yaml:1:3: missing required key 'check'");
  EXPECT_EQ(error_of("- check: pie\n  reason: r\n"), "w.yaml:1:3: missing required key 'path'");
}

TEST(Waivers, RejectsEmptyReasonAndPath) {
  EXPECT_EQ(error_of("- check: pie\n  path: /x\n  reason: \"  \"\n"),
            "w.yaml:3:11: 'reason' must not be empty: say why the finding is accepted");
  EXPECT_EQ(error_of("- check: pie\n  path: ''\n  reason: r\n"),
            "w.yaml:2:9: 'path' must not be empty");
}

TEST(Waivers, RejectsWrongShapes) {
  EXPECT_EQ(error_of("check: pie\npath: /x\nreason: r\n"),
            "w.yaml:1:1: a waiver file is a list of entries with keys check, path and reason");
  EXPECT_EQ(error_of("- pie\n"), "w.yaml:1:3: expected a mapping of keys to values");
  EXPECT_EQ(error_of("- check: pie\n  path: [a, b]\n  reason: r\n"),
            "w.yaml:2:9: 'path' must be a single value");
  EXPECT_EQ(error_of("- {check: pie, path: /x, reason: r}\n-\n"),
            "w.yaml:1:1: waiver 2 is empty: give check, path and reason");
}

TEST(Waivers, SyntaxErrorHasPosition) {
  std::string message = error_of("- check: pie\n  path: [unclosed\n");
  EXPECT_EQ(message.rfind("w.yaml:", 0), 0u) << message;
  EXPECT_NE(message, "<parsed>");
}

// ---- applying ----

Finding finding(const char* check, std::string file, std::string member, std::string target) {
  Finding f;
  f.check = check;
  f.file = std::move(file);
  f.member = std::move(member);
  f.target_path = std::move(target);
  return f;
}

Waiver waiver(const char* check, const char* path, const char* reason) {
  return Waiver{check, path, reason, "w.yaml:1:3"};
}

TEST(ApplyWaivers, GlobMatchesTargetPathWithOrWithoutSlash) {
  std::vector<Finding> findings = {finding("interp", "tree/usr/bin/foo", "", "/usr/bin/foo"),
                                   finding("interp", "tree/usr/sbin/bar", "", "/usr/sbin/bar"),
                                   finding("interp", "tree/usr/lib/x/y.so", "", "/usr/lib/x/y.so")};
  apply_waivers(findings, {waiver("interp", "/usr/bin/*", "vendor"),
                           waiver("interp", "usr/sbin/b?r", "other"),
                           waiver("interp", "/usr/lib/*.so", "deep")});
  EXPECT_TRUE(findings[0].waived);
  EXPECT_EQ(findings[0].waiver_reason, "vendor");
  EXPECT_TRUE(findings[1].waived);
  EXPECT_EQ(findings[1].waiver_reason, "other");
  // '*' crosses '/': a waiver for a directory covers everything under it.
  EXPECT_TRUE(findings[2].waived);
  EXPECT_EQ(findings[2].waiver_reason, "deep");
}

TEST(ApplyWaivers, GlobMatchesLocation) {
  std::vector<Finding> findings = {finding("rpath", "pkg.tar", "usr/lib/libx.so", "/usr/lib/libx.so"),
                                   finding("rpath", "other.tar", "usr/lib/libx.so", "/opt/libx.so")};
  apply_waivers(findings, {waiver("rpath", "pkg.tar:usr/lib/*", "from pkg")});
  EXPECT_TRUE(findings[0].waived);
  EXPECT_EQ(findings[0].waiver_reason, "from pkg");
  EXPECT_FALSE(findings[1].waived);
}

TEST(ApplyWaivers, NoMatchLeavesFindingAlone) {
  std::vector<Finding> findings = {finding("interp", "tree/usr/bin/foo", "", "/usr/bin/foo")};
  apply_waivers(findings, {waiver("interp", "/usr/sbin/*", "x"), waiver("rpath", "/usr/bin/*", "y"),
                           waiver("interp", "/usr/bin/fo", "z")});
  EXPECT_FALSE(findings[0].waived);
  EXPECT_EQ(findings[0].waiver_reason, "");
}

TEST(ApplyWaivers, StarCheckMatchesEveryCheck) {
  std::vector<Finding> findings = {finding("interp", "t/f", "", "/usr/lib/firmware/a.bin"),
                                   finding("stripped", "t/g", "", "/usr/lib/firmware/b.bin"),
                                   finding("stripped", "t/h", "", "/usr/lib/h.so")};
  apply_waivers(findings, {waiver("*", "/usr/lib/firmware/*", "firmware")});
  EXPECT_TRUE(findings[0].waived);
  EXPECT_TRUE(findings[1].waived);
  EXPECT_FALSE(findings[2].waived);
}

TEST(ApplyWaivers, FirstMatchWins) {
  std::vector<Finding> findings = {finding("pie", "t/usr/bin/foo", "", "/usr/bin/foo")};
  apply_waivers(findings, {waiver("pie", "/usr/bin/foo", "first"), waiver("*", "*", "second")});
  EXPECT_EQ(findings[0].waiver_reason, "first");
  findings[0].waived = false;
  apply_waivers(findings, {waiver("*", "*", "second"), waiver("pie", "/usr/bin/foo", "first")});
  EXPECT_TRUE(findings[0].waived);
  EXPECT_EQ(findings[0].waiver_reason, "second");
}

}  // namespace
}  // namespace xport::inspect
