// Reads archives with libarchive, member by member, without extracting anything to disk:
// tar (plain, gz, xz, zst, bz2), cpio, Debian .deb (its data.tar.*) and pacman .pkg.tar.*,
// and the ar members of a static library. The format is recognised from the bytes, not the name.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "inspect/input.h"

namespace xport::inspect {

struct ArchiveLimits {
  /// A member larger than this is reported, its bytes not read (memory stays bounded).
  uint64_t max_member_size = 512ull << 20;
};

/// True when the file starts like a package or tarball libarchive can read (by content, not by
/// name): tar, cpio or .deb, compressed or not. False for ELF files, scripts, a compressed stream
/// that holds no archive, and a plain ar archive (a static library is a file, not a package).
bool looks_like_archive(const std::string& path);

/// Calls `visit` for every member, in archive order. Package metadata (.deb control.tar,
/// pacman's .PKGINFO/.BUILDINFO/.MTREE/.INSTALL) is not visited: it is not installed.
/// A damaged or hostile archive returns an Error naming the archive (and the member, when one
/// was being read) after visiting the members read so far; it never crashes or loops.
/// `member_problem` is called for problems with one member that do not stop the reading
/// (a member too large, an absolute or ".." path, a hard link out of the archive), with the
/// member and what is wrong; such a member is not visited.
/// Member names are normalized (no leading "/" or "./", no trailing "/"); a hard link's
/// link_target is the member it links to, normalized the same way. A hard link that carries the
/// file's bytes (cpio newc puts them on the last name of a link group) is visited as a Regular
/// file. Regular files' Content lives in one buffer reused from member to member.
Status read_archive(const std::string& path, const EntryVisitor& visit,
                    const std::function<void(const Entry&, const std::string&)>& member_problem,
                    const ArchiveLimits& limits = {});

/// The same, for an archive already in memory (used by the fuzzer and by nested archives).
Status read_archive_memory(
    const void* data, size_t size, const std::string& name, const EntryVisitor& visit,
    const std::function<void(const Entry&, const std::string&)>& member_problem,
    const ArchiveLimits& limits = {});

}  // namespace xport::inspect
