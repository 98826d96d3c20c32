// xport inspect: check files, trees and archives for host contamination and porting defects.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "arch/arch.h"
#include "cli/command.h"
#include "cli/options.h"
#include "inspect/inspector.h"
#include "inspect/report.h"
#include "inspect/waiver.h"

namespace xport::cli {

namespace {

// A progress line on a terminal for scans that take a while; nothing when stderr is a file.
class ProgressLine {
 public:
  ProgressLine() : enabled_(isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}
  void update(uint64_t done, uint64_t total) {
    if (!enabled_) return;
    auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::seconds(1)) return;
    std::cerr << "\r\033[Kinspect: " << done << "/" << total << " files" << std::flush;
    shown_ = true;
  }
  ~ProgressLine() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

int run_inspect(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "inspect";
  spec.usage = "[options] PATH...";
  spec.about =
      "Checks every ELF object, script, pkg-config and libtool file, symlink and archive member\n"
      "under PATH (files, directories, tar/cpio/.deb/pacman archives) against the target\n"
      "architecture, and reports host contamination and porting defects. Checks and their ids\n"
      "are in docs/checks.md.\n\n"
      "Exit status: 0 nothing reached --fail-on, 1 something did, 2 usage or I/O error.";
  inspect::InspectOptions options;
  std::string libc, format, fail_on, waive_file, output;
  bool no_color = false;
  spec.options.add_options()
      ("arch,a", po::value(&options.arch), "target architecture (default: the majority of the ELF files)")
      ("libc", po::value(&libc), "musl or glibc (default: from the interpreters, else musl)")
      ("root", po::value(&options.root),
       "target root to resolve libraries, interpreters, #! and links in (default: each input)")
      ("format,f", po::value(&format)->default_value("text"), "text, json or sarif")
      ("output,o", po::value(&output), "write the report to this file instead of stdout")
      ("fail-on", po::value(&fail_on)->default_value("error"),
       "lowest severity that makes the exit status 1: error, warning, info or none")
      ("waive", po::value(&waive_file), "YAML file of accepted findings (check, path, reason)")
      ("forbid-path", po::value(&options.forbid_paths)->composing(),
       "a path that must not appear in any file (repeatable)")
      ("expect-compiler", po::value(&options.expected_compilers)->composing(),
       "a .comment substring that marks the expected compiler (default: clang, LLD)")
      ("jobs,j", po::value(&options.jobs)->default_value(0), "files checked in parallel (0: all cores)")
      ("no-color", po::bool_switch(&no_color), "no colour in text output")
      ("paths", po::value(&options.inputs), "files, directories or archives");
  spec.positional.add("paths", -1);
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  if (options.inputs.empty()) {
    std::cerr << "xport inspect: give at least one PATH\nusage: xport inspect " << spec.usage << "\n";
    return kExitUsage;
  }
  if (format != "text" && format != "json" && format != "sarif")
    return print_error(Error("--format must be text, json or sarif, not '" + format + "'"));
  std::optional<inspect::Severity> threshold;
  if (fail_on != "none") {
    threshold = inspect::parse_severity(fail_on);
    if (!threshold)
      return print_error(Error("--fail-on must be error, warning, info or none, not '" + fail_on + "'"));
  }
  if (!libc.empty()) {
    options.libc = parse_libc(libc);
    if (!options.libc) return print_error(Error("--libc must be musl or glibc, not '" + libc + "'"));
  }
  std::vector<inspect::Waiver> waivers;
  if (!waive_file.empty()) {
    auto loaded = inspect::load_waivers(waive_file);
    if (!loaded) return print_error(loaded.error());
    waivers = std::move(*loaded);
  }
  auto registry = ArchRegistry::load_dir(global.data_dir + "/arch");
  if (!registry) return print_error(registry.error());

  ProgressLine progress;
  options.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };
  auto report = inspect::inspect(options, *registry);
  if (!report) return print_error(report.error());
  inspect::apply_waivers(report->findings, waivers);

  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return print_error(Error(output + ": cannot write the report"));
  }
  std::ostream& out = output.empty() ? std::cout : file;
  if (format == "json") inspect::write_json_report(*report, out);
  else if (format == "sarif") inspect::write_sarif_report(*report, out);
  else inspect::write_text_report(*report, out, output.empty() && !no_color && isatty(STDOUT_FILENO));
  out.flush();
  if (!out) return print_error(Error((output.empty() ? "stdout" : output) + ": write failed"));
  return threshold && report->count_at_least(*threshold) > 0 ? kExitFailed : kExitOk;
}

}  // namespace xport::cli
