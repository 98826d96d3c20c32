#include "run/target_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "arch/arch_test_support.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

const Arch& arch(const std::string& name) { return *arch_test::registry().find(name); }

TEST(Binfmt, RegistrationMatchesQemusOwnForLittleAndBigEndian) {
  // The magic and mask qemu's scripts/qemu-binfmt-conf.sh give these arches.
  EXPECT_EQ(binfmt_registration(arch("aarch64"), "/usr/bin/qemu-aarch64-static"),
            ":xport-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
            "\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
            "\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F");
  const std::string s390x = binfmt_registration(arch("s390x"), "/q");
  EXPECT_NE(s390x.find("\\x02\\x02\\x01\\x00"), std::string::npos) << s390x;            // 64-bit, big-endian
  EXPECT_NE(s390x.find("\\x00\\x02\\x00\\x16:"), std::string::npos) << s390x;           // ET_EXEC, EM_S390
  EXPECT_NE(s390x.find("\\xff\\xfe\\xff\\xff:/q:F"), std::string::npos) << s390x;
}

TEST(Binfmt, HandlersAreReadAndMatchedByTheirQemu) {
  testing::TempDir dir;
  dir.write("binfmt/register", "");
  dir.write("binfmt/status", "enabled\n");
  dir.write("binfmt/qemu-aarch64", "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: P\n");
  dir.write("binfmt/xport-riscv64", "enabled\ninterpreter /usr/bin/qemu-riscv64-static\nflags: F\noffset 0\n");
  dir.write("binfmt/qemu-s390x", "disabled\ninterpreter /usr/bin/qemu-s390x\nflags: F\n");
  auto handlers = read_binfmt_handlers(dir.path() + "/binfmt");
  ASSERT_EQ(handlers.size(), 3u);
  auto riscv = binfmt_handler_for(arch("riscv64"), handlers);
  ASSERT_TRUE(riscv.has_value());
  EXPECT_EQ(riscv->name, "xport-riscv64");
  EXPECT_TRUE(riscv->fix_binary);
  EXPECT_FALSE(binfmt_handler_for(arch("s390x"), handlers).has_value());    // disabled
  EXPECT_FALSE(binfmt_handler_for(arch("aarch64"), handlers).has_value());  // another interpreter
  EXPECT_TRUE(read_binfmt_handlers(dir.path() + "/not-mounted").empty());
}

TEST(TargetRun, ABinfmtHandlerWithTheFFlagMeansChrootAsRoot) {
  testing::TempDir dir;
  std::vector<BinfmtHandler> handlers = {{"xport-aarch64", "/usr/bin/qemu-aarch64-static", true, true}};
  auto plan = plan_target_run(arch("aarch64"), dir.path(), {"/bin/sh", "-c", "uname -m"}, RunVia::Automatic,
                              handlers, /*is_root=*/true);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ(plan->argv, (std::vector<std::string>{"chroot", dir.path(), "/bin/sh", "-c", "uname -m"}));
  EXPECT_TRUE(plan->needs_kernel_filesystems);
}

bool root_is_a_mount_point(const std::string& root) {
  std::ifstream mounts("/proc/self/mounts");
  for (std::string source, point, rest; mounts >> source >> point && std::getline(mounts, rest);)
    if (point == root) return true;
  return false;
}

TEST(TargetRun, KernelFilesystemsAreMountedForTheRunOnly) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting needs root";
  testing::TempDir dir;
  for (const char* sub : {"proc", "sys", "dev"}) std::filesystem::create_directory(dir.path() + "/" + sub);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Status mounted = mount_kernel_filesystems(dir.path());
    // The root's /dev is its own file system (never the host's, whose nodes a target program
    // running as root could replace), and its null is the real device.
    struct stat host_dev, root_dev;
    const bool own_dev = stat("/dev", &host_dev) == 0 && stat((dir.path() + "/dev").c_str(), &root_dev) == 0 &&
                         host_dev.st_dev != root_dev.st_dev;
    const bool seen = mounted.ok() && std::filesystem::exists(dir.path() + "/proc/self/mounts") &&
                      std::filesystem::is_character_file(dir.path() + "/dev/null") && own_dev &&
                      std::filesystem::is_symlink(dir.path() + "/dev/fd") &&
                      std::filesystem::exists(dir.path() + "/sys/kernel") && root_is_a_mount_point(dir.path());
    _exit(seen ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  // The mounts were the child's own: the host sees empty directories.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() + "/proc"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() + "/dev"));
}

TEST(TargetRun, WithoutAHandlerProotRunsQemuForEveryProgram) {
  testing::TempDir dir;
  auto plan = plan_target_run(arch("riscv64"), dir.path(), {"/bin/true"}, RunVia::Automatic, {}, /*is_root=*/false);
  if (!plan.ok()) GTEST_SKIP() << plan.error().message();  // proot or qemu-user missing here
  EXPECT_EQ(plan->argv, (std::vector<std::string>{"proot", "-q", "qemu-riscv64", "-r", dir.path(), "-b", "/proc",
                                                   "-b", "/sys", "-b", "/dev", "-w", "/", "/bin/true"}));
  EXPECT_FALSE(plan->needs_kernel_filesystems);
}

TEST(TargetRun, ProotAsRootGetsAPrivateDevNotTheHosts) {
  testing::TempDir dir;
  auto plan = plan_target_run(arch("riscv64"), dir.path(), {"/bin/true"}, RunVia::Automatic, {}, /*is_root=*/true);
  if (!plan.ok()) GTEST_SKIP() << plan.error().message();  // proot or qemu-user missing here
  EXPECT_EQ(plan->argv, (std::vector<std::string>{"proot", "-q", "qemu-riscv64", "-r", dir.path(), "-b", "/proc",
                                                   "-b", "/sys", "-w", "/", "/bin/true"}));
  EXPECT_TRUE(plan->needs_kernel_filesystems);
}

TEST(TargetRun, AskingForBinfmtWithoutAHandlerSaysHowToGetOne) {
  testing::TempDir dir;
  auto plan = plan_target_run(arch("aarch64"), dir.path(), {"/bin/true"}, RunVia::Binfmt, {}, true);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message(),
            "no binfmt_misc handler runs aarch64 programs here (xport run --register-binfmt, as root, registers "
            "qemu-aarch64-static)");
  auto missing = plan_target_run(arch("aarch64"), dir.path() + "/nothing", {"/bin/true"}, RunVia::Automatic, {}, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), dir.path() + "/nothing: no such root directory");
}

}  // namespace
}  // namespace xport
