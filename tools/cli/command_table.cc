#include "cli/command.h"

namespace xport::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"help", "list the subcommands, or show one's options", run_help},
      {"arch", "list the architectures or show one (arch/*.yaml)", run_arch},
      {"inspect", "check ELF files, trees and archives for host contamination and porting defects",
       run_inspect},
  };
  return table;
}

}  // namespace xport::cli
