// Everything the checks need to know about one ELF object, read once with libelf.
// Reading never fails half-way silently: what could not be read is listed in `problems`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "inspect/input.h"

namespace xport::inspect {

class PathScanner;

struct ElfFacts {
  // Identity (ELF header).
  int elf_class = 0;       // 32 or 64
  bool big_endian = false;
  uint8_t osabi = 0;
  uint16_t type = 0;       // ET_REL, ET_EXEC, ET_DYN, ET_CORE
  uint16_t machine = 0;
  uint32_t flags = 0;
  std::string arm_attributes;  // raw .ARM.attributes contents (32-bit ARM only)

  // Program headers.
  std::string interp;      // PT_INTERP, "" when absent
  bool has_dynamic = false;
  bool has_gnu_stack = false;
  bool executable_stack = false;
  bool has_relro = false;
  bool writable_and_executable_segment = false;

  // Dynamic section.
  std::vector<std::string> needed;
  std::string soname;
  std::vector<std::string> rpath;    // DT_RPATH, split at ':' (empty entries kept)
  std::vector<std::string> runpath;  // DT_RUNPATH, split at ':' (empty entries kept)
  bool textrel = false;
  bool bind_now = false;
  bool pie_flag = false;   // DF_1_PIE

  // Dynamic symbols.
  std::vector<std::string> undefined;  // non-weak undefined, sorted and unique
  std::vector<uint64_t> defined;       // hashes (symbol_hash) of defined symbols, sorted
  std::vector<std::string> required_versions;  // from SHT_GNU_verneed, e.g. GLIBC_2.34

  // Sections.
  bool has_build_id = false;
  bool has_symtab = false;
  bool has_debug_info = false;
  std::vector<std::string> comments;   // each string of .comment
  /// Forbidden paths found inside compressed sections (SHF_COMPRESSED), which a byte scan of
  /// the file cannot see. Filled only when a scanner is given.
  std::vector<std::string> compressed_path_hits;

  /// What could not be read (a section out of bounds, a bad string table, ...).
  std::vector<std::string> problems;

  bool is_dynamic_object() const { return has_dynamic; }
  bool defines(std::string_view symbol) const;
};

/// True when `content` starts with the ELF magic.
bool is_elf(std::span<const unsigned char> content);

/// A 64-bit hash of a symbol name (FNV-1a); collisions only ever hide an `undefined` finding.
uint64_t symbol_hash(std::string_view name);

/// Reads an ELF object. An Error means it is not usable at all (not ELF, header unreadable);
/// lesser damage is recorded in ElfFacts::problems. `scanner`, when given, searches
/// compressed sections for forbidden paths.
Expected<ElfFacts> read_elf_facts(Content content, const PathScanner* scanner = nullptr);

/// Only the ELF header and the program headers (identity, PT_INTERP...): what inferring the
/// target needs, without the cost of reading symbol tables.
Expected<ElfFacts> read_elf_headers(Content content);

}  // namespace xport::inspect
