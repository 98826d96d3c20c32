#include "core/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace xport {

namespace fs = std::filesystem;

std::string default_data_dir() {
  if (const char* env = std::getenv("XPORT_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  if (fs::is_directory(fs::path(XPORT_SOURCE_DATA_DIR) / "arch", ec)) return XPORT_SOURCE_DATA_DIR;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "xport";
    if (fs::is_directory(installed / "arch", ec)) return installed.string();
  }
  return XPORT_SOURCE_DATA_DIR;
}

const char* xport_version() { return XPORT_VERSION; }

}  // namespace xport
