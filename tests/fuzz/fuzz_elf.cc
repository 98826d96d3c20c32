// libFuzzer target: arbitrary bytes into the ELF reader, as a hostile file in a tree would be.
// Whatever comes in, read_elf_facts must return (an Error or facts with problems), never crash,
// hang or read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "inspect/elf_facts.h"
#include "inspect/path_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const xport::inspect::PathScanner scanner({"/usr/lib/x86_64-linux-gnu", "/home/"});
  // A private, writable copy: libelf may convert byte order in place, as on a private mapping.
  std::vector<unsigned char> bytes(data, data + size);
  auto facts = xport::inspect::read_elf_facts(xport::inspect::Content(bytes.data(), bytes.size()), &scanner);
  if (facts) {
    // Sorted-and-unique is what the undefined-symbol check relies on.
    for (size_t i = 1; i < facts->defined.size(); ++i)
      if (facts->defined[i - 1] >= facts->defined[i]) std::abort();
  }
  return 0;
}
