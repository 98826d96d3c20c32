// RISC-V: the float ABI and the compressed-instruction flag live in e_flags (psABI, "e_flags").
#include "arch/elf_flags.h"

namespace xport {

namespace {

constexpr uint32_t kRvc = 0x0001;
constexpr uint32_t kFloatAbiMask = 0x0006;
constexpr uint32_t kRve = 0x0008;

class RiscvFlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "riscv"; }
  std::vector<ElfFlagField> fields() const override {
    return {{"float-abi", {"soft", "single", "double", "quad"}, "how floats are passed"},
            {"rvc", {"true", "false"}, "uses compressed instructions", /*marks_use=*/true},
            {"rve", {"true", "false"}, "RV32E/RV64E reduced register file"}};
  }
  std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const override {
    static const char* const kFloatAbis[] = {"soft", "single", "double", "quad"};
    return {{"float-abi", kFloatAbis[(subject.e_flags & kFloatAbiMask) >> 1]},
            {"rvc", subject.e_flags & kRvc ? "true" : "false"},
            {"rve", subject.e_flags & kRve ? "true" : "false"}};
  }
};

}  // namespace

const ElfFlagsDecoder& riscv_flags_decoder() {
  static const RiscvFlagsDecoder decoder;
  return decoder;
}

}  // namespace xport
