// The SARIF 2.1.0 view of a Report, for code-scanning UIs (GitHub, GitLab, VS Code's SARIF viewer).
// One rule per check, one result per finding; waived findings are results with an external
// suppression, so the UI shows them as dismissed with the waiver's reason. Choices are explained
// in docs/inspect-json.md.
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_os_ostream.h>

#include <filesystem>
#include <system_error>

#include "inspect/report.h"

namespace xport::inspect {

namespace {

namespace fs = std::filesystem;

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "error";
}

// RFC 3986: keep unreserved characters and the path separator, percent-encode every other byte
// (a space, '%', '#', '?', ':' and bytes that are not ASCII), so the URI is always ASCII and a
// ':' cannot be read as a scheme.
std::string percent_encode(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Code-scanning UIs resolve relative URIs against the checkout, so inputs are given as they
// were on the command line. An absolute path under the working directory is made relative to
// it; any other absolute path becomes a file:// URI, the only honest way to name it.
std::string artifact_uri(const std::string& file) {
  std::string path = file;
  if (!path.empty() && path.front() == '/') {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (!ec) {
      fs::path relative = fs::path(path).lexically_normal().lexically_relative(cwd);
      std::string text = relative.generic_string();
      if (!text.empty() && text != "." && !text.starts_with("..")) path = text;
    }
  }
  while (path.starts_with("./")) path.erase(0, 2);
  if (!path.empty() && path.front() == '/') return "file://" + percent_encode(path);
  return percent_encode(path);
}

std::string result_text(const Finding& finding) {
  // The URI names the archive, so the member goes into the text where every UI shows it.
  std::string text = finding.member.empty() ? "" : finding.member + ": ";
  text += finding.message;
  if (!finding.hint.empty()) text += "\nhint: " + finding.hint;
  return valid_utf8(text);
}

}  // namespace

void write_sarif_report(const Report& report, std::ostream& out) {
  const std::vector<CheckInfo>& checks = all_checks();
  llvm::raw_os_ostream os(out);
  {
    llvm::json::OStream json(os, 2);
    json.object([&] {
      json.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      json.attribute("version", "2.1.0");
      json.attributeArray("runs", [&] {
        json.object([&] {
          json.attributeObject("tool", [&] {
            json.attributeObject("driver", [&] {
              json.attribute("name", "xport");
              json.attribute("version", valid_utf8(report.tool_version));
              json.attributeArray("rules", [&] {
                for (const CheckInfo& check : checks) {
                  json.object([&] {
                    json.attribute("id", check.id);
                    json.attributeObject("shortDescription",
                                         [&] { json.attribute("text", check.summary); });
                    json.attributeObject("help", [&] { json.attribute("text", check.hint); });
                    json.attributeObject("defaultConfiguration", [&] {
                      json.attribute("level", sarif_level(check.severity));
                    });
                  });
                }
              });
            });
          });
          json.attributeArray("invocations", [&] {
            json.object([&] {
              json.attribute("executionSuccessful", true);
              json.attributeArray("toolExecutionNotifications", [&] {
                for (const std::string& note : report.notes) {
                  json.object([&] {
                    json.attribute("level", "note");
                    json.attributeObject("message",
                                         [&] { json.attribute("text", valid_utf8(note)); });
                  });
                }
              });
            });
          });
          json.attributeObject("properties", [&] {
            json.attribute("arch", valid_utf8(report.arch));
            json.attribute("archInferred", report.arch_inferred);
            json.attribute("libc", valid_utf8(report.libc));
            json.attribute("files", static_cast<int64_t>(report.files_scanned));
            json.attribute("elf", static_cast<int64_t>(report.elf_files));
          });
          json.attributeArray("results", [&] {
            for (const Finding& finding : report.findings) {
              json.object([&] {
                json.attribute("ruleId", valid_utf8(finding.check));
                for (size_t i = 0; i < checks.size(); ++i) {
                  if (finding.check == checks[i].id)
                    json.attribute("ruleIndex", static_cast<int64_t>(i));
                }
                json.attribute("level", sarif_level(finding.severity));
                json.attributeObject("message",
                                     [&] { json.attribute("text", result_text(finding)); });
                json.attributeArray("locations", [&] {
                  json.object([&] {
                    json.attributeObject("physicalLocation", [&] {
                      json.attributeObject("artifactLocation", [&] {
                        json.attribute("uri", artifact_uri(finding.file));
                      });
                    });
                    if (!finding.member.empty()) {
                      json.attributeArray("logicalLocations", [&] {
                        json.object([&] {
                          json.attribute("fullyQualifiedName", valid_utf8(finding.member));
                          json.attribute("kind", "archiveMember");
                        });
                      });
                    }
                  });
                });
                json.attributeObject("properties", [&] {
                  json.attribute("file", valid_utf8(finding.file));
                  json.attribute("member", valid_utf8(finding.member));
                  json.attribute("targetPath", valid_utf8(finding.target_path));
                });
                if (finding.waived) {
                  json.attributeArray("suppressions", [&] {
                    json.object([&] {
                      json.attribute("kind", "external");
                      json.attribute("justification", valid_utf8(finding.waiver_reason));
                    });
                  });
                }
              });
            }
          });
        });
      });
    });
  }
  os << "\n";
  os.flush();
}

}  // namespace xport::inspect
