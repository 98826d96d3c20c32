#include "cli/command.h"

namespace xport::cli {

int run_inspect(const std::vector<std::string>& args, const GlobalOptions& global) {
  return print_error(Error("inspect: under construction"));
}

}  // namespace xport::cli
