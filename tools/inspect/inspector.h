// xport inspect's engine: walks the inputs (trees, archives, single files), checks every file in
// parallel and returns one Report. Printing is the caller's business.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "inspect/report.h"

namespace xport::inspect {

struct InspectOptions {
  std::vector<std::string> inputs;     // files, directories, archives
  std::string arch;                    // "" = infer from the majority of ELF files
  std::optional<Libc> libc;            // nothing = infer from the interpreters, else musl
  std::string root;                    // target root to resolve against; "" = each input itself
  std::vector<std::string> forbid_paths;
  std::vector<std::string> expected_compilers = {"clang", "LLD", "Linker:"};
  unsigned jobs = 0;                   // 0 = all cores
  /// Called now and then from the scanning threads with (files done, files known so far).
  std::function<void(uint64_t, uint64_t)> progress;
};

/// Runs every check. An Error means the inspection could not be done at all (an input that does
/// not exist, an unknown --arch); damaged files are findings, not errors.
Expected<Report> inspect(const InspectOptions& options, const ArchRegistry& registry);

}  // namespace xport::inspect
