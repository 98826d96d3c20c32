#pragma once

#include <string>

#include "core/error.h"

namespace xport {

/// The sha256 of a file's content as 64 lower-case hex digits.
Expected<std::string> sha256_file(const std::string& path);
/// The sha256 of a string.
std::string sha256_text(const std::string& text);

}  // namespace xport
