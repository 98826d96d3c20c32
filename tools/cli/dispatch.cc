#include <cstring>
#include <iostream>

#include "cli/command.h"
#include "core/paths.h"
#include "core/suggest.h"

namespace xport::cli {

namespace {

void print_usage(std::ostream& out) {
  out << "usage: xport [-n] [--data-dir DIR] <command> [options]\n"
         "       xport --version\n\n"
         "Ports a Linux distribution to a new CPU architecture from a foreign host.\n\n"
         "Commands:\n";
  for (const Command& command : command_table())
    out << "  " << command.name << std::string(12 - std::min<size_t>(11, std::strlen(command.name)), ' ')
        << command.summary << "\n";
  out << "\nGlobal options:\n"
         "  -n, --dry-run      print what would be done without doing it\n"
         "  --data-dir DIR     where arch/, toolchains/ and recipes/ are\n"
         "\nRun 'xport <command> --help' for a command's options.\n";
}

const Command* find_command(const std::string& name) {
  for (const Command& command : command_table())
    if (name == command.name) return &command;
  return nullptr;
}

}  // namespace

int print_error(const Error& error) {
  std::cerr << "xport: error: " << error.message() << "\n";
  return kExitUsage;
}

void print_warning(const std::string& message) { std::cerr << "xport: warning: " << message << "\n"; }

int run_help(const std::vector<std::string>& args, const GlobalOptions& global) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    print_usage(std::cout);
    return kExitOk;
  }
  const Command* command = find_command(args[0]);
  if (!command) return print_error(Error("no command '" + args[0] + "'"));
  return command->run({"--help"}, global);
}

int run_main(int argc, char** argv) {
  GlobalOptions global;
  global.data_dir = default_data_dir();
  int i = 1;
  // Global options come before the command name, as with git; anything after belongs to it.
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string arg = argv[i];
    if (arg == "--version") {
      std::cout << "xport " << xport_version() << "\n";
      return kExitOk;
    } else if (arg == "-h" || arg == "--help") {
      print_usage(std::cout);
      return kExitOk;
    } else if (arg == "-n" || arg == "--dry-run") {
      global.dry_run = true;
    } else if (arg == "--data-dir" && i + 1 < argc) {
      global.data_dir = argv[++i];
    } else if (arg.rfind("--data-dir=", 0) == 0) {
      global.data_dir = arg.substr(std::strlen("--data-dir="));
    } else {
      std::cerr << "xport: unknown global option '" << arg << "'\n";
      print_usage(std::cerr);
      return kExitUsage;
    }
  }
  if (i == argc) {
    print_usage(std::cerr);
    return kExitUsage;
  }
  const std::string name = argv[i];
  const Command* command = find_command(name);
  if (!command) {
    std::vector<std::string> names;
    for (const Command& c : command_table()) names.push_back(c.name);
    std::cerr << "xport: '" << name << "' is not an xport command.";
    if (auto close = closest_names(name, names); !close.empty())
      std::cerr << " Did you mean '" << close.front() << "'?";
    std::cerr << "\nRun 'xport help' for the list.\n";
    return kExitUsage;
  }
  std::vector<std::string> args(argv + i + 1, argv + argc);
  return command->run(args, global);
}

}  // namespace xport::cli
