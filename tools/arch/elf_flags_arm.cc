// 32-bit ARM: EABI version in e_flags bits 24-31, float ABI in EF_ARM_ABI_FLOAT_{SOFT,HARD}.
// Producers that leave the float bits clear (clang's and GCC's relocatable objects, Go, some
// assemblers) still record the float ABI in the .ARM.attributes section as Tag_ABI_VFP_args, which
// is read as the fallback; linkers (lld, GNU ld) set the e_flags bits in what they link.
#include "arch/elf_flags.h"

#include <optional>

namespace xport {

namespace {

constexpr uint32_t kFloatSoft = 0x00000200;
constexpr uint32_t kFloatHard = 0x00000400;
constexpr uint64_t kTagFile = 1;
constexpr uint64_t kTagAbiVfpArgs = 28;
constexpr uint64_t kTagCompatibility = 32;

// Reads a ULEB128 at `pos`, advancing it; nothing on overflow or truncation.
std::optional<uint64_t> read_uleb(std::string_view data, size_t& pos) {
  uint64_t value = 0;
  for (unsigned shift = 0; pos < data.size() && shift < 64; shift += 7) {
    uint8_t byte = static_cast<uint8_t>(data[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return value;
  }
  return std::nullopt;
}

bool skip_ntbs(std::string_view data, size_t& pos) {
  size_t end = data.find('\0', pos);
  if (end == std::string_view::npos) return false;
  pos = end + 1;
  return true;
}

uint32_t read_u32(std::string_view data, size_t pos, bool big_endian) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    uint32_t byte = static_cast<uint8_t>(data[pos + i]);
    v |= big_endian ? byte << (8 * (3 - i)) : byte << (8 * i);
  }
  return v;
}

// Tag_ABI_VFP_args from the "aeabi" vendor's file-scope attributes; nothing when it is absent or
// the bytes cannot be parsed. An absent tag formally means 0 (base, soft), but it is absent both
// from clang's and GCC's soft-float C objects and from hard-float assembler objects (musl's
// crti.o, say), so it is taken as "not stated" rather than as soft. (lld, too, ignores inputs
// without the tag when it checks that the float ABIs of its inputs agree.)
std::optional<uint64_t> vfp_args_attribute(std::string_view data) {
  if (data.size() < 1 || data[0] != 'A') return std::nullopt;
  size_t pos = 1;
  while (pos + 4 <= data.size()) {
    uint32_t section_length = read_u32(data, pos, false);
    if (section_length < 4 || section_length > data.size() - pos) return std::nullopt;
    std::string_view section = data.substr(pos + 4, section_length - 4);
    pos += section_length;
    size_t vendor_end = section.find('\0');
    if (vendor_end == std::string_view::npos) return std::nullopt;
    if (section.substr(0, vendor_end) != "aeabi") continue;
    size_t sub = vendor_end + 1;
    while (sub < section.size()) {
      if (section.size() - sub < 5) return std::nullopt;
      uint8_t tag = static_cast<uint8_t>(section[sub]);
      uint32_t sub_length = read_u32(section, sub + 1, false);
      if (sub_length < 5 || sub_length > section.size() - sub) return std::nullopt;
      std::string_view attributes = section.substr(sub + 5, sub_length - 5);
      sub += sub_length;
      if (tag != kTagFile) continue;
      size_t at = 0;
      while (at < attributes.size()) {
        auto attr = read_uleb(attributes, at);
        if (!attr) return std::nullopt;
        // Tags 4, 5, 67 and odd tags above 32 are strings; 32 is a number then a string.
        if (*attr == 4 || *attr == 5 || *attr == 67 || (*attr > 32 && (*attr & 1))) {
          if (!skip_ntbs(attributes, at)) return std::nullopt;
          continue;
        }
        auto value = read_uleb(attributes, at);
        if (!value) return std::nullopt;
        if (*attr == kTagCompatibility && !skip_ntbs(attributes, at)) return std::nullopt;
        if (*attr == kTagAbiVfpArgs) return value;
      }
    }
  }
  return std::nullopt;
}

class ArmFlagsDecoder : public ElfFlagsDecoder {
 public:
  std::string name() const override { return "arm"; }
  std::vector<ElfFlagField> fields() const override {
    return {{"eabi", {"unknown", "1", "2", "3", "4", "5"}, "ARM EABI version"},
            {"float-abi", {"soft", "hard"}, "floats passed in integer (soft) or VFP registers"}};
  }
  std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const override {
    std::map<std::string, std::string> out;
    uint32_t eabi = subject.e_flags >> 24;
    out["eabi"] = eabi == 0 ? "unknown" : std::to_string(eabi);
    if (subject.e_flags & kFloatHard) {
      out["float-abi"] = "hard";
    } else if (subject.e_flags & kFloatSoft) {
      out["float-abi"] = "soft";
    } else if (auto vfp = vfp_args_attribute(subject.arm_attributes)) {
      // 0: base (integer registers); 1: VFP registers; 2, 3: toolchain-specific or both.
      if (*vfp == 0) out["float-abi"] = "soft";
      else if (*vfp == 1) out["float-abi"] = "hard";
    }
    return out;
  }
};

}  // namespace

const ElfFlagsDecoder& arm_flags_decoder() {
  static const ArmFlagsDecoder decoder;
  return decoder;
}

}  // namespace xport
