// Debian's source archive as a place to fetch pinned sources from. The deb-src entries are
// derived at run time from the host's own apt configuration (so no mirror is ever named in the
// repository) and kept in xport's private apt state; the host's apt setup is never touched.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

struct AptRepository {
  std::string uri;
  std::string suite;
  std::vector<std::string> components;
  std::string signed_by;  // keyring path, "" when none is given
};

/// The binary ("deb") repositories configured on the host: sources.list, sources.list.d/*.list
/// and sources.list.d/*.sources (deb822). Disabled stanzas and other file names are skipped.
Expected<std::vector<AptRepository>> read_host_apt_repositories(const std::string& etc_apt = "/etc/apt");
/// Parses one file of either format; `deb822` chooses the format.
std::vector<AptRepository> parse_apt_sources(const std::string& text, bool deb822);
/// The one-line deb-src list for those repositories.
std::string deb_src_list(const std::vector<AptRepository>& repositories);

/// The versions in `apt-cache showsrc` output whose files include `file`, newest stanza first
/// as apt prints them. An orig tarball is shared by every Debian revision of an upstream
/// version, so when the pinned revision has left the archive (a security update replaced it)
/// another one still brings the same, sha256-verified, file.
std::vector<std::string> source_versions_with_file(const std::string& showsrc, const std::string& file);

class DebianSourceArchive {
 public:
  /// `state_dir` holds xport's apt lists and sources.list (e.g. ~/.cache/xport/apt).
  explicit DebianSourceArchive(std::string state_dir, std::string etc_apt = "/etc/apt");

  /// Downloads `package`=`version` with `apt-get source --download-only` into `download_dir`
  /// and returns the path of the file named `file` among what it brought; when that version is
  /// gone, from another version of `package` that has the same file. Runs `apt-get update` on
  /// the private state first when it has no lists yet.
  Expected<std::string> download(const std::string& package, const std::string& version,
                                 const std::string& file, const std::string& download_dir);

  /// The apt-get options that point apt at the private state.
  std::vector<std::string> apt_options() const;

 private:
  Status prepare();
  std::string state_dir_;
  std::string etc_apt_;
  bool prepared_ = false;
};

}  // namespace xport
