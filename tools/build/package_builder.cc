#include "build/package_builder.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "build/phase_runner.h"
#include "core/files.h"
#include "core/process.h"
#include "core/progress.h"
#include "core/step_times.h"
#include "fetch/sha256.h"
#include "fetch/source_tree.h"
#include "inspect/inspector.h"
#include "inspect/waiver.h"
#include "package/package_install.h"
#include "package/pacman_package.h"
#include "package/sbom.h"
#include "toolchain/toolchain_builder.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// Part of every stamp, like the toolchain's: bump it when the way packages are made changes.
constexpr const char* kPackageMethod = "package method 1: pacman .pkg.tar.zst, QA gate on the package";

// The same PATH the phases get (the toolchain's bin/ aside).
bool find_host_program(const std::string& command) {
  for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"})
    if (access((std::string(dir) + "/" + command).c_str(), X_OK) == 0) return true;
  return false;
}

std::string full_version(const Recipe& recipe) { return recipe.version + "-" + std::to_string(recipe.release); }

// Moves the staged files an output claims (fnmatch globs on paths relative to the root, "*"
// crossing directories) into that output's own root.
Status split_output(const std::string& staging, const RecipeOutput& output, const std::string& into) {
  std::vector<fs::path> claimed;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(staging, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    const std::string relative = it->path().lexically_relative(staging).string();
    for (const std::string& glob : output.files)
      if (fnmatch(glob.c_str(), relative.c_str(), 0) == 0) {
        claimed.push_back(it->path());
        break;
      }
  }
  if (ec) return Error(staging + ": " + ec.message());
  for (const fs::path& path : claimed) {
    const fs::path target = fs::path(into) / path.lexically_relative(staging);
    fs::create_directories(target.parent_path(), ec);
    fs::rename(path, target, ec);
    if (ec) return Error(path.string() + ": cannot move into output " + output.name + ": " + ec.message());
  }
  // Directories the move emptied belong to the output, not to the package left behind.
  for (const fs::path& path : claimed) {
    std::error_code gone;  // a directory already removed for an earlier file ends the walk
    for (fs::path dir = path.parent_path(); dir != fs::path(staging) && fs::is_empty(dir, gone) && !gone;
         dir = dir.parent_path())
      fs::remove(dir, gone);
  }
  return Status::success();
}

}  // namespace

PackageBuilder::PackageBuilder(const ArchRegistry& arches, const ToolchainLayout& toolchain,
                               const RecipeSet& recipes, std::vector<std::string> components,
                               PackageBuildOptions options)
    : arches_(arches), toolchain_(toolchain), recipes_(recipes), graph_(recipes),
      components_(std::move(components)), options_(std::move(options)) {
  if (options_.fetch.cache_dir.empty()) options_.fetch.cache_dir = default_cache_dir();
}

Expected<std::vector<PackageBuilder::Planned>> PackageBuilder::plan(const std::vector<std::string>& wanted) const {
  auto order = graph_.build_order(graph_.with_run_time_depends(wanted));
  if (!order) return order.error();
  auto manifest = read_file(toolchain_.dir + "/manifest.json");
  if (!manifest) return Error("no built toolchain in " + toolchain_.dir + " (xport toolchain --arch " +
                              toolchain_.arch->name + " builds it)");
  auto is_component = [&](const Recipe* recipe) {
    return std::find(components_.begin(), components_.end(), recipe->name) != components_.end();
  };
  std::map<const Recipe*, std::string> stamps;  // of the recipes planned so far (build order)
  std::vector<Planned> planned;
  const std::vector<std::string>& host_components = toolchain_.kind->host_components;
  for (const Recipe* recipe : *order) {
    if (std::find(host_components.begin(), host_components.end(), recipe->name) != host_components.end())
      return Error(recipe->name + " is built for the build machine (a host component of " +
                   toolchain_.kind->source_file + "), not packaged for the target");
    if (auto it = recipe->unsupported_arches.find(toolchain_.arch->name); it != recipe->unsupported_arches.end())
      return Error(toolchain_.arch->name + " is not supported by " + recipe->name + " " + recipe->version + ": " +
                   it->second);
    auto text = read_file(recipe->file);
    if (!text) return text.error();
    Planned p{recipe, "", {}, {}, {}};
    // Everything the package is made from: its recipe and patches, the toolchain (its manifest
    // names every component's stamp) and the packages in its build sysroot.
    std::string inputs = *text + *manifest + kPackageMethod;
    if (is_component(recipe)) {
      auto files = component_sysroot_files(toolchain_, components_, recipe->name);
      if (!files) return files.error();
      if (files->empty()) continue;  // it left nothing in the sysroot (compiler-rt, musl-headers)
      p.toolchain_files = std::move(*files);
    } else {
      for (const HashedFile& patch : recipe->patches) inputs += patch.sha256;
      // The style's phases are as much the recipe as what it writes itself.
      for (const auto& [phase, snippet] : default_phases(recipe->build_style)) inputs += phase + "\n" + snippet;
      // A kernel is also made of the arch's Kconfig fragment.
      if (recipe->build_style == "kbuild" && toolchain_.arch->kernel_image.empty())
        return Error(recipe->file + ": " + toolchain_.arch->name + " has no kernel yet (kernel.image and kernel.config in " +
                     toolchain_.arch->source_file + ")");
      if (recipe->build_style == "kbuild" && !toolchain_.arch->kernel_config.empty()) {
        auto fragment = read_file(toolchain_.arch->kernel_config);
        if (!fragment) return fragment.error();
        inputs += *fragment;
      }
      std::vector<std::string> needed;
      for (const std::string& name : recipe->build_depends) needed.push_back(name);
      for (const std::string& name : graph_.with_run_time_depends(needed)) {
        const Recipe* input = graph_.provider(name);
        if (!input || input == recipe || is_component(input)) continue;  // the toolchain's sysroot has those
        if (std::find(p.sysroot_inputs.begin(), p.sysroot_inputs.end(), input) != p.sysroot_inputs.end()) continue;
        if (!stamps.count(input))
          return Error(recipe->file + ": needs '" + name + "' to build, but " + input->name +
                       " is not built before it: add it to build_depends");
        p.sysroot_inputs.push_back(input);
      }
      std::sort(p.sysroot_inputs.begin(), p.sysroot_inputs.end(),
                [](const Recipe* a, const Recipe* b) { return a->name < b->name; });
      for (const Recipe* input : p.sysroot_inputs) inputs += input->name + "=" + stamps[input];
      for (const std::string& name : graph_.with_run_time_depends(recipe->depends)) {
        const Recipe* input = graph_.provider(name);
        if (!input || input == recipe || is_component(input) || !stamps.count(input)) continue;
        if (std::find(p.sysroot_inputs.begin(), p.sysroot_inputs.end(), input) != p.sysroot_inputs.end()) continue;
        if (std::find(p.run_time_inputs.begin(), p.run_time_inputs.end(), input) != p.run_time_inputs.end()) continue;
        p.run_time_inputs.push_back(input);
      }
    }
    p.stamp = sha256_text(inputs);
    stamps[recipe] = p.stamp;
    planned.push_back(std::move(p));
  }
  return planned;
}

Status PackageBuilder::build(const std::vector<std::string>& wanted) {
  auto planned = plan(wanted);
  if (!planned) return planned.error();
  std::vector<size_t> todo;
  for (size_t i = 0; i < planned->size(); ++i) {
    const Planned& p = (*planned)[i];
    auto old = read_file(state_dir() + "/stamps/" + p.recipe->name);
    const bool current = old && *old == p.stamp;
    if (options_.dry_run)
      std::printf("[%zu/%zu] %s %s: %s\n", i + 1, planned->size(), p.recipe->name.c_str(),
                  full_version(*p.recipe).c_str(),
                  current ? "up to date" : p.toolchain_files.empty() ? "would build" : "would package from the toolchain");
    else if (!current)
      todo.push_back(i);
  }
  if (todo.empty()) return Status::success();
  // Said before anything is built, all at once, with what to install.
  std::string missing;
  std::set<std::string> packages;
  for (size_t i : todo)
    for (const HostTool& tool : (*planned)[i].recipe->host_tools)
      if ((*planned)[i].toolchain_files.empty() && !find_host_program(tool.command)) {
        missing += "\n  " + (*planned)[i].recipe->name + " needs '" + tool.command + "' (Debian package " +
                   tool.debian_package + ")";
        packages.insert(tool.debian_package);
      }
  if (!missing.empty()) {
    std::string install;
    for (const std::string& package : packages) install += " " + package;
    return Error("host tools missing:" + missing + "\ninstall them with: apt-get install" + install);
  }
  if (Status logged = log_huge_pages(state_dir() + "/logs", toolchain_); !logged.ok())
    return logged;
  return build_side_by_side(*planned, todo);
}

Status PackageBuilder::build_side_by_side(const std::vector<Planned>& planned, const std::vector<size_t>& todo) {
  // A build waits for the packages its sysroot and its QA gate's root are made of; everything
  // else may run beside it.
  std::map<const Recipe*, size_t> index_of;
  for (size_t i : todo) index_of[planned[i].recipe] = i;
  enum class State { Waiting, Running, Done };
  std::map<size_t, State> state;
  for (size_t i : todo) state[i] = State::Waiting;
  auto ready = [&](size_t i) {
    for (const auto* inputs : {&planned[i].sysroot_inputs, &planned[i].run_time_inputs})
      for (const Recipe* input : *inputs)
        if (auto it = index_of.find(input); it != index_of.end() && state[it->second] != State::Done) return false;
    return true;
  };
  const unsigned slots = std::max(1u, options_.jobs);
  std::mutex mutex;
  std::condition_variable finished;
  std::vector<std::thread> threads;
  std::optional<Error> failure;
  unsigned running = 0;
  size_t done = 0;
  std::unique_lock lock(mutex);
  while (done < todo.size()) {
    for (size_t i : todo) {
      if (failure || running >= slots) break;
      if (state[i] != State::Waiting || !ready(i)) continue;
      state[i] = State::Running;
      ++running;
      // The cores are shared out among the builds running when this one starts.
      const unsigned jobs = std::max(1u, options_.jobs / running);
      const bool alone = slots == 1;
      threads.emplace_back([&, i, jobs, alone] {
        Status built = build_one(planned[i], i, planned.size(), jobs, alone);
        std::lock_guard guard(mutex);
        if (!built.ok() && !failure) failure = built.error();
        state[i] = State::Done;
        --running;
        ++done;
        finished.notify_all();
      });
    }
    if (failure && running == 0) break;
    if (running == 0 && done < todo.size()) {  // nothing runs and nothing can start
      failure = Error("internal error: no package is ready to build");
      break;
    }
    finished.wait(lock);
  }
  lock.unlock();
  for (std::thread& thread : threads) thread.join();
  if (failure) return *failure;
  return Status::success();
}

SbomInput PackageBuilder::sbom_input(const Recipe& recipe, const WrittenPackage& package) const {
  SbomInput input;
  input.package = package;
  input.tool = "xport-" XPORT_VERSION;
  for (const SourceSpec& source : recipe.sources) {
    SbomSource described{source.file, recipe.version, source.sha256, source.urls.empty() ? "" : source.urls.front(),
                         "", recipe.license};
    if (!source.debian_package.empty()) {
      std::string version = source.debian_version;  // a purl spells the epoch's colon %3A
      for (size_t colon; (colon = version.find(':')) != std::string::npos;) version.replace(colon, 1, "%3A");
      described.purl = "pkg:deb/debian/" + source.debian_package + "@" + version + "?arch=source";
    }
    input.sources.push_back(std::move(described));
  }
  for (const HashedFile& patch : recipe.patches)
    input.sources.push_back({fs::path(patch.path).filename().string(), "", patch.sha256, "", "", ""});
  for (const std::string& name : package.meta.depends) {
    const Recipe* provider = graph_.provider(name);
    input.depends.push_back({name, provider ? full_version(*provider) : ""});
  }
  return input;
}

Status PackageBuilder::stage_from_toolchain(const Planned& planned, const std::string& staging) const {
  std::error_code ec;
  for (const std::string& file : planned.toolchain_files) {
    const fs::path from = fs::path(toolchain_.sysroot()) / file, to = fs::path(staging) / file;
    fs::create_directories(to.parent_path(), ec);
    if (fs::is_symlink(from, ec)) fs::copy_symlink(from, to, ec);
    else fs::copy_file(from, to, ec);
    if (ec) return Error(from.string() + ": cannot stage for packaging: " + ec.message());
  }
  return Status::success();
}

Status PackageBuilder::make_sysroot(const Planned& planned, const std::string& base,
                                    const std::vector<const Recipe*>& inputs, const std::string& sysroot) const {
  // A copy, not the toolchain's own sysroot: a build must not change what later builds see.
  auto copied = run_process({"cp", "-a", "--reflink=auto", base, sysroot});
  if (!copied) return copied.error();
  if (copied->exit_code != 0) return Error("cannot copy " + base + ": " + copied->output);
  for (const Recipe* input : inputs) {
    auto list = read_file(state_dir() + "/published/" + input->name);
    if (!list) return Error(input->name + ": no published packages to build " + planned.recipe->name + " with");
    std::istringstream lines(*list);
    for (std::string line; std::getline(lines, line);) {
      if (!line.ends_with(".pkg.tar.zst")) continue;  // the SBOMs are published beside them
      auto installed = install_package_files(packages_dir() + "/" + line, sysroot);
      if (!installed) return installed.error();
    }
  }
  return Status::success();
}

Status PackageBuilder::build_one(const Planned& planned, size_t index, size_t total, unsigned jobs, bool alone) {
  const Recipe& recipe = *planned.recipe;
  const std::string work = state_dir() + "/work/" + recipe.name;
  const std::string log_dir = state_dir() + "/logs/" + recipe.name;
  std::error_code ec;
  fs::remove(state_dir() + "/stamps/" + recipe.name, ec);
  fs::remove_all(work, ec);
  fs::remove_all(log_dir, ec);
  for (const char* dir : {"src", "build", "staging", "home", "tmp", "outputs", "packages"})
    fs::create_directories(work + "/" + dir, ec);
  fs::create_directories(log_dir, ec);
  if (ec) return Error(work + ": cannot create: " + ec.message());

  ProgressLine progress(options_.progress, alone);
  const std::string label = "[" + std::to_string(index + 1) + "/" + std::to_string(total) + "] " + recipe.name +
                            " " + full_version(recipe);
  StepTimes times;
  auto fail = [&](Status status) {
    progress.finish("FAILED");
    return status.error().with_context(recipe.name);
  };
  std::string sysroot = toolchain_.sysroot();
  if (!planned.toolchain_files.empty()) {
    progress.start(label + " from the toolchain");
    times.start("stage");
    if (Status staged = stage_from_toolchain(planned, work + "/staging"); !staged.ok()) return fail(staged);
  } else {
    progress.start(label + " fetch");
    times.start("fetch");
    std::string source_dir;
    {
      // One at a time: the cache's trees and apt's state are shared.
      std::lock_guard fetching(fetch_mutex_);
      SourceFetcher fetcher(options_.fetch);
      SourceTrees trees(options_.fetch.cache_dir);
      auto sources = provide_recipe_sources(recipe, fetcher, trees, {}, work + "/src");
      if (!sources) return fail(sources.error());
      source_dir = *sources;
    }

    PhaseContext context;
    context.source_dir = source_dir;
    context.source_read_only = recipe.out_of_tree;
    context.build_dir = work + "/build";
    context.destdir = work + "/staging";
    context.log_dir = log_dir;
    context.environment = recipe_environment(toolchain_, recipe, work, source_dir, jobs);
    if (!planned.sysroot_inputs.empty()) {
      progress.relabel(label + " sysroot");
      times.start("sysroot");
      sysroot = work + "/sysroot";
      if (Status made = make_sysroot(planned, toolchain_.sysroot(), planned.sysroot_inputs, sysroot); !made.ok())
        return fail(made);
      // The toolchain's wrappers, CMake file and pkg-config wrapper follow this variable.
      context.environment["XPORT_BUILD_SYSROOT"] = sysroot;
      context.environment["XPORT_SYSROOT"] = sysroot;
    }
    context.on_phase = [&](const std::string& phase) {
      progress.relabel(label + " " + phase);
      times.start(phase);
    };
    if (Status ran = run_phases(recipe, context); !ran.ok()) return fail(ran);
  }

  progress.relabel(label + " package");
  times.start("split");
  std::vector<std::pair<PackageMeta, std::string>> roots;  // meta, files root
  PackageMeta main;
  main.name = recipe.name;
  main.base = recipe.name;
  main.version = full_version(recipe);
  main.description = recipe.description;
  main.url = recipe.homepage;
  main.arch = toolchain_.arch->name;
  main.licenses = {recipe.license};
  main.depends = recipe.depends;
  main.build_date = recipe.source_date_epoch;
  auto recipe_sha = sha256_file(recipe.file);
  if (recipe_sha) main.build_info.push_back("pkgbuild_sha256sum = " + *recipe_sha);
  main.build_info.push_back("xport_stamp = " + planned.stamp);
  for (const RecipeOutput& output : recipe.outputs) {
    const std::string root = work + "/outputs/" + output.name;
    fs::create_directories(root, ec);
    if (Status split = split_output(work + "/staging", output, root); !split.ok()) return fail(split);
    PackageMeta meta = main;
    meta.name = output.name;
    if (!output.description.empty()) meta.description = output.description;
    meta.depends = {recipe.name};
    roots.push_back({meta, root});
  }
  roots.insert(roots.begin(), {main, work + "/staging"});

  // The QA gate's root: the sysroot the package was built against, with what it needs at run time.
  std::string qa_root = sysroot;
  if (!planned.run_time_inputs.empty()) {
    progress.relabel(label + " QA root");
    times.start("qa root");
    qa_root = work + "/qa-root";
    if (Status made = make_sysroot(planned, sysroot, planned.run_time_inputs, qa_root); !made.ok()) return fail(made);
  }
  std::vector<std::string> packages;
  for (const auto& [meta, root] : roots) {
    const std::string file = work + "/packages/" + package_file_name(meta);
    times.start("package " + meta.name);
    auto written = write_pacman_package(meta, root, file);
    if (!written) return fail(written.error());
    progress.relabel(label + " QA");
    times.start("qa " + meta.name);
    if (Status gate = quality_gate(recipe, file, work, qa_root); !gate.ok()) return fail(gate);
    packages.push_back(file);
    const std::string sbom = work + "/packages/" + sbom_file_name(*written);
    if (Status described = write_file_atomically(sbom, spdx_document(sbom_input(recipe, *written))); !described.ok())
      return fail(described);
    packages.push_back(sbom);
  }
  times.start("publish");
  {
    std::lock_guard publishing(publish_mutex_);  // one repository database
    if (Status published = publish(recipe, packages); !published.ok()) return fail(published);
  }
  times.stop();
  if (Status timed = write_file_atomically(log_dir + "/timings.tsv", times.tsv()); !timed.ok()) return fail(timed);
  fs::create_directories(state_dir() + "/stamps", ec);
  if (Status stamped = write_file_atomically(state_dir() + "/stamps/" + recipe.name, planned.stamp); !stamped.ok())
    return fail(stamped);
  progress.relabel(label);
  progress.finish("done");
  fs::remove_all(work, ec);
  return Status::success();
}

Status PackageBuilder::quality_gate(const Recipe& recipe, const std::string& package, const std::string& work,
                                    const std::string& sysroot) const {
  inspect::InspectOptions options;
  options.inputs = {package};
  options.arch = toolchain_.arch->name;
  options.libc = Libc::Musl;
  options.root = sysroot;
  // Where the build ran, and the cache's extracted trees an out_of_tree recipe builds from.
  options.forbid_paths = {work, options_.fetch.cache_dir + "/trees"};
  options.jobs = options_.jobs;
  auto report = inspect::inspect(options, arches_);
  if (!report) return report.error();
  std::vector<inspect::Waiver> waivers;
  for (const RecipeWaiver& waiver : recipe.waivers)
    waivers.push_back({waiver.check, waiver.path, waiver.reason, recipe.file});
  inspect::apply_waivers(report->findings, waivers);
  std::string errors;
  size_t count = 0;
  for (const inspect::Finding& finding : report->findings) {
    if (finding.waived || finding.severity != inspect::Severity::Error) continue;
    if (++count <= 10) errors += "\n  " + finding.check + ": " + finding.target_path + ": " + finding.message;
  }
  if (count == 0) return Status::success();
  if (count > 10) errors += "\n  ... and " + std::to_string(count - 10) + " more";
  return Error("QA gate: xport inspect found " + std::to_string(count) + " error" + (count == 1 ? "" : "s") + " in " +
               fs::path(package).filename().string() + ":" + errors +
               "\n(fix the recipe, or waive a finding in it with a reason)");
}

Status PackageBuilder::publish(const Recipe& recipe, const std::vector<std::string>& packages) {
  std::error_code ec;
  fs::create_directories(packages_dir(), ec);
  if (ec) return Error(packages_dir() + ": cannot create: " + ec.message());
  // Earlier versions of this recipe's packages leave the repository.
  const std::string list_file = state_dir() + "/published/" + recipe.name;
  if (auto old = read_file(list_file)) {
    std::istringstream lines(*old);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) fs::remove(packages_dir() + "/" + line, ec);
  }
  std::string list;
  for (const std::string& package : packages) {
    const std::string name = fs::path(package).filename().string();
    fs::rename(package, packages_dir() + "/" + name, ec);
    if (ec) return Error(packages_dir() + "/" + name + ": cannot publish: " + ec.message());
    list += name + "\n";
  }
  fs::create_directories(state_dir() + "/published", ec);
  if (Status listed = write_file_atomically(list_file, list); !listed.ok()) return listed;

  // The repository's packages are read once per run (a package's .PKGINFO and sha256), then
  // kept up to date here: publishing does not read the whole repository again each time.
  if (!repository_read_) {
    for (const auto& entry : fs::directory_iterator(packages_dir(), ec)) {
      const std::string file = entry.path().string();
      if (!file.ends_with(".pkg.tar.zst")) continue;
      auto package = read_pacman_package(file);
      if (!package) return package.error();
      repository_[entry.path().filename().string()] = std::move(*package);
    }
    repository_read_ = true;
  }
  std::erase_if(repository_, [&](const auto& entry) { return !fs::exists(packages_dir() + "/" + entry.first); });
  for (const std::string& package : packages) {
    const std::string name = fs::path(package).filename().string();
    if (!name.ends_with(".pkg.tar.zst")) continue;
    auto read = read_pacman_package(packages_dir() + "/" + name);
    if (!read) return read.error();
    repository_[name] = std::move(*read);
  }
  std::vector<WrittenPackage> all;  // in file name order, as the map keeps them
  for (const auto& [name, package] : repository_) all.push_back(package);
  return write_repository_database(all, packages_dir(), options_.repo_name);
}

}  // namespace xport
