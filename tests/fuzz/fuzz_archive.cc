// libFuzzer target: arbitrary bytes as an archive. Besides the sanitizers' findings, it traps when
// the reader breaks its contract: an error that does not name the archive, an unsafe or empty
// member name visited, a hard link to outside the archive, a regular file whose bytes do not
// match its size, or a member over the limit visited.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "inspect/archive_reader.h"

namespace {

using xport::inspect::Content;
using xport::inspect::Entry;
using xport::inspect::EntryKind;

volatile uint64_t g_sink;  // keeps the reads of the content from being optimized away

constexpr uint64_t kLimit = 1 << 20;  // small, so that runs stay fast and the skip path is fuzzed

bool safe_relative(std::string_view path) {
  if (path.empty() || path.starts_with('/') || path.ends_with('/')) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xport::inspect::ArchiveLimits limits;
  limits.max_member_size = kLimit;
  uint64_t sink = 0;
  auto visit = [&](const Entry& entry, Content content) {
    check(safe_relative(entry.member));
    if (entry.kind == EntryKind::Hardlink) check(safe_relative(entry.link_target));
    if (entry.kind == EntryKind::Regular) check(content.size() == entry.size);
    check(content.size() <= kLimit);
    check((entry.mode & ~07777u) == 0);
    // Read every byte (ASan checks the span) and write one, as libelf may.
    for (unsigned char byte : content) sink += byte;
    if (!content.empty()) content[0] ^= 1;
  };
  auto problem = [&](const Entry& entry, const std::string& what) {
    check(!what.empty());
    sink += entry.member.size();
  };
  xport::Status status =
      xport::inspect::read_archive_memory(data, size, "fuzz.bin", visit, problem, limits);
  if (!status.ok()) check(status.error().message().starts_with("fuzz.bin: "));
  g_sink = sink;
  return 0;
}
