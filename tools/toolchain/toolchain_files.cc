#include "toolchain/toolchain_files.h"

#include <sys/stat.h>

#include <filesystem>

#include "core/files.h"
#include "core/huge_pages.h"
#include "core/process.h"

namespace xport {

namespace fs = std::filesystem;

namespace {

// Writes only when different, so a no-op run touches nothing and timestamps stay put.
Status write_if_changed(const std::string& path, const std::string& content, mode_t mode = 0644) {
  auto old = read_file(path);
  if (!old || *old != content) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (Status written = write_file_atomically(path, content); !written.ok()) return written;
  }
  if (chmod(path.c_str(), mode) != 0) return Error(path + ": cannot set mode");
  return Status::success();
}

// A program inside the toolchain directory as `dir_token` + its relative path, so that the
// directory can move; a host program as its absolute path.
std::string inside_toolchain(const ToolchainLayout& layout, const std::string& path, const std::string& dir_token) {
  const std::string prefix = layout.dir + "/";
  return path.starts_with(prefix) ? dir_token + "/" + path.substr(prefix.size()) : path;
}

// Where the clang config lives relative to the toolchain dir; <CFGDIR> in it is that directory.
std::string config_name(const ToolchainLayout& layout) { return layout.triple() + ".cfg"; }

std::string clang_config(const ToolchainLayout& layout) {
  const std::string version = std::to_string(layout.llvm->version);
  std::string cfg = "# Written by xport: the " + layout.triple() + " toolchain (" + layout.kind->name +
                    ").\n# Paths are relative to this file (<CFGDIR>), so the directory can move.\n";
  cfg += "--target=" + layout.triple() + "\n";
  cfg += "--sysroot=<CFGDIR>/sysroot\n";
  cfg += "-resource-dir=<CFGDIR>/lib/clang/" + version + "\n";
  cfg += "--rtlib=compiler-rt\n--unwindlib=libunwind\n";
  // Without this clang looks for a GCC installation on the host and, for x86_64 targets, adds
  // the host's /usr/lib/gcc/x86_64-linux-gnu/<v> to the library path (libatomic leaked in).
  cfg += "--gcc-toolchain=<CFGDIR>/sysroot\n";
  cfg += "-fuse-ld=lld\n--ld-path=" + inside_toolchain(layout, layout.linker(), "<CFGDIR>") + "\n";
  for (const std::string& flag : layout.cflags()) cfg += flag + "\n";
  return cfg;
}

// `cpp [options] [input [output]]` as GNU cpp takes it: no input reads standard input, and a
// second operand is the output file (clang -E would take both as inputs).
constexpr const char* kCppOperands =
    "operands=0 skip=\n"
    "for arg; do\n"
    "  shift\n"
    "  if [ -n \"$skip\" ]; then skip=; set -- \"$@\" \"$arg\"; continue; fi\n"
    "  case $arg in\n"
    "    -o|-I|-D|-U|-include|-imacros|-isystem|-idirafter|-iquote|-iprefix|-MF|-MT|-MQ|-x|-Xclang|-target)\n"
    "      skip=1; set -- \"$@\" \"$arg\" ;;\n"
    "    -?*) set -- \"$@\" \"$arg\" ;;\n"
    "    *) operands=$((operands + 1))\n"
    "       if [ \"$operands\" -eq 2 ]; then set -- \"$@\" -o \"$arg\"; else set -- \"$@\" \"$arg\"; fi ;;\n"
    "  esac\n"
    "done\n"
    "[ \"$operands\" -gt 0 ] || set -- \"$@\" -\n";

// Sets `here` to the wrapper's directory. Build systems start the compiler thousands of times:
// this forks nothing unless the wrapper was reached through a symbolic link.
constexpr const char* kFindHere =
    "self=$0\n"
    "[ ! -L \"$self\" ] || self=$(readlink -f \"$self\")\n"
    "case $self in */*) here=${self%/*} ;; *) here=. ;; esac\n";

constexpr const char* kMallocTunables = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216";

std::string wrapper(const ToolchainLayout& layout, const std::string& program, const std::string& extra,
                    const std::string& prelude = "") {
  const std::string runs = inside_toolchain(layout, program, "$here/..");
  return "#!/bin/sh\n# Written by xport. Runs " + runs + " for " + layout.triple() +
         " with the toolchain next to this script.\n" + kFindHere +
         "# clang honours these even when cross compiling: the host must not leak in through them.\n"
         "unset CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH LIBRARY_PATH\n" +
         "# A compile allocates tens of MB: glibc's malloc in 2 MB pages where the kernel has\n"
         "# them, a page fault per 2 MB instead of per 4 KB (a fifth of musl's build).\n"
         "# The caller's tunables come last, and glibc takes the last value.\n"
         "export GLIBC_TUNABLES=\"" +
         std::string(kMallocTunables) + "${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}\"\n" +
         "# xport build points this at a build's own sysroot (the toolchain's plus the packages it\n"
         "# build-depends on); the later --sysroot wins over the config file's.\n" +
         prelude + "exec \"" + runs + "\" --config=\"$here/../" + config_name(layout) + "\"" +
         " ${XPORT_BUILD_SYSROOT:+\"--sysroot=$XPORT_BUILD_SYSROOT\"}" + extra + " \"$@\"\n";
}

std::string tool_wrapper(const ToolchainLayout& layout, const std::string& program) {
  const std::string in_toolchain = inside_toolchain(layout, program, "$here/..");
  if (in_toolchain == program) return "#!/bin/sh\nexec \"" + program + "\" \"$@\"\n";
  return std::string("#!/bin/sh\n") + kFindHere + "exec \"" + in_toolchain + "\" \"$@\"\n";
}

std::string pkg_config_wrapper(const ToolchainLayout& layout) {
  // The host's PKG_CONFIG_PATH must not leak in: only the sysroot's .pc files count.
  return "#!/bin/sh\n# Written by xport: pkg-config for " + layout.triple() +
         ", seeing only the sysroot.\n"
         "here=$(dirname \"$(readlink -f \"$0\")\")\n"
         "sysroot=\"${XPORT_BUILD_SYSROOT:-$here/../sysroot}\"\n"
         "unset PKG_CONFIG_PATH\n"
         "export PKG_CONFIG_SYSROOT_DIR=\"$sysroot\"\n"
         "export PKG_CONFIG_LIBDIR=\"$sysroot/usr/lib/pkgconfig:$sysroot/usr/share/pkgconfig\"\n"
         "exec pkg-config \"$@\"\n";
}

std::string cmake_toolchain(const ToolchainLayout& layout) {
  const std::string t = layout.triple();
  std::string processor = layout.arch->name;
  return "# Written by xport: CMake toolchain file for " + t + ".\n"
         "# Everything is found relative to this file, so the toolchain directory can move.\n"
         "set(CMAKE_SYSTEM_NAME Linux)\n"
         "set(CMAKE_SYSTEM_PROCESSOR " + processor + ")\n"
         "get_filename_component(XPORT_TOOLCHAIN \"${CMAKE_CURRENT_LIST_DIR}\" ABSOLUTE)\n"
         "set(CMAKE_SYSROOT \"${XPORT_TOOLCHAIN}/sysroot\")\n"
         "if(DEFINED ENV{XPORT_BUILD_SYSROOT})  # xport build: the toolchain's sysroot and build dependencies\n"
         "  set(CMAKE_SYSROOT \"$ENV{XPORT_BUILD_SYSROOT}\")\n"
         "endif()\n"
         "set(CMAKE_C_COMPILER \"${XPORT_TOOLCHAIN}/bin/" + t + "-cc\")\n"
         "set(CMAKE_CXX_COMPILER \"${XPORT_TOOLCHAIN}/bin/" + t + "-c++\")\n"
         "set(CMAKE_ASM_COMPILER \"${XPORT_TOOLCHAIN}/bin/" + t + "-cc\")\n"
         "set(CMAKE_LINKER \"${XPORT_TOOLCHAIN}/bin/" + t + "-ld\" CACHE FILEPATH \"\")\n"
         "# CMake asks the linker whether it knows --push-state in every project it configures, each\n"
         "# check's too (Platform/Linux.cmake runs `<linker> --help`, some 100 times in a configure);\n"
         "# lld and GNU ld, the linkers xport uses, both do.\n"
         "set(_CMAKE_LINKER_PUSHPOP_STATE_SUPPORTED TRUE)\n"
         "set(CMAKE_AR \"${XPORT_TOOLCHAIN}/bin/" + t + "-ar\" CACHE FILEPATH \"\")\n"
         "set(CMAKE_RANLIB \"${XPORT_TOOLCHAIN}/bin/" + t + "-ranlib\" CACHE FILEPATH \"\")\n"
         "set(CMAKE_NM \"${XPORT_TOOLCHAIN}/bin/" + t + "-nm\" CACHE FILEPATH \"\")\n"
         "set(CMAKE_STRIP \"${XPORT_TOOLCHAIN}/bin/" + t + "-strip\" CACHE FILEPATH \"\")\n"
         "set(CMAKE_OBJCOPY \"${XPORT_TOOLCHAIN}/bin/" + t + "-objcopy\" CACHE FILEPATH \"\")\n"
         "set(PKG_CONFIG_EXECUTABLE \"${XPORT_TOOLCHAIN}/bin/" + t + "-pkg-config\" CACHE FILEPATH \"\")\n"
         "set(CMAKE_CROSSCOMPILING_EMULATOR " + layout.arch->qemu_user + " -L \"${CMAKE_SYSROOT}\")\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)\n";
}

std::string meson_cross(const ToolchainLayout& layout) {
  // Meson 1.0 (Debian 12) cannot find paths relative to the cross file, so this one holds
  // absolute paths; `xport toolchain --out <new place>` rewrites it after a move in a second.
  const std::string t = layout.triple();
  const std::string d = layout.dir;
  const std::string endian = layout.arch->elf.endian == Endian::Big ? "big" : "little";
  return "# Written by xport: Meson cross file for " + t + ".\n"
         "[binaries]\n"
         "c = '" + d + "/bin/" + t + "-cc'\n"
         "cpp = '" + d + "/bin/" + t + "-c++'\n"
         "ar = '" + d + "/bin/" + t + "-ar'\n"
         "nm = '" + d + "/bin/" + t + "-nm'\n"
         "strip = '" + d + "/bin/" + t + "-strip'\n"
         "objcopy = '" + d + "/bin/" + t + "-objcopy'\n"
         "pkgconfig = '" + d + "/bin/" + t + "-pkg-config'\n"  // Meson 1.0 reads only this spelling
         "exe_wrapper = ['" + layout.arch->qemu_user + "', '-L', '" + d + "/sysroot']\n\n"
         "[properties]\n"
         "needs_exe_wrapper = true\n"
         "sys_root = '" + d + "/sysroot'\n\n"
         "[host_machine]\n"
         "system = 'linux'\n"
         "cpu_family = '" + layout.arch->meson_cpu_family + "'\n"
         "cpu = '" + layout.arch->name + "'\n"
         "endian = '" + endian + "'\n";
}

std::string config_site(const ToolchainLayout& layout) {
  return "# Written by xport: autoconf site defaults for " + layout.triple() +
         " (CONFIG_SITE=<this file>).\n"
         "# Answers configure cannot find out by running target code.\n"
         "ac_cv_func_malloc_0_nonnull=yes\n"
         "ac_cv_func_realloc_0_nonnull=yes\n"
         "ac_cv_func_mmap_fixed_mapped=yes\n"
         "ac_cv_file__dev_zero=yes\n"
         "ac_cv_func_setpgrp_void=yes\n"
         "# gnulib looks for a POSIX shell on the build host and finds bash there: scripts for\n"
         "# the target must name the target's shell.\n"
         "gl_cv_posix_shell=/bin/sh\n";
}

}  // namespace

std::string ToolchainLayout::resource_dir() const {
  return dir + "/lib/clang/" + std::to_string(llvm->version);
}

std::string ToolchainLayout::kind_or_host(const std::string& in_toolchain, const std::string& host) const {
  return in_toolchain.empty() ? host : dir + "/" + in_toolchain;
}

std::string ToolchainLayout::clang() const { return kind_or_host(kind->clang, llvm->clang); }

std::string ToolchainLayout::clangxx() const {
  // clang picks its C++ mode from the name it was started by.
  return kind->clang.empty() ? llvm->clangxx : dir + "/" + kind->clang + "++";
}

std::string ToolchainLayout::linker() const {
  const ToolchainArchQuirks quirks = kind->quirks_for(*arch);
  if (!quirks.linker.empty()) {
    std::string found = find_program(quirks.linker);
    return found.empty() ? quirks.linker : found;
  }
  return kind_or_host(kind->lld, llvm->lld);
}

std::string ToolchainLayout::ar() const { return kind_or_host(kind->ar, llvm->ar); }

std::string ToolchainLayout::ranlib() const { return kind_or_host(kind->ranlib, llvm->ranlib); }

std::string cache_kind_programs_in_huge_pages(const ToolchainLayout& layout) {
  std::string log;
  for (const std::string* program : {&layout.kind->clang, &layout.kind->lld, &layout.kind->ar}) {
    if (program->empty()) continue;
    std::error_code ec;
    const std::string file = fs::canonical(layout.dir + "/" + *program, ec).string();
    if (ec) {
      log += *program + ": " + ec.message() + "\n";
      continue;
    }
    auto huge = cache_in_huge_pages(file);
    if (!huge) {
      log += huge.error().message() + "\n";
      continue;
    }
    log += *program + ": " + std::to_string(*huge >> 20) + " of " +
           std::to_string(fs::file_size(file, ec) >> 20) + " MB in 2 MB pages\n";
  }
  return log;
}

Status log_huge_pages(const std::string& log_dir, const ToolchainLayout& layout) {
  std::error_code ec;
  fs::create_directories(log_dir, ec);
  if (ec) return Error(log_dir + ": cannot create: " + ec.message());
  return write_file_atomically(log_dir + "/huge-pages.log",
                               cache_kind_programs_in_huge_pages(layout));
}

std::vector<std::string> ToolchainLayout::cflags() const {
  std::vector<std::string> flags = arch->cflags;
  for (const std::string& flag : kind->quirks_for(*arch).cflags) flags.push_back(flag);
  return flags;
}

Status write_toolchain_files(const ToolchainLayout& layout) {
  const std::string t = layout.triple();
  const std::string bin = layout.dir + "/bin/";
  struct File {
    std::string path;
    std::string content;
    mode_t mode;
  };
  std::vector<File> files = {
      {layout.dir + "/" + config_name(layout), clang_config(layout), 0644},
      {bin + t + "-cc", wrapper(layout, layout.clang(), ""), 0755},
      {bin + t + "-gcc", wrapper(layout, layout.clang(), ""), 0755},
      {bin + t + "-c++", wrapper(layout, layout.clangxx(), " -stdlib=libc++"), 0755},
      {bin + t + "-g++", wrapper(layout, layout.clangxx(), " -stdlib=libc++"), 0755},
      {bin + t + "-cpp", wrapper(layout, layout.clang(), " -E", kCppOperands), 0755},
      {bin + t + "-ld", tool_wrapper(layout, layout.linker()), 0755},
      {bin + t + "-ar", tool_wrapper(layout, layout.ar()), 0755},
      {bin + t + "-nm", tool_wrapper(layout, layout.llvm->nm), 0755},
      {bin + t + "-ranlib", tool_wrapper(layout, layout.ranlib()), 0755},
      {bin + t + "-strip", tool_wrapper(layout, layout.llvm->strip), 0755},
      {bin + t + "-objcopy", tool_wrapper(layout, layout.llvm->objcopy), 0755},
      {bin + t + "-objdump", tool_wrapper(layout, layout.llvm->objdump), 0755},
      {bin + t + "-readelf", tool_wrapper(layout, layout.llvm->readelf), 0755},
      {bin + t + "-pkg-config", pkg_config_wrapper(layout), 0755},
      {layout.dir + "/toolchain.cmake", cmake_toolchain(layout), 0644},
      {layout.dir + "/meson.cross", meson_cross(layout), 0644},
      {layout.dir + "/config.site", config_site(layout), 0644},
  };
  for (const File& file : files)
    if (Status written = write_if_changed(file.path, file.content, file.mode); !written.ok()) return written;
  // The private resource dir: clang's own headers, our compiler-rt.
  std::error_code ec;
  fs::create_directories(layout.resource_dir() + "/lib", ec);
  const std::string include = layout.resource_dir() + "/include";
  const std::string host_include = layout.llvm->resource_dir + "/include";
  if (fs::read_symlink(include, ec) != host_include) {
    fs::remove(include, ec);
    fs::create_symlink(host_include, include, ec);
    if (ec) return Error(include + ": cannot link clang's headers: " + ec.message());
  }
  return Status::success();
}

std::string toolchain_exports(const ToolchainLayout& layout) {
  const std::string t = layout.triple();
  std::string out = "# eval \"$(xport env --arch " + layout.arch->name + ")\"\n";
  for (const char* leak : {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "LIBRARY_PATH", "LD_LIBRARY_PATH",
                           "PKG_CONFIG_PATH", "XPORT_BUILD_SYSROOT"})
    out += std::string("unset ") + leak + "\n";
  auto line = [&](const std::string& name, const std::string& value) {
    out += "export " + name + "=" + quote_command({value}) + "\n";
  };
  line("XPORT_TOOLCHAIN", layout.dir);
  line("XPORT_TRIPLE", t);
  line("XPORT_SYSROOT", layout.sysroot());
  line("CC", layout.bin("cc"));
  line("CXX", layout.bin("c++"));
  line("CPP", layout.bin("cpp"));
  line("LD", layout.bin("ld"));
  line("AR", layout.bin("ar"));
  line("NM", layout.bin("nm"));
  line("RANLIB", layout.bin("ranlib"));
  line("STRIP", layout.bin("strip"));
  line("OBJCOPY", layout.bin("objcopy"));
  line("OBJDUMP", layout.bin("objdump"));
  line("READELF", layout.bin("readelf"));
  line("PKG_CONFIG", layout.bin("pkg-config"));
  line("CONFIG_SITE", layout.dir + "/config.site");
  line("PATH", layout.dir + "/bin:" + std::string(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin"));
  return out;
}

}  // namespace xport
