#include "core/suggest.h"

#include <gtest/gtest.h>

namespace xport {
namespace {

TEST(ClosestNames, FindsOneTypo) {
  EXPECT_EQ(closest_names("inspct", {"help", "inspect", "arch"}),
            std::vector<std::string>{"inspect"});
}

TEST(ClosestNames, PrefixCounts) {
  EXPECT_EQ(closest_names("tool", {"toolchain", "build"}), std::vector<std::string>{"toolchain"});
}

TEST(ClosestNames, NothingCloseGivesNothing) {
  EXPECT_TRUE(closest_names("zzzzzz", {"help", "inspect"}).empty());
}

TEST(JoinNames, Joins) { EXPECT_EQ(join_names({"a", "b"}), "a, b"); }

}  // namespace
}  // namespace xport
