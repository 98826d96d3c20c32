#include "cli/options.h"

#include <iostream>

#include "cli/command.h"

namespace xport::cli {

void print_command_help(const CommandLineSpec& spec) {
  std::cout << "usage: xport " << spec.command << " " << spec.usage << "\n";
  if (!spec.about.empty()) std::cout << "\n" << spec.about << "\n";
  std::cout << "\n" << spec.options << "\n";
}

std::optional<int> parse_command_line(CommandLineSpec& spec, const std::vector<std::string>& args,
                                      po::variables_map& values) {
  spec.options.add_options()("help,h", "print this help and exit");
  try {
    po::store(po::command_line_parser(args).options(spec.options).positional(spec.positional).run(),
              values);
    if (values.count("help")) {
      print_command_help(spec);
      return kExitOk;
    }
    po::notify(values);
  } catch (const po::error& e) {
    std::cerr << "xport " << spec.command << ": " << e.what() << "\n"
              << "usage: xport " << spec.command << " " << spec.usage << "\n"
              << "Try 'xport " << spec.command << " --help'.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace xport::cli
