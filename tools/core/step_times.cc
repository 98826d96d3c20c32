#include "core/step_times.h"

#include <cstdio>

namespace xport {

void StepTimes::start(const std::string& step) {
  stop();
  current_ = step;
  began_ = std::chrono::steady_clock::now();
}

void StepTimes::stop() {
  if (current_.empty()) return;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began_;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", took.count());
  tsv_ += current_ + "\t" + seconds + "\n";
  current_.clear();
}

}  // namespace xport
