#include "inspect/file_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace xport::inspect {

namespace {

EntryKind kind_of(mode_t mode) {
  if (S_ISREG(mode)) return EntryKind::Regular;
  if (S_ISDIR(mode)) return EntryKind::Directory;
  if (S_ISLNK(mode)) return EntryKind::Symlink;
  return EntryKind::Other;
}

}  // namespace

Expected<MappedFile> MappedFile::open(const std::string& path, const std::string& member) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return Error(path + ": " + std::strerror(errno));
  MappedFile file;
  file.entry_.member = member;
  file.entry_.kind = kind_of(st.st_mode);
  file.entry_.mode = st.st_mode & 07777;
  file.entry_.uid = st.st_uid;
  file.entry_.gid = st.st_gid;
  file.entry_.size = static_cast<uint64_t>(st.st_size);
  if (file.entry_.kind == EntryKind::Symlink) {
    std::string target(4096, '\0');
    ssize_t length = readlink(path.c_str(), target.data(), target.size());
    if (length < 0) return Error(path + ": cannot read link: " + std::strerror(errno));
    target.resize(static_cast<size_t>(length));
    file.entry_.link_target = std::move(target);
    return file;
  }
  if (file.entry_.kind != EntryKind::Regular || st.st_size == 0) return file;

  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Error(path + ": cannot open: " + std::strerror(errno));
  struct stat opened;
  if (fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) || opened.st_size == 0) {
    close(fd);  // replaced between lstat and open: treat as empty rather than guess
    return file;
  }
  void* map = mmap(nullptr, opened.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int saved = errno;
  close(fd);
  if (map == MAP_FAILED) return Error(path + ": cannot map: " + std::strerror(saved));
  file.map_ = map;
  file.map_size_ = static_cast<size_t>(opened.st_size);
  file.content_ = Content(static_cast<unsigned char*>(map), file.map_size_);
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : entry_(std::move(other.entry_)),
      content_(other.content_),
      map_(other.map_),
      map_size_(other.map_size_),
      released_(other.released_) {
  other.map_ = nullptr;
  other.map_size_ = 0;
  other.content_ = {};
}

void MappedFile::release_before(size_t offset) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  // Each madvise interrupts the other threads to flush their TLBs: small files are unmapped
  // soon enough, only big ones are worth releasing window by window.
  constexpr size_t kWorthReleasing = 8 << 20;
  const size_t end = std::min(offset, map_size_) / page * page;
  if (!map_ || map_size_ < kWorthReleasing || end <= released_) return;
  // Advice only: if the kernel declines, the pages stay resident and nothing else changes.
  madvise(static_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

MappedFile::~MappedFile() {
  if (map_) munmap(map_, map_size_);
}

}  // namespace xport::inspect
