#include "inspect/path_scanner.h"

#include <gtest/gtest.h>

namespace xport::inspect {
namespace {

TEST(PathScanner, FindsEachPatternOnceWithItsContext) {
  PathScanner scanner({"/usr/lib/x86_64-linux-gnu", "/home/", "/home/"});
  std::string data("\x7f" "ELF\0/usr/lib/x86_64-linux-gnu/libz.so\0junk\0/usr/lib/x86_64-linux-gnu\0",
                   64);
  auto hits = scanner.scan(data);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].pattern, "/usr/lib/x86_64-linux-gnu");
  EXPECT_EQ(hits[0].context, "/usr/lib/x86_64-linux-gnu/libz.so");
}

TEST(PathScanner, FindsAMatchThatStraddlesTwoWindows) {
  const std::string pattern = "/build/xport-staging";
  for (size_t straddle : {size_t{1}, size_t{7}, pattern.size() - 1}) {
    std::string data(2 * PathScanner::kWindow, 'x');
    data.replace(PathScanner::kWindow - straddle, pattern.size(), pattern);
    auto hits = PathScanner({pattern}).scan(data);
    ASSERT_EQ(hits.size(), 1u) << "straddling by " << straddle;
    EXPECT_EQ(hits[0].pattern, pattern);
  }
}

TEST(PathScanner, ReportsTheFirstOccurrenceAcrossWindows) {
  std::string data(3 * PathScanner::kWindow, '\0');
  data.replace(PathScanner::kWindow + 10, 13, "/tmp/a/first\0", 13);
  data.replace(2 * PathScanner::kWindow + 10, 13, "/tmp/a/later\0", 13);
  auto hits = PathScanner({"/tmp/a/"}).scan(data);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].context, "/tmp/a/first");
}

TEST(PathScanner, TellsHowFarItHasReadWindowByWindow) {
  std::string data(2 * PathScanner::kWindow + 5, 'x');
  std::vector<size_t> consumed;
  PathScanner({"/nowhere/"}).scan(data, [&](size_t offset) { consumed.push_back(offset); });
  EXPECT_EQ(consumed, (std::vector<size_t>{PathScanner::kWindow, 2 * PathScanner::kWindow,
                                           data.size()}));
}

TEST(PathScanner, StopsReadingOnceEveryPatternIsFound) {
  std::string data(4 * PathScanner::kWindow, 'x');
  data.replace(100, 5, "/opt/");
  size_t windows = 0;
  auto hits = PathScanner({"/opt/"}).scan(data, [&](size_t) { ++windows; });
  EXPECT_EQ(hits.size(), 1u);
  EXPECT_EQ(windows, 1u);
}

TEST(PathScanner, IgnoresEmptyPatternsAndEmptyData) {
  PathScanner scanner({"", "/usr/"});
  EXPECT_EQ(scanner.patterns(), std::vector<std::string>{"/usr/"});
  EXPECT_TRUE(scanner.scan("").empty());
}

}  // namespace
}  // namespace xport::inspect
