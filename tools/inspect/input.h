// What the inspector reads: members of a tree on disk or of an archive, each with its metadata
// and (for regular files) its bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "core/error.h"

namespace xport::inspect {

enum class EntryKind { Regular, Directory, Symlink, Hardlink, Other };

/// One file as the target will see it once installed.
struct Entry {
  std::string member;       // relative path inside the tree or archive, no leading "/" or "./"
  EntryKind kind = EntryKind::Regular;
  uint32_t mode = 0;        // permission bits including setuid/setgid/sticky (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  std::string link_target;  // symlink target, or for a hardlink the member it links to
};

/// Bytes of a regular file. Writable because libelf may convert data in place; valid only for
/// the duration of the visit.
using Content = std::span<unsigned char>;

using EntryVisitor = std::function<void(const Entry& entry, Content content)>;

}  // namespace xport::inspect
