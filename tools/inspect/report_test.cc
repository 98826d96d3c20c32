// The report writers: JSON and SARIF parsed back with llvm::json and checked field by field,
// text compared exactly. Inputs include hostile strings (bytes that are not UTF-8, quotes,
// newlines, escape sequences) that must never break the output format.
#include "inspect/report.h"

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>

#include <sstream>

namespace xport::inspect {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

Finding make_finding(const char* check, Severity severity, std::string file, std::string member,
                     std::string target, std::string message, std::string hint) {
  Finding f;
  f.check = check;
  f.severity = severity;
  f.file = std::move(file);
  f.member = std::move(member);
  f.target_path = std::move(target);
  f.message = std::move(message);
  f.hint = std::move(hint);
  return f;
}

// Two files with findings: an error and a warning on a file in a tree, a waived error and an
// info on an archive member.
Report sample_report() {
  Report r;
  r.tool_version = "0.1.0";
  r.arch = "aarch64";
  r.arch_inferred = true;
  r.libc = "musl";
  r.inputs = {"tree", "pkg.tar"};
  r.files_scanned = 12;
  r.elf_files = 8;
  r.notes = {"architecture inferred: aarch64 (3 of 3 ELF files sampled)"};
  r.findings.push_back(make_finding("interp", Severity::Error, "tree/usr/bin/foo", "",
                                    "/usr/bin/foo", "interpreter /lib/ld-linux-aarch64.so.1 is not musl's",
                                    "link with --dynamic-linker"));
  r.findings.push_back(make_finding("relro", Severity::Warning, "tree/usr/bin/foo", "",
                                    "/usr/bin/foo", "no PT_GNU_RELRO", "link with -z relro"));
  Finding waived = make_finding("rpath", Severity::Error, "pkg.tar", "usr/lib/libx.so",
                                "/usr/lib/libx.so", "DT_RUNPATH is /build/lib", "drop the rpath");
  waived.waived = true;
  waived.waiver_reason = "vendor blob";
  r.findings.push_back(waived);
  r.findings.push_back(make_finding("build-id", Severity::Info, "pkg.tar", "usr/lib/libx.so",
                                    "/usr/lib/libx.so", "no build id", "link with --build-id"));
  return r;
}

llvm::json::Value parse(const std::string& text) {
  auto parsed = llvm::json::parse(text);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(parsed.takeError()) << "\n" << text;
    return llvm::json::Value(nullptr);
  }
  return std::move(*parsed);
}

std::string str(const llvm::json::Object* object, llvm::StringRef key) {
  if (!object) return "<no object>";
  auto value = object->getString(key);
  return value ? value->str() : "<missing " + key.str() + ">";
}

int64_t num(const llvm::json::Object* object, llvm::StringRef key) {
  if (!object) return -1;
  return object->getInteger(key).value_or(-1);
}

// ---- counts ----

TEST(Report, CountsUnwaivedAtOrAboveLevel) {
  Report r = sample_report();
  EXPECT_EQ(r.count_at_least(Severity::Error), 1u);    // the waived rpath error does not count
  EXPECT_EQ(r.count_at_least(Severity::Warning), 2u);
  EXPECT_EQ(r.count_at_least(Severity::Info), 3u);
  EXPECT_EQ(r.count(Severity::Error, false), 1u);
  EXPECT_EQ(r.count(Severity::Error, true), 1u);
  EXPECT_EQ(r.count(Severity::Warning, true), 0u);
  EXPECT_EQ(r.count_waived(), 1u);
  EXPECT_EQ(Report().count_at_least(Severity::Info), 0u);
}

TEST(Report, ValidUtf8ReplacesBrokenBytesOnly) {
  EXPECT_EQ(valid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(valid_utf8("a\xFFz"), std::string("a") + kReplacement + "z");
}

// ---- JSON ----

TEST(JsonReport, EveryFieldIsPresentAndRight) {
  std::ostringstream out;
  write_json_report(sample_report(), out);
  llvm::json::Value doc = parse(out.str());
  const llvm::json::Object* root = doc.getAsObject();
  ASSERT_TRUE(root);

  const llvm::json::Object* tool = root->getObject("tool");
  EXPECT_EQ(str(tool, "name"), "xport");
  EXPECT_EQ(str(tool, "version"), "0.1.0");

  const llvm::json::Object* target = root->getObject("target");
  EXPECT_EQ(str(target, "arch"), "aarch64");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->getBoolean("inferred"), std::optional<bool>(true));
  EXPECT_EQ(str(target, "libc"), "musl");

  const llvm::json::Array* inputs = root->getArray("inputs");
  ASSERT_TRUE(inputs);
  ASSERT_EQ(inputs->size(), 2u);
  EXPECT_EQ((*inputs)[0].getAsString(), std::optional<llvm::StringRef>("tree"));
  EXPECT_EQ((*inputs)[1].getAsString(), std::optional<llvm::StringRef>("pkg.tar"));

  const llvm::json::Object* summary = root->getObject("summary");
  EXPECT_EQ(num(summary, "files"), 12);
  EXPECT_EQ(num(summary, "elf"), 8);
  EXPECT_EQ(num(summary, "error"), 1);
  EXPECT_EQ(num(summary, "warning"), 1);
  EXPECT_EQ(num(summary, "info"), 1);
  EXPECT_EQ(num(summary, "waived"), 1);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->size(), 6u);

  const llvm::json::Array* notes = root->getArray("notes");
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].getAsString()->str(),
            "architecture inferred: aarch64 (3 of 3 ELF files sampled)");

  const llvm::json::Array* findings = root->getArray("findings");
  ASSERT_TRUE(findings);
  ASSERT_EQ(findings->size(), 4u);
  const llvm::json::Object* interp = (*findings)[0].getAsObject();
  ASSERT_TRUE(interp);
  EXPECT_EQ(interp->size(), 9u);
  EXPECT_EQ(str(interp, "check"), "interp");
  EXPECT_EQ(str(interp, "severity"), "error");
  EXPECT_EQ(str(interp, "file"), "tree/usr/bin/foo");
  EXPECT_EQ(str(interp, "member"), "");
  EXPECT_EQ(str(interp, "path"), "/usr/bin/foo");
  EXPECT_EQ(str(interp, "message"), "interpreter /lib/ld-linux-aarch64.so.1 is not musl's");
  EXPECT_EQ(str(interp, "hint"), "link with --dynamic-linker");
  EXPECT_EQ(interp->getBoolean("waived"), std::optional<bool>(false));
  EXPECT_EQ(str(interp, "waiver_reason"), "");

  EXPECT_EQ(str((*findings)[1].getAsObject(), "severity"), "warning");
  EXPECT_EQ(str((*findings)[3].getAsObject(), "severity"), "info");

  const llvm::json::Object* rpath = (*findings)[2].getAsObject();
  ASSERT_TRUE(rpath);
  EXPECT_EQ(str(rpath, "check"), "rpath");
  EXPECT_EQ(str(rpath, "file"), "pkg.tar");
  EXPECT_EQ(str(rpath, "member"), "usr/lib/libx.so");
  EXPECT_EQ(str(rpath, "path"), "/usr/lib/libx.so");
  EXPECT_EQ(rpath->getBoolean("waived"), std::optional<bool>(true));
  EXPECT_EQ(str(rpath, "waiver_reason"), "vendor blob");
}

TEST(JsonReport, HostileStringsStayValidJson) {
  Report r;
  r.arch = "x86_64";
  r.libc = "glibc";
  r.inputs = {"in\xFF"};
  r.notes = {"note \x01 with a control byte"};
  r.findings.push_back(make_finding("buildpaths", Severity::Error, "tree/bad\xFE\xFFname", "",
                                    "/bad\xFE\xFFname",
                                    "says \"/home/me\"\nand \\ more\t\xC3(", "hint"));
  std::ostringstream out;
  write_json_report(r, out);
  llvm::json::Value doc = parse(out.str());
  const llvm::json::Object* root = doc.getAsObject();
  ASSERT_TRUE(root);
  EXPECT_EQ((*root->getArray("inputs"))[0].getAsString()->str(), std::string("in") + kReplacement);
  EXPECT_EQ((*root->getArray("notes"))[0].getAsString()->str(), "note \x01 with a control byte");
  const llvm::json::Object* f = (*root->getArray("findings"))[0].getAsObject();
  ASSERT_TRUE(f);
  EXPECT_EQ(str(f, "file"), std::string("tree/bad") + kReplacement + kReplacement + "name");
  EXPECT_EQ(str(f, "path"), std::string("/bad") + kReplacement + kReplacement + "name");
  EXPECT_EQ(str(f, "message"), std::string("says \"/home/me\"\nand \\ more\t") + kReplacement + "(");
  // A waiver reason is only reported for a waived finding.
  EXPECT_EQ(str(f, "waiver_reason"), "");
  // And the raw document itself is valid UTF-8.
  EXPECT_TRUE(llvm::json::isUTF8(out.str()));
}

TEST(JsonReport, EmptyReportHasEveryKey) {
  std::ostringstream out;
  write_json_report(Report(), out);
  llvm::json::Value doc = parse(out.str());
  const llvm::json::Object* root = doc.getAsObject();
  ASSERT_TRUE(root);
  for (const char* key : {"tool", "target", "inputs", "summary", "notes", "findings"})
    EXPECT_TRUE(root->get(key)) << key;
  EXPECT_EQ(root->getArray("findings")->size(), 0u);
  EXPECT_EQ(num(root->getObject("summary"), "error"), 0);
}

// ---- SARIF ----

struct Sarif {
  llvm::json::Value doc{nullptr};
  const llvm::json::Object* run = nullptr;
  const llvm::json::Array* rules = nullptr;
  const llvm::json::Array* results = nullptr;
};

Sarif sarif_of(const Report& report) {
  std::ostringstream out;
  write_sarif_report(report, out);
  Sarif s;
  s.doc = parse(out.str());
  const llvm::json::Object* root = s.doc.getAsObject();
  if (!root) return s;
  EXPECT_EQ(str(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(str(root, "version"), "2.1.0");
  const llvm::json::Array* runs = root->getArray("runs");
  if (!runs || runs->size() != 1) {
    ADD_FAILURE() << "expected exactly one run";
    return s;
  }
  s.run = (*runs)[0].getAsObject();
  if (!s.run) return s;
  const llvm::json::Object* tool = s.run->getObject("tool");
  const llvm::json::Object* driver = tool ? tool->getObject("driver") : nullptr;
  EXPECT_EQ(str(driver, "name"), "xport");
  s.rules = driver ? driver->getArray("rules") : nullptr;
  s.results = s.run->getArray("results");
  return s;
}

std::string uri_of(const llvm::json::Object* result) {
  const llvm::json::Object* location = (*result->getArray("locations"))[0].getAsObject();
  return str(location->getObject("physicalLocation")->getObject("artifactLocation"), "uri");
}

TEST(SarifReport, OneRulePerCheckWithLevels) {
  Sarif s = sarif_of(sample_report());
  ASSERT_TRUE(s.rules);
  ASSERT_EQ(s.rules->size(), all_checks().size());
  for (size_t i = 0; i < all_checks().size(); ++i) {
    const CheckInfo& check = all_checks()[i];
    const llvm::json::Object* rule = (*s.rules)[i].getAsObject();
    ASSERT_TRUE(rule);
    EXPECT_EQ(str(rule, "id"), check.id);
    EXPECT_EQ(str(rule->getObject("shortDescription"), "text"), check.summary);
    EXPECT_EQ(str(rule->getObject("help"), "text"), check.hint);
    const char* level = check.severity == Severity::Error     ? "error"
                        : check.severity == Severity::Warning ? "warning"
                                                              : "note";
    EXPECT_EQ(str(rule->getObject("defaultConfiguration"), "level"), level) << check.id;
  }
}

TEST(SarifReport, ResultsCarryRuleLevelLocationAndSuppression) {
  Sarif s = sarif_of(sample_report());
  ASSERT_TRUE(s.results);
  ASSERT_EQ(s.results->size(), 4u);

  const llvm::json::Object* interp = (*s.results)[0].getAsObject();
  ASSERT_TRUE(interp);
  EXPECT_EQ(str(interp, "ruleId"), "interp");
  const CheckInfo* interp_check = find_check("interp");
  ASSERT_TRUE(interp_check);
  EXPECT_EQ(num(interp, "ruleIndex"), interp_check - all_checks().data());
  EXPECT_EQ(str(interp, "level"), "error");
  EXPECT_EQ(str(interp->getObject("message"), "text"),
            "interpreter /lib/ld-linux-aarch64.so.1 is not musl's\nhint: link with --dynamic-linker");
  EXPECT_EQ(uri_of(interp), "tree/usr/bin/foo");
  EXPECT_FALSE(interp->get("suppressions"));
  EXPECT_EQ(str(interp->getObject("properties"), "targetPath"), "/usr/bin/foo");

  EXPECT_EQ(str((*s.results)[1].getAsObject(), "level"), "warning");
  EXPECT_EQ(str((*s.results)[3].getAsObject(), "level"), "note");

  // The waived archive member: the archive is the artifact, the member a logical location.
  const llvm::json::Object* rpath = (*s.results)[2].getAsObject();
  ASSERT_TRUE(rpath);
  EXPECT_EQ(str(rpath, "level"), "error");
  EXPECT_EQ(uri_of(rpath), "pkg.tar");
  EXPECT_EQ(str(rpath->getObject("message"), "text"),
            "usr/lib/libx.so: DT_RUNPATH is /build/lib\nhint: drop the rpath");
  const llvm::json::Object* location = (*rpath->getArray("locations"))[0].getAsObject();
  const llvm::json::Array* logical = location->getArray("logicalLocations");
  ASSERT_TRUE(logical);
  EXPECT_EQ(str((*logical)[0].getAsObject(), "fullyQualifiedName"), "usr/lib/libx.so");
  EXPECT_EQ(str(rpath->getObject("properties"), "member"), "usr/lib/libx.so");
  const llvm::json::Array* suppressions = rpath->getArray("suppressions");
  ASSERT_TRUE(suppressions);
  ASSERT_EQ(suppressions->size(), 1u);
  EXPECT_EQ(str((*suppressions)[0].getAsObject(), "kind"), "external");
  EXPECT_EQ(str((*suppressions)[0].getAsObject(), "justification"), "vendor blob");
}

TEST(SarifReport, UrisAreRelativeAndPercentEncoded) {
  Report r;
  for (const char* file : {"tree/a b#c%d?.so", "./tree/x:y", "/nonexistent-xport/\xFF z", "caf\xC3\xA9"})
    r.findings.push_back(make_finding("pie", Severity::Warning, file, "", "/x", "m", "h"));
  Sarif s = sarif_of(r);
  ASSERT_TRUE(s.results);
  ASSERT_EQ(s.results->size(), 4u);
  EXPECT_EQ(uri_of((*s.results)[0].getAsObject()), "tree/a%20b%23c%25d%3F.so");
  EXPECT_EQ(uri_of((*s.results)[1].getAsObject()), "tree/x%3Ay");
  EXPECT_EQ(uri_of((*s.results)[2].getAsObject()), "file:///nonexistent-xport/%FF%20z");
  EXPECT_EQ(uri_of((*s.results)[3].getAsObject()), "caf%C3%A9");
}

TEST(SarifReport, NotesBecomeToolNotifications) {
  Sarif s = sarif_of(sample_report());
  ASSERT_TRUE(s.run);
  const llvm::json::Array* invocations = s.run->getArray("invocations");
  ASSERT_TRUE(invocations);
  const llvm::json::Object* invocation = (*invocations)[0].getAsObject();
  EXPECT_EQ(invocation->getBoolean("executionSuccessful"), std::optional<bool>(true));
  const llvm::json::Array* notes = invocation->getArray("toolExecutionNotifications");
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ(str((*notes)[0].getAsObject()->getObject("message"), "text"),
            "architecture inferred: aarch64 (3 of 3 ELF files sampled)");
  EXPECT_EQ(str(s.run->getObject("properties"), "arch"), "aarch64");
}

// ---- text ----

TEST(TextReport, PlainTextIsGroupedByFile) {
  std::ostringstream out;
  write_text_report(sample_report(), out, false);
  EXPECT_EQ(out.str(),
            "note: architecture inferred: aarch64 (3 of 3 ELF files sampled)\n"
            "\n"
            "tree/usr/bin/foo\n"
            "  error   interp    interpreter /lib/ld-linux-aarch64.so.1 is not musl's\n"
            "                    hint: link with --dynamic-linker\n"
            "  warning relro     no PT_GNU_RELRO\n"
            "                    hint: link with -z relro\n"
            "\n"
            "pkg.tar:usr/lib/libx.so\n"
            "  waived  rpath     DT_RUNPATH is /build/lib\n"
            "                    waived (vendor blob)\n"
            "  info    build-id  no build id\n"
            "                    hint: link with --build-id\n"
            "\n"
            "12 files, 8 ELF: 1 error, 1 warning, 1 info, 1 waived\n");
  EXPECT_EQ(out.str().find('\033'), std::string::npos);
}

TEST(TextReport, CleanReportIsOnlyTheSummary) {
  Report r;
  r.files_scanned = 1;
  r.elf_files = 1;
  std::ostringstream out;
  write_text_report(r, out, false);
  EXPECT_EQ(out.str(), "1 file, 1 ELF: 0 errors, 0 warnings, 0 info, 0 waived\n");
}

TEST(TextReport, ColourMarksSeverities) {
  std::ostringstream out;
  write_text_report(sample_report(), out, true);
  const std::string text = out.str();
  EXPECT_NE(text.find("\033[31merror   \033[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[33mwarning \033[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[36minfo    \033[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[1mtree/usr/bin/foo\033[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[31m1 error\033[0m"), std::string::npos) << text;
}

TEST(TextReport, ControlCharactersAreEscaped) {
  Report r;
  r.findings.push_back(make_finding("symlink", Severity::Error, "tree/evil\033[2Jname", "",
                                    "/evil", "points at\n/etc", "hint"));
  std::ostringstream out;
  write_text_report(r, out, false);
  EXPECT_EQ(out.str(),
            "tree/evil\\x1b[2Jname\n"
            "  error   symlink  points at\\x0a/etc\n"
            "                   hint: hint\n"
            "\n"
            "0 files, 0 ELF: 1 error, 0 warnings, 0 info, 0 waived\n");
}

}  // namespace
}  // namespace xport::inspect
