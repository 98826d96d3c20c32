#include "boot/boot.h"

#include <gtest/gtest.h>

#include "arch/arch_test_support.h"
#include "core/process.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

TEST(Boot, TheMachineComesFromTheArchFile) {
  const Arch& arch = *arch_test::registry().find("aarch64");
  EXPECT_EQ(qemu_system_command(arch, "/k/vmlinuz", "/w/initramfs.cpio", 512, 2),
            (std::vector<std::string>{"qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-smp", "2",
                                      "-nographic", "-nic", "none", "-no-reboot", "-kernel", "/k/vmlinuz", "-initrd",
                                      "/w/initramfs.cpio", "-append", "console=ttyAMA0 rdinit=/xport/init panic=-1"}));
}

TEST(Boot, TheScriptsOutputAndStatusAreReadBetweenTheMarkers) {
  const std::string console =
      "Booting Linux\r\nRun /xport/init as init process\r\nxport-boot: script begins\r\n== uname -m\r\naarch64\r\n"
      "xport-boot: script ended with status 3 after 1.25 s\r\nreboot: Power down\r\n";
  auto result = read_console(console, "/w/console.log");
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->script_output, "== uname -m\naarch64\n");
  EXPECT_EQ(result->script_status, 3);
  EXPECT_DOUBLE_EQ(result->uptime_at_end, 1.25);
  auto hung = read_console("Booting Linux\nxport-boot: script begins\nworking...\n", "/w/console.log");
  ASSERT_FALSE(hung.ok());
  EXPECT_EQ(hung.error().message(), "the script did not finish (console log: /w/console.log)");
  auto panicked = read_console("Kernel panic - not syncing: No working init found.\n", "/w/console.log");
  ASSERT_FALSE(panicked.ok());
  EXPECT_EQ(panicked.error().message(), "the system did not reach the script (console log: /w/console.log)");
}

TEST(Boot, TheInitAndTheDefaultScriptAreValidShell) {
  testing::TempDir dir;
  for (const std::string& text : {boot_init_script(), default_boot_script("/bin/sh /usr/libexec/xport/stage-check x y")}) {
    auto checked = run_process({"sh", "-n", dir.write("script", text)});
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(checked->exit_code, 0) << checked->output << text;
  }
  EXPECT_NE(default_boot_script("STAGE").find("\nSTAGE\n"), std::string::npos);
  EXPECT_EQ(default_boot_script("").find("stage check"), std::string::npos);
}

TEST(Boot, AMissingKernelIsSaidBeforeAnythingRuns) {
  testing::TempDir dir;
  BootOptions options;
  options.arch = arch_test::registry().find("aarch64");
  options.kernel = dir.path() + "/nothing";
  options.root = dir.path();
  options.work_dir = dir.path() + "/work";
  auto result = boot(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), dir.path() + "/nothing: no such kernel image");
}

}  // namespace
}  // namespace xport
