// Where xport finds its data (arch/, toolchains/, recipes/) and its own version.
#pragma once

#include <string>

namespace xport {

/// The data directory: $XPORT_DATA_DIR, else the source tree xport was built from (when it still
/// has arch/), else <prefix>/share/xport next to the executable.
std::string default_data_dir();

/// "0.1.0".
const char* xport_version();

}  // namespace xport
