// Running other programs (compilers, make, qemu) without a shell in between.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct ProcessOptions {
  std::string cwd;                        // "" = current directory
  std::optional<std::map<std::string, std::string>> environment;  // nothing = inherit
  std::string output_file;                // "" = capture stdout+stderr into ProcessResult
  int timeout_seconds = 0;                // > 0: killed (SIGKILL) when it runs longer
};

struct ProcessResult {
  int exit_code = -1;    // the program's status; 128+N when killed by signal N
  std::string output;    // stdout and stderr interleaved, when captured
  bool timed_out = false;
};

/// Runs argv[0] (looked up in PATH) and waits. An Error means it could not be started.
Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const ProcessOptions& options = {});

/// The argv as a shell would need it typed, for logs and dry runs.
std::string quote_command(const std::vector<std::string>& argv);

/// Finds a program in PATH; "" when absent.
std::string find_program(const std::string& name);

}  // namespace xport
