#include "arch/elf_flags.h"

#include <algorithm>

#include "core/suggest.h"

namespace xport {

namespace {

// Families whose e_flags carry no ABI information (x86, AArch64, s390x).
class NoFlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "none"; }
  std::vector<ElfFlagField> fields() const override { return {}; }
  std::map<std::string, std::string> decode(const ElfFlagsSubject&) const override { return {}; }
};

struct DecoderEntry {
  const char* name;
  const ElfFlagsDecoder& (*get)();
};

const ElfFlagsDecoder& no_flags_decoder() {
  static const NoFlagsDecoder decoder;
  return decoder;
}

constexpr DecoderEntry kDecoders[] = {
    {"none", no_flags_decoder},         {"arm", arm_flags_decoder},
    {"riscv", riscv_flags_decoder},     {"ppc64", ppc64_flags_decoder},
    {"mips", mips_flags_decoder},       {"loongarch", loongarch_flags_decoder},
};

}  // namespace

std::optional<std::string> ElfFlagsDecoder::validate_expectations(
    const std::map<std::string, std::string>& expected) const {
  const std::vector<ElfFlagField> known = fields();
  for (const auto& [key, value] : expected) {
    auto field = std::find_if(known.begin(), known.end(),
                              [&](const ElfFlagField& f) { return f.key == key; });
    if (field == known.end()) {
      std::vector<std::string> keys;
      for (const ElfFlagField& f : known) keys.push_back(f.key);
      return "decoder '" + name() + "' knows no property '" + key + "' (known: " +
             (keys.empty() ? std::string("none") : join_names(keys)) + ")";
    }
    if (std::find(field->values.begin(), field->values.end(), value) == field->values.end())
      return "'" + key + "' cannot be '" + value + "' (one of: " + join_names(field->values) + ")";
  }
  return std::nullopt;
}

const ElfFlagsDecoder* find_elf_flags_decoder(const std::string& name) {
  const std::string wanted = name.empty() ? "none" : name;
  for (const DecoderEntry& entry : kDecoders)
    if (wanted == entry.name) return &entry.get();
  return nullptr;
}

std::vector<std::string> elf_flags_decoder_names() {
  std::vector<std::string> names;
  for (const DecoderEntry& entry : kDecoders) names.push_back(entry.name);
  return names;
}

}  // namespace xport
