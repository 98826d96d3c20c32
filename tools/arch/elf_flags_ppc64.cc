// 64-bit PowerPC: e_flags bits 0-1 give the ELF ABI version: 1 = ELFv1 (function descriptors),
// 2 = ELFv2. 0 means "not stated", which linkers write for objects that use neither feature.
#include "arch/elf_flags.h"

namespace xport {

namespace {

class Ppc64FlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "ppc64"; }
  std::vector<ElfFlagField> fields() const override {
    return {{"elf-abi", {"v1", "v2"}, "ELF ABI version (v2 has no function descriptors)"}};
  }
  std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const override {
    switch (subject.e_flags & 0x3) {
      case 1: return {{"elf-abi", "v1"}};
      case 2: return {{"elf-abi", "v2"}};
      default: return {};
    }
  }
};

}  // namespace

const ElfFlagsDecoder& ppc64_flags_decoder() {
  static const Ppc64FlagsDecoder decoder;
  return decoder;
}

}  // namespace xport
