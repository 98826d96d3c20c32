#include "rootfs/rootfs.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "package/local_database.h"
#include "package/package_install.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

Expected<std::map<std::string, WrittenPackage>> read_repository(const std::string& repository) {
  std::map<std::string, WrittenPackage> packages;
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(repository, ec))
    if (entry.path().string().ends_with(".pkg.tar.zst")) files.push_back(entry.path().string());
  if (ec) return Error(repository + ": cannot read the repository: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    auto package = read_pacman_package(file);
    if (!package) return package.error();
    const std::string name = package->meta.name;
    if (auto [it, added] = packages.emplace(name, std::move(*package)); !added)
      return Error(repository + ": two packages named " + name + ": " + fs::path(it->second.file).filename().string() +
                   " and " + fs::path(file).filename().string());
  }
  return packages;
}

}  // namespace

Expected<RootfsResult> make_rootfs(const std::string& repository, const std::vector<std::string>& wanted,
                                   const std::string& root) {
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_empty(root, ec))
    return Error(root + ": exists and is not empty; remove it or give another directory");
  auto packages = read_repository(repository);
  if (!packages) return packages.error();

  // Dependencies before the packages that need them, ties by name: the same root every time.
  RootfsResult result;
  std::set<std::string> placed, explicit_names(wanted.begin(), wanted.end());
  std::vector<std::string> open;
  std::function<Status(const std::string&, const std::string&)> place = [&](const std::string& name,
                                                                          const std::string& needed_by) -> Status {
    if (placed.count(name) || std::find(open.begin(), open.end(), name) != open.end()) return Status::success();
    auto it = packages->find(name);
    if (it == packages->end())
      return Error(needed_by.empty() ? "no package '" + name + "' in " + repository + " (xport build builds it)"
                                     : needed_by + " depends on '" + name + "', which no package in " + repository +
                                           " provides");
    open.push_back(name);
    std::vector<std::string> depends = it->second.meta.depends;
    std::sort(depends.begin(), depends.end());
    for (const std::string& dependency : depends)
      if (Status status = place(dependency, name); !status.ok()) return status;
    open.pop_back();
    placed.insert(name);
    result.installed.push_back(it->second);
    return Status::success();
  };
  std::vector<std::string> sorted = wanted;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& name : sorted)
    if (Status status = place(name, ""); !status.ok()) return status.error();

  const std::string partial = root + ".partial";
  fs::remove_all(partial, ec);
  fs::create_directories(partial, ec);
  if (ec) return Error(partial + ": cannot create: " + ec.message());
  // The newest build date stands for "when": the same packages give the same root.
  int64_t install_date = 0;
  for (const WrittenPackage& package : result.installed) install_date = std::max(install_date, package.meta.build_date);
  for (const WrittenPackage& package : result.installed) {
    auto files = install_package_files(package.file, partial);
    Status recorded = files ? record_installed_package(partial, package, *files, install_date,
                                                       explicit_names.count(package.meta.name)
                                                           ? InstallReason::Explicit
                                                           : InstallReason::Dependency)
                            : Status(files.error());
    if (!recorded.ok()) {
      fs::remove_all(partial, ec);  // the destination was never touched
      return recorded.error();
    }
    result.files += files->paths.size();
  }
  fs::remove(root, ec);  // an empty directory the caller made
  fs::rename(partial, root, ec);
  if (ec) return Error(root + ": cannot move the finished root into place: " + ec.message());
  return result;
}

}  // namespace xport
