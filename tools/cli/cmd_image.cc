// xport image --arch A|--root DIR --format tar|cpio|ext4 -o FILE: a deterministic image of a root.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "arch/arch.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/toolchain_setup.h"
#include "core/files.h"
#include "image/image.h"

namespace xport::cli {

int run_image(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "image";
  spec.usage = "--arch ARCH|--root DIR --format tar|cpio|ext4 -o FILE [--epoch SECONDS]";
  spec.about =
      "Writes an image of a root (--root, or out/root/<arch> where xport rootfs puts it) that is\n"
      "the same file every time for the same root: tar, cpio (newc, for an initramfs) or ext4\n"
      "(mke2fs -d). Entries are owned by root and no time is later than the epoch: --epoch, else\n"
      "$SOURCE_DATE_EPOCH, else the install date in the root's pacman database.";
  std::string arch_name, root, format_name, output;
  int64_t epoch = -1;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name), "the target architecture whose root to image (out/root/<arch>)")
      ("root,r", po::value(&root), "the root directory (default: out/root/<arch>)")
      ("format,f", po::value(&format_name)->required(), "tar, cpio or ext4")
      ("output,o", po::value(&output)->required(), "the image file")
      ("epoch", po::value(&epoch), "latest time in the image (seconds since 1970)");
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  auto format = parse_image_format(format_name);
  if (!format) return print_error(format.error());
  if (root.empty() && arch_name.empty()) return print_error(Error("xport image: give --arch or --root"));
  if (!arch_name.empty())
    if (auto loaded = load_arch(global, arch_name); !loaded) return print_error(loaded.error());
  root = root.empty() ? default_root_dir(arch_name) : absolute_dir(root);
  if (!std::filesystem::is_directory(root)) return print_error(Error(root + ": no such root directory"));
  if (epoch < 0)
    if (const char* from_env = std::getenv("SOURCE_DATE_EPOCH"); from_env && *from_env) epoch = std::atoll(from_env);
  if (epoch < 0) {
    auto from_root = root_install_epoch(root);
    if (!from_root)
      return print_error(Error(root + ": no pacman database to date the image by; give --epoch or SOURCE_DATE_EPOCH"));
    epoch = *from_root;
  }
  if (Status written = write_image(root, *format, output, epoch); !written.ok()) {
    print_error(written.error());
    return kExitFailed;
  }
  std::cout << format_name << " image of " << root << " in " << output << "\n";
  return kExitOk;
}

}  // namespace xport::cli
