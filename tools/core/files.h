// Small file helpers that return errors as values and name the file in them.
#pragma once

#include <string>

#include "core/error.h"

namespace xport {

/// The whole content of a file.
Expected<std::string> read_file(const std::string& path);
/// Writes `content` to `path` through a temporary file and a rename, so that a reader (or an
/// interrupted run) sees either the old content or the new one, never half of it.
Status write_file_atomically(const std::string& path, const std::string& content);

}  // namespace xport
