// Recipe directories written by tests (test binary only).
#pragma once

#include <string>
#include <vector>

#include "testing/fixtures.h"

namespace xport::recipe_test {

/// Writes recipes/<name>/<name>.yaml under `dir` for a small valid recipe, with `extra` YAML
/// lines appended (depends, build_depends, outputs, patches...). Returns the recipes dir.
inline std::string write_recipe(const testing::TempDir& dir, const std::string& name, const std::string& extra = "") {
  dir.write("recipes/" + name + "/" + name + ".yaml",
            "name: " + name + "\nversion: '1.0'\ndescription: " + name +
                " for tests\nlicense: MIT\nsources:\n  - url: https://example.org/" + name +
                "-1.0.tar.gz\n    sha256: "
                "d14c38e313afc35a9a8760dadf26042f51ea0f5d154b0630a31da0540107fb98\nbuild_style: make\n"
                "source_date_epoch: 1700000000\n" +
                extra);
  return dir.path() + "/recipes";
}

}  // namespace xport::recipe_test
