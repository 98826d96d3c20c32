// Each e_flags decoder on values from real objects that clang-16 (and lld-16) make at test time,
// the 32-bit ARM fallback to .ARM.attributes, and attribute bytes that are cut short or garbage.
#include "arch/elf_flags.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "arch/arch_test_support.h"
#include "testing/fixtures.h"

namespace xport {
namespace {

using arch_test::compile_and_read;
using arch_test::ObjectFacts;
using Props = std::map<std::string, std::string>;
using testing::TempDir;

Props decode(const char* decoder, const ObjectFacts& object, bool with_attributes = true) {
  const ElfFlagsDecoder* d = find_elf_flags_decoder(decoder);
  EXPECT_NE(d, nullptr) << decoder;
  if (!d) return {};
  return d->decode(
      {object.flags, object.elf_class,
       with_attributes ? std::string_view(object.arm_attributes) : std::string_view()});
}

Props decode_raw(const char* decoder, uint32_t flags, int elf_class,
                 std::string_view attributes = {}) {
  return find_elf_flags_decoder(decoder)->decode({flags, elf_class, attributes});
}

// One object per test case, compiled into a directory that lives as long as the test.
class ElfFlagsReal : public ::testing::Test {
 protected:
  ObjectFacts object(const std::string& triple, std::vector<std::string> flags = {},
                     bool link = false) {
    const std::string out = dir_.path() + "/" + std::to_string(count_++) + (link ? ".exe" : ".o");
    auto facts = compile_and_read(triple, out, link, flags);
    EXPECT_TRUE(facts) << triple;
    return facts.value_or(ObjectFacts());
  }

 private:
  TempDir dir_;
  int count_ = 0;
};

TEST(ElfFlags, EveryDecoderIsRegistered) {
  EXPECT_EQ(elf_flags_decoder_names(),
            (std::vector<std::string>{"none", "arm", "riscv", "ppc64", "mips", "loongarch"}));
  for (const std::string& name : elf_flags_decoder_names()) {
    const ElfFlagsDecoder* decoder = find_elf_flags_decoder(name);
    ASSERT_NE(decoder, nullptr) << name;
    EXPECT_EQ(decoder->name(), name);
  }
  EXPECT_EQ(find_elf_flags_decoder(""), find_elf_flags_decoder("none"));
  EXPECT_EQ(find_elf_flags_decoder("sparc"), nullptr);
}

TEST(ElfFlags, ValidatesWhatArchFilesExpect) {
  const ElfFlagsDecoder& arm = *find_elf_flags_decoder("arm");
  EXPECT_EQ(arm.validate_expectations({{"eabi", "5"}, {"float-abi", "hard"}}), std::nullopt);
  EXPECT_EQ(arm.validate_expectations({{"float-abi", "softfp"}}),
            "'float-abi' cannot be 'softfp' (one of: soft, hard)");
  EXPECT_EQ(arm.validate_expectations({{"abi", "n64"}}),
            "decoder 'arm' knows no property 'abi' (known: eabi, float-abi)");
  EXPECT_EQ(find_elf_flags_decoder("none")->validate_expectations({{"x", "y"}}),
            "decoder 'none' knows no property 'x' (known: none)");
}

TEST(ElfFlags, DecodedPropertiesAreOnesArchFilesCanExpect) {
  // Every property decode() reports must be one fields() declares, whatever the input; on
  // well-formed values its value must be declared too, so an arch file can ask for it. (Garbage,
  // such as an ARM EABI version of 255, is reported as found, so that a message can show it.)
  const std::vector<uint32_t> well_formed = {0,      1,     2,         3,         5,         0x43,
                                             0x1000, 0x420, 0x5000400, 0x5000200, 0x80000407};
  for (const std::string& name : elf_flags_decoder_names()) {
    const ElfFlagsDecoder& decoder = *find_elf_flags_decoder(name);
    std::set<std::string> keys;
    for (const ElfFlagField& field : decoder.fields()) keys.insert(field.key);
    for (uint32_t flags : {0u, 1u, 0x80000407u, 0xffffffffu, 0x7fffffffu}) {
      for (int elf_class : {32, 64}) {
        for (const auto& [key, value] : decoder.decode({flags, elf_class, {}}))
          EXPECT_TRUE(keys.count(key)) << name << " reports undeclared '" << key << "'";
      }
    }
    for (uint32_t flags : well_formed) {
      if (name == "arm" && (flags >> 24) > 5) continue;
      for (const auto& [key, value] : decoder.decode({flags, 64, {}}))
        EXPECT_EQ(decoder.validate_expectations({{key, value}}), std::nullopt)
            << name << " 0x" << std::hex << flags;
    }
  }
}

TEST_F(ElfFlagsReal, NoneSaysNothing) {
  ObjectFacts x86 = object("x86_64-linux-musl");
  EXPECT_EQ(x86.flags, 0u);
  EXPECT_EQ(decode("none", x86), Props{});
  EXPECT_EQ(decode_raw("none", 0xffffffff, 64), Props{});
}

TEST_F(ElfFlagsReal, RiscV) {
  ObjectFacts gc = object("riscv64-linux-musl", {"-mno-relax"});
  EXPECT_EQ(gc.flags, 0x5u);  // EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE
  EXPECT_EQ(decode("riscv", gc),
            (Props{{"float-abi", "double"}, {"rvc", "true"}, {"rve", "false"}}));

  ObjectFacts soft = object("riscv64-linux-musl", {"-mno-relax", "-march=rv64imac", "-mabi=lp64"});
  EXPECT_EQ(soft.flags, 0x1u);
  EXPECT_EQ(decode("riscv", soft),
            (Props{{"float-abi", "soft"}, {"rvc", "true"}, {"rve", "false"}}));

  ObjectFacts no_c = object("riscv64-linux-musl", {"-mno-relax", "-march=rv64g"});
  EXPECT_EQ(no_c.flags, 0x4u);
  EXPECT_EQ(decode("riscv", no_c),
            (Props{{"float-abi", "double"}, {"rvc", "false"}, {"rve", "false"}}));

  ObjectFacts single =
      object("riscv64-linux-musl", {"-mno-relax", "-march=rv64imafc", "-mabi=lp64f"});
  EXPECT_EQ(single.flags, 0x3u);
  EXPECT_EQ(decode("riscv", single).at("float-abi"), "single");

  ObjectFacts linked = object("riscv64-linux-musl", {"-mno-relax"}, true);
  EXPECT_EQ(decode("riscv", linked).at("float-abi"), "double");
}

TEST_F(ElfFlagsReal, Ppc64) {
  ObjectFacts le = object("powerpc64le-linux-musl");
  EXPECT_EQ(le.flags, 0x2u);
  EXPECT_EQ(decode("ppc64", le), (Props{{"elf-abi", "v2"}}));

  // musl on big-endian ppc64 is ELFv2 as well.
  ObjectFacts be_musl = object("powerpc64-linux-musl");
  EXPECT_EQ(be_musl.flags, 0x2u);
  EXPECT_EQ(decode("ppc64", be_musl), (Props{{"elf-abi", "v2"}}));

  // clang's ELFv1 objects leave the field at 0, "not stated": the decoder says nothing.
  ObjectFacts be_glibc = object("powerpc64-linux-gnu");
  EXPECT_EQ(be_glibc.flags, 0u);
  EXPECT_EQ(decode("ppc64", be_glibc), Props{});

  // GNU ld marks linked ELFv1 objects with 1; lld 16 never writes it, so this value is by hand.
  EXPECT_EQ(decode_raw("ppc64", 0x1, 64), (Props{{"elf-abi", "v1"}}));
}

TEST_F(ElfFlagsReal, Mips) {
  ObjectFacts n64 = object("mips64el-linux-musl");
  EXPECT_EQ(n64.elf_class, 64);
  EXPECT_EQ(n64.flags, 0x80000007u);  // MIPS64r2, noreorder, pic, cpic; no ABI bits: n64
  EXPECT_EQ(decode("mips", n64), (Props{{"abi", "n64"}, {"nan", "legacy"}}));

  ObjectFacts nan2008 = object("mips64el-linux-musl", {"-mnan=2008"});
  EXPECT_EQ(decode("mips", nan2008), (Props{{"abi", "n64"}, {"nan", "2008"}}));

  ObjectFacts r6 = object("mips64el-linux-musl", {"-march=mips64r6"});
  EXPECT_EQ(decode("mips", r6), (Props{{"abi", "n64"}, {"nan", "2008"}}));

  ObjectFacts n32 = object("mips64el-linux-gnuabin32");
  EXPECT_EQ(n32.elf_class, 32);
  EXPECT_EQ(decode("mips", n32), (Props{{"abi", "n32"}, {"nan", "legacy"}}));

  ObjectFacts o32 = object("mipsel-linux-gnu");
  EXPECT_EQ(o32.flags & 0xf000, 0x1000u);  // EF_MIPS_ABI_O32
  EXPECT_EQ(decode("mips", o32), (Props{{"abi", "o32"}, {"nan", "legacy"}}));

  ObjectFacts linked = object("mips64el-linux-musl", {}, true);
  EXPECT_EQ(decode("mips", linked), (Props{{"abi", "n64"}, {"nan", "legacy"}}));
}

TEST_F(ElfFlagsReal, LoongArch) {
  ObjectFacts lp64d = object("loongarch64-linux-musl");
  EXPECT_EQ(lp64d.flags, 0x43u);  // EF_LOONGARCH_ABI_DOUBLE_FLOAT | EF_LOONGARCH_OBJABI_V1
  EXPECT_EQ(decode("loongarch", lp64d), (Props{{"float-abi", "double"}, {"abi-version", "1"}}));
  // clang 16 writes lp64d whatever -mabi says, so the other float ABIs are by hand.
  EXPECT_EQ(decode_raw("loongarch", 0x41, 64),
            (Props{{"float-abi", "soft"}, {"abi-version", "1"}}));
  EXPECT_EQ(decode_raw("loongarch", 0x02, 64),
            (Props{{"float-abi", "single"}, {"abi-version", "0"}}));
  EXPECT_EQ(decode_raw("loongarch", 0x40, 64), (Props{{"abi-version", "1"}}));  // reserved: unsaid
}

// --- 32-bit ARM: e_flags and the .ARM.attributes fallback --------------------------------------

TEST_F(ElfFlagsReal, ArmLinkedObjectsStateTheFloatAbiInEFlags) {
  ObjectFacts hard = object("armv7-linux-musleabihf", {"-mfloat-abi=hard"}, true);
  EXPECT_EQ(hard.flags, 0x05000400u);  // EABI 5, EF_ARM_ABI_FLOAT_HARD
  EXPECT_EQ(decode("arm", hard, false), (Props{{"eabi", "5"}, {"float-abi", "hard"}}));

  ObjectFacts soft = object("armv7-linux-musleabihf", {"-mfloat-abi=soft"}, true);
  EXPECT_EQ(soft.flags, 0x05000200u);  // EABI 5, EF_ARM_ABI_FLOAT_SOFT
  EXPECT_EQ(decode("arm", soft, false), (Props{{"eabi", "5"}, {"float-abi", "soft"}}));
}

// `bytes` (one "aeabi" section holding one file-scope subsection, as clang writes) with
// Tag_ABI_VFP_args = `value` appended and both lengths fixed up.
std::string with_vfp_args(std::string bytes, uint8_t value) {
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3])) << 24;
  };
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  const size_t sub = 1 + 4 + sizeof("aeabi");
  EXPECT_EQ(bytes.compare(5, sizeof("aeabi"), std::string("aeabi", sizeof("aeabi"))), 0);
  EXPECT_EQ(bytes[sub], 1) << "a file-scope subsection";
  EXPECT_EQ(u32(1), bytes.size() - 1) << "one section";
  EXPECT_EQ(u32(sub + 1), bytes.size() - sub) << "one subsection";
  put(1, u32(1) + 2);
  put(sub + 1, u32(sub + 1) + 2);
  bytes += '\x1c';
  bytes += static_cast<char>(value);
  return bytes;
}

TEST_F(ElfFlagsReal, ArmFallsBackToAttributes) {
  // clang's relocatable objects leave the float bits clear: only the attributes can say it.
  ObjectFacts hard = object("armv7-linux-musleabihf", {"-mfloat-abi=hard"});
  ObjectFacts soft = object("armv7-linux-musleabihf", {"-mfloat-abi=soft"});
  for (const ObjectFacts* o : {&hard, &soft}) {
    EXPECT_EQ(o->flags, 0x05000000u);
    EXPECT_FALSE(o->arm_attributes.empty());
    EXPECT_EQ(decode("arm", *o, false), (Props{{"eabi", "5"}})) << "no float bits, no attributes";
  }
  EXPECT_EQ(decode("arm", hard), (Props{{"eabi", "5"}, {"float-abi", "hard"}}));
  // Soft float is Tag_ABI_VFP_args = 0, the default, which compilers record by leaving the tag
  // out; so do hard-float assembler objects (below). Not stated, so not guessed.
  EXPECT_EQ(decode("arm", soft), (Props{{"eabi", "5"}}));
  // Stated, it is read: the soft object's own attributes with the tag written out.
  EXPECT_EQ(
      decode_raw("arm", soft.flags, 32, with_vfp_args(soft.arm_attributes, 0)).at("float-abi"),
      "soft");
  EXPECT_EQ(
      decode_raw("arm", soft.flags, 32, with_vfp_args(soft.arm_attributes, 1)).at("float-abi"),
      "hard");

  // A linked object whose producer cleared the float bits: the attributes still tell.
  ObjectFacts linked = object("armv7-linux-musleabihf", {"-mfloat-abi=hard"}, true);
  ASSERT_FALSE(linked.arm_attributes.empty());
  const uint32_t cleared = linked.flags & ~0x00000600u;
  EXPECT_EQ(decode_raw("arm", cleared, 32, linked.arm_attributes).at("float-abi"), "hard");
  // e_flags win over the attributes when both speak.
  EXPECT_EQ(decode_raw("arm", 0x05000200, 32, hard.arm_attributes).at("float-abi"), "soft");
  EXPECT_EQ(decode_raw("arm", 0, 32).at("eabi"), "unknown");
}

TEST_F(ElfFlagsReal, ArmHardFloatAssemblerObjectIsNotCalledSoft) {
  // Like musl's crti.o in an armhf root: attributes without Tag_ABI_VFP_args, and no float bits.
  TempDir dir;
  const std::string out = dir.path() + "/crti.o";
  arch_test::Compiled compiled = arch_test::compile(
      "armv7-linux-musleabihf", ".text\n.global _init\n_init:\n  push {r0, lr}\n", out, false,
      {"-mfloat-abi=hard", "-x", "assembler"});
  ASSERT_TRUE(compiled.ok) << compiled.output;
  auto crti = arch_test::read_object(out);
  ASSERT_TRUE(crti);
  EXPECT_FALSE(crti->arm_attributes.empty());
  EXPECT_EQ(decode("arm", *crti), (Props{{"eabi", "5"}}));
}

TEST_F(ElfFlagsReal, ArmTruncatedAttributesAreUnknown) {
  ObjectFacts hard = object("armv7-linux-musleabihf", {"-mfloat-abi=hard"});
  const std::string& bytes = hard.arm_attributes;
  ASSERT_GT(bytes.size(), 16u);
  ASSERT_EQ(decode_raw("arm", 0x05000000, 32, bytes).at("float-abi"), "hard");
  for (size_t size = 0; size < bytes.size(); ++size) {
    Props found = decode_raw("arm", 0x05000000, 32, std::string_view(bytes).substr(0, size));
    EXPECT_EQ(found.count("float-abi"), 0u) << "cut to " << size << " bytes";
    EXPECT_EQ(found.at("eabi"), "5");
  }
}

TEST(ElfFlagsArm, GarbageAttributesAreUnknown) {
  using namespace std::string_literals;
  const std::string cases[] = {
      ""s,
      "B"s,                  // not format version 'A'
      "A\xff\xff\xff\x7f"s,  // section longer than the data
      "A\x03\x00\x00\x00"s,  // section shorter than its length field
      "A\x09\x00\x00\x00"
      "aeabi"s,  // vendor name without its NUL
      "A\x0f\x00\x00\x00"
      "aeabi\0\x01\x02\x00\x00\x00"s,  // sub-subsection shorter than 5
      "A\x12\x00\x00\x00"
      "aeabi\0\x01\x08\x00\x00\x00\x1c\xff\xff"s,  // ULEB runs off the end
      "A\x1b\x00\x00\x00"
      "aeabi\0\x01\x11\x00\x00\x00\x1c\xff\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xff\x01"s,  // ULEB longer than 64 bits
      "A\x12\x00\x00\x00"
      "aeabi\0\x01\x08\x00\x00\x00\x05\x41\x42"s,  // string tag unterminated
      "A\x13\x00\x00\x00"
      "aeabi\0\x01\x09\x00\x00\x00\x20\x01\x78\x79"s,  // Tag_compatibility
      "A\x0c\x00\x00\x00"
      "gnu\0\x01\x05\x00\x00\x00\x1c"s +
          "\x01"s,  // other vendor, then junk
  };
  for (const std::string& bytes : cases) {
    Props found = decode_raw("arm", 0x05000000, 32, bytes);
    EXPECT_EQ(found.count("float-abi"), 0u) << ::testing::PrintToString(bytes);
  }

  // Random bytes behind a plausible header must never crash or read out of bounds.
  std::mt19937 random(20240607);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = "A";
    const size_t size = random() % 64;
    for (size_t i = 0; i < size; ++i) bytes += static_cast<char>(random() & 0xff);
    if (size >= 4 && round % 2) {  // often a length that fits, to get past the first check
      const uint32_t length = static_cast<uint32_t>(size);
      for (int i = 0; i < 4; ++i) bytes[1 + i] = static_cast<char>((length >> (8 * i)) & 0xff);
    }
    Props found = decode_raw("arm", 0x05000000, 32, bytes);
    if (found.count("float-abi"))
      EXPECT_TRUE(found["float-abi"] == "soft" || found["float-abi"] == "hard");
  }
}

TEST(ElfFlagsArm, WellFormedAttributesByHand) {
  using namespace std::string_literals;
  // "aeabi", file scope: Tag_CPU_name "7-A", Tag_compatibility 0 "", Tag_ABI_VFP_args 1.
  const std::string hard =
      "A\x19\x00\x00\x00"
      "aeabi\0"s
      "\x01\x0f\x00\x00\x00"
      "\x05"
      "7-A\0"s
      "\x20\x00\0"s
      "\x1c\x01"s;
  EXPECT_EQ(decode_raw("arm", 0x05000000, 32, hard).at("float-abi"), "hard");
  // Tag_ABI_VFP_args 2 (toolchain-specific) or 3 (both): neither hard nor soft, so unsaid.
  std::string custom = hard;
  custom.back() = '\x02';
  EXPECT_EQ(decode_raw("arm", 0x05000000, 32, custom).count("float-abi"), 0u);
  // Only a "gnu" vendor section: no aeabi attributes at all.
  const std::string gnu_only =
      "A\x0d\x00\x00\x00"
      "gnu\0"s
      "\x01\x05\x00\x00\x00"s;
  EXPECT_EQ(decode_raw("arm", 0x05000000, 32, gnu_only).count("float-abi"), 0u);
}

}  // namespace
}  // namespace xport
