// The native rebuild: packages of a root rebuilt inside the target, from the same recipes, by
// the target's own compiler (tcc), make and shell, and compared file by file with the packages
// xport cross-built. A recipe whose build needs a host tool the root does not have (clang, perl,
// autoreconf, meson...) is listed as such, not hidden; a toolchain component (musl, the kernel
// headers, the C++ runtimes) was built by `xport toolchain`, not by a recipe's phases.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "core/error.h"
#include "core/process.h"
#include "fetch/fetcher.h"
#include "recipe/recipe.h"

namespace xport {

struct NativeRebuildRequest {
  std::vector<std::string> packages;        // recipe or package names; none: nothing is rebuilt
  std::string repository;                   // the cross-built packages to compare with
  std::vector<std::string> toolchain_components;  // not rebuilt (built by xport toolchain)
  const RecipeSet* recipes = nullptr;
};

struct FileDifference {
  std::string path;                     // in the package, e.g. usr/lib/libz.so.1.2.13
  std::string what;                     // "only in the cross build", "ELF sections differ: .text .data"...
};

struct NativeRebuild {
  enum class Result { Identical, Different, Failed, CannotBuild, NotRebuilt };
  std::string recipe;
  std::string version;
  Result result = Result::NotRebuilt;
  std::string why;                       // for Failed, CannotBuild and NotRebuilt; the log for Failed
  std::vector<FileDifference> differences;
  double seconds = 0;                    // the native build's wall time
};

const char* native_rebuild_result_name(NativeRebuild::Result result);

/// Runs `argv` inside the target root and returns its result; the selfhost provides it (xport run).
using TargetCommand = std::function<Expected<ProcessResult>(const std::vector<std::string>& argv)>;

struct NativeRebuildContext {
  const Arch* arch = nullptr;
  std::string root;        // the work copy of the target root (writable)
  std::string work_dir;    // host-side scratch
  FetchOptions fetch;
  TargetCommand in_target;
  std::function<void(const std::string&)> progress;
};

/// What the native environment of a phase holds, for a recipe built in `dir` inside the root.
std::vector<std::string> native_phase_environment(const Arch& arch, const Recipe& recipe, const std::string& dir);

/// Why the root cannot build `recipe` natively ("" when it can): a host tool it lacks.
std::string native_build_obstacle(const Recipe& recipe, const std::string& root);

/// Rebuilds the request's packages in the target and compares each with its cross-built packages.
std::vector<NativeRebuild> rebuild_natively(const NativeRebuildRequest& request, const NativeRebuildContext& context);

/// The differences between two ELF files' sections by name ("" when the files are identical
/// or not ELF): ".text .rodata differ; .comment only in A".
std::string elf_section_differences(const std::string& a, const std::string& b);

}  // namespace xport
