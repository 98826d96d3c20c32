// pacman's local database (<root>/var/lib/pacman/local): what is installed in a root, so that
// pacman on the target can query, check, upgrade and remove what xport installed.
#pragma once

#include <string>

#include "core/error.h"
#include "package/package_install.h"
#include "package/pacman_package.h"

namespace xport {

/// The database directory inside a root, and the schema version pacman 6 reads.
inline constexpr const char* kLocalDatabaseDir = "var/lib/pacman/local";
inline constexpr int kLocalDatabaseVersion = 9;

enum class InstallReason { Explicit, Dependency };

/// Records `package`, whose files `installed` lists, as installed in `root` at `install_date`
/// (seconds since the epoch; a fixed date keeps the root reproducible): the entry's desc,
/// files and mtree, and ALPM_DB_VERSION for the database.
Status record_installed_package(const std::string& root, const WrittenPackage& package,
                                const InstalledFiles& installed, int64_t install_date, InstallReason reason);

}  // namespace xport
