#include "testing/fixtures.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/process.h"

namespace xport::testing {

namespace fs = std::filesystem;

const char* const kStartSource = R"(
void _start(void) { for (;;) {} }
)";

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/xport-test-XXXXXX";
  if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& relative, const std::string& content,
                           unsigned mode) const {
  fs::path full = fs::path(path_) / relative;
  fs::create_directories(full.parent_path());
  std::ofstream(full, std::ios::binary | std::ios::trunc) << content;
  chmod(full.c_str(), mode);
  return full.string();
}

std::string TempDir::symlink(const std::string& relative, const std::string& target) const {
  fs::path full = fs::path(path_) / relative;
  fs::create_directories(full.parent_path());
  fs::create_symlink(target, full);
  return full.string();
}

std::string clang_path() { return find_program("clang-16"); }
std::string lld_path() { return find_program("ld.lld-16"); }

bool cross_compile(const std::string& triple, const std::string& source, const std::string& output,
                   const std::vector<std::string>& flags) {
  const std::string clang = clang_path();
  const std::string lld = lld_path();
  if (clang.empty() || lld.empty()) {
    ADD_FAILURE() << "clang-16 and ld.lld-16 are needed to make test fixtures (scripts/setup installs them)";
    return false;
  }
  fs::create_directories(fs::path(output).parent_path());
  const std::string source_file = output + ".c";
  std::ofstream(source_file) << source;
  std::vector<std::string> argv = {clang, "--target=" + triple, "-O1", "-ffreestanding", "-nostdlib",
                                   "-fPIC", "-fuse-ld=lld", "--ld-path=" + lld, "-Wl,--build-id",
                                   "-Wl,-z,relro", "-Wl,-z,now", "-Wl,-z,noexecstack",
                                   "-Wno-unused-command-line-argument"};
  if (triple.starts_with("riscv")) argv.push_back("-mno-relax");
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-o", output, source_file});
  auto result = run_process(argv);
  fs::remove(source_file);
  if (!result.ok()) {
    ADD_FAILURE() << result.error().message();
    return false;
  }
  if (result->exit_code != 0) {
    ADD_FAILURE() << quote_command(argv) << " failed:\n" << result->output;
    return false;
  }
  return true;
}

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace xport::testing
