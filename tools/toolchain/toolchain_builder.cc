#include "toolchain/toolchain_builder.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include "build/phase_runner.h"
#include "core/files.h"
#include "core/process.h"
#include "core/progress.h"
#include "core/step_times.h"
#include "fetch/extract.h"
#include "fetch/sha256.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// The name musl gives the arch in its loader, /lib/ld-musl-<name>.so.1.
std::string musl_arch_name(const std::string& loader) {
  const size_t start = loader.find("ld-musl-");
  if (start == std::string::npos) return "";
  const size_t from = start + std::strlen("ld-musl-");
  return loader.substr(from, loader.find(".so", from) - from);
}

std::string host_build_triple() {
  auto result = run_process({"cc", "-dumpmachine"});
  if (result && result->exit_code == 0) return result->output.substr(0, result->output.find('\n'));
  return "x86_64-linux-gnu";
}

// Part of every stamp: bump it when the way components are built changes (their environment,
// the flags given to every build), so that toolchains built the old way are rebuilt.
constexpr const char* kBuildMethod = "build method 2: -ffile-prefix-map to /usr/src/<name>-<version>";

}  // namespace

std::string default_toolchain_dir(const Arch& arch, Libc libc) {
  return (fs::current_path() / "out" / "toolchain" / (arch.name + "-" + libc_name(libc))).string();
}

ToolchainBuilder::ToolchainBuilder(const Arch& arch, const ToolchainKind& kind, const RecipeSet& recipes,
                                   const HostLlvm& llvm, ToolchainOptions options)
    : arch_(arch), kind_(kind), recipes_(recipes), llvm_(llvm), options_(std::move(options)),
      fetcher_(options_.fetch),
      trees_(options_.fetch.cache_dir.empty() ? default_cache_dir() : options_.fetch.cache_dir) {
  layout_.arch = &arch_;
  layout_.libc = arch_.libc(kind_.libc);
  layout_.kind = &kind_;
  layout_.llvm = &llvm_;
  layout_.dir = options_.out_dir;
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
}

Expected<std::vector<ToolchainBuilder::Component>> ToolchainBuilder::plan() const {
  if (!layout_.libc)
    return Error(arch_.name + " has no " + libc_name(kind_.libc) + " port in " + arch_.source_file);
  if (auto quirks = kind_.quirks_for(arch_); !quirks.unsupported.empty())
    return Error(kind_.name + " cannot target " + arch_.name + ": " + quirks.unsupported);
  auto arch_text = read_file(arch_.source_file);
  auto kind_text = read_file(kind_.source_file);
  if (!arch_text) return arch_text.error();
  if (!kind_text) return kind_text.error();
  std::vector<Component> components;
  // Each stamp covers the one before it, so a change rebuilds everything that follows.
  std::string previous = sha256_text(*arch_text + *kind_text + llvm_.version_string + kBuildMethod);
  for (const std::string& name : kind_.components) {
    const Recipe* recipe = recipes_.find(name);
    if (!recipe) return Error(kind_.source_file + ": component '" + name + "' has no recipe in recipes/");
    // The kind's order is the build order: it must agree with what the recipes say they need.
    for (const std::string& input : recipe->build_depends) {
      const bool is_component =
          std::find(kind_.components.begin(), kind_.components.end(), input) != kind_.components.end();
      const bool earlier = std::any_of(components.begin(), components.end(),
                                       [&](const Component& c) { return c.recipe->name == input; });
      if (is_component && !earlier)
        return Error(kind_.source_file + ": component '" + name + "' comes before '" + input +
                     "', which its recipe build-depends on");
    }
    if (auto it = recipe->unsupported_arches.find(arch_.name); it != recipe->unsupported_arches.end())
      return Error(arch_.name + " is not supported by " + recipe->name + " " + recipe->version + ": " + it->second);
    auto text = read_file(recipe->file);
    if (!text) return text.error();
    std::string inputs = previous + *text;
    for (const HashedFile& patch : recipe->patches) inputs += patch.sha256;
    previous = sha256_text(inputs);
    components.push_back({recipe, previous});
  }
  return components;
}

Status ToolchainBuilder::build() {
  auto components = plan();
  if (!components) return components.error();
  std::map<std::string, std::vector<std::vector<std::string>>> wanted;
  for (const Component& c : *components)
    for (const SourceSpec& source : c.recipe->sources) wanted[source.sha256].push_back(source.extract);
  for (const auto& [sha, lists] : wanted) cached_subtrees_[sha] = union_of_subtrees(lists);
  if (options_.dry_run) {
    for (size_t i = 0; i < components->size(); ++i) {
      const Component& c = (*components)[i];
      auto old = read_file(state_dir() + "/stamps/" + c.recipe->name);
      std::printf("[%zu/%zu] %s %s: %s\n", i + 1, components->size(), c.recipe->name.c_str(),
                  c.recipe->version.c_str(), old && *old == c.stamp ? "up to date" : "would build");
    }
    return Status::success();
  }
  std::error_code ec;
  fs::create_directories(state_dir() + "/stamps", ec);
  if (ec) return Error(state_dir() + ": cannot create: " + ec.message());
  if (Status files = write_toolchain_files(layout_); !files.ok()) return files;
  size_t first_stale = components->size();
  for (size_t i = 0; i < components->size() && first_stale == components->size(); ++i) {
    auto old = read_file(state_dir() + "/stamps/" + (*components)[i].recipe->name);
    if (!old || *old != (*components)[i].stamp) first_stale = i;
  }
  if (first_stale + 1 < components->size())
    extract_ahead({components->begin() + static_cast<std::ptrdiff_t>(first_stale) + 1, components->end()},
                  (*components)[first_stale]);
  for (size_t i = first_stale; i < components->size(); ++i)
    if (Status built = build_component((*components)[i], i, components->size()); !built.ok()) return built;
  return write_manifest(*components);
}

void ToolchainBuilder::extract_ahead(const std::vector<Component>& later, const Component& first) {
  // xz decompresses on one core, and the LLVM tarball takes some 15 s of it: extracted into the
  // tree cache while the first component builds, it is ready when compiler-rt wants it. A
  // failure here is only a lost head start; the component's own extraction reports it.
  std::set<std::string> foreground;
  for (const SourceSpec& source : first.recipe->sources) foreground.insert(source.sha256);
  for (const Component& component : later)
    for (const SourceSpec& source : component.recipe->sources) {
      if (foreground.count(source.sha256) || extracting_.count(source.sha256)) continue;
      auto archive = fetcher_.fetch(source);
      if (!archive) continue;
      extracting_[source.sha256] =
          std::async(std::launch::async, [this, archive = *archive, sha = source.sha256,
                                          subtrees = cached_subtrees_[source.sha256]] {
            return trees_.tree(archive, sha, subtrees).ok();
          }).share();
    }
}

Status prepare_recipe_sources(const Recipe& recipe, SourceFetcher& fetcher, const SourceTrees& trees,
                              const std::map<std::string, std::vector<std::string>>& cached_subtrees,
                              const std::string& source_dir) {
  for (const SourceSpec& source : recipe.sources) {
    auto archive = fetcher.fetch(source);
    if (!archive) return Error(recipe.name + ": " + archive.error().message());
    const std::string into = source.destination.empty() ? source_dir : source_dir + "/" + source.destination;
    auto cached = cached_subtrees.find(source.sha256);
    Status copied = trees.copy(*archive, source.sha256, cached == cached_subtrees.end() ? source.extract : cached->second,
                               source.extract, into);
    if (!copied.ok()) return Error(recipe.name + ": " + copied.error().message());
  }
  for (const HashedFile& license : recipe.license_files) {
    auto actual = sha256_file(source_dir + "/" + license.path);
    if (!actual) return Error(recipe.file + ": license file: " + actual.error().message());
    if (*actual != license.sha256)
      return Error(recipe.file + ": license file " + license.path + " changed: expected sha256 " + license.sha256 +
                   ", got " + *actual + " (read the new license, then update the hash)");
  }
  for (const HashedFile& patch : recipe.patches) {
    const std::string path = recipe.dir + "/" + patch.path;
    auto actual = sha256_file(path);
    if (!actual) return Error(recipe.file + ": patch: " + actual.error().message());
    if (*actual != patch.sha256)
      return Error(path + ": sha256 mismatch: expected " + patch.sha256 + ", got " + *actual);
    auto result = run_process({"patch", "-p1", "-N", "-i", fs::absolute(path).string()}, {.cwd = source_dir});
    if (!result) return result.error();
    if (result->exit_code != 0) return Error(path + ": does not apply:\n" + result->output);
  }
  return Status::success();
}

std::map<std::string, std::string> recipe_environment(const ToolchainLayout& layout, const Recipe& recipe,
                                                      const std::string& work, unsigned jobs) {
  const Arch& arch = *layout.arch;
  const HostLlvm& llvm = *layout.llvm;
  // Only the toolchain's wrappers and the host's ordinary tools are on PATH.
  auto env = scrubbed_environment(layout.dir + "/bin:/usr/local/bin:/usr/bin:/bin", work + "/home", work + "/tmp");
  // Sources and objects are named as they would be in a distro's source package, not by where
  // this build happened to run: __FILE__ in assertions and debug info must not carry the work dir.
  const std::string source_name = "/usr/src/" + recipe.name + "-" + recipe.version;
  const std::string prefix_map = "-ffile-prefix-map=" + work + "/src=" + source_name +
                                 " -ffile-prefix-map=" + work + "/build=" + source_name + "/build";
  std::string cflags;
  for (const std::string& flag : layout.cflags()) cflags += flag + " ";
  cflags += prefix_map;
  std::string configure_args;
  for (const std::string& arg : recipe.configure_args) configure_args += (configure_args.empty() ? "" : " ") + arg;
  env.insert({
      {"XPORT_ARCH", arch.name},
      {"XPORT_TRIPLE", layout.triple()},
      {"XPORT_BUILD_TRIPLE", host_build_triple()},
      {"XPORT_KERNEL_ARCH", arch.kernel_arch},
      {"XPORT_KERNEL_IMAGE", arch.kernel_image},
      {"XPORT_KERNEL_CONFIG", arch.kernel_config},
      {"XPORT_MUSL_ARCH", musl_arch_name(layout.libc->loader)},
      {"XPORT_LOADER", layout.libc->loader},
      {"XPORT_LLVM_VERSION", std::to_string(llvm.version)},
      {"XPORT_LLVM_BIN", llvm.bin_dir},
      {"XPORT_LLVM_CMAKE_DIR", fs::path(llvm.bin_dir).parent_path().string() + "/lib/cmake/llvm"},
      {"XPORT_HOST_RESOURCE_DIR", llvm.resource_dir},
      {"XPORT_TOOLCHAIN", layout.dir},
      {"XPORT_SYSROOT", layout.sysroot()},
      {"XPORT_RESOURCE_DIR", layout.resource_dir()},
      {"XPORT_LINKER", layout.linker()},
      {"XPORT_CFLAGS", cflags},
      {"XPORT_CONFIGURE_ARGS", configure_args},
      {"XPORT_CMAKE_TOOLCHAIN", layout.dir + "/toolchain.cmake"},
      {"XPORT_MESON_CROSS", layout.dir + "/meson.cross"},
      {"XPORT_JOBS", std::to_string(jobs)},
      {"XPORT_PAGE_SIZE", std::to_string(arch.page_size)},
      {"SOURCE_DATE_EPOCH", std::to_string(recipe.source_date_epoch)},
      {"CFLAGS", prefix_map},  // CMake and autoconf start from these
      {"CXXFLAGS", prefix_map},
      {"CC", layout.bin("cc")},
      {"CXX", layout.bin("c++")},
      {"AR", layout.bin("ar")},
      {"NM", layout.bin("nm")},
      {"RANLIB", layout.bin("ranlib")},
      {"STRIP", layout.bin("strip")},
      {"OBJCOPY", layout.bin("objcopy")},
  });
  return env;
}

namespace {

std::string installed_files_list(const std::string& toolchain_dir, const std::string& component) {
  return toolchain_dir + "/.xport/files/" + component;
}

}  // namespace

Expected<std::vector<std::string>> component_sysroot_files(const ToolchainLayout& layout,
                                                           const std::vector<std::string>& components,
                                                           const std::string& component) {
  auto position = std::find(components.begin(), components.end(), component);
  if (position == components.end()) return Error(component + " is not a component of this toolchain");
  auto read_list = [&](const std::string& name) -> Expected<std::vector<std::string>> {
    auto text = read_file(installed_files_list(layout.dir, name));
    if (!text) return Error(layout.dir + ": no list of the files " + name + " installed (toolchain not built?)");
    std::vector<std::string> files;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("sysroot/")) files.push_back(line.substr(8));
    return files;
  };
  auto own = read_list(component);
  if (!own) return own.error();
  std::set<std::string> reinstalled;
  for (auto later = position + 1; later != components.end(); ++later) {
    auto files = read_list(*later);
    if (!files) return files.error();
    reinstalled.insert(files->begin(), files->end());
  }
  std::vector<std::string> owned;
  for (const std::string& file : *own)
    if (!reinstalled.count(file)) owned.push_back(file);
  std::sort(owned.begin(), owned.end());
  return owned;
}

Status ToolchainBuilder::remove_installed_files(const std::string& component) {
  auto list = read_file(installed_files_list(layout_.dir, component));
  if (!list) return Status::success();
  std::istringstream lines(*list);
  std::error_code ec;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) fs::remove(layout_.dir + "/" + line, ec);
  return Status::success();
}

Status ToolchainBuilder::merge_staging(const std::string& component, const std::string& staging) {
  std::string list;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(staging, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    // lexically: fs::relative would follow a symlink and record its target instead.
    const fs::path relative = it->path().lexically_relative(staging);
    const fs::path target = fs::path(layout_.dir) / relative;
    if (it->is_directory() && !it->is_symlink()) {
      fs::create_directories(target, ec);
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    fs::remove(target, ec);
    if (it->is_symlink()) fs::copy_symlink(it->path(), target, ec);
    else fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec);
    if (ec) return Error(target.string() + ": cannot install: " + ec.message());
    list += relative.string() + "\n";
  }
  if (ec) return Error(staging + ": " + ec.message());
  fs::create_directories(state_dir() + "/files", ec);
  return write_file_atomically(installed_files_list(layout_.dir, component), list);
}

Status ToolchainBuilder::build_component(const Component& component, size_t index, size_t total) {
  const Recipe& recipe = *component.recipe;
  const std::string work = state_dir() + "/work/" + recipe.name;
  const std::string source_dir = work + "/src";
  const std::string build_dir = work + "/build";
  const std::string staging = work + "/staging";
  const std::string log_dir = state_dir() + "/logs/" + recipe.name;
  std::error_code ec;
  // The stamp goes first: an interrupted build leaves no stamp, so the next run starts over.
  fs::remove(state_dir() + "/stamps/" + recipe.name, ec);
  fs::remove_all(work, ec);
  for (const char* dir : {"src", "build", "staging", "home", "tmp"}) fs::create_directories(work + "/" + dir, ec);

  ProgressLine progress(options_.progress);
  const std::string label = "[" + std::to_string(index + 1) + "/" + std::to_string(total) + "] " + recipe.name +
                            " " + recipe.version;
  progress.start(label + " fetch");
  StepTimes times;
  times.start("fetch");
  for (const SourceSpec& source : recipe.sources)
    if (auto ahead = extracting_.find(source.sha256); ahead != extracting_.end()) ahead->second.wait();
  if (Status prepared = prepare_recipe_sources(recipe, fetcher_, trees_, cached_subtrees_, source_dir);
      !prepared.ok()) {
    progress.finish("FAILED");
    return prepared;
  }
  PhaseContext context;
  context.source_dir = source_dir;
  context.build_dir = build_dir;
  context.destdir = staging;
  context.log_dir = log_dir;
  context.environment = recipe_environment(layout_, recipe, work, options_.jobs);
  context.on_phase = [&](const std::string& phase) {
    progress.relabel(label + " " + phase);
    times.start(phase);
  };
  if (Status ran = run_phases(recipe, context); !ran.ok()) {
    progress.finish("FAILED");
    return ran;
  }
  progress.relabel(label + " merge");
  times.start("merge");
  if (Status removed = remove_installed_files(recipe.name); !removed.ok()) return removed;
  if (Status merged = merge_staging(recipe.name, staging); !merged.ok()) {
    progress.finish("FAILED");
    return merged;
  }
  if (Status stamped = write_file_atomically(state_dir() + "/stamps/" + recipe.name, component.stamp); !stamped.ok())
    return stamped;
  times.stop();
  // For tests/bench/toolchain-bench and for anyone asking where the time went.
  if (Status timed = write_file_atomically(log_dir + "/timings.tsv", times.tsv()); !timed.ok()) return timed;
  progress.relabel(label);
  progress.finish("done");
  fs::remove_all(work, ec);  // sources and objects are large; logs stay
  return Status::success();
}

Status ToolchainBuilder::write_manifest(const std::vector<Component>& components) const {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  json.object([&] {
    json.attribute("arch", arch_.name);
    json.attribute("triple", layout_.triple());
    json.attribute("libc", libc_name(kind_.libc));
    json.attribute("toolchain", kind_.name);
    json.attributeObject("host_llvm", [&] {
      json.attribute("version", llvm_.version);
      json.attribute("clang", llvm_.version_string);
      json.attribute("lld", layout_.linker());
    });
    json.attributeArray("components", [&] {
      for (const Component& c : components)
        json.object([&] {
          json.attribute("name", c.recipe->name);
          json.attribute("version", c.recipe->version);
          json.attribute("stamp", c.stamp);
          json.attributeArray("sources", [&] {
            for (const SourceSpec& s : c.recipe->sources)
              json.object([&] {
                json.attribute("file", s.file);
                json.attribute("sha256", s.sha256);
              });
          });
        });
    });
  });
  stream << "\n";
  stream.flush();
  auto old = read_file(layout_.dir + "/manifest.json");
  if (old && *old == text) return Status::success();
  return write_file_atomically(layout_.dir + "/manifest.json", text);
}

}  // namespace xport
