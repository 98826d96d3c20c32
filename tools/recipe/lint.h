// `xport recipe lint`: every problem in the recipes, each as "file:line:column: what is wrong"
// (or "file: ..." where no position applies), so that a porter fixes them all in one go.
#pragma once

#include <string>
#include <vector>

#include "arch/arch.h"

namespace xport {

/// Checks each recipe under `dir` on its own (a broken file does not hide the others), then the
/// set: names provided twice, dependencies no recipe provides (with a "did you mean"), build
/// dependency cycles (as a path), patches missing or not matching their sha256, waivers of
/// checks that do not exist, unsupported_arches naming no arch in `arches`.
std::vector<std::string> lint_recipes(const std::string& dir, const ArchRegistry& arches);

}  // namespace xport
