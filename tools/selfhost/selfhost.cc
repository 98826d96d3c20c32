#include "selfhost/selfhost.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include "core/files.h"
#include "core/process.h"
#include "fetch/sha256.h"
#include "run/target_runner.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// The host side of the diverse path runs with nothing of the user's shell: GCC honours
// LIBRARY_PATH and friends as clang does.
std::map<std::string, std::string> host_environment(const std::string& work) {
  return {{"PATH", "/usr/bin:/bin"}, {"HOME", work}, {"TMPDIR", work}, {"LC_ALL", "C"}, {"TZ", "UTC"}};
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string sha_or_empty(const std::string& path) {
  auto sha = sha256_file(path);
  return sha ? *sha : "";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void save(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

class Selfhost {
 public:
  explicit Selfhost(const SelfhostOptions& options) : options_(options) {}

  Expected<SelfhostReport> run() {
    const Arch& arch = *options_.arch;
    const LibcInfo* musl = arch.libc(Libc::Musl);
    if (!musl) return Error(arch.name + " has no musl port in " + arch.source_file);
    if (!fs::is_regular_file(options_.root + "/usr/bin/" + options_.compiler->name) &&
        !fs::is_symlink(options_.root + "/usr/bin/" + options_.compiler->name))
      return Error(options_.root + ": no /usr/bin/" + options_.compiler->name +
                   " (a root with the native compiler: xport rootfs ... @minimal)");
    report_.arch = arch.name;
    report_.root = options_.root;
    // How "auto" resolves here, for the report: binfmt_misc and chroot, or proot's QEMU mode.
    const RunVia via = options_.via == "binfmt" ? RunVia::Binfmt : options_.via == "proot" ? RunVia::Proot : RunVia::Automatic;
    auto plan = plan_target_run(arch, options_.root, {"/bin/true"}, via, read_binfmt_handlers(), geteuid() == 0);
    if (!plan) return plan.error();
    report_.via = plan->via;
    report_.compiler = options_.compiler->name + " " + options_.compiler->version;

    say("copying the root to " + root());
    std::error_code ec;
    fs::remove_all(options_.work_dir, ec);
    fs::create_directories(options_.work_dir, ec);
    if (ec) return Error(options_.work_dir + ": cannot create: " + ec.message());
    auto copied = run_process({"cp", "-a", "--reflink=auto", options_.root, root()});
    if (!copied) return copied.error();
    if (copied->exit_code != 0) return Error("cannot copy " + options_.root + ": " + copied->output);
    report_.stage1_sha256 = sha_or_empty(root() + "/usr/bin/" + options_.compiler->name);
    report_.stage1_origin = "cross-built by xport build (" + first_line(options_.compiler->description) + ")";

    auto layout = install_stage_check(*options_.compiler, options_.fetch, musl->loader, root());
    if (!layout) return layout.error();
    layout_ = *layout;

    say("stage check: stage1 builds stage2, stage2 builds stage3, in the target");
    auto started = std::chrono::steady_clock::now();
    auto first = in_target(layout_.command(), "stage-check.log");
    report_.stage_seconds = seconds_since(started);
    if (!first) return first.error();
    report_.stage = parse_stage_output(first->output);
    if (report_.stage.failure.empty() && !report_.stage.identical && report_.stage.different.empty())
      report_.stage.failure = "the stage check printed no result (exit " + std::to_string(first->exit_code) +
                              "; " + log("stage-check.log") + ")";

    if (options_.diverse && report_.stage.failure.empty()) {
      started = std::chrono::steady_clock::now();
      diverse();
      report_.diverse_seconds = seconds_since(started);
    }
    if (!options_.rebuild.packages.empty()) {
      NativeRebuildContext context;
      context.arch = &arch;
      context.root = root();
      context.work_dir = options_.work_dir + "/native";
      context.fetch = options_.fetch;
      context.progress = options_.progress;
      context.in_target = [this](const std::vector<std::string>& argv) { return run_in_target(argv); };
      report_.rebuilds = rebuild_natively(options_.rebuild, context);
    }
    return report_;
  }

 private:
  std::string root() const { return options_.work_dir + "/root"; }
  std::string log(const std::string& name) const { return options_.work_dir + "/" + name; }
  void say(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }

  Expected<ProcessResult> run_in_target(const std::vector<std::string>& argv) {
    std::vector<std::string> command = {options_.xport, "run", "--arch", options_.arch->name, "--root", root(),
                                        "--via", options_.via, "--"};
    command.insert(command.end(), argv.begin(), argv.end());
    auto result = run_process(command, {.timeout_seconds = options_.step_timeout_seconds});
    if (result && result->timed_out)
      return Error(quote_command(argv) + ": no end after " + std::to_string(options_.step_timeout_seconds) +
                   " s in the target");
    return result;
  }

  Expected<ProcessResult> in_target(const std::vector<std::string>& argv, const std::string& log_name) {
    auto result = run_in_target(argv);
    if (result) save(log(log_name), result->output);
    return result;
  }

  // GCC on the host builds a tcc cross compiler from the pristine source; it builds a target tcc
  // from the tree the stage check configured in the target; that tcc builds stage2's twin there.
  void diverse() {
    DiverseOutcome& d = report_.diverse;
    d.ran = true;
    auto gcc = run_process({"gcc", "--version"}, {.environment = host_environment(options_.work_dir)});
    if (!gcc || gcc->exit_code != 0) {
      d.failure = "the host has no gcc (apt-get install gcc)";
      return;
    }
    d.host_compiler = first_line(gcc->output);
    if (report_.stage.cpu.empty()) {
      d.failure = "the stage check did not say what tcc's configure calls this CPU";
      return;
    }
    const std::string ddc = options_.work_dir + "/ddc";
    say("diverse double-compiling: " + d.host_compiler + " builds a tcc cross compiler on the host");
    auto step = [&](const std::vector<std::string>& argv, const std::string& cwd, const std::string& name) {
      auto result = run_process(argv, {.cwd = cwd, .environment = host_environment(ddc),
                                       .output_file = log("ddc-" + name + ".log")});
      if (!result) {
        d.failure = name + ": " + result.error().message();
        return false;
      }
      if (result->exit_code != 0) {
        d.failure = name + " failed (exit " + std::to_string(result->exit_code) + "; " + log("ddc-" + name + ".log") + ")";
        return false;
      }
      return true;
    };
    std::error_code ec;
    fs::create_directories(ddc, ec);
    const std::string cross = ddc + "/cross", target = ddc + "/target";
    const std::string configured = root() + "/tmp/xport-stage/configured";
    if (!step({"cp", "-a", root() + layout_.source_dir, cross}, ddc, "copy") ||
        !step({"./configure", "--cpu=" + report_.stage.cpu, "--prefix=/usr", "--config-musl",
               "--elfinterp=" + layout_.loader, "--cross-prefix=/usr/bin/", "--cc=gcc", "--sysroot=" + root()},
              cross, "configure") ||
        !step({"make", "tcc"}, cross, "cross-compiler"))
      return;
    d.cross_sha256 = sha_or_empty(cross + "/tcc");
    say("diverse double-compiling: the cross compiler builds a target tcc from the configured source");
    const std::string compiler = cross + "/tcc -B" + root() + "/usr/lib/tcc";
    if (!step({"cp", "-a", configured, target}, ddc, "copy-configured") ||
        !step({"make", "CC=" + compiler, "AR=" + cross + "/tcc -ar", "tcc"}, target, "target-compiler"))
      return;
    d.intermediate_sha256 = sha_or_empty(target + "/tcc");
    fs::create_directories(root() + "/tmp/xport-ddc", ec);
    fs::copy_file(target + "/tcc", root() + "/tmp/xport-ddc/tcc", fs::copy_options::overwrite_existing, ec);
    if (ec) {
      d.failure = "cannot put the target tcc into the root: " + ec.message();
      return;
    }
    say("diverse double-compiling: that tcc, on the target, builds the source; it must give stage2");
    auto second = in_target(layout_.command({"ddc=/tmp/xport-ddc/tcc"}), "stage-check-ddc.log");
    if (!second) {
      d.failure = second.error().message();
      return;
    }
    StageOutcome again = parse_stage_output(second->output);
    const StageBuild* result = again.find("ddc");
    const StageBuild* stage2 = report_.stage.find("stage2");
    if (!again.failure.empty()) {
      d.failure = "the target build with the diverse compiler: " + again.failure;
      return;
    }
    if (!result || !stage2) {
      d.failure = "the stage check printed no ddc result (" + log("stage-check-ddc.log") + ")";
      return;
    }
    d.result_sha256 = result->sha256;
    d.identical = result->sha256 == stage2->sha256;
  }

  const SelfhostOptions& options_;
  SelfhostReport report_;
  StageCheckLayout layout_;
};

}  // namespace

bool SelfhostReport::passed() const {
  if (!stage.failure.empty() || !stage.identical) return false;
  if (diverse.ran && (!diverse.failure.empty() || !diverse.identical)) return false;
  return true;
}

Expected<SelfhostReport> run_selfhost(const SelfhostOptions& options) {
  if (!options.arch || !options.compiler) return Error("selfhost: no arch or compiler given");
  return Selfhost(options).run();
}

std::string selfhost_report_text(const SelfhostReport& r) {
  std::ostringstream out;
  out << "xport selfhost " << r.arch << ": " << r.root << " (in the target via " << r.via << ")\n\n";
  out << "stage check (" << r.compiler << ", " << static_cast<int>(r.stage_seconds + 0.5) << " s):\n";
  out << "  stage1 " << (r.stage1_sha256.empty() ? "?" : r.stage1_sha256) << "  " << r.stage1_origin << "\n";
  for (const StageBuild& build : r.stage.builds) {
    if (build.name != "stage2" && build.name != "stage3") continue;
    out << "  " << build.name << " " << build.sha256 << "  "
        << (build.name == "stage2" ? "stage1 compiled the source" : "stage2 compiled the source") << "\n";
  }
  if (!r.stage.failure.empty()) out << "  FAILED: " << r.stage.failure << "\n";
  else out << "  stage2 and stage3: " << (r.stage.identical ? "identical" : "DIFFERENT") << "\n";
  if (r.diverse.ran) {
    out << "\ndiverse double-compiling (" << static_cast<int>(r.diverse_seconds + 0.5) << " s):\n";
    const StageBuild* stage2 = r.stage.find("stage2");
    out << "  path 1: clang (xport build) -> stage1 -> stage2 " << (stage2 ? stage2->sha256 : "?") << "\n";
    out << "  path 2: " << (r.diverse.host_compiler.empty() ? "gcc" : r.diverse.host_compiler)
        << " -> tcc cross compiler on the host " << (r.diverse.cross_sha256.empty() ? "?" : r.diverse.cross_sha256)
        << "\n          -> tcc for the target " << (r.diverse.intermediate_sha256.empty() ? "?" : r.diverse.intermediate_sha256)
        << "\n          -> on the target: " << (r.diverse.result_sha256.empty() ? "?" : r.diverse.result_sha256) << "\n";
    if (!r.diverse.failure.empty()) out << "  FAILED: " << r.diverse.failure << "\n";
    else out << "  path 2 and stage2: " << (r.diverse.identical ? "identical" : "DIFFERENT") << "\n";
  }
  if (!r.rebuilds.empty()) {
    out << "\nnative rebuild (the target's tcc, make and sh, the same recipes):\n";
    for (const NativeRebuild& rebuild : r.rebuilds) {
      out << "  " << rebuild.recipe << " " << rebuild.version << ": " << native_rebuild_result_name(rebuild.result);
      if (rebuild.seconds > 0) out << " (" << static_cast<int>(rebuild.seconds + 0.5) << " s)";
      if (!rebuild.why.empty()) out << ": " << rebuild.why;
      out << "\n";
      for (const FileDifference& difference : rebuild.differences)
        out << "      " << difference.path << ": " << difference.what << "\n";
    }
  }
  out << "\nresult: " << (r.passed() ? "passed" : "FAILED") << "\n";
  return out.str();
}

std::string selfhost_report_json(const SelfhostReport& r) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  json.object([&] {
    json.attribute("arch", r.arch);
    json.attribute("root", r.root);
    json.attribute("via", r.via);
    json.attribute("compiler", r.compiler);
    json.attribute("passed", r.passed());
    json.attributeObject("stage_check", [&] {
      json.attribute("stage1", r.stage1_sha256);
      json.attribute("stage1_origin", r.stage1_origin);
      for (const StageBuild& build : r.stage.builds)
        if (build.name == "stage2" || build.name == "stage3") json.attribute(build.name, build.sha256);
      json.attribute("identical", r.stage.identical);
      json.attribute("failure", r.stage.failure);
      json.attribute("seconds", r.stage_seconds);
    });
    if (r.diverse.ran)
      json.attributeObject("diverse_double_compiling", [&] {
        json.attribute("host_compiler", r.diverse.host_compiler);
        json.attribute("cross_compiler", r.diverse.cross_sha256);
        json.attribute("target_compiler", r.diverse.intermediate_sha256);
        json.attribute("result", r.diverse.result_sha256);
        json.attribute("identical_to_stage2", r.diverse.identical);
        json.attribute("failure", r.diverse.failure);
        json.attribute("seconds", r.diverse_seconds);
      });
    json.attributeArray("native_rebuild", [&] {
      for (const NativeRebuild& rebuild : r.rebuilds)
        json.object([&] {
          json.attribute("recipe", rebuild.recipe);
          json.attribute("version", rebuild.version);
          json.attribute("result", native_rebuild_result_name(rebuild.result));
          json.attribute("why", rebuild.why);
          json.attribute("seconds", rebuild.seconds);
          json.attributeArray("differences", [&] {
            for (const FileDifference& difference : rebuild.differences)
              json.object([&] {
                json.attribute("path", difference.path);
                json.attribute("what", difference.what);
              });
          });
        });
    });
  });
  stream.flush();
  return text + "\n";
}

}  // namespace xport
