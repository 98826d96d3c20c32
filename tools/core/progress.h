// One status line for long steps: "[2/6] musl 1.2.3 build 0:42". On a terminal the line is
// redrawn every second with the elapsed time; elsewhere (CI logs) each step is printed once when
// it starts and once when it ends, so logs stay readable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace xport {

class ProgressLine {
 public:
  /// `redraw` false prints a line per step and phase even on a terminal: for steps that run
  /// side by side, whose lines would otherwise overwrite each other.
  explicit ProgressLine(bool enabled = true, bool redraw = true);
  ~ProgressLine();

  /// Starts a new step and its clock.
  void start(const std::string& label);
  /// Renames the current step (a new phase of it) without resetting its clock.
  void relabel(const std::string& label);
  /// Ends the current step with a word such as "done", "skipped (up to date)", "FAILED".
  void finish(const std::string& outcome);

 private:
  void draw(bool final_line, const std::string& outcome);
  bool enabled_;
  bool terminal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string label_;
  bool active_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point started_;
  std::thread ticker_;
};

}  // namespace xport
