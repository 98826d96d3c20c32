#include "package/sbom.h"

#include <ctime>
#include <filesystem>

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace xport {

namespace {

std::string iso_time(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// SPDX identifiers allow letters, digits, '.' and '-' only.
std::string spdx_id(const std::string& kind, const std::string& name) {
  std::string id = "SPDXRef-" + kind + "-";
  for (char c : name) id += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '-';
  return id;
}

std::string or_noassertion(const std::string& value) { return value.empty() ? "NOASSERTION" : value; }

}  // namespace

std::string sbom_file_name(const WrittenPackage& package) {
  return std::filesystem::path(package.file).filename().string() + ".spdx.json";
}

std::string spdx_document(const SbomInput& input) {
  const PackageMeta& meta = input.package.meta;
  const std::string file = std::filesystem::path(input.package.file).filename().string();
  std::string license;
  for (const std::string& l : meta.licenses) license += (license.empty() ? "" : " AND ") + l;
  const std::string self = spdx_id("Package", meta.name);

  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  json.object([&] {
    json.attribute("spdxVersion", "SPDX-2.3");
    json.attribute("dataLicense", "CC0-1.0");
    json.attribute("SPDXID", "SPDXRef-DOCUMENT");
    json.attribute("name", file);
    // Unique per package content, and a URI as SPDX asks, without naming any host.
    json.attribute("documentNamespace", "urn:xport:spdx:" + file + ":" + input.package.sha256);
    json.attributeObject("creationInfo", [&] {
      json.attribute("created", iso_time(meta.build_date));
      json.attributeArray("creators", [&] { json.value("Tool: " + input.tool); });
    });
    json.attributeArray("packages", [&] {
      json.object([&] {
        json.attribute("SPDXID", self);
        json.attribute("name", meta.name);
        json.attribute("versionInfo", meta.version);
        json.attribute("packageFileName", file);
        json.attribute("supplier", "Organization: " + meta.packager);
        json.attribute("downloadLocation", "NOASSERTION");
        json.attribute("filesAnalyzed", false);
        json.attributeArray("checksums", [&] {
          json.object([&] {
            json.attribute("algorithm", "SHA256");
            json.attribute("checksumValue", input.package.sha256);
          });
        });
        json.attribute("licenseConcluded", or_noassertion(license));
        json.attribute("licenseDeclared", or_noassertion(license));
        json.attribute("copyrightText", "NOASSERTION");
        if (!meta.url.empty()) json.attribute("homepage", meta.url);
        if (!meta.description.empty()) json.attribute("summary", meta.description);
        json.attribute("primaryPackagePurpose", "INSTALL");
      });
      for (const SbomSource& source : input.sources)
        json.object([&] {
          json.attribute("SPDXID", spdx_id("Source", source.name));
          json.attribute("name", source.name);
          if (!source.version.empty()) json.attribute("versionInfo", source.version);
          json.attribute("downloadLocation", or_noassertion(source.url));
          if (!source.purl.empty())
            json.attributeArray("externalRefs", [&] {
              json.object([&] {
                json.attribute("referenceCategory", "PACKAGE-MANAGER");
                json.attribute("referenceType", "purl");
                json.attribute("referenceLocator", source.purl);
              });
            });
          json.attribute("filesAnalyzed", false);
          json.attributeArray("checksums", [&] {
            json.object([&] {
              json.attribute("algorithm", "SHA256");
              json.attribute("checksumValue", source.sha256);
            });
          });
          json.attribute("licenseConcluded", "NOASSERTION");
          json.attribute("licenseDeclared", or_noassertion(source.license));
          json.attribute("copyrightText", "NOASSERTION");
          json.attribute("primaryPackagePurpose", "SOURCE");
        });
      for (const SbomDependency& dependency : input.depends)
        json.object([&] {
          json.attribute("SPDXID", spdx_id("Dependency", dependency.name));
          json.attribute("name", dependency.name);
          if (!dependency.version.empty()) json.attribute("versionInfo", dependency.version);
          json.attribute("downloadLocation", "NOASSERTION");
          json.attribute("filesAnalyzed", false);
          json.attribute("licenseConcluded", "NOASSERTION");
          json.attribute("licenseDeclared", "NOASSERTION");
          json.attribute("copyrightText", "NOASSERTION");
        });
    });
    json.attributeArray("relationships", [&] {
      auto relation = [&](const std::string& from, const char* type, const std::string& to) {
        json.object([&] {
          json.attribute("spdxElementId", from);
          json.attribute("relationshipType", type);
          json.attribute("relatedSpdxElement", to);
        });
      };
      relation("SPDXRef-DOCUMENT", "DESCRIBES", self);
      for (const SbomSource& source : input.sources) relation(self, "GENERATED_FROM", spdx_id("Source", source.name));
      for (const SbomDependency& dependency : input.depends)
        relation(self, "DEPENDS_ON", spdx_id("Dependency", dependency.name));
    });
  });
  stream << "\n";
  stream.flush();
  return text;
}

}  // namespace xport
