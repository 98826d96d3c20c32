#include "toolchain/toolchain_builder.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
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
  // A host component serves every arch, so its stamp leaves the arch out; the target components'
  // stamps cover it, as it is what builds them.
  for (const std::string& name : kind_.host_components) {
    const Recipe* recipe = recipes_.find(name);
    if (!recipe) return Error(kind_.source_file + ": host component '" + name + "' has no recipe in recipes/");
    auto text = read_file(recipe->file);
    if (!text) return text.error();
    std::string inputs =
        *text + llvm_.version_string + kBuildMethod + "\nllvm targets: " + llvm_targets();
    for (const HashedFile& patch : recipe->patches) inputs += patch.sha256;
    components.push_back({recipe, sha256_text(inputs), true});
    previous = sha256_text(previous + components.back().stamp);
  }
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
    components.push_back({recipe, previous, false});
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
      const char* state = old && *old == c.stamp                          ? "up to date"
                           : c.host && fs::is_directory(host_cache_dir(c)) ? "would install from the cache"
                                                                            : "would build";
      std::printf("[%zu/%zu] %s %s: %s\n", i + 1, components->size(), c.recipe->name.c_str(),
                  c.recipe->version.c_str(), state);
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
  began_ = std::chrono::steady_clock::now();
  std::vector<size_t> host, target;
  for (size_t i = first_stale; i < components->size(); ++i) ((*components)[i].host ? host : target).push_back(i);
  extract_ahead(*components, first_stale);
  // Every target component is built with the host components: they come first, one by one.
  for (size_t i : host)
    if (Status built = build_component((*components)[i], i, components->size(), true, {}); !built.ok()) return built;
  if (!target.empty())
    if (Status logged = log_huge_pages(state_dir() + "/logs", layout_); !logged.ok()) return logged;
  if (Status built = build_side_by_side(*components, target); !built.ok()) return built;
  if (!timeline_.empty())
    if (Status written = write_file_atomically(state_dir() + "/logs/timeline.tsv", timeline_); !written.ok())
      return written;
  return write_manifest(*components);
}

void ToolchainBuilder::extract_ahead(const std::vector<Component>& components, size_t first_stale) {
  // xz decompresses on one core, and the LLVM tarball takes some 15 s of it: every archive is
  // extracted into the tree cache on a thread of its own from the start, and a component waits
  // only for its own. A failure here is only a lost head start; the component's own extraction
  // reports it.
  for (size_t i = first_stale; i < components.size(); ++i)
    for (const SourceSpec& source : components[i].recipe->sources) {
      if (extracting_.count(source.sha256)) continue;
      auto archive = fetcher_.fetch(source);
      if (!archive) continue;
      extracting_[source.sha256] =
          std::async(std::launch::async, [this, archive = *archive, sha = source.sha256,
                                          subtrees = cached_subtrees_[source.sha256]] {
            return trees_.tree(archive, sha, subtrees).ok();
          }).share();
    }
}

Status ToolchainBuilder::build_side_by_side(const std::vector<Component>& components, const std::vector<size_t>& todo) {
  // A component starts when the components it build-depends on are built, but for those its
  // recipe needs only from a later phase (phase_depends), which that phase waits for; the
  // recipe vouches that the earlier phases look at nothing those install, so that what a build
  // finds in the sysroot never depends on timing. Each build gets every core: two side by side
  // keep the cores busy through each other's serial steps (configure scripts, links).
  enum class State { Waiting, Running, Built, Failed };
  std::map<std::string, State> state;
  for (size_t i : todo) state[components[i].recipe->name] = State::Waiting;
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<Error> failure;
  // Whether `names` (those that are components being built) are all built; an error once one failed.
  auto built = [&](const std::vector<std::string>& names) -> Expected<bool> {
    for (const std::string& name : names) {
      auto it = state.find(name);
      if (it == state.end()) continue;  // not a component, or up to date
      if (it->second == State::Failed) return Error(name + " failed");
      if (it->second != State::Built) return false;
    }
    return true;
  };
  auto needed_at_start = [&](const Recipe& recipe) {
    std::vector<std::string> names;
    for (const std::string& name : recipe.build_depends) {
      bool later = false;
      for (const auto& [phase, deferred] : recipe.phase_depends)
        later = later || std::find(deferred.begin(), deferred.end(), name) != deferred.end();
      if (!later) names.push_back(name);
    }
    return names;
  };
  std::vector<std::thread> threads;
  std::unique_lock lock(mutex);
  size_t running = 0, finished = 0;
  while (finished < todo.size()) {
    for (size_t i : todo) {
      const Recipe& recipe = *components[i].recipe;
      if (failure || state[recipe.name] != State::Waiting) continue;
      auto ready = built(needed_at_start(recipe));
      if (!ready || !*ready) continue;
      state[recipe.name] = State::Running;
      ++running;
      auto wait_for = [&, &recipe = recipe](const std::string& phase) -> Status {
        auto deferred = recipe.phase_depends.find(phase);
        if (deferred == recipe.phase_depends.end()) return Status::success();
        std::unique_lock wait(mutex);
        for (;;) {
          auto ready = built(deferred->second);
          if (!ready) return Error(recipe.name + ": not built: " + ready.error().message() + " before " + phase);
          if (*ready) return Status::success();
          changed.wait(wait);
        }
      };
      threads.emplace_back([&, i, wait_for] {
        Status result = build_component(components[i], i, components.size(), todo.size() == 1, wait_for);
        std::lock_guard guard(mutex);
        state[components[i].recipe->name] = result.ok() ? State::Built : State::Failed;
        if (!result.ok() && !failure) failure = result.error();
        --running;
        ++finished;
        changed.notify_all();
      });
    }
    if (running == 0) {
      // Nothing runs: either a failure stopped the rest, or (a bug) nothing can ever start.
      if (!failure && finished < todo.size()) failure = Error("internal error: no toolchain component can start");
      break;
    }
    changed.wait(lock);
  }
  lock.unlock();
  for (std::thread& thread : threads) thread.join();
  if (failure) return *failure;
  return Status::success();
}

namespace {

Status check_license_files(const Recipe& recipe, const std::string& source_dir) {
  for (const HashedFile& license : recipe.license_files) {
    auto actual = sha256_file(source_dir + "/" + license.path);
    if (!actual) return Error(recipe.file + ": license file: " + actual.error().message());
    if (*actual != license.sha256)
      return Error(recipe.file + ": license file " + license.path + " changed: expected sha256 " + license.sha256 +
                   ", got " + *actual + " (read the new license, then update the hash)");
  }
  return Status::success();
}

}  // namespace

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
  if (Status licensed = check_license_files(recipe, source_dir); !licensed.ok()) return licensed;
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

Expected<std::string> provide_recipe_sources(const Recipe& recipe, SourceFetcher& fetcher, const SourceTrees& trees,
                                             const std::map<std::string, std::vector<std::string>>& cached_subtrees,
                                             const std::string& source_dir) {
  if (!recipe.out_of_tree || recipe.sources.empty()) {
    if (Status prepared = prepare_recipe_sources(recipe, fetcher, trees, cached_subtrees, source_dir); !prepared.ok())
      return prepared.error();
    return source_dir;
  }
  const SourceSpec& source = recipe.sources.front();  // the recipe parser allows only one
  auto archive = fetcher.fetch(source);
  if (!archive) return Error(recipe.name + ": " + archive.error().message());
  auto cached = cached_subtrees.find(source.sha256);
  auto tree = trees.tree(*archive, source.sha256, cached == cached_subtrees.end() ? source.extract : cached->second);
  if (!tree) return Error(recipe.name + ": " + tree.error().message());
  if (Status licensed = check_license_files(recipe, *tree); !licensed.ok()) return licensed.error();
  return *tree;
}

std::map<std::string, std::string> recipe_environment(const ToolchainLayout& layout, const Recipe& recipe,
                                                      const std::string& work, const std::string& source_dir,
                                                      unsigned jobs) {
  const Arch& arch = *layout.arch;
  const HostLlvm& llvm = *layout.llvm;
  // Only the toolchain's wrappers and the host's ordinary tools are on PATH.
  auto env = scrubbed_environment(layout.dir + "/bin:/usr/local/bin:/usr/bin:/bin", work + "/home", work + "/tmp");
  // Sources and objects are named as they would be in a distro's source package, not by where
  // this build happened to run: __FILE__ in assertions and debug info must not carry the work dir.
  const std::string source_name = "/usr/src/" + recipe.name + "-" + recipe.version;
  const std::string prefix_map = "-ffile-prefix-map=" + source_dir + "=" + source_name +
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
      {"XPORT_CLANG", layout.clang()},
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

std::string ToolchainBuilder::host_cache_dir(const Component& component) const {
  const std::string cache = options_.fetch.cache_dir.empty() ? default_cache_dir() : options_.fetch.cache_dir;
  return cache + "/host/" + component.recipe->name + "-" + component.stamp.substr(0, 16);
}

Status ToolchainBuilder::keep_in_cache(const std::string& staging, const std::string& cached) const {
  // Published by a rename, so a directory there is always complete; a build of the same
  // stamp by another xport at the same time is as good as ours.
  std::error_code ec;
  const fs::path parent = fs::path(cached).parent_path();
  fs::create_directories(parent, ec);
  if (ec) return Error(parent.string() + ": cannot create: " + ec.message());
  const std::string incoming = cached + ".incoming-" + std::to_string(getpid());
  fs::remove_all(incoming, ec);
  fs::rename(staging, incoming, ec);
  if (ec) {  // the cache is on another file system
    ec.clear();
    fs::copy(staging, incoming, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) {
      const std::string why = ec.message();
      fs::remove_all(incoming, ec);
      return Error(incoming + ": cannot copy the build there: " + why);
    }
  }
  fs::rename(incoming, cached, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(incoming, ec);
    if (!fs::is_directory(cached)) return Error(cached + ": cannot create: " + why);
  }
  // Older builds of the component: toolchains keep their own links to the files they use.
  const std::string name = fs::path(cached).filename().string();
  const std::string component = name.substr(0, name.size() - 17);
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string other = entry.path().filename().string();
    if (other != name && other.size() == name.size() && other.starts_with(component + "-"))
      fs::remove_all(entry.path(), ec);
  }
  return Status::success();
}

std::string ToolchainBuilder::llvm_targets() const {
  std::string joined;
  for (const std::string& target : options_.llvm_targets)
    joined += (joined.empty() ? "" : " ") + target;
  return joined;
}

Status ToolchainBuilder::merge_staging(const std::string& component, const std::string& staging, bool hard_link) {
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
    if (it->is_symlink()) {
      fs::copy_symlink(it->path(), target, ec);
    } else {
      // A host component's files (a few hundred MB) are shared with the cache where the file
      // system allows it.
      if (hard_link) fs::create_hard_link(it->path(), target, ec);
      if (!hard_link || ec) fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec);
    }
    if (ec) return Error(target.string() + ": cannot install: " + ec.message());
    list += relative.string() + "\n";
  }
  if (ec) return Error(staging + ": " + ec.message());
  fs::create_directories(state_dir() + "/files", ec);
  return write_file_atomically(installed_files_list(layout_.dir, component), list);
}

Status ToolchainBuilder::build_component(const Component& component, size_t index, size_t total, bool alone,
                                         const std::function<Status(const std::string&)>& before_phase) {
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

  ProgressLine progress(options_.progress, alone);
  const std::string label = "[" + std::to_string(index + 1) + "/" + std::to_string(total) + "] " + recipe.name +
                            " " + recipe.version;
  StepTimes times;
  const auto seconds_since_start = [this] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began_).count();
  };
  const double started = seconds_since_start();
  // A host component is built once per host: the cache keeps what it installed.
  const std::string cached = component.host ? host_cache_dir(component) : "";
  const bool from_cache = component.host && fs::is_directory(cached);
  if (!from_cache) {
    progress.start(label + " fetch");
    times.start("fetch");
    for (const SourceSpec& source : recipe.sources)
      if (auto ahead = extracting_.find(source.sha256); ahead != extracting_.end()) ahead->second.wait();
    auto sources = provide_recipe_sources(recipe, fetcher_, trees_, cached_subtrees_, source_dir);
    if (!sources) {
      progress.finish("FAILED");
      return sources.error();
    }
    PhaseContext context;
    context.source_dir = *sources;
    context.source_read_only = recipe.out_of_tree;
    context.yield_in_build = !alone;
    context.build_dir = build_dir;
    context.destdir = staging;
    context.log_dir = log_dir;
    context.environment = recipe_environment(layout_, recipe, work, *sources, options_.jobs);
    if (component.host) context.environment["XPORT_LLVM_TARGETS"] = llvm_targets();
    context.before_phase = before_phase;
    context.on_phase = [&](const std::string& phase) {
      progress.relabel(label + " " + phase);
      times.start(phase);
    };
    if (Status ran = run_phases(recipe, context); !ran.ok()) {
      progress.finish("FAILED");
      return ran;
    }
    if (component.host) {
      if (Status kept = keep_in_cache(staging, cached); !kept.ok()) {
        progress.finish("FAILED");
        return kept;
      }
    }
  } else {
    progress.start(label + " from the cache");
  }
  progress.relabel(label + " merge");
  times.start("merge");
  if (Status removed = remove_installed_files(recipe.name); !removed.ok()) return removed;
  if (Status merged = merge_staging(recipe.name, component.host ? cached : staging, component.host); !merged.ok()) {
    progress.finish("FAILED");
    return merged;
  }
  if (Status stamped = write_file_atomically(state_dir() + "/stamps/" + recipe.name, component.stamp); !stamped.ok())
    return stamped;
  times.stop();
  // For tests/bench/toolchain-bench and for anyone asking where the time went.
  fs::create_directories(log_dir, ec);
  if (Status timed = write_file_atomically(log_dir + "/timings.tsv", times.tsv()); !timed.ok()) return timed;
  {
    char line[64];
    std::snprintf(line, sizeof line, "\t%.2f\t%.2f\n", started, seconds_since_start());
    std::lock_guard guard(timeline_mutex_);
    timeline_ += recipe.name + line;
  }
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
      // Inside the toolchain, relative to it: the directory can move.
      const std::string linker = layout_.linker(), inside = layout_.dir + "/";
      json.attribute("lld", linker.starts_with(inside) ? linker.substr(inside.size()) : linker);
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
