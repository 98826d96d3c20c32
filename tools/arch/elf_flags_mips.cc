// MIPS: the ABI (o32, n32, n64) and the NaN encoding are in e_flags. A 64-bit object with no ABI
// bits set is n64; EF_MIPS_ABI2 marks n32.
#include "arch/elf_flags.h"

namespace xport {

namespace {

constexpr uint32_t kAbi2 = 0x00000020;
constexpr uint32_t kNan2008 = 0x00000400;
constexpr uint32_t kAbiMask = 0x0000f000;

class MipsFlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "mips"; }
  std::vector<ElfFlagField> fields() const override {
    return {{"abi", {"o32", "o64", "n32", "n64", "eabi32", "eabi64"}, "calling convention"},
            {"nan", {"2008", "legacy"}, "NaN encoding"}};
  }
  std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const override {
    std::map<std::string, std::string> out;
    switch (subject.e_flags & kAbiMask) {
      case 0x1000: out["abi"] = "o32"; break;
      case 0x2000: out["abi"] = "o64"; break;
      case 0x3000: out["abi"] = "eabi32"; break;
      case 0x4000: out["abi"] = "eabi64"; break;
      case 0:
        if (subject.e_flags & kAbi2) out["abi"] = "n32";
        else if (subject.elf_class == 64) out["abi"] = "n64";
        else out["abi"] = "o32";  // old 32-bit objects leave the field empty
        break;
      default: break;
    }
    out["nan"] = subject.e_flags & kNan2008 ? "2008" : "legacy";
    return out;
  }
};

}  // namespace

const ElfFlagsDecoder& mips_flags_decoder() {
  static const MipsFlagsDecoder decoder;
  return decoder;
}

}  // namespace xport
