// LoongArch: the base ABI's float modifier is in e_flags bits 0-2, the object ABI version in 6-7.
#include "arch/elf_flags.h"

namespace xport {

namespace {

class LoongArchFlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "loongarch"; }
  std::vector<ElfFlagField> fields() const override {
    return {{"float-abi", {"soft", "single", "double"}, "base ABI: lp64s, lp64f or lp64d"},
            {"abi-version", {"0", "1"}, "object file ABI version"}};
  }
  std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const override {
    std::map<std::string, std::string> out;
    switch (subject.e_flags & 0x7) {
      case 1: out["float-abi"] = "soft"; break;
      case 2: out["float-abi"] = "single"; break;
      case 3: out["float-abi"] = "double"; break;
      default: break;  // reserved: say nothing rather than guess
    }
    out["abi-version"] = std::to_string((subject.e_flags >> 6) & 0x3);
    return out;
  }
};

}  // namespace

const ElfFlagsDecoder& loongarch_flags_decoder() {
  static const LoongArchFlagsDecoder decoder;
  return decoder;
}

}  // namespace xport
