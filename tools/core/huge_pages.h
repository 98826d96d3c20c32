// Program text in 2 MB pages. A compiler run is mostly start-up: host-llvm's clang faults in
// some 600 pieces of its 74 MB of text, 64 KB at a time (the kernel's fault-around), and where a
// page fault is dear (10-20 us in a paravirtualised guest) that was half of a typical compile.
// The kernel maps a file's page cache with 2 MB page table entries when the cache holds it in
// 2 MB folios and the mapping is aligned to them (segments linked with `-z max-page-size=2M`);
// it fills the cache that way only when the first mapping to read the file asked for huge pages
// (MADV_HUGEPAGE). A file that was just written, or read by an exec, sits there in small folios
// until the cache lets it go: this reads it again the other way.
#pragma once

#include <cstddef>
#include <string>

#include "core/error.h"

namespace xport {

/// Puts `path` in the page cache in 2 MB folios unless it is there already, dropping its small
/// ones first (written back if dirty; those other processes have mapped stay). Returns how many
/// of its bytes an aligned mapping gets in 2 MB pages: 0 where the kernel (THP "never", no large
/// folios for this file system) or the file's size keeps to 4 KB pages, which costs only time.
/// The file's content is never touched.
Expected<size_t> cache_in_huge_pages(const std::string& path);

/// How many bytes of the mapping that starts at `address` this process has in 2 MB page table
/// entries of a file (FilePmdMapped in /proc/self/smaps); 0 if there is no such mapping.
size_t file_bytes_mapped_huge(const void* address);

}  // namespace xport
