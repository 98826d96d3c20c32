#include <algorithm>

#include "inspect/finding.h"

namespace xport::inspect {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(const std::string& name) {
  if (name == "info") return Severity::Info;
  if (name == "warning") return Severity::Warning;
  if (name == "error") return Severity::Error;
  return std::nullopt;
}

const std::vector<CheckInfo>& all_checks() {
  static const std::vector<CheckInfo> checks = {
      {"arch", Severity::Error,
       "ELF object is not for the target (machine, class, byte order, OS ABI or ABI flags)",
       "rebuild it with the target toolchain; check that the build did not pick up the host's cc"},
      {"non-cpu-elf", Severity::Info,
       "ELF object is not CPU code (eBPF, firmware); not checked against the target",
       "nothing to do if the object is meant to be loaded by a kernel or device"},
      {"interp", Severity::Error,
       "program interpreter (PT_INTERP) is not the target libc's loader, or is missing from the root",
       "link with the target toolchain's --dynamic-linker; install the libc package into the root"},
      {"rpath", Severity::Error,
       "DT_RPATH/DT_RUNPATH points at the build host, a staging dir, or is not $ORIGIN-relative",
       "drop the rpath (-Wl,--disable-new-dtags is not a fix) or make it $ORIGIN-relative"},
      {"needed", Severity::Error,
       "DT_NEEDED library cannot be found in the root, or is for another architecture",
       "add the library's package to the root, or fix the search path (RUNPATH, ld-musl path file)"},
      {"undefined", Severity::Error,
       "undefined dynamic symbol is defined by no library in the DT_NEEDED closure",
       "link the missing library (a libc.so without its compiler runtime shows __addtf3 and such)"},
      {"libc", Severity::Error,
       "object needs another C library than the target's (glibc symbol versions in a musl root)",
       "rebuild against the target sysroot; the object was linked against the host's glibc"},
      {"buildpaths", Severity::Error,
       "file contains a path of the build host (multiarch dirs, home, build or staging dirs)",
       "build with -ffile-prefix-map=$PWD=. and keep the host's paths out of the configuration"},
      {"host-compiler", Severity::Warning,
       ".comment names a compiler other than the expected one",
       "make sure CC/CXX point at the target toolchain and no host object was linked in"},
      {"textrel", Severity::Warning, "object has text relocations (DT_TEXTREL)",
       "compile every object of it with -fPIC"},
      {"execstack", Severity::Warning, "stack is executable (PT_GNU_STACK with PF_X, or missing)",
       "link with -z noexecstack; find the assembly file that lacks a .note.GNU-stack section"},
      {"wx-segment", Severity::Warning, "a loadable segment is both writable and executable",
       "check the linker script and flags (-z separate-code, no -N/--omagic)"},
      {"relro", Severity::Warning, "dynamic object has no RELRO segment (PT_GNU_RELRO)",
       "link with -z relro"},
      {"bind-now", Severity::Warning, "dynamic object is not linked with immediate binding",
       "link with -z now"},
      {"pie", Severity::Warning, "executable is not position-independent (ET_EXEC)",
       "compile with -fPIE and link with -pie"},
      {"build-id", Severity::Info, "object has no build id note (NT_GNU_BUILD_ID)",
       "link with --build-id so debug info can be matched to the binary"},
      {"stripped", Severity::Info, "object is not stripped (has a symbol table or debug info)",
       "strip it when packaging, or split the debug info into a -dbg package"},
      {"soname", Severity::Warning,
       "shared library's SONAME does not match its file name, is missing, or is used twice",
       "link with -Wl,-soname,<name> and install the SONAME symlink"},
      {"shebang", Severity::Error, "script's interpreter (#!) does not exist in the root",
       "install the interpreter's package, or fix the path in the #! line"},
      {"pkgconfig", Severity::Error, "pkg-config file carries a host or staging path",
       "set prefix to the target's (/usr) and let the pkg-config wrapper add the sysroot"},
      {"libtool", Severity::Error, "libtool archive (.la) carries a host or staging path",
       "remove .la files from the package, or fix libdir and dependency_libs"},
      {"symlink", Severity::Error, "symbolic link is absolute, leaves the root, or dangles",
       "use a relative link (ln -sr) to a file that the root contains"},
      {"permissions", Severity::Warning, "file is setuid/setgid or world-writable",
       "drop the special bits unless the package needs them, and say why in a waiver"},
      {"owner", Severity::Warning, "file is owned by the building user instead of root",
       "install with fakeroot semantics or write archives with owner root (uid 0, gid 0)"},
      {"malformed", Severity::Error, "ELF object or archive is damaged and cannot be fully read",
       "rebuild or re-download it; a truncated file usually means an interrupted copy"},
      {"unreadable", Severity::Error, "file cannot be opened or read",
       "check permissions and that the file still exists"},
  };
  return checks;
}

const CheckInfo* find_check(const std::string& id) {
  const auto& checks = all_checks();
  auto it = std::find_if(checks.begin(), checks.end(),
                         [&](const CheckInfo& c) { return id == c.id; });
  return it == checks.end() ? nullptr : &*it;
}

}  // namespace xport::inspect
