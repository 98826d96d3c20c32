#include "inspect/elf_facts.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "inspect/path_scanner.h"

namespace xport::inspect {

namespace {

constexpr uint32_t kShtArmAttributes = 0x70000003;  // SHT_ARM_ATTRIBUTES
// Bounds that keep hostile files from costing unbounded time or memory.
constexpr size_t kMaxDynamicEntries = 1 << 16;
constexpr size_t kMaxSymbols = 1 << 22;
constexpr size_t kMaxVerneed = 1 << 12;

void init_libelf() {
  static std::once_flag once;
  std::call_once(once, [] { elf_version(EV_CURRENT); });
}

std::string libelf_error() {
  const char* message = elf_errmsg(-1);
  return message ? message : "unknown libelf error";
}

// An ELF handle released on every path out.
struct ElfHandle {
  Elf* elf;
  ~ElfHandle() {
    if (elf) elf_end(elf);
  }
};

std::vector<std::string> split_path_list(const char* text) {
  std::vector<std::string> entries;
  std::string_view rest(text);
  while (true) {
    size_t colon = rest.find(':');
    entries.emplace_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return entries;
}

class Reader {
 public:
  Reader(Elf* elf, ElfFacts& facts, const PathScanner* scanner)
      : elf_(elf), facts_(facts), scanner_(scanner) {}

  void read_program_headers() {
    size_t count = 0;
    if (elf_getphdrnum(elf_, &count) != 0) {
      problem("cannot read program headers: " + libelf_error());
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      GElf_Phdr phdr;
      if (!gelf_getphdr(elf_, static_cast<int>(i), &phdr)) {
        problem("program header " + std::to_string(i) + " unreadable: " + libelf_error());
        return;
      }
      switch (phdr.p_type) {
        case PT_INTERP: read_interp(phdr); break;
        case PT_DYNAMIC: facts_.has_dynamic = true; break;
        case PT_GNU_STACK:
          facts_.has_gnu_stack = true;
          facts_.executable_stack = phdr.p_flags & PF_X;
          break;
        case PT_GNU_RELRO: facts_.has_relro = true; break;
        case PT_LOAD:
          if ((phdr.p_flags & PF_W) && (phdr.p_flags & PF_X))
            facts_.writable_and_executable_segment = true;
          break;
        default: break;
      }
    }
  }

  void read_sections() {
    size_t string_index = 0;
    if (elf_getshdrstrndx(elf_, &string_index) != 0) {
      problem("cannot find the section name table: " + libelf_error());
      string_index = SHN_UNDEF;
    }
    Elf_Scn* scn = nullptr;
    while ((scn = elf_nextscn(elf_, scn)) != nullptr) {
      GElf_Shdr shdr;
      if (!gelf_getshdr(scn, &shdr)) {
        problem("section header unreadable: " + libelf_error());
        continue;
      }
      const char* name = string_index ? elf_strptr(elf_, string_index, shdr.sh_name) : nullptr;
      std::string_view section_name = name ? name : "";
      if (shdr.sh_type == SHT_NOBITS) continue;
      if (section_name.starts_with(".debug_") || section_name.starts_with(".zdebug_"))
        facts_.has_debug_info = true;
      if ((shdr.sh_flags & SHF_COMPRESSED) && scanner_) scan_compressed(scn, section_name);
      switch (shdr.sh_type) {
        case SHT_DYNAMIC: read_dynamic(scn, shdr); break;
        case SHT_DYNSYM: read_dynamic_symbols(scn, shdr); break;
        case SHT_SYMTAB: facts_.has_symtab = true; break;
        case SHT_GNU_verneed: read_verneed(scn, shdr); break;
        case SHT_NOTE: read_notes(scn); break;
        case kShtArmAttributes:
          if (facts_.machine == EM_ARM) facts_.arm_attributes = raw_bytes(scn);
          break;
        default:
          if (section_name == ".comment") read_comment(scn);
          break;
      }
    }
    std::sort(facts_.undefined.begin(), facts_.undefined.end());
    facts_.undefined.erase(std::unique(facts_.undefined.begin(), facts_.undefined.end()),
                           facts_.undefined.end());
    std::sort(facts_.defined.begin(), facts_.defined.end());
    facts_.defined.erase(std::unique(facts_.defined.begin(), facts_.defined.end()),
                         facts_.defined.end());
    std::sort(facts_.required_versions.begin(), facts_.required_versions.end());
    facts_.required_versions.erase(
        std::unique(facts_.required_versions.begin(), facts_.required_versions.end()),
        facts_.required_versions.end());
  }

 private:
  void problem(std::string message) {
    // One of each is enough: a hostile file can repeat the same defect thousands of times.
    if (std::find(facts_.problems.begin(), facts_.problems.end(), message) == facts_.problems.end() &&
        facts_.problems.size() < 16)
      facts_.problems.push_back(std::move(message));
  }

  void read_interp(const GElf_Phdr& phdr) {
    size_t size = 0;
    const char* image = elf_rawfile(elf_, &size);
    if (!image || phdr.p_offset >= size || phdr.p_filesz > size - phdr.p_offset) {
      problem("PT_INTERP lies outside the file");
      return;
    }
    std::string_view text(image + phdr.p_offset, phdr.p_filesz);
    facts_.interp = std::string(text.substr(0, text.find('\0')));
  }

  std::string raw_bytes(Elf_Scn* scn) {
    Elf_Data* data = elf_rawdata(scn, nullptr);
    if (!data || !data->d_buf) return {};
    return std::string(static_cast<const char*>(data->d_buf), data->d_size);
  }

  Elf_Data* section_data(Elf_Scn* scn, const char* what) {
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || (!data->d_buf && data->d_size)) {
      problem(std::string(what) + " unreadable: " + libelf_error());
      return nullptr;
    }
    return data;
  }

  const char* string_at(size_t table, size_t offset) {
    const char* text = elf_strptr(elf_, table, offset);
    if (!text) problem("string table entry out of range");
    return text;
  }

  void read_dynamic(Elf_Scn* scn, const GElf_Shdr& shdr) {
    facts_.has_dynamic = true;
    Elf_Data* data = section_data(scn, "dynamic section");
    if (!data) return;
    size_t entry_size = gelf_fsize(elf_, ELF_T_DYN, 1, EV_CURRENT);
    size_t count = entry_size ? std::min(data->d_size / entry_size, kMaxDynamicEntries) : 0;
    for (size_t i = 0; i < count; ++i) {
      GElf_Dyn dyn;
      if (!gelf_getdyn(data, static_cast<int>(i), &dyn)) break;
      if (dyn.d_tag == DT_NULL) break;
      switch (dyn.d_tag) {
        case DT_NEEDED:
          if (const char* s = string_at(shdr.sh_link, dyn.d_un.d_val)) facts_.needed.push_back(s);
          break;
        case DT_SONAME:
          if (const char* s = string_at(shdr.sh_link, dyn.d_un.d_val)) facts_.soname = s;
          break;
        case DT_RPATH:
          if (const char* s = string_at(shdr.sh_link, dyn.d_un.d_val)) facts_.rpath = split_path_list(s);
          break;
        case DT_RUNPATH:
          if (const char* s = string_at(shdr.sh_link, dyn.d_un.d_val))
            facts_.runpath = split_path_list(s);
          break;
        case DT_TEXTREL: facts_.textrel = true; break;
        case DT_BIND_NOW: facts_.bind_now = true; break;
        case DT_FLAGS:
          if (dyn.d_un.d_val & DF_TEXTREL) facts_.textrel = true;
          if (dyn.d_un.d_val & DF_BIND_NOW) facts_.bind_now = true;
          break;
        case DT_FLAGS_1:
          if (dyn.d_un.d_val & DF_1_NOW) facts_.bind_now = true;
          if (dyn.d_un.d_val & DF_1_PIE) facts_.pie_flag = true;
          break;
        default: break;
      }
    }
  }

  void read_dynamic_symbols(Elf_Scn* scn, const GElf_Shdr& shdr) {
    Elf_Data* data = section_data(scn, "dynamic symbol table");
    if (!data) return;
    size_t entry_size = gelf_fsize(elf_, ELF_T_SYM, 1, EV_CURRENT);
    size_t count = entry_size ? std::min(data->d_size / entry_size, kMaxSymbols) : 0;
    for (size_t i = 1; i < count; ++i) {  // entry 0 is the null symbol
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
      const char* name = string_at(shdr.sh_link, sym.st_name);
      if (!name || !*name) continue;
      const unsigned bind = GELF_ST_BIND(sym.st_info);
      if (sym.st_shndx == SHN_UNDEF) {
        if (bind != STB_WEAK) facts_.undefined.emplace_back(name);
      } else if (bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE) {
        facts_.defined.push_back(symbol_hash(name));
      }
    }
  }

  void read_verneed(Elf_Scn* scn, const GElf_Shdr& shdr) {
    Elf_Data* data = section_data(scn, "version requirements");
    if (!data) return;
    size_t offset = 0;
    for (size_t n = 0; n < kMaxVerneed && offset < data->d_size; ++n) {
      GElf_Verneed need;
      if (!gelf_getverneed(data, static_cast<int>(offset), &need)) break;
      size_t aux_offset = offset + need.vn_aux;
      for (size_t a = 0; a < need.vn_cnt && a < kMaxVerneed; ++a) {
        GElf_Vernaux aux;
        if (aux_offset >= data->d_size || !gelf_getvernaux(data, static_cast<int>(aux_offset), &aux))
          break;
        if (const char* name = string_at(shdr.sh_link, aux.vna_name))
          facts_.required_versions.emplace_back(name);
        if (aux.vna_next == 0) break;
        aux_offset += aux.vna_next;
      }
      if (need.vn_next == 0) break;
      offset += need.vn_next;
    }
  }

  void read_notes(Elf_Scn* scn) {
    Elf_Data* data = section_data(scn, "note section");
    if (!data) return;
    size_t offset = 0;
    GElf_Nhdr note;
    size_t name_offset = 0, desc_offset = 0;
    while (offset < data->d_size) {
      size_t next = gelf_getnote(data, offset, &note, &name_offset, &desc_offset);
      if (next == 0 || next <= offset) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(static_cast<const char*>(data->d_buf) + name_offset, "GNU", 4) == 0)
        facts_.has_build_id = true;
      offset = next;
    }
  }

  void read_comment(Elf_Scn* scn) {
    std::string bytes = raw_bytes(scn);
    std::string_view rest(bytes);
    while (!rest.empty()) {
      size_t end = rest.find('\0');
      std::string_view text = rest.substr(0, end);
      if (!text.empty() &&
          std::find(facts_.comments.begin(), facts_.comments.end(), text) == facts_.comments.end())
        facts_.comments.emplace_back(text);
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }

  void scan_compressed(Elf_Scn* scn, std::string_view name) {
    // elf_compress decompresses in place in libelf's copy, never in the caller's bytes.
    if (elf_compress(scn, 0, 0) < 0) {
      problem("compressed section " + std::string(name) + " cannot be decompressed: " + libelf_error());
      return;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return;
    for (PathHit& hit :
         scanner_->scan(std::string_view(static_cast<const char*>(data->d_buf), data->d_size)))
      if (std::find(facts_.compressed_path_hits.begin(), facts_.compressed_path_hits.end(),
                    hit.context) == facts_.compressed_path_hits.end())
        facts_.compressed_path_hits.push_back(hit.context);
  }

  Elf* elf_;
  ElfFacts& facts_;
  const PathScanner* scanner_;
};

}  // namespace

bool ElfFacts::defines(std::string_view symbol) const {
  return std::binary_search(defined.begin(), defined.end(), symbol_hash(symbol));
}

bool is_elf(std::span<const unsigned char> content) {
  return content.size() >= SELFMAG && std::memcmp(content.data(), ELFMAG, SELFMAG) == 0;
}

uint64_t symbol_hash(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

namespace {

Expected<ElfFacts> read_elf(Content content, const PathScanner* scanner, bool sections) {
  if (!is_elf(content)) return Error("not an ELF file");
  init_libelf();
  ElfHandle handle{elf_memory(reinterpret_cast<char*>(content.data()), content.size())};
  if (!handle.elf || elf_kind(handle.elf) != ELF_K_ELF)
    return Error("cannot read ELF header: " + libelf_error());
  GElf_Ehdr header;
  if (!gelf_getehdr(handle.elf, &header)) return Error("cannot read ELF header: " + libelf_error());

  ElfFacts facts;
  facts.elf_class = header.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
  facts.big_endian = header.e_ident[EI_DATA] == ELFDATA2MSB;
  facts.osabi = header.e_ident[EI_OSABI];
  facts.type = header.e_type;
  facts.machine = header.e_machine;
  facts.flags = header.e_flags;

  // Header tables that run past the end mean a truncated file (libelf reads what is there).
  auto past_end = [&](uint64_t offset, uint64_t count, uint64_t entry_size) {
    return count && (offset > content.size() || count * entry_size > content.size() - offset);
  };
  if (past_end(header.e_phoff, header.e_phnum, header.e_phentsize))
    facts.problems.push_back("truncated: the program headers end past the end of the file");
  if (past_end(header.e_shoff, header.e_shnum, header.e_shentsize))
    facts.problems.push_back("truncated: the section headers end past the end of the file");

  Reader reader(handle.elf, facts, scanner);
  reader.read_program_headers();
  if (sections) reader.read_sections();
  return facts;
}

}  // namespace

Expected<ElfFacts> read_elf_facts(Content content, const PathScanner* scanner) {
  return read_elf(content, scanner, true);
}

Expected<ElfFacts> read_elf_headers(Content content) { return read_elf(content, nullptr, false); }

}  // namespace xport::inspect
