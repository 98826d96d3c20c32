// Opening a file on disk for checking: its metadata as an Entry and its bytes, mapped privately
// (libelf may convert data in place; the file itself is never written).
#pragma once

#include <string>

#include "core/error.h"
#include "inspect/input.h"

namespace xport::inspect {

class MappedFile {
 public:
  /// Reads metadata with lstat (a symlink is not followed) and maps a regular file's bytes.
  /// Devices and FIFOs are never opened.
  static Expected<MappedFile> open(const std::string& path, const std::string& member);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  ~MappedFile();

  const Entry& entry() const { return entry_; }
  Content content() const { return content_; }

  /// Drops the resident pages before `offset` (whole pages only; files under 8 MiB keep theirs
  /// until they are unmapped). They are read again from the
  /// file if touched later, so call this only once bytes changed in place (by libelf) are no
  /// longer needed. Keeps a scan of a file of any size to a window of memory.
  void release_before(size_t offset);

 private:
  MappedFile() = default;
  Entry entry_;
  Content content_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  size_t released_ = 0;  // pages before this offset have been dropped
};

}  // namespace xport::inspect
