#include "core/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace xport {

namespace {

std::string read_all(int fd) {
  std::string out;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  return out;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string candidate = dirs.substr(start, colon - start) + "/" + name;
    struct stat st;
    if (colon > start && stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = colon + 1;
  }
  return "";
}

std::string quote_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const ProcessOptions& options) {
  if (argv.empty()) return Error("run_process: empty command");
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  std::vector<std::string> env_strings;
  std::vector<char*> env;
  if (options.environment) {
    for (const auto& [key, value] : *options.environment) env_strings.push_back(key + "=" + value);
    for (std::string& entry : env_strings) env.push_back(entry.data());
    env.push_back(nullptr);
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int pipe_fds[2] = {-1, -1};
  if (options.output_file.empty()) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  // With a custom environment PATH lookup must still use that environment's PATH.
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {
    std::string found = find_program(program);
    if (options.environment && options.environment->count("PATH")) {
      const char* saved = std::getenv("PATH");
      std::string old = saved ? saved : "";
      setenv("PATH", options.environment->at("PATH").c_str(), 1);
      found = find_program(program);
      setenv("PATH", old.c_str(), 1);
    }
    if (found.empty()) {
      posix_spawn_file_actions_destroy(&actions);
      if (pipe_fds[0] >= 0) close(pipe_fds[0]), close(pipe_fds[1]);
      return Error(program + ": command not found");
    }
    program = found;
  }
  pid_t pid;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(),
                       options.environment ? env.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  if (pipe_fds[1] >= 0) close(pipe_fds[1]);
  if (rc != 0) {
    if (pipe_fds[0] >= 0) close(pipe_fds[0]);
    return Error(program + ": cannot start: " + std::strerror(rc));
  }
  ProcessResult result;
  int status = 0;
  if (options.timeout_seconds > 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
    auto left_ms = [&] {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      return static_cast<int>(std::max<long long>(0, left.count()));
    };
    bool open = pipe_fds[0] >= 0;
    while (true) {
      if (open) {
        pollfd fd{pipe_fds[0], POLLIN, 0};
        if (poll(&fd, 1, std::min(left_ms(), 100)) > 0) {
          char buffer[65536];
          ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
          if (n > 0) result.output.append(buffer, static_cast<size_t>(n));
          else if (n == 0 || errno != EINTR) open = false;
        }
      } else {
        usleep(20 * 1000);
      }
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (left_ms() == 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        result.timed_out = true;
        break;
      }
    }
    if (pipe_fds[0] >= 0) {
      if (!result.timed_out) result.output += read_all(pipe_fds[0]);
      close(pipe_fds[0]);
    }
  } else {
    if (pipe_fds[0] >= 0) {
      result.output = read_all(pipe_fds[0]);
      close(pipe_fds[0]);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace xport
