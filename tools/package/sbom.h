// An SPDX 2.3 JSON document for each package: what it is (name, version, sha256, license),
// what it was made from (the recipe's source archives and patches, each with its sha256 and
// where it comes from) and what it depends on. Written next to the package, deterministically
// (the creation time is SOURCE_DATE_EPOCH), so that the set can be audited without xport.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "package/pacman_package.h"

namespace xport {

struct SbomSource {
  std::string name;      // the file name, e.g. zlib_1.2.13.dfsg.orig.tar.bz2
  std::string version;   // the upstream version it carries
  std::string sha256;
  std::string url;       // where upstream publishes it, or "" (NOASSERTION)
  std::string purl;      // a package URL, e.g. pkg:deb/debian/zlib@1:1.2.13.dfsg-1?arch=source, or ""
  std::string license;   // declared license (the recipe's)
};

struct SbomDependency {
  std::string name;
  std::string version;   // "" when unknown
};

struct SbomInput {
  WrittenPackage package;
  std::vector<SbomSource> sources;  // archives and patches
  std::vector<SbomDependency> depends;
  std::string tool = "xport";
};

/// The SPDX 2.3 document as JSON text.
std::string spdx_document(const SbomInput& input);

/// The file name of a package's document: <package file name>.spdx.json.
std::string sbom_file_name(const WrittenPackage& package);

}  // namespace xport
