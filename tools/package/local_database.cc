#include "package/local_database.h"

#include <filesystem>

#include "core/files.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// One "%KEY%" section of a desc file; pacman leaves out empty ones.
void section(std::string& text, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  text += std::string("%") + key + "%\n";
  for (const std::string& value : values) text += value + "\n";
  text += "\n";
}

void section(std::string& text, const char* key, const std::string& value) {
  if (!value.empty()) section(text, key, std::vector<std::string>{value});
}

}  // namespace

Status record_installed_package(const std::string& root, const WrittenPackage& package,
                                const InstalledFiles& installed, int64_t install_date, InstallReason reason) {
  const PackageMeta& meta = package.meta;
  const std::string database = root + "/" + kLocalDatabaseDir;
  const std::string entry = database + "/" + meta.name + "-" + meta.version;
  std::error_code ec;
  fs::create_directories(entry, ec);
  if (ec) return Error(entry + ": cannot create: " + ec.message());
  if (Status version = write_file_atomically(database + "/ALPM_DB_VERSION", std::to_string(kLocalDatabaseVersion) + "\n");
      !version.ok())
    return version;

  std::string desc;
  section(desc, "NAME", meta.name);
  section(desc, "VERSION", meta.version);
  section(desc, "BASE", meta.base.empty() ? meta.name : meta.base);
  section(desc, "DESC", meta.description);
  section(desc, "URL", meta.url);
  section(desc, "ARCH", meta.arch);
  section(desc, "BUILDDATE", std::to_string(meta.build_date));
  section(desc, "INSTALLDATE", std::to_string(install_date));
  section(desc, "PACKAGER", meta.packager);
  section(desc, "SIZE", std::to_string(package.installed_size));
  if (reason == InstallReason::Dependency) section(desc, "REASON", "1");
  section(desc, "LICENSE", meta.licenses);
  // The package was verified by its sha256 against the repository xport wrote, not signed.
  section(desc, "VALIDATION", "sha256");
  section(desc, "DEPENDS", meta.depends);

  std::string files;
  section(files, "FILES", installed.paths);

  if (Status written = write_file_atomically(entry + "/desc", desc); !written.ok()) return written;
  if (Status written = write_file_atomically(entry + "/files", files); !written.ok()) return written;
  return write_file_atomically(entry + "/mtree", installed.mtree);
}

}  // namespace xport
