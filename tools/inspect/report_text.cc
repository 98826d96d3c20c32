// The text view of a Report, for people at a terminal: notes first, then findings grouped by
// file, then one summary line. Files without findings are not listed.
#include <algorithm>
#include <cstring>
#include <map>

#include "inspect/report.h"

namespace xport::inspect {

namespace {

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";

const char* severity_colour(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\033[31m";    // red
    case Severity::Warning: return "\033[33m";  // yellow
    case Severity::Info: return "\033[36m";     // cyan
  }
  return "";
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// File names and messages can come from hostile inputs: a control character (an escape
// sequence, a newline) is shown as \xNN instead of reaching the terminal.
std::string printable(const std::string& text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace

void write_text_report(const Report& report, std::ostream& out, bool color) {
  auto paint = [&](const char* code, const std::string& text) {
    return color ? code + text + kReset : text;
  };

  for (const std::string& note : report.notes) out << paint(kDim, "note: ") << printable(note) << "\n";

  // Group by location in order of first appearance; the inspector sorts findings, but a
  // report built by hand must print each file once all the same.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Finding*>> by_location;
  size_t check_width = 0;
  for (const Finding& finding : report.findings) {
    auto [it, inserted] = by_location.try_emplace(finding.location());
    if (inserted) order.push_back(finding.location());
    it->second.push_back(&finding);
    check_width = std::max(check_width, finding.check.size());
  }

  // "  warning buildpaths  message": two spaces, the severity in 8 columns, the check padded to
  // the widest one, two spaces. The hint goes below, lined up with the message.
  constexpr size_t kSeverityWidth = 8;
  const std::string indent(2 + kSeverityWidth + check_width + 2, ' ');
  bool first = report.notes.empty();
  for (const std::string& location : order) {
    if (!first) out << "\n";
    first = false;
    out << paint(kBold, printable(location)) << "\n";
    for (const Finding* finding : by_location[location]) {
      std::string label = finding->waived ? "waived" : severity_name(finding->severity);
      const char* colour = finding->waived ? kDim : severity_colour(finding->severity);
      out << "  " << paint(colour, pad(label, kSeverityWidth)) << pad(finding->check, check_width)
          << "  " << printable(finding->message) << "\n";
      if (finding->waived)
        out << indent << "waived (" << printable(finding->waiver_reason) << ")\n";
      else if (!finding->hint.empty())
        out << indent << paint(kDim, "hint: ") << printable(finding->hint) << "\n";
    }
  }
  if (!order.empty() || !report.notes.empty()) out << "\n";

  out << plural(report.files_scanned, "file", "files") << ", " << report.elf_files << " ELF: "
      << paint(severity_colour(Severity::Error),
               plural(report.count(Severity::Error, false), "error", "errors"))
      << ", "
      << paint(severity_colour(Severity::Warning),
               plural(report.count(Severity::Warning, false), "warning", "warnings"))
      << ", "
      << paint(severity_colour(Severity::Info),
               std::to_string(report.count(Severity::Info, false)) + " info")
      << ", " << report.count_waived() << " waived\n";
}

}  // namespace xport::inspect
