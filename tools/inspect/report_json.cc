// The JSON view of a Report. The schema is documented in docs/inspect-json.md; every key is always
// present so that consumers (jq, CI scripts) never have to test for a missing one.
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_os_ostream.h>

#include "inspect/report.h"

namespace xport::inspect {

void write_json_report(const Report& report, std::ostream& out) {
  llvm::raw_os_ostream os(out);
  {
    llvm::json::OStream json(os, 2);
    // Every string that may come from an input goes through valid_utf8: llvm::json asserts on
    // malformed UTF-8 in builds with assertions and would otherwise replace it silently.
    auto text = [&](const char* key, const std::string& value) {
      json.attribute(key, valid_utf8(value));
    };
    json.object([&] {
      json.attributeObject("tool", [&] {
        json.attribute("name", "xport");
        text("version", report.tool_version);
      });
      json.attributeObject("target", [&] {
        text("arch", report.arch);
        json.attribute("inferred", report.arch_inferred);
        text("libc", report.libc);
      });
      json.attributeArray("inputs", [&] {
        for (const std::string& input : report.inputs) json.value(valid_utf8(input));
      });
      json.attributeObject("summary", [&] {
        json.attribute("files", static_cast<int64_t>(report.files_scanned));
        json.attribute("elf", static_cast<int64_t>(report.elf_files));
        json.attribute("error", static_cast<int64_t>(report.count(Severity::Error, false)));
        json.attribute("warning", static_cast<int64_t>(report.count(Severity::Warning, false)));
        json.attribute("info", static_cast<int64_t>(report.count(Severity::Info, false)));
        json.attribute("waived", static_cast<int64_t>(report.count_waived()));
      });
      json.attributeArray("notes", [&] {
        for (const std::string& note : report.notes) json.value(valid_utf8(note));
      });
      json.attributeArray("findings", [&] {
        for (const Finding& finding : report.findings) {
          json.object([&] {
            text("check", finding.check);
            json.attribute("severity", severity_name(finding.severity));
            text("file", finding.file);
            text("member", finding.member);
            text("path", finding.target_path);
            text("message", finding.message);
            text("hint", finding.hint);
            json.attribute("waived", finding.waived);
            text("waiver_reason", finding.waived ? finding.waiver_reason : std::string());
          });
        }
      });
    });
  }
  os << "\n";
  os.flush();
}

}  // namespace xport::inspect
