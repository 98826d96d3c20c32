#include "inspect/report.h"

#include <llvm/Support/JSON.h>

#include <algorithm>

namespace xport::inspect {

size_t Report::count_at_least(Severity level) const {
  return std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return !f.waived && static_cast<int>(f.severity) >= static_cast<int>(level);
  });
}

size_t Report::count(Severity severity, bool waived) const {
  return std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.severity == severity && f.waived == waived;
  });
}

size_t Report::count_waived() const {
  return std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.waived; });
}

std::string valid_utf8(const std::string& text) {
  // isUTF8 is cheap; fixUTF8 only runs for the rare broken string.
  if (llvm::json::isUTF8(text)) return text;
  return llvm::json::fixUTF8(text);
}

}  // namespace xport::inspect
