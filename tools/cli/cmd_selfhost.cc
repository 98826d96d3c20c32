// xport selfhost --arch A --root DIR: the target rebuilds its own compiler (stage check), an
// independent compiler path agrees with it (diverse double-compiling), and the root's packages
// are rebuilt inside the target and compared with the cross-built ones.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/toolchain_setup.h"
#include "core/files.h"
#include "package/local_database.h"
#include "recipe/recipe.h"
#include "selfhost/selfhost.h"

namespace xport::cli {

namespace {

// The names of the packages installed in a root, from pacman's local database.
std::vector<std::string> installed_packages(const std::string& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/" + kLocalDatabaseDir, ec)) {
    auto desc = read_file(entry.path().string() + "/desc");
    if (!desc) continue;
    std::istringstream lines(*desc);
    for (std::string line; std::getline(lines, line);)
      if (line == "%NAME%" && std::getline(lines, line)) names.push_back(line);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

int run_selfhost(const std::vector<std::string>& args, const GlobalOptions& global) {
  CommandLineSpec spec;
  spec.command = "selfhost";
  spec.usage = "--arch ARCH [--root DIR] [options]";
  spec.about =
      "Inside a copy of the target root (xport rootfs made it), under xport run:\n"
      "  1. stage check: the native compiler as cross-built (stage1) compiles its own source into\n"
      "     stage2, stage2 into stage3; stage2 and stage3 must be the same bytes;\n"
      "  2. diverse double-compiling: the host's GCC builds a cross compiler from the same source,\n"
      "     that builds a target compiler, which compiles the source on the target: the result\n"
      "     must be stage2's bytes;\n"
      "  3. native rebuild: the root's packages (or --rebuild's) built inside the target from the\n"
      "     same recipes and compared with the cross-built packages: identical, or which files and\n"
      "     ELF sections differ; what the target cannot build is said, with why.\n"
      "Exit 0 when the stage check and the diverse path pass, 1 when either fails.";
  std::string arch_name, root, work, via = "auto", format = "text", repository, compiler_name = "tcc", kind = "llvm-musl";
  std::vector<std::string> rebuild;
  bool no_diverse = false, no_rebuild = false;
  FetchOptions fetch;
  int timeout = 1800;
  spec.options.add_options()
      ("arch,a", po::value(&arch_name)->required(), "target architecture (xport arch list)")
      ("root,r", po::value(&root), "the target root (default: out/root/<arch>, where xport rootfs puts it); it is copied, never changed")
      ("work,w", po::value(&work), "work directory (default: out/selfhost/<arch>)")
      ("via", po::value(&via)->default_value("auto"), "how to run target programs: auto, binfmt or proot")
      ("format,f", po::value(&format)->default_value("text"), "report as text or json")
      ("compiler", po::value(&compiler_name)->default_value("tcc"), "the native compiler's recipe")
      ("no-ddc", po::bool_switch(&no_diverse), "skip diverse double-compiling")
      ("rebuild", po::value(&rebuild)->multitoken(), "packages to rebuild natively (default: every one in the root)")
      ("no-rebuild", po::bool_switch(&no_rebuild), "skip the native rebuild")
      ("repository", po::value(&repository), "the cross-built packages (default: out/build/<arch>/packages)")
      ("kind", po::value(&kind)->default_value("llvm-musl"), "toolchain kind whose components are not rebuilt")
      ("cache", po::value(&fetch.cache_dir), "source cache (default: $XDG_CACHE_HOME/xport)")
      ("mirror", po::value(&fetch.mirrors)->composing(), "a directory of source files (repeatable)")
      ("offline", po::bool_switch(&fetch.offline), "fetch from the cache and mirrors only")
      ("timeout", po::value(&timeout)->default_value(1800), "seconds each step in the target may take");
  po::variables_map values;
  if (auto exit = parse_command_line(spec, args, values)) return *exit;
  if (format != "text" && format != "json") return print_error(Error("--format must be text or json, not '" + format + "'"));

  auto loaded = load(global, arch_name, kind);
  if (!loaded) return print_error(loaded.error());
  auto recipes = RecipeSet::load_dir(global.data_dir + "/recipes");
  if (!recipes) return print_error(recipes.error());
  const Recipe* compiler = recipes->find(compiler_name);
  if (!compiler) return print_error(Error("no recipe '" + compiler_name + "' for the native compiler"));

  SelfhostOptions options;
  options.arch = loaded->arch;
  options.root = root.empty() ? default_root_dir(loaded->arch->name) : absolute_dir(root);
  if (!std::filesystem::is_directory(options.root)) return print_error(Error(options.root + ": no such root directory"));
  options.work_dir = absolute_dir(work.empty() ? "out/selfhost/" + loaded->arch->name : work);
  options.xport = std::filesystem::read_symlink("/proc/self/exe").string();
  options.via = via;
  options.compiler = compiler;
  options.diverse = !no_diverse;
  options.fetch = fetch;
  options.fetch.log = [](const std::string& line) { std::cerr << "xport: " << line << "\n"; };
  options.step_timeout_seconds = timeout;
  options.progress = [](const std::string& line) { std::cerr << "xport selfhost: " << line << "\n"; };
  if (!no_rebuild) {
    options.rebuild.packages = rebuild.empty() ? installed_packages(options.root) : rebuild;
    options.rebuild.repository =
        absolute_dir(repository.empty() ? "out/build/" + loaded->arch->name + "/packages" : repository);
    options.rebuild.toolchain_components = loaded->kind.components;
    options.rebuild.recipes = &*recipes;
  }
  if (global.dry_run) {
    std::cout << "would copy " << options.root << " to " << options.work_dir << "/root and run the stage check"
              << (options.diverse ? ", diverse double-compiling" : "")
              << (options.rebuild.packages.empty() ? "" : " and the native rebuild") << "\n";
    return kExitOk;
  }
  auto report = run_selfhost(options);
  if (!report) {
    print_error(report.error());
    return kExitFailed;
  }
  std::cout << (format == "json" ? selfhost_report_json(*report) : selfhost_report_text(*report));
  return report->passed() ? kExitOk : kExitFailed;
}

}  // namespace xport::cli
