// Wall time of each step of a longer job (fetch, configure, build, ...), kept as a small TSV
// beside the job's logs so that benchmarks and people can see where the time went.
#pragma once

#include <chrono>
#include <string>

namespace xport {

class StepTimes {
 public:
  /// Ends the running step, if any, and starts timing `step`.
  void start(const std::string& step);
  /// Ends the running step.
  void stop();
  /// "step<TAB>seconds\n" per finished step, in order, seconds with two decimals.
  const std::string& tsv() const { return tsv_; }

 private:
  std::string current_;
  std::chrono::steady_clock::time_point began_;
  std::string tsv_;
};

}  // namespace xport
