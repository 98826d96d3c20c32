#include "fetch/fetcher.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fetch/sha256.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

namespace fs = std::filesystem;

constexpr const char* kContent = "int main(void) { return 0; }\n";

SourceSpec spec_for(const std::string& content) {
  SourceSpec spec;
  spec.file = "hello-1.0.tar.gz";
  spec.sha256 = sha256_text(content);
  return spec;
}

TEST(Sha256, KnownValue) {
  EXPECT_EQ(sha256_text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Fetcher, MirrorHitIsVerifiedAndCached) {
  testing::TempDir dir;
  dir.write("mirror/hello-1.0.tar.gz", kContent);
  FetchOptions options{dir.path() + "/cache", {dir.path() + "/mirror"}, true, nullptr};
  SourceFetcher fetcher(options);
  auto path = fetcher.fetch(spec_for(kContent));
  ASSERT_TRUE(path.ok()) << path.error().message();
  EXPECT_EQ(*path, fetcher.cache_path(spec_for(kContent)));
  fs::remove_all(dir.path() + "/mirror");
  auto again = fetcher.fetch(spec_for(kContent));  // from the cache now
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*sha256_file(*again), sha256_text(kContent));
}

TEST(Fetcher, WrongHashIsRejectedKeptAsideAndNeverCached) {
  testing::TempDir dir;
  dir.write("mirror/hello-1.0.tar.gz", "tampered\n");
  FetchOptions options{dir.path() + "/cache", {dir.path() + "/mirror"}, true, nullptr};
  SourceFetcher fetcher(options);
  SourceSpec spec = spec_for(kContent);
  auto path = fetcher.fetch(spec);
  ASSERT_FALSE(path.ok());
  const std::string actual = sha256_text("tampered\n");
  const std::string message = path.error().message();
  EXPECT_NE(message.find("sha256 mismatch for hello-1.0.tar.gz: expected " + spec.sha256 + ", got " + actual),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(dir.path() + "/cache/rejected/hello-1.0.tar.gz." + actual), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path() + "/cache/rejected/hello-1.0.tar.gz." + actual));
  EXPECT_FALSE(fs::exists(fetcher.cache_path(spec)));
  EXPECT_TRUE(fs::exists(dir.path() + "/mirror/hello-1.0.tar.gz"));  // the user's file is untouched
}

TEST(Fetcher, OfflineWithoutTheFileSaysWhereItLooked) {
  testing::TempDir dir;
  FetchOptions options{dir.path() + "/cache", {dir.path() + "/mirror"}, true, nullptr};
  auto path = SourceFetcher(options).fetch(spec_for(kContent));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.error().message(), "cannot fetch hello-1.0.tar.gz:\n  " + dir.path() +
                                        "/mirror/hello-1.0.tar.gz: not there\n  --offline: no downloads");
}

}  // namespace
}  // namespace xport
