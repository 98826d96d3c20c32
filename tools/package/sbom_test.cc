#include "package/sbom.h"

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>

namespace xport {
namespace {

SbomInput zlib_input() {
  SbomInput input;
  input.package.meta.name = "zlib";
  input.package.meta.version = "1.2.13-1";
  input.package.meta.licenses = {"Zlib"};
  input.package.meta.url = "https://zlib.net/";
  input.package.meta.build_date = 1665360000;
  input.package.file = "/out/packages/zlib-1.2.13-1-aarch64.pkg.tar.zst";
  input.package.sha256 = std::string(64, 'a');
  input.sources = {{"zlib_1.2.13.dfsg.orig.tar.bz2", "1.2.13", std::string(64, 'b'), "",
                    "pkg:deb/debian/zlib@1:1.2.13.dfsg-1?arch=source", "Zlib"},
                   {"fix+build.patch", "", std::string(64, 'c'), "", "", ""}};
  input.depends = {{"musl", "1.2.3-1"}};
  return input;
}

TEST(Sbom, DescribesThePackageItsSourcesAndDependencies) {
  const std::string text = spdx_document(zlib_input());
  auto parsed = llvm::json::parse(text);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object& doc = *parsed->getAsObject();
  EXPECT_EQ(doc.getString("spdxVersion"), "SPDX-2.3");
  EXPECT_EQ(doc.getString("SPDXID"), "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc.getString("documentNamespace"),
            "urn:xport:spdx:zlib-1.2.13-1-aarch64.pkg.tar.zst:" + std::string(64, 'a'));
  EXPECT_EQ(doc.getObject("creationInfo")->getString("created"), "2022-10-10T00:00:00Z");

  const llvm::json::Array& packages = *doc.getArray("packages");
  ASSERT_EQ(packages.size(), 4u);
  const llvm::json::Object& self = *packages[0].getAsObject();
  EXPECT_EQ(self.getString("SPDXID"), "SPDXRef-Package-zlib");
  EXPECT_EQ(self.getString("versionInfo"), "1.2.13-1");
  EXPECT_EQ(self.getString("licenseDeclared"), "Zlib");
  EXPECT_EQ((*self.getArray("checksums"))[0].getAsObject()->getString("checksumValue"), std::string(64, 'a'));
  const llvm::json::Object& source = *packages[1].getAsObject();
  EXPECT_EQ(source.getString("downloadLocation"), "NOASSERTION");
  const llvm::json::Object& purl = *(*source.getArray("externalRefs"))[0].getAsObject();
  EXPECT_EQ(purl.getString("referenceType"), "purl");
  EXPECT_EQ(purl.getString("referenceLocator"), "pkg:deb/debian/zlib@1:1.2.13.dfsg-1?arch=source");
  // An identifier keeps only what SPDX allows.
  EXPECT_EQ(packages[2].getAsObject()->getString("SPDXID"), "SPDXRef-Source-fix-build.patch");
  EXPECT_EQ(packages[2].getAsObject()->getString("downloadLocation"), "NOASSERTION");

  const llvm::json::Array& relationships = *doc.getArray("relationships");
  ASSERT_EQ(relationships.size(), 4u);
  auto relation = [&](size_t i) {
    const llvm::json::Object& r = *relationships[i].getAsObject();
    return r.getString("spdxElementId")->str() + " " + r.getString("relationshipType")->str() + " " +
           r.getString("relatedSpdxElement")->str();
  };
  EXPECT_EQ(relation(0), "SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-zlib");
  EXPECT_EQ(relation(1), "SPDXRef-Package-zlib GENERATED_FROM SPDXRef-Source-zlib-1.2.13.dfsg.orig.tar.bz2");
  EXPECT_EQ(relation(3), "SPDXRef-Package-zlib DEPENDS_ON SPDXRef-Dependency-musl");
}

TEST(Sbom, TheSameInputGivesTheSameBytes) {
  EXPECT_EQ(spdx_document(zlib_input()), spdx_document(zlib_input()));
  EXPECT_EQ(sbom_file_name(zlib_input().package), "zlib-1.2.13-1-aarch64.pkg.tar.zst.spdx.json");
}

}  // namespace
}  // namespace xport
