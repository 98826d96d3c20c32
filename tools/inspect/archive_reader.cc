// Archive members through libarchive: the format and compression are recognised from the bytes,
// members are read one at a time into one reused buffer, and a .deb's data.tar is read by a
// second libarchive reader that streams from the first (nothing is extracted or fully buffered).
#include "inspect/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

namespace xport::inspect {
namespace {

using ProblemFn = std::function<void(const Entry&, const std::string&)>;

// libarchive's read block, and the unit in which the nested reader pulls from the outer one.
constexpr size_t kBlockSize = 64 * 1024;
// A member buffer larger than this is given back after its member: one big member must not
// keep the memory for the rest of the archive.
constexpr size_t kKeptBufferSize = 8 << 20;

// A byte buffer that grows with realloc: for large sizes glibc moves the pages with mremap
// instead of copying them, so growing to N bytes never needs N + N/2 bytes at once.
class MemberBuffer {
 public:
  MemberBuffer() = default;
  MemberBuffer(const MemberBuffer&) = delete;
  MemberBuffer& operator=(const MemberBuffer&) = delete;
  ~MemberBuffer() { std::free(data_); }

  unsigned char* data() { return data_; }
  size_t size() const { return size_; }
  bool resize(size_t size) {
    void* grown = std::realloc(data_, size);
    if (!grown && size > 0) return false;
    data_ = static_cast<unsigned char*>(grown);
    size_ = size;
    return true;
  }
  void release() {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
  }

 private:
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string error_of(archive* a) {
  const char* message = archive_error_string(a);
  return message && *message ? message : "unknown libarchive error";
}

// Which formats a reader accepts. Only those xport has a use for: fewer parsers exposed to hostile
// input, and a raw compressed stream or a zip is "not an archive" rather than a surprise.
enum class Layer {
  Outer,    // tar, cpio, ar (a .deb, or a static library read from memory)
  DebData,  // a .deb's data.tar.*: tar only, and never opened further
};

ArchivePtr new_reader(Layer layer) {
  ArchivePtr a(archive_read_new());
  if (!a) return a;
  // Compression filters linked into Debian's libarchive. filter_all is avoided on purpose: it
  // also registers filters that run external programs (lrzip, lzop, grzip) on hostile bytes.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_format_tar(a.get());
  if (layer == Layer::Outer) {
    archive_read_support_format_cpio(a.get());
    archive_read_support_format_ar(a.get());
  }
  return a;
}

bool is_ar(archive* a) {
  return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_AR;
}
bool is_tar(archive* a) {
  return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
}

// A member name as the target sees it: no leading "/" or "./", no empty or "." components, no
// trailing "/". An absolute name or one with ".." is unsafe to unpack and is reported instead.
struct NormalizedPath {
  std::string path;
  bool absolute = false;
  bool escapes = false;  // has a ".." component
};

NormalizedPath normalize_member(std::string_view raw) {
  NormalizedPath out;
  out.absolute = raw.starts_with('/');
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view part = raw.substr(start, end - start);
    if (part == "..") out.escapes = true;
    if (!part.empty() && part != ".") {
      if (!out.path.empty()) out.path += '/';
      out.path += part;
    }
    start = end + 1;
  }
  return out;
}

// Symbol and long-name tables of a static library: libarchive returns them as members.
bool is_ar_index(std::string_view raw) {
  return raw == "/" || raw == "//" || raw == "/SYM64/" || raw.starts_with("__.SYMDEF");
}

// Top-level members of a pacman package that describe it and are not installed.
bool is_pacman_metadata(std::string_view member) {
  return member == ".PKGINFO" || member == ".BUILDINFO" || member == ".MTREE" ||
         member == ".INSTALL" || member == ".CHANGELOG";
}

uint32_t clamp_id(la_int64_t id) {
  if (id < 0 || id > static_cast<la_int64_t>(UINT32_MAX)) return UINT32_MAX;
  return static_cast<uint32_t>(id);
}

// How messages name a member: as the target sees it, or as written when that is unsafe.
std::string display_name(const std::string& raw, const NormalizedPath& name) {
  if (raw.empty()) return "<unnamed>";
  if (name.absolute || name.escapes || name.path.empty()) return raw;
  return name.path;
}

const char* pathname_of(archive_entry* ae) {
  const char* name = archive_entry_pathname(ae);
  return name ? name : archive_entry_pathname_utf8(ae);
}

enum class Flavor {
  Tar,  // also pacman: top-level metadata members are skipped
  Cpio,
  Ar,       // a static library: its index members are skipped
  Deb,      // the outer ar of a .deb: only data.tar.* is opened
  DebData,  // the tar inside a .deb
};

// The nested reader's source: the data of the outer reader's current member.
struct NestedSource {
  archive* outer = nullptr;
  std::array<unsigned char, kBlockSize> block;
  std::string outer_error;  // set when the outer reader failed, which is the real cause
};

la_ssize_t read_nested(archive* inner, void* client, const void** buffer) {
  auto* source = static_cast<NestedSource*>(client);
  *buffer = source->block.data();
  la_ssize_t n = archive_read_data(source->outer, source->block.data(), source->block.size());
  if (n < 0) {
    source->outer_error = error_of(source->outer);
    archive_set_error(inner, EIO, "%s", source->outer_error.c_str());
    return ARCHIVE_FATAL;
  }
  return n;
}

class Reader {
 public:
  Reader(std::string name, const EntryVisitor& visit, const ProblemFn& problem,
         const ArchiveLimits& limits)
      : name_(std::move(name)), visit_(visit), problem_(problem), limits_(limits) {}

  /// Reads an opened outer reader to its end.
  Status read(archive* a) {
    archive_entry* ae = nullptr;
    int r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_EOF && archive_format(a) != 0) return Status::success();  // empty tar/cpio
    if (r == ARCHIVE_EOF) return Error(name_ + ": empty file, not an archive");
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return Error(name_ + ": not a readable tar, cpio, ar or .deb archive: " + error_of(a));
    }
    Flavor flavor = Flavor::Tar;
    if (is_ar(a)) {
      const char* first = pathname_of(ae);
      flavor = first && std::string_view(first) == "debian-binary" ? Flavor::Deb : Flavor::Ar;
    } else if (!is_tar(a)) {
      flavor = Flavor::Cpio;
    }
    return walk(a, ae, name_, flavor);
  }

 private:
  // Visits `first` (already read) and every following member of `a`. `where` names the archive
  // in messages: "x.deb" or, inside a .deb, "x.deb: data.tar.xz".
  Status walk(archive* a, archive_entry* first, const std::string& where, Flavor flavor) {
    std::string last_member;
    bool deb_data_seen = false;
    for (archive_entry* ae = first;;) {
      const char* raw_name = pathname_of(ae);
      std::string raw = raw_name ? raw_name : "";
      NormalizedPath name = normalize_member(raw);
      last_member = display_name(raw, name);

      if (flavor == Flavor::Deb) {
        if (name.path.starts_with("data.tar") && !name.absolute && !name.escapes) {
          if (deb_data_seen) {
            Entry entry = entry_of(ae, name.path);
            problem_(entry, "a second data.tar member, which dpkg would refuse; not read");
          } else {
            deb_data_seen = true;
            Status status = read_deb_data(a, where + ": " + name.path);
            if (!status.ok()) return status;
          }
        }
        // debian-binary, control.tar.* and anything else (signatures) are not installed.
      } else {
        Status status = member(a, ae, raw, name, where, flavor);
        if (!status.ok()) return status;
      }

      int r = archive_read_next_header(a, &ae);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        // RETRY and FAILED end the reading too: trying again could loop on hostile input.
        return Error(where + ": after member " + last_member + ": " + error_of(a));
      }
    }
    if (flavor == Flavor::Deb && !deb_data_seen) {
      return Error(where + ": a .deb without a data.tar member (nothing to install)");
    }
    return Status::success();
  }

  Entry entry_of(archive_entry* ae, const std::string& member) const {
    Entry entry;
    entry.member = member;
    entry.mode = static_cast<uint32_t>(archive_entry_mode(ae)) & 07777;
    entry.uid = clamp_id(archive_entry_uid(ae));
    entry.gid = clamp_id(archive_entry_gid(ae));
    la_int64_t size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
    entry.size = size > 0 ? static_cast<uint64_t>(size) : 0;
    if (const char* hardlink = archive_entry_hardlink(ae)) {
      entry.kind = EntryKind::Hardlink;
      entry.link_target = hardlink;
      return entry;
    }
    switch (archive_entry_filetype(ae)) {
      case AE_IFREG:
        entry.kind = EntryKind::Regular;
        break;
      case AE_IFDIR:
        entry.kind = EntryKind::Directory;
        break;
      case AE_IFLNK: {
        entry.kind = EntryKind::Symlink;
        const char* target = archive_entry_symlink(ae);
        if (!target) target = archive_entry_symlink_utf8(ae);
        entry.link_target = target ? target : "";
        break;
      }
      default:
        entry.kind = EntryKind::Other;
        break;
    }
    return entry;
  }

  Status member(archive* a, archive_entry* ae, const std::string& raw, const NormalizedPath& name,
                const std::string& where, Flavor flavor) {
    if (flavor == Flavor::Ar && is_ar_index(raw)) return Status::success();
    if (flavor == Flavor::Tar && !name.absolute && is_pacman_metadata(name.path)) {
      return Status::success();
    }
    Entry entry = entry_of(ae, name.path);
    // An ar member is always a file; GNU ar's deterministic mode writes "644" without S_IFREG.
    if (flavor == Flavor::Ar) entry.kind = EntryKind::Regular;
    if (name.absolute) {
      problem_(entry, "absolute path \"" + raw +
                          "\": unpacking it would write outside the target root; not inspected");
      return Status::success();
    }
    if (name.escapes) {
      problem_(entry,
               "path leaves the archive root through \"..\": \"" + raw + "\"; not inspected");
      return Status::success();
    }
    if (name.path.empty()) {
      // The archive's own root ("./"), which every tree has anyway.
      if (entry.kind == EntryKind::Directory) return Status::success();
      problem_(entry, "member without a name; not inspected");
      return Status::success();
    }
    if (entry.kind == EntryKind::Hardlink) {
      NormalizedPath target = normalize_member(entry.link_target);
      if (target.absolute || target.escapes || target.path.empty()) {
        problem_(entry,
                 "hard link to \"" + entry.link_target + "\", outside the archive; not inspected");
        return Status::success();
      }
      entry.link_target = target.path;
    }

    // A hard link that carries the bytes (cpio newc stores them with the last name of a link
    // group, the earlier names coming first with no data) is where the file's content is: it is
    // visited as the regular file it is, or its bytes would never be inspected.
    if (entry.kind == EntryKind::Hardlink && entry.size > 0) {
      entry.kind = EntryKind::Regular;
      entry.link_target.clear();
    }
    if (entry.kind != EntryKind::Regular) {
      visit_(entry, Content());
      return Status::success();
    }
    if (entry.size > limits_.max_member_size) {
      problem_(entry, "member of " + std::to_string(entry.size) + " bytes, over the limit of " +
                          std::to_string(limits_.max_member_size) +
                          " bytes; its content is not read");
      if (archive_read_data_skip(a) != ARCHIVE_OK) {
        return Error(where + ": member " + entry.member + ": " + error_of(a));
      }
      return Status::success();
    }
    auto read = read_content(a, entry, archive_entry_size_is_set(ae) != 0);
    if (!read.ok()) return read.error().with_context(where + ": member " + entry.member);
    visit_(entry, Content(buffer_.data(), *read));
    if (buffer_.size() > kKeptBufferSize) buffer_.release();
    return Status::success();
  }

  // Reads the current member into buffer_ and returns its length. The buffer grows with the bytes
  // actually read, never to a size a (possibly lying) header merely declares.
  Expected<size_t> read_content(archive* a, Entry& entry, bool size_known) {
    const uint64_t want = size_known ? entry.size : limits_.max_member_size + 1;
    size_t total = 0;
    while (total < want) {
      if (total == buffer_.size()) {
        size_t grown = std::max<size_t>(kBlockSize, buffer_.size() * 2);
        if (!buffer_.resize(static_cast<size_t>(std::min<uint64_t>(grown, want))))
          return Error("out of memory reading a member of " + std::to_string(entry.size) + " bytes");
      }
      la_ssize_t n = archive_read_data(a, buffer_.data() + total, buffer_.size() - total);
      if (n < 0) return Error(error_of(a));
      if (n == 0) break;
      total += static_cast<size_t>(n);
    }
    if (size_known && total < want) {
      return Error("truncated: " + std::to_string(total) + " of " + std::to_string(want) +
                   " bytes");
    }
    if (!size_known) {
      if (total > limits_.max_member_size) {
        problem_(entry, "member of more than " + std::to_string(limits_.max_member_size) +
                            " bytes; its content is not read");
        if (archive_read_data_skip(a) != ARCHIVE_OK) return Error(error_of(a));
        return size_t{0};
      }
      entry.size = total;
    }
    return total;
  }

  // The data.tar.* of a .deb, read by a nested reader that pulls the outer member's bytes.
  Status read_deb_data(archive* outer, const std::string& where) {
    auto source = std::make_unique<NestedSource>();
    source->outer = outer;
    ArchivePtr inner = new_reader(Layer::DebData);
    if (!inner) return Error(where + ": out of memory");
    if (archive_read_open(inner.get(), source.get(), nullptr, read_nested, nullptr) != ARCHIVE_OK) {
      return Error(where + ": not a readable tar: " + nested_error(inner.get(), *source));
    }
    archive_entry* ae = nullptr;
    int r = archive_read_next_header(inner.get(), &ae);
    if (r == ARCHIVE_EOF) return Status::success();
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return Error(where + ": not a readable tar: " + nested_error(inner.get(), *source));
    }
    Status status = walk(inner.get(), ae, where, Flavor::DebData);
    // The real cause is the .deb's own damage when the outer reader failed first.
    if (!status.ok() && !source->outer_error.empty() &&
        status.error().message().find(source->outer_error) == std::string::npos) {
      return Error(status.error().message() + " (the .deb itself: " + source->outer_error + ")");
    }
    return status;
  }

  static std::string nested_error(archive* inner, const NestedSource& source) {
    return source.outer_error.empty() ? error_of(inner) : source.outer_error;
  }

  std::string name_;
  const EntryVisitor& visit_;
  const ProblemFn& problem_;
  const ArchiveLimits& limits_;
  MemberBuffer buffer_;  // one member's bytes, reused from member to member
};

}  // namespace

bool looks_like_archive(const std::string& path) {
  ArchivePtr a = new_reader(Layer::Outer);
  if (!a || archive_read_open_filename(a.get(), path.c_str(), kBlockSize) != ARCHIVE_OK)
    return false;
  archive_entry* ae = nullptr;
  int r = archive_read_next_header(a.get(), &ae);
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
    // An ar archive is a package only when it is a .deb; a static library is a file to inspect.
    if (!is_ar(a.get())) return true;
    const char* first = pathname_of(ae);
    return first && std::string_view(first) == "debian-binary";
  }
  // A recognised format whose first header is damaged is still an archive (a malformed one);
  // an empty tar or cpio is an archive with nothing in it.
  return archive_format(a.get()) != 0 && !is_ar(a.get());
}

Status read_archive(const std::string& path, const EntryVisitor& visit,
                    const std::function<void(const Entry&, const std::string&)>& member_problem,
                    const ArchiveLimits& limits) {
  ArchivePtr a = new_reader(Layer::Outer);
  if (!a) return Error(path + ": out of memory");
  if (archive_read_open_filename(a.get(), path.c_str(), kBlockSize) != ARCHIVE_OK) {
    return Error(path + ": " + error_of(a.get()));
  }
  return Reader(path, visit, member_problem, limits).read(a.get());
}

Status read_archive_memory(
    const void* data, size_t size, const std::string& name, const EntryVisitor& visit,
    const std::function<void(const Entry&, const std::string&)>& member_problem,
    const ArchiveLimits& limits) {
  ArchivePtr a = new_reader(Layer::Outer);
  if (!a) return Error(name + ": out of memory");
  if (archive_read_open_memory(a.get(), data, size) != ARCHIVE_OK) {
    return Error(name + ": " + error_of(a.get()));
  }
  return Reader(name, visit, member_problem, limits).read(a.get());
}

}  // namespace xport::inspect
