#include "core/huge_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace xport {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The file mapped read-only at a 2 MB boundary, as the loader maps an aligned segment, with
// huge pages asked for: a fault where the cache has nothing reads 2 MB folios, one where it has
// them maps them whole.
class AlignedMapping {
 public:
  AlignedMapping(int fd, size_t size) : reserved_size_(size + kHugePage) {
    reserved_ = ::mmap(nullptr, reserved_size_, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved_ == MAP_FAILED) return;
    const uintptr_t aligned =
        (reinterpret_cast<uintptr_t>(reserved_) + kHugePage - 1) & ~(kHugePage - 1);
    void* mapped =
        ::mmap(reinterpret_cast<void*>(aligned), size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (mapped == MAP_FAILED) return;
    data_ = static_cast<const volatile char*>(mapped);
    // EINVAL where the kernel has no transparent huge pages: the touches below then only map.
    ::madvise(mapped, size, MADV_HUGEPAGE);
    for (size_t offset = 0; offset < size; offset += kHugePage) (void)data_[offset];
  }
  ~AlignedMapping() {
    if (reserved_ != MAP_FAILED) ::munmap(reserved_, reserved_size_);
  }
  AlignedMapping(const AlignedMapping&) = delete;
  AlignedMapping& operator=(const AlignedMapping&) = delete;

  bool ok() const { return data_ != nullptr; }
  size_t bytes_mapped_huge() const {
    return file_bytes_mapped_huge(const_cast<const char*>(data_));
  }

 private:
  size_t reserved_size_;
  void* reserved_ = MAP_FAILED;
  const volatile char* data_ = nullptr;
};

}  // namespace

size_t file_bytes_mapped_huge(const void* address) {
  char header[32];
  std::snprintf(header, sizeof header, "%08lx-",
                static_cast<unsigned long>(reinterpret_cast<uintptr_t>(address)));
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_mapping = false;
  while (std::getline(smaps, line)) {
    // A mapping's header is "start-end perms ...", its fields "Name:   value kB".
    const bool is_header = line.find(':') > line.find(' ');
    if (is_header) {
      if (in_mapping) return 0;
      in_mapping = line.rfind(header, 0) == 0;
    } else if (in_mapping && line.rfind("FilePmdMapped:", 0) == 0) {
      return std::strtoull(line.c_str() + std::strlen("FilePmdMapped:"), nullptr, 10) * 1024;
    }
  }
  return 0;
}

Expected<size_t> cache_in_huge_pages(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error(path + ": cannot open: " + std::strerror(errno));
  struct stat status;
  if (::fstat(fd.get(), &status) != 0)
    return Error(path + ": cannot stat: " + std::strerror(errno));
  const size_t size = static_cast<size_t>(status.st_size);
  const size_t whole_pages = size / kHugePage * kHugePage;
  if (whole_pages == 0) return size_t{0};
  {
    AlignedMapping cached(fd.get(), size);
    if (!cached.ok()) return Error(path + ": cannot map: " + std::strerror(errno));
    if (const size_t huge = cached.bytes_mapped_huge(); huge >= whole_pages) return huge;
  }
  // Small folios: let them go (a dirty one is not dropped, hence the write-back first) so that
  // the next mapping reads the file afresh.
  ::fdatasync(fd.get());
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
  AlignedMapping reread(fd.get(), size);
  if (!reread.ok()) return Error(path + ": cannot map: " + std::strerror(errno));
  return reread.bytes_mapped_huge();
}

}  // namespace xport
