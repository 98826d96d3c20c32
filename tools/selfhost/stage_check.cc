#include "selfhost/stage_check.h"

#include <sys/stat.h>

#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "fetch/source_tree.h"
#include "toolchain/toolchain_builder.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

constexpr const char* kScriptPath = "/usr/libexec/xport/stage-check";

// Every build happens in the same directory, so that nothing that names the build's place (a
// __FILE__, a debug path) can tell the stages apart; only the compiler differs. configure runs
// once, with stage1, and every build starts from that configured tree.
constexpr const char* kScript = R"SH(#!/bin/sh
# Written by xport: the stage check of the system's C compiler (tcc). The compiler as installed
# (stage1) compiles its own source into stage2, stage2 compiles it into stage3, and each
# NAME=COMPILER given compiles it too; every result must have stage2's bytes.
#   stage-check SOURCE_DIR LOADER [NAME=COMPILER...]
# Prints "xport-stage: NAME SHA256" per build, then "xport-stage: identical" (exit 0) or
# "xport-stage: differ NAMES" (exit 1); a step that fails prints "xport-stage: failed STEP" and
# the end of its log (exit 2).
set -u
src=$1 loader=$2
shift 2
work=/tmp/xport-stage
fail() { echo "xport-stage: failed $1"; tail -n 20 "$2"; exit 2; }
rm -rf "$work" && mkdir -p "$work" && cp -a "$src" "$work/configured" || exit 2
(cd "$work/configured" && ./configure --prefix=/usr --config-musl --elfinterp="$loader" --cc=tcc) \
  > "$work/configure.log" 2>&1 || fail configure "$work/configure.log"
sed -n 's/^CPU  *\(.*\)$/xport-stage: cpu \1/p' "$work/configure.log"
build() {  # NAME COMPILER
  rm -rf "$work/build" && cp -a "$work/configured" "$work/build" || exit 2
  (cd "$work/build" && make CC="$2" AR="$2 -ar" tcc) > "$work/$1.log" 2>&1 || fail "$1" "$work/$1.log"
  cp "$work/build/tcc" "$work/$1" || exit 2
  echo "xport-stage: $1 $(sha256sum < "$work/$1" | cut -d' ' -f1)"
}
build stage2 tcc
build stage3 "$work/stage2"
names=stage3
for extra; do
  build "${extra%%=*}" "${extra#*=}"
  names="$names ${extra%%=*}"
done
reference=$(sha256sum < "$work/stage2" | cut -d' ' -f1)
differ=
for name in $names; do
  [ "$(sha256sum < "$work/$name" | cut -d' ' -f1)" = "$reference" ] || differ="$differ $name"
done
if [ -z "$differ" ]; then echo "xport-stage: identical"; else echo "xport-stage: differ$differ"; exit 1; fi
)SH";

}  // namespace

std::vector<std::string> StageCheckLayout::command(const std::vector<std::string>& extra) const {
  std::vector<std::string> argv = {"/bin/sh", script, source_dir, loader};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::string stage_check_script() { return kScript; }

Expected<StageCheckLayout> install_stage_check(const Recipe& compiler, const FetchOptions& fetch,
                                               const std::string& loader, const std::string& root) {
  StageCheckLayout layout;
  layout.source_dir = "/usr/src/" + compiler.name + "-" + compiler.version;
  layout.script = kScriptPath;
  layout.loader = loader;
  const std::string source = root + layout.source_dir;
  std::error_code ec;
  fs::remove_all(source, ec);
  fs::create_directories(source, ec);
  if (ec) return Error(source + ": cannot create: " + ec.message());
  SourceFetcher fetcher(fetch);
  SourceTrees trees(fetch.cache_dir.empty() ? default_cache_dir() : fetch.cache_dir);
  if (Status prepared = prepare_recipe_sources(compiler, fetcher, trees, {}, source); !prepared.ok())
    return prepared.error().with_context("the stage check's source");
  const std::string script = root + layout.script;
  fs::create_directories(fs::path(script).parent_path(), ec);
  if (Status written = write_file_atomically(script, kScript); !written.ok()) return written.error();
  if (chmod(script.c_str(), 0755) != 0) return Error(script + ": cannot make it executable");
  return layout;
}

const StageBuild* StageOutcome::find(const std::string& name) const {
  for (const StageBuild& build : builds)
    if (build.name == name) return &build;
  return nullptr;
}

StageOutcome parse_stage_output(const std::string& output) {
  StageOutcome outcome;
  std::istringstream lines(output);
  bool in_failure = false;
  for (std::string line; std::getline(lines, line);) {
    if (in_failure) {
      outcome.failure += "\n  | " + line;
      continue;
    }
    if (!line.starts_with("xport-stage: ")) continue;
    std::istringstream words(line.substr(13));
    std::string first, second;
    words >> first;
    if (first == "identical") {
      outcome.identical = true;
    } else if (first == "differ") {
      for (std::string name; words >> name;) outcome.different.push_back(name);
    } else if (first == "failed") {
      words >> second;
      outcome.failure = second.empty() ? "a step" : second;
      in_failure = true;
    } else if (first == "cpu") {
      words >> outcome.cpu;
    } else if (words >> second && second.size() == 64) {
      outcome.builds.push_back({first, second});
    }
  }
  // "identical" is only believed with stage2 and stage3 both there.
  if (!outcome.find("stage2") || !outcome.find("stage3")) outcome.identical = false;
  return outcome;
}

}  // namespace xport
