// e_flags (and, for 32-bit ARM, .ARM.attributes) carry the ABI variant of an object: float ABI,
// compressed instructions, ELF ABI version. Each processor family that uses them has one small
// decoder, registered by name in elf_flags.cc; arch files name their decoder and the values they
// expect, e.g. `flags: {decoder: riscv, float-abi: double, rvc: "true"}`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xport {

/// What the inspector knows about one object when it asks a decoder.
struct ElfFlagsSubject {
  uint32_t e_flags = 0;
  int elf_class = 0;
  /// Raw contents of the .ARM.attributes section, empty when the object has none.
  std::string_view arm_attributes;
};

/// One property a decoder reports, with the values it can take.
struct ElfFlagField {
  std::string key;
  std::vector<std::string> values;
  std::string meaning;
  /// The flag says the object *uses* an extension ("true"/"false"): an object that does not
  /// use it fits a target that has it (RISC-V code without compressed instructions runs on
  /// RV64GC), so only "true" against a target without it is a mismatch.
  bool marks_use = false;
};

class ElfFlagsDecoder {
 public:
  virtual ~ElfFlagsDecoder() = default;
  virtual std::string name() const = 0;
  virtual std::vector<ElfFlagField> fields() const = 0;
  /// The properties this object carries. A property that cannot be told (for instance a float
  /// ABI that neither e_flags nor the attributes state) is left out, not guessed.
  virtual std::map<std::string, std::string> decode(const ElfFlagsSubject& subject) const = 0;

  /// Checks what an arch file expects against fields(): a problem description, or nothing.
  std::optional<std::string> validate_expectations(
      const std::map<std::string, std::string>& expected) const;
};

/// The decoder called `name`; "" and "none" give the decoder of families without e_flags.
const ElfFlagsDecoder* find_elf_flags_decoder(const std::string& name);
std::vector<std::string> elf_flags_decoder_names();

/// Each family's decoder, defined in elf_flags_<family>.cc.
const ElfFlagsDecoder& arm_flags_decoder();
const ElfFlagsDecoder& riscv_flags_decoder();
const ElfFlagsDecoder& ppc64_flags_decoder();
const ElfFlagsDecoder& mips_flags_decoder();
const ElfFlagsDecoder& loongarch_flags_decoder();

}  // namespace xport
