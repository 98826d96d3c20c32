// Boost.Program_options glue shared by the subcommands: --help, usage errors, positionals.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace xport::cli {

namespace po = boost::program_options;

struct CommandLineSpec {
  std::string command;   // e.g. "inspect"
  std::string usage;     // e.g. "[options] PATH..."
  std::string about;     // a paragraph printed under the usage line
  po::options_description options{"Options"};
  po::positional_options_description positional;
};

/// Parses `args` into `values`. Returns an exit code when the command must stop now: 0 after
/// printing --help, kExitUsage after printing a usage error. Adds --help itself.
std::optional<int> parse_command_line(CommandLineSpec& spec, const std::vector<std::string>& args,
                                      po::variables_map& values);

/// Prints the --help text of a command.
void print_command_help(const CommandLineSpec& spec);

}  // namespace xport::cli
