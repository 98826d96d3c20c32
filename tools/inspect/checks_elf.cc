// Checks on one ELF object alone: identity, hardening, dynamic section, producer.
#include <elf.h>

#include <algorithm>

#include "arch/elf_flags.h"
#include "core/suggest.h"
#include "inspect/check_context.h"

namespace xport::inspect {

namespace {

constexpr uint16_t kEmBpf = 247;
constexpr uint16_t kEmAmdgpu = 224;
constexpr uint16_t kEmCuda = 190;
constexpr uint16_t kEmXtensa = 94;
constexpr uint16_t kEmArcCompact2 = 195;
// Processors that run code for a kernel or a device, never a userland of the target.
constexpr uint16_t kNonCpuMachines[] = {kEmBpf, kEmAmdgpu, kEmCuda, kEmXtensa, kEmArcCompact2};

const char* machine_description(uint16_t machine) {
  switch (machine) {
    case kEmBpf: return "eBPF bytecode";
    case kEmAmdgpu: return "AMD GPU code";
    case kEmCuda: return "NVIDIA CUDA code";
    case kEmXtensa: return "Xtensa firmware";
    case kEmArcCompact2: return "ARC firmware";
    default: return "code for another processor";
  }
}

std::string identity_of(const ElfFacts& elf, const ArchRegistry& registry) {
  const Arch* arch = registry.find_by_elf(elf.machine, elf.elf_class,
                                          elf.big_endian ? Endian::Big : Endian::Little);
  std::string text = "ELF" + std::to_string(elf.elf_class) + " " +
                     (elf.big_endian ? "big" : "little") + "-endian, e_machine " +
                     std::to_string(elf.machine);
  return arch ? arch->name + " (" + text + ")" : text;
}

bool is_loadable(const ElfFacts& elf) { return elf.type == ET_EXEC || elf.type == ET_DYN; }

bool is_shared_library(const FileRecord& record) {
  const ElfFacts& elf = *record.elf;
  return elf.type == ET_DYN && elf.interp.empty() && !elf.pie_flag &&
         record.target_path.find(".so") != std::string::npos;
}

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

void check_elf_identity(const FileRecord& record, const Target& target, FileFindings& findings) {
  const ElfFacts& elf = *record.elf;
  const ElfIdentity& want = target.arch->elf;
  const bool right_machine = elf.machine == want.machine && elf.elf_class == want.elf_class &&
                             elf.big_endian == (want.endian == Endian::Big);
  if (!right_machine) {
    const bool firmware_dir = record.target_path.starts_with("/lib/firmware/") ||
                              record.target_path.starts_with("/usr/lib/firmware/");
    if (std::find(std::begin(kNonCpuMachines), std::end(kNonCpuMachines), elf.machine) !=
            std::end(kNonCpuMachines) ||
        firmware_dir) {
      findings.add("non-cpu-elf", std::string(machine_description(elf.machine)) + " (e_machine " +
                                      std::to_string(elf.machine) + "), not checked against " +
                                      target.arch->name);
      return;
    }
    findings.add("arch", "object is " + identity_of(elf, *target.registry) + ", target is " +
                             target.arch->name);
    return;
  }
  if (std::find(want.osabi.begin(), want.osabi.end(), elf.osabi) == want.osabi.end())
    findings.add("arch", "OS ABI is " + std::to_string(elf.osabi) + ", which " +
                             target.arch->name + " does not use");

  const ElfFlagsDecoder* decoder = find_elf_flags_decoder(want.flags_decoder);
  if (!decoder) return;  // the arch file was validated on load
  const std::map<std::string, std::string> found =
      decoder->decode({elf.flags, elf.elf_class, elf.arm_attributes});
  const std::vector<ElfFlagField> fields = decoder->fields();
  auto marks_use = [&](const std::string& key) {
    for (const ElfFlagField& field : fields)
      if (field.key == key) return field.marks_use;
    return false;
  };
  for (const auto& [key, expected] : want.flags) {
    auto it = found.find(key);
    if (it == found.end()) continue;  // not stated by this object: nothing to compare
    if (it->second == "false" && marks_use(key)) continue;  // does without the extension
    if (it->second != expected)
      findings.add("arch", key + " is " + it->second + ", " + target.arch->name + " needs " +
                               expected + " (e_flags 0x" + [&] {
                                 char hex[16];
                                 std::snprintf(hex, sizeof hex, "%x", elf.flags);
                                 return std::string(hex);
                               }() + ")");
  }
}

void check_elf_hardening(const FileRecord& record, const Target& target, FileFindings& findings) {
  const ElfFacts& elf = *record.elf;
  if (!is_loadable(elf)) return;
  if (elf.textrel) findings.add("textrel", "object has text relocations");
  if (elf.has_gnu_stack && elf.executable_stack)
    findings.add("execstack", "PT_GNU_STACK asks for an executable stack");
  else if (!elf.has_gnu_stack)
    findings.add("execstack", "no PT_GNU_STACK header: the kernel may make the stack executable");
  if (elf.writable_and_executable_segment)
    findings.add("wx-segment", "a PT_LOAD segment is writable and executable");
  if (elf.has_dynamic && !elf.has_relro) findings.add("relro", "no PT_GNU_RELRO segment");
  if (elf.has_dynamic && !elf.bind_now)
    findings.add("bind-now", "symbols are bound lazily (no DF_BIND_NOW / DF_1_NOW)");
  if (elf.type == ET_EXEC) findings.add("pie", "executable is ET_EXEC, not position-independent");
  if (!elf.has_build_id) findings.add("build-id", "no NT_GNU_BUILD_ID note");
  if (elf.has_symtab || elf.has_debug_info)
    findings.add("stripped", std::string("not stripped: has ") +
                                 (elf.has_symtab && elf.has_debug_info ? "a symbol table and debug info"
                                  : elf.has_symtab                     ? "a symbol table"
                                                                       : "debug info"));
}

void check_elf_dynamic(const FileRecord& record, const Target& target, FileFindings& findings) {
  const ElfFacts& elf = *record.elf;

  // The compiler that produced the object, from .comment (relocatable objects too).
  for (const std::string& comment : elf.comments) {
    const bool expected =
        std::any_of(target.expected_compilers.begin(), target.expected_compilers.end(),
                    [&](const std::string& mark) { return comment.find(mark) != std::string::npos; });
    if (!expected) findings.add("host-compiler", ".comment names \"" + comment + "\"");
  }

  // interp: the loader named in PT_INTERP (whether it exists is checked against the root).
  if (!elf.interp.empty() && elf.interp != target.libc_info->loader) {
    std::string whose;
    for (const Arch& arch : target.registry->all())
      for (const auto& [libc, info] : arch.libcs)
        if (info.loader == elf.interp && whose.empty())
          whose = std::string(&arch == target.host && &arch != target.arch ? "build host's " : "") +
                  arch.name + " " + libc_name(libc) + " loader";
    findings.add("interp", "interpreter is " + elf.interp + (whose.empty() ? "" : ", the " + whose) +
                               "; " + target.arch->name + " " + libc_name(target.libc) + " uses " +
                               target.libc_info->loader);
  }

  // rpath: each entry of DT_RPATH and DT_RUNPATH.
  auto check_search_path = [&](const std::vector<std::string>& entries, const char* tag) {
    for (const std::string& entry : entries) {
      if (entry.empty()) {
        findings.add("rpath", std::string(tag) + " has an empty entry (means the current directory)");
        continue;
      }
      if (entry.starts_with("$ORIGIN") || entry.starts_with("${ORIGIN}")) continue;
      if (entry[0] != '/') {
        findings.add("rpath", std::string(tag) + " entry '" + entry +
                                  "' is relative to the current directory, not to $ORIGIN");
        continue;
      }
      const bool staging = std::any_of(target.staging_prefixes.begin(), target.staging_prefixes.end(),
                                       [&](const std::string& p) { return entry.starts_with(p); });
      const auto& libdirs = target.libc_info->libdirs;
      const bool standard = std::find(libdirs.begin(), libdirs.end(), entry) != libdirs.end();
      if (staging)
        findings.add("rpath", std::string(tag) + " entry '" + entry + "' is a build or staging dir");
      else if (!standard)
        findings.add("rpath", Severity::Warning,
                     std::string(tag) + " entry '" + entry + "' is outside the target's library dirs");
    }
  };
  check_search_path(elf.rpath, "DT_RPATH");
  check_search_path(elf.runpath, "DT_RUNPATH");

  // libc: objects linked against the other C library.
  if (target.libc == Libc::Musl) {
    std::vector<std::string> glibc_versions;
    for (const std::string& version : elf.required_versions)
      if (version.starts_with("GLIBC_") || version.starts_with("GLIBCXX_") ||
          version.starts_with("CXXABI_"))
        glibc_versions.push_back(version);
    if (!glibc_versions.empty())
      findings.add("libc", "needs glibc symbol versions in a musl target: " +
                               join_names(glibc_versions.size() > 5
                                              ? std::vector<std::string>(glibc_versions.begin(),
                                                                         glibc_versions.begin() + 5)
                                              : glibc_versions) +
                               (glibc_versions.size() > 5 ? ", ..." : ""));
  } else if (elf.interp.find("ld-musl-") != std::string::npos) {
    findings.add("libc", "uses the musl loader " + elf.interp + " in a glibc target");
  }

  // soname: the name a shared library answers to against the file it is in.
  if (is_shared_library(record)) {
    const std::string name = base_name(record.target_path);
    if (elf.soname.empty())
      findings.add("soname", "shared library has no SONAME");
    else if (name != elf.soname && !name.starts_with(elf.soname + "."))
      findings.add("soname", "SONAME is " + elf.soname + " but the file is " + name);
  }
}

void check_file_content(const FileRecord& record, Content content, const Target& target,
                        std::vector<Finding>& out, const ConsumedFn& consumed) {
  FileFindings findings(record, out);
  if (record.elf) {
    for (const std::string& problem : record.elf->problems) findings.add("malformed", problem);
    check_elf_identity(record, target, findings);
    // A damaged object's tables cannot be trusted: "no build id" or "lazy binding" read from
    // unreadable section headers would be false, so hardening is judged on whole files only.
    if (record.elf->problems.empty()) check_elf_hardening(record, target, findings);
    check_elf_dynamic(record, target, findings);
  }
  check_contents(record, content, target, findings, consumed);
  check_metadata(record, target, findings);
}

void FileFindings::add(const char* check, std::string message) {
  const CheckInfo* info = find_check(check);
  add(check, info ? info->severity : Severity::Error, std::move(message));
}

void FileFindings::add(const char* check, Severity severity, std::string message) {
  const CheckInfo* info = find_check(check);
  Finding finding;
  finding.check = check;
  finding.severity = severity;
  finding.file = record_.file;
  finding.member = record_.member;
  finding.target_path = record_.target_path;
  finding.message = std::move(message);
  finding.hint = info ? info->hint : "";
  out_.push_back(std::move(finding));
}

}  // namespace xport::inspect
