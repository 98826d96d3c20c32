// Helpers shared by arch_test.cc and elf_flags_test.cc (test binary only): where the committed arch
// files are, and real objects compiled at test time with clang-16 and read back with libelf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch.h"

namespace xport::arch_test {

/// $XPORT_DATA_DIR (ctest sets it), else the source tree the tests were built from.
std::string data_dir();

/// The committed arch files, loaded once (a load failure is a test failure).
const ArchRegistry& registry();

/// What these tests need to know about one compiled object.
struct ObjectFacts {
  int elf_class = 0;
  Endian endian = Endian::Little;
  uint16_t machine = 0;
  uint32_t flags = 0;
  std::string interp;          // PT_INTERP without its NUL, "" when none
  std::string arm_attributes;  // raw .ARM.attributes, "" when none
};

/// Reads `path` with libelf; records a test failure and gives nothing when it cannot.
std::optional<ObjectFacts> read_object(const std::string& path);

struct Compiled {
  bool ok = false;
  std::string output;  // the compiler's messages
};

/// Runs clang-16 (from PATH) on C `source` for `triple`: an object with `link` false, else a
/// freestanding PIE linked by ld.lld-16. `flags` come last. A missing clang is a test failure.
Compiled compile(const std::string& triple, const std::string& source, const std::string& output,
                 bool link, const std::vector<std::string>& flags = {});

/// Like compile(), but a failure is also a test failure (with the compiler's output) and the
/// object is read back. Nothing on failure.
std::optional<ObjectFacts> compile_and_read(const std::string& triple, const std::string& output,
                                            bool link, const std::vector<std::string>& flags = {});

}  // namespace xport::arch_test
