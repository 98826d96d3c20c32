#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace xport {

ProgressLine::ProgressLine(bool enabled, bool redraw)
    : enabled_(enabled), terminal_(redraw && isatty(STDERR_FILENO)) {
  if (!enabled_ || !terminal_) return;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::seconds(1));
      if (active_ && !stopping_) draw(false, "");
    }
  });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void ProgressLine::draw(bool final_line, const std::string& outcome) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  if (terminal_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s %s%s%s", label_.c_str(), elapsed, outcome.empty() ? "" : " ", outcome.c_str());
  if (final_line || !terminal_) std::fputc('\n', stderr);
  std::fflush(stderr);
}

void ProgressLine::start(const std::string& label) {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    started_ = std::chrono::steady_clock::now();
    active_ = true;
  }
  relabel(label);
}

void ProgressLine::relabel(const std::string& label) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  label_ = label;
  if (!terminal_) {
    std::fprintf(stderr, "%s ...\n", label_.c_str());
    std::fflush(stderr);
  } else {
    draw(false, "");
  }
}

void ProgressLine::finish(const std::string& outcome) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (!active_) return;
  active_ = false;
  draw(true, outcome);
}

}  // namespace xport
