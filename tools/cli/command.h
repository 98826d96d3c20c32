// xport's subcommands live in one table (command_table.cc): name, one-line summary, handler.
// `xport help` is generated from it and a misspelt name gets a "did you mean" from it.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,  // the step ran and found problems (inspect findings, a failed build)
  kExitUsage = 2,   // bad command line, unreadable input, I/O error
};

/// Options that apply to every subcommand; given before the subcommand's name.
struct GlobalOptions {
  std::string data_dir;  // holds arch/, toolchains/, recipes/
  bool dry_run = false;  // -n: print what would be done, do nothing
};

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args, const GlobalOptions& global);
};

const std::vector<Command>& command_table();

/// Parses the global options, dispatches to the subcommand and returns the exit code.
int run_main(int argc, char** argv);

/// Prints "xport: error: <message>" to stderr; returns kExitUsage.
int print_error(const Error& error);
/// Prints "xport: warning: <message>" to stderr.
void print_warning(const std::string& message);

// Handlers, one file each (cmd_<name>.cc).
int run_help(const std::vector<std::string>& args, const GlobalOptions& global);
int run_arch(const std::vector<std::string>& args, const GlobalOptions& global);
int run_inspect(const std::vector<std::string>& args, const GlobalOptions& global);
int run_fetch(const std::vector<std::string>& args, const GlobalOptions& global);
int run_toolchain(const std::vector<std::string>& args, const GlobalOptions& global);
int run_recipe(const std::vector<std::string>& args, const GlobalOptions& global);
int run_graph(const std::vector<std::string>& args, const GlobalOptions& global);
int run_build(const std::vector<std::string>& args, const GlobalOptions& global);
int run_rootfs(const std::vector<std::string>& args, const GlobalOptions& global);
int run_run(const std::vector<std::string>& args, const GlobalOptions& global);
int run_shell(const std::vector<std::string>& args, const GlobalOptions& global);
int run_selfhost(const std::vector<std::string>& args, const GlobalOptions& global);
int run_kernel(const std::vector<std::string>& args, const GlobalOptions& global);
int run_boot(const std::vector<std::string>& args, const GlobalOptions& global);
int run_image(const std::vector<std::string>& args, const GlobalOptions& global);
int run_env(const std::vector<std::string>& args, const GlobalOptions& global);

}  // namespace xport::cli
