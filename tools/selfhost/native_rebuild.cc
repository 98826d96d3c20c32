#include "selfhost/native_rebuild.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "build/phase_runner.h"
#include "core/files.h"
#include "fetch/sha256.h"
#include "fetch/source_tree.h"
#include "package/package_install.h"
#include "toolchain/toolchain_builder.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// Inside the root, everything of the native rebuild lives here.
constexpr const char* kNativeDir = "/tmp/xport-native";

// The commands each style runs besides what a recipe lists in host_tools.
const std::map<std::string, std::vector<std::string>> kStyleTools = {
    {"autotools", {"make"}}, {"make", {"make"}}, {"cmake", {"cmake", "ninja"}}, {"meson", {"meson", "ninja"}}};

bool in_root_path(const std::string& root, const std::string& command) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
    std::error_code ec;
    if (fs::symlink_status(root + dir + command, ec).type() != fs::file_type::not_found) return true;
  }
  return false;
}

// A toolchain directory for the native build, so that recipes written for the cross toolchain
// find the same names: <triple>-cc is tcc, <triple>-ar is tcc's own ar.
Status write_native_toolchain(const std::string& root, const std::string& triple) {
  const std::string bin = root + kNativeDir + "/toolchain/bin/";
  std::error_code ec;
  fs::create_directories(bin, ec);
  if (ec) return Error(bin + ": cannot create: " + ec.message());
  const std::vector<std::pair<std::string, std::string>> tools = {
      {"cc", "exec tcc \"$@\""},       {"gcc", "exec tcc \"$@\""},
      {"ar", "exec tcc -ar \"$@\""},
      // tcc -ar writes the archive's symbol index itself; there is no strip on the system.
      {"ranlib", "exit 0"},            {"strip", "exit 0"}};
  for (const auto& [tool, body] : tools) {
    const std::string path = bin + triple + "-" + tool;
    if (Status written = write_file_atomically(path, "#!/bin/sh\n" + body + "\n"); !written.ok()) return written;
    if (chmod(path.c_str(), 0755) != 0) return Error(path + ": cannot make it executable");
  }
  return write_file_atomically(root + kNativeDir + "/toolchain/config.site",
                               "# Written by xport: a native build runs configure's tests itself.\n");
}

// Regular files and symlinks under `dir`, by relative path.
std::map<std::string, fs::path> files_under(const std::string& dir) {
  std::map<std::string, fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    files[it->path().lexically_relative(dir).string()] = it->path();
  }
  return files;
}

std::vector<FileDifference> compare_trees(const std::string& cross, const std::string& native) {
  std::vector<FileDifference> differences;
  const auto a = files_under(cross), b = files_under(native);
  std::set<std::string> paths;
  for (const auto& [path, file] : a) paths.insert(path);
  for (const auto& [path, file] : b) paths.insert(path);
  for (const std::string& path : paths) {
    auto in_a = a.find(path), in_b = b.find(path);
    if (in_b == b.end()) {
      differences.push_back({path, "only in the cross build"});
      continue;
    }
    if (in_a == a.end()) {
      differences.push_back({path, "only in the native build"});
      continue;
    }
    std::error_code ec;
    const bool link_a = fs::is_symlink(in_a->second, ec), link_b = fs::is_symlink(in_b->second, ec);
    if (link_a || link_b) {
      if (link_a != link_b || fs::read_symlink(in_a->second, ec) != fs::read_symlink(in_b->second, ec))
        differences.push_back({path, "symlinks differ"});
      continue;
    }
    auto sha_a = sha256_file(in_a->second.string()), sha_b = sha256_file(in_b->second.string());
    if (sha_a && sha_b && *sha_a == *sha_b) continue;
    std::string sections = elf_section_differences(in_a->second.string(), in_b->second.string());
    differences.push_back({path, sections.empty() ? "contents differ" : sections});
  }
  return differences;
}

std::string tail(const std::string& text, size_t lines) {
  size_t at = text.size();
  for (size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n) at = text.rfind('\n', at - 1);
  std::string end = at == std::string::npos ? text : text.substr(at + 1);
  std::string out;
  std::istringstream in(end);
  for (std::string line; std::getline(in, line);) out += "\n        | " + line;
  return out;
}

}  // namespace

const char* native_rebuild_result_name(NativeRebuild::Result result) {
  switch (result) {
    case NativeRebuild::Result::Identical: return "identical";
    case NativeRebuild::Result::Different: return "built, differs";
    case NativeRebuild::Result::Failed: return "failed";
    case NativeRebuild::Result::CannotBuild: return "cannot be built natively";
    case NativeRebuild::Result::NotRebuilt: return "not rebuilt";
  }
  return "?";
}

std::string native_build_obstacle(const Recipe& recipe, const std::string& root) {
  if (recipe.build_style == "kbuild") return "the kernel is built with the host's LLVM (kbuild style)";
  std::vector<std::string> needed;
  if (auto it = kStyleTools.find(recipe.build_style); it != kStyleTools.end()) needed = it->second;
  for (const HostTool& tool : recipe.host_tools) needed.push_back(tool.command);
  std::vector<std::string> missing;
  for (const std::string& command : needed)
    if (!in_root_path(root, command) && std::find(missing.begin(), missing.end(), command) == missing.end())
      missing.push_back(command);
  if (missing.empty()) return "";
  std::string list;
  for (const std::string& command : missing) list += (list.empty() ? "" : ", ") + command;
  return "needs " + list + ", which the root does not have";
}

std::vector<std::string> native_phase_environment(const Arch& arch, const Recipe& recipe, const std::string& dir) {
  const LibcInfo* musl = arch.libc(Libc::Musl);
  const std::string triple = musl ? musl->triple : arch.name + "-linux-musl";
  const std::string toolchain = std::string(kNativeDir) + "/toolchain";
  std::string configure_args;
  for (const std::string& arg : recipe.configure_args) configure_args += (configure_args.empty() ? "" : " ") + arg;
  return {"PATH=" + toolchain + "/bin:/usr/bin:/bin:/usr/sbin:/sbin",
          "HOME=" + dir + "/home",
          "TMPDIR=" + dir + "/tmp",
          "LC_ALL=C",
          "TZ=UTC",
          "SHELL=/bin/sh",
          "XPORT_SRC=" + dir + "/src",
          "XPORT_BUILD=" + dir + "/build",
          "DESTDIR=" + dir + "/staging",
          "XPORT_ARCH=" + arch.name,
          "XPORT_TRIPLE=" + triple,
          "XPORT_BUILD_TRIPLE=" + triple,
          "XPORT_KERNEL_ARCH=" + arch.kernel_arch,
          "XPORT_LOADER=" + (musl ? musl->loader : ""),
          "XPORT_SYSROOT=/",
          "XPORT_TOOLCHAIN=" + toolchain,
          "XPORT_CFLAGS=",
          "XPORT_CONFIGURE_ARGS=" + configure_args,
          "XPORT_JOBS=1",
          "XPORT_PAGE_SIZE=" + std::to_string(arch.page_size),
          "SOURCE_DATE_EPOCH=" + std::to_string(recipe.source_date_epoch),
          "CC=tcc",
          "AR=" + triple + "-ar",
          "RANLIB=" + triple + "-ranlib",
          "STRIP=" + triple + "-strip",
          "CFLAGS=",
          "CXXFLAGS="};
}

std::string elf_section_differences(const std::string& a, const std::string& b) {
  // Section name -> (type, digest of its bytes); SHT_NOBITS by size only.
  auto sections = [](const std::string& path) -> std::optional<std::map<std::string, std::string>> {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    elf_version(EV_CURRENT);
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    std::optional<std::map<std::string, std::string>> out;
    size_t names = 0;
    if (elf && elf_kind(elf) == ELF_K_ELF && elf_getshdrstrndx(elf, &names) == 0) {
      out.emplace();
      for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr)) continue;
        const char* name = elf_strptr(elf, names, shdr.sh_name);
        std::string digest = "size " + std::to_string(shdr.sh_size);
        if (shdr.sh_type != SHT_NOBITS)
          if (Elf_Data* data = elf_rawdata(scn, nullptr); data && data->d_buf)
            digest = sha256_text(std::string(static_cast<const char*>(data->d_buf), data->d_size));
        (*out)[name && *name ? name : "(unnamed)"] += digest;
      }
    }
    if (elf) elf_end(elf);
    close(fd);
    return out;
  };
  auto in_a = sections(a), in_b = sections(b);
  if (!in_a || !in_b) return "";
  std::string differ, only_a, only_b;
  for (const auto& [name, digest] : *in_a) {
    auto other = in_b->find(name);
    if (other == in_b->end()) only_a += " " + name;
    else if (other->second != digest) differ += " " + name;
  }
  for (const auto& [name, digest] : *in_b)
    if (!in_a->count(name)) only_b += " " + name;
  std::string out;
  if (!differ.empty()) out += "ELF sections differ:" + differ;
  if (!only_a.empty()) out += std::string(out.empty() ? "" : "; ") + "only in the cross build:" + only_a;
  if (!only_b.empty()) out += std::string(out.empty() ? "" : "; ") + "only in the native build:" + only_b;
  return out.empty() ? "ELF sections are the same, the files are not (headers or layout)" : out;
}

std::vector<NativeRebuild> rebuild_natively(const NativeRebuildRequest& request, const NativeRebuildContext& context) {
  std::vector<NativeRebuild> rebuilds;
  const Arch& arch = *context.arch;
  const LibcInfo* musl = arch.libc(Libc::Musl);
  Status toolchain = write_native_toolchain(context.root, musl ? musl->triple : arch.name + "-linux-musl");
  std::set<const Recipe*> seen;
  for (const std::string& name : request.packages) {
    const Recipe* recipe = request.recipes->find(name);
    if (!recipe)
      for (const Recipe& candidate : request.recipes->all())
        for (const RecipeOutput& output : candidate.outputs)
          if (output.name == name) recipe = &candidate;
    if (!recipe || !seen.insert(recipe).second) continue;
    NativeRebuild rebuild;
    rebuild.recipe = recipe->name;
    rebuild.version = recipe->version + "-" + std::to_string(recipe->release);
    auto finish = [&](NativeRebuild::Result result, const std::string& why) {
      rebuild.result = result;
      rebuild.why = why;
      rebuilds.push_back(rebuild);
    };
    if (std::find(request.toolchain_components.begin(), request.toolchain_components.end(), recipe->name) !=
        request.toolchain_components.end()) {
      finish(NativeRebuild::Result::NotRebuilt, "a toolchain component, built by xport toolchain with clang");
      continue;
    }
    if (!toolchain.ok()) {
      finish(NativeRebuild::Result::Failed, toolchain.error().message());
      continue;
    }
    if (std::string obstacle = native_build_obstacle(*recipe, context.root); !obstacle.empty()) {
      finish(NativeRebuild::Result::CannotBuild, obstacle);
      continue;
    }
    if (context.progress) context.progress("native rebuild: " + recipe->name + " " + rebuild.version);
    const auto started = std::chrono::steady_clock::now();
    const std::string dir = std::string(kNativeDir) + "/" + recipe->name;  // inside the root
    const std::string host_dir = context.root + dir;
    std::error_code ec;
    fs::remove_all(host_dir, ec);
    for (const char* sub : {"src", "build", "staging", "home", "tmp", "phases"}) fs::create_directories(host_dir + "/" + sub, ec);
    SourceFetcher fetcher(context.fetch);
    SourceTrees trees(context.fetch.cache_dir.empty() ? default_cache_dir() : context.fetch.cache_dir);
    if (Status prepared = prepare_recipe_sources(*recipe, fetcher, trees, {}, host_dir + "/src"); !prepared.ok()) {
      finish(NativeRebuild::Result::Failed, prepared.error().message());
      continue;
    }
    // The recipe's phases as the cross build runs them, with the native environment.
    std::map<std::string, std::string> phases = default_phases(recipe->build_style);
    for (const auto& [phase, snippet] : recipe->phases) phases[phase] = snippet;
    std::string failure;
    for (const std::string& phase : known_phases()) {
      auto it = phases.find(phase);
      if (it == phases.end() || it->second.empty() || phase == "check") continue;
      const std::string script = dir + "/phases/" + phase + ".sh";
      if (Status written = write_file_atomically(context.root + script,
                                                 "cd \"$XPORT_BUILD\" || exit 1\numask 022\nset -e\n" + it->second + "\n");
          !written.ok()) {
        failure = written.error().message();
        break;
      }
      std::vector<std::string> argv = {"/usr/bin/env", "-i"};
      for (const std::string& variable : native_phase_environment(arch, *recipe, dir)) argv.push_back(variable);
      argv.insert(argv.end(), {"/bin/sh", script});
      auto result = context.in_target(argv);
      const std::string log = context.work_dir + "/" + recipe->name + "-" + phase + ".log";
      fs::create_directories(context.work_dir, ec);
      if (result) write_file_atomically(log, result->output);
      if (!result) failure = phase + ": " + result.error().message();
      else if (result->exit_code != 0)
        failure = "phase " + phase + " failed (exit " + std::to_string(result->exit_code) + ", " + log + "):" +
                  tail(result->output, 6);
      if (!failure.empty()) break;
    }
    rebuild.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!failure.empty()) {
      finish(NativeRebuild::Result::Failed, failure);
      continue;
    }
    // The cross-built packages of the recipe, unpacked side by side, against what was staged.
    const std::string cross = context.work_dir + "/" + recipe->name + "-cross";
    fs::remove_all(cross, ec);
    fs::create_directories(cross, ec);
    std::vector<std::string> names = {recipe->name};
    for (const RecipeOutput& output : recipe->outputs) names.push_back(output.name);
    std::string missing;
    for (const std::string& package : names) {
      const std::string file = request.repository + "/" + package + "-" + rebuild.version + "-" + arch.name + ".pkg.tar.zst";
      if (!fs::exists(file)) {
        missing += " " + package;
        continue;
      }
      if (auto installed = install_package_files(file, cross); !installed) missing += " " + package;
    }
    if (!missing.empty()) {
      finish(NativeRebuild::Result::Failed, "no cross-built package to compare with:" + missing);
      continue;
    }
    rebuild.differences = compare_trees(cross, host_dir + "/staging");
    finish(rebuild.differences.empty() ? NativeRebuild::Result::Identical : NativeRebuild::Result::Different, "");
  }
  return rebuilds;
}

}  // namespace xport
