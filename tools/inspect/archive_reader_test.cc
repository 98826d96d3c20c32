// The archive reader on real archives written at test time with libarchive's write API: every
// format and compression, each kind of member, package metadata that must not be visited, unsafe
// names, size limits, and damaged archives (truncated, corrupted, not archives at all).
#include "inspect/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "testing/fixtures.h"

namespace xport::inspect {
namespace {

// ---- Writing archives ------------------------------------------------------------------------

/// One member to write. `type` is an AE_IF* file type; `hardlink` makes it a hard link.
struct Spec {
  std::string name;
  unsigned type = AE_IFREG;
  unsigned mode = 0644;
  int64_t uid = 0;
  int64_t gid = 0;
  std::string data;
  std::string symlink;
  std::string hardlink;
};

enum class Fmt { Tar, Cpio, CpioOdc, Ar };
enum class Comp { None, Gzip, Xz, Zstd, Bzip2 };

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

/// An archive in memory, written by libarchive.
std::string make_archive(Fmt fmt, Comp comp, const std::vector<Spec>& members) {
  archive* a = archive_write_new();
  switch (fmt) {
    case Fmt::Tar:
      archive_write_set_format_pax_restricted(a);
      break;
    case Fmt::Cpio:
      archive_write_set_format_cpio_newc(a);
      break;
    case Fmt::CpioOdc:
      archive_write_set_format_cpio_odc(a);
      break;
    case Fmt::Ar:
      archive_write_set_format_ar_svr4(a);
      break;
  }
  switch (comp) {
    case Comp::None:
      break;
    case Comp::Gzip:
      archive_write_add_filter_gzip(a);
      break;
    case Comp::Xz:
      archive_write_add_filter_xz(a);
      break;
    case Comp::Zstd:
      archive_write_add_filter_zstd(a);
      break;
    case Comp::Bzip2:
      archive_write_add_filter_bzip2(a);
      break;
  }
  // No padding to a 10 KiB block: an ar archive must end with its last member.
  archive_write_set_bytes_per_block(a, fmt == Fmt::Ar ? 0 : 10240);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  EXPECT_EQ(archive_write_open2(a, &out, nullptr, append_to_string, nullptr, nullptr), ARCHIVE_OK)
      << archive_error_string(a);
  for (const Spec& spec : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, spec.name.c_str());
    archive_entry_set_filetype(e, spec.type);
    archive_entry_set_perm(e, spec.mode);
    archive_entry_set_uid(e, spec.uid);
    archive_entry_set_gid(e, spec.gid);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (spec.type == AE_IFCHR) archive_entry_set_rdev(e, (1u << 8) | 3u);
    if (!spec.symlink.empty()) archive_entry_set_symlink(e, spec.symlink.c_str());
    if (!spec.hardlink.empty()) archive_entry_set_hardlink(e, spec.hardlink.c_str());
    archive_entry_set_size(e,
                           spec.type == AE_IFREG ? static_cast<la_int64_t>(spec.data.size()) : 0);
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK)
        << spec.name << ": " << archive_error_string(a);
    if (spec.type == AE_IFREG && !spec.data.empty()) {
      EXPECT_EQ(archive_write_data(a, spec.data.data(), spec.data.size()),
                static_cast<la_ssize_t>(spec.data.size()));
    }
    archive_entry_free(e);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK) << archive_error_string(a);
  archive_write_free(a);
  return out;
}

Spec file(std::string name, std::string data, unsigned mode = 0644, int64_t uid = 0,
          int64_t gid = 0) {
  return Spec{std::move(name), AE_IFREG, mode, uid, gid, std::move(data), "", ""};
}
Spec dir(std::string name, unsigned mode = 0755) {
  return Spec{std::move(name), AE_IFDIR, mode, 0, 0, "", "", ""};
}
Spec symlink(std::string name, std::string target) {
  return Spec{std::move(name), AE_IFLNK, 0777, 0, 0, "", std::move(target), ""};
}
Spec hardlink(std::string name, std::string target) {
  return Spec{std::move(name), AE_IFREG, 0755, 0, 0, "", "", std::move(target)};
}

/// A .deb: an ar archive of debian-binary, control.tar.xz and the given data.tar.
std::string make_deb(const std::string& data_name, const std::string& data_tar,
                     bool with_data = true) {
  std::string control = make_archive(
      Fmt::Tar, Comp::Xz, {dir("./"), file("./control", "Package: tool\nVersion: 1.0\n")});
  std::vector<Spec> members = {file("debian-binary", "2.0\n"), file("control.tar.xz", control)};
  if (with_data) members.push_back(file(data_name, data_tar));
  return make_archive(Fmt::Ar, Comp::None, members);
}

std::string random_bytes(size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator() & 0xff);
  return out;
}

// Bytes that start like an ELF executable, so a check of the content has something to match.
const std::string kElfBytes = std::string(
                                  "\x7f"
                                  "ELF\x02\x01\x01\0",
                                  8) +
                              std::string(56, '\x01');

// ---- Reading them back -----------------------------------------------------------------------

struct Visited {
  Entry entry;
  std::string content;
};

struct ReadResult {
  Status status;
  std::vector<Visited> visited;
  std::vector<std::pair<std::string, std::string>> problems;  // member, problem

  std::vector<std::string> members() const {
    std::vector<std::string> names;
    for (const Visited& v : visited) names.push_back(v.entry.member);
    return names;
  }
  const Visited* find(const std::string& member) const {
    for (const Visited& v : visited)
      if (v.entry.member == member) return &v;
    return nullptr;
  }
  std::string error() const { return status.ok() ? "<ok>" : status.error().message(); }
};

EntryVisitor recorder(ReadResult& result) {
  return [&result](const Entry& entry, Content content) {
    result.visited.push_back(
        {entry, std::string(reinterpret_cast<const char*>(content.data()), content.size())});
  };
}
std::function<void(const Entry&, const std::string&)> problem_recorder(ReadResult& result) {
  return [&result](const Entry& entry, const std::string& problem) {
    result.problems.emplace_back(entry.member, problem);
  };
}

ReadResult read_file(const std::string& path, const ArchiveLimits& limits = {}) {
  ReadResult result;
  result.status = read_archive(path, recorder(result), problem_recorder(result), limits);
  return result;
}

ReadResult read_memory(const std::string& bytes, const std::string& name,
                       const ArchiveLimits& limits = {}) {
  ReadResult result;
  result.status = read_archive_memory(bytes.data(), bytes.size(), name, recorder(result),
                                      problem_recorder(result), limits);
  return result;
}

void expect_entry(const ReadResult& result, const std::string& member, EntryKind kind,
                  uint32_t mode, uint32_t uid, uint32_t gid, const std::string& content = "",
                  const std::string& link_target = "") {
  const Visited* v = result.find(member);
  ASSERT_NE(v, nullptr) << member << " was not visited";
  EXPECT_EQ(v->entry.kind, kind) << member;
  EXPECT_EQ(v->entry.mode, mode) << member;
  EXPECT_EQ(v->entry.uid, uid) << member;
  EXPECT_EQ(v->entry.gid, gid) << member;
  EXPECT_EQ(v->entry.link_target, link_target) << member;
  EXPECT_EQ(v->content, content) << member;
  if (kind == EntryKind::Regular) EXPECT_EQ(v->entry.size, content.size()) << member;
}

// ---- Every format ----------------------------------------------------------------------------

struct FormatCase {
  const char* file_name;  // the name says nothing to the reader; it only labels the test
  Fmt fmt;
  Comp comp;
};

class Formats : public ::testing::TestWithParam<FormatCase> {};

// The same tree in every format: a directory, a setuid ELF file, a symlink, a file owned by a
// user, a device and a fifo; tar formats add a hard link. Names start with "./" as tar writes them.
std::vector<Spec> sample_tree(Fmt fmt) {
  Spec device{"./dev/null", AE_IFCHR, 0666, 0, 0, "", "", ""};
  Spec fifo{"./run/initctl", AE_IFIFO, 0600, 0, 0, "", "", ""};
  std::vector<Spec> tree = {dir("./"),
                            dir("./usr/", 0755),
                            file("./usr/bin/tool", kElfBytes, 04755, 0, 0),
                            symlink("./usr/lib/libx.so", "libx.so.1"),
                            file("./etc/conf", "key=value\n", 0640, 1000, 100),
                            device,
                            fifo};
  if (fmt == Fmt::Tar) tree.push_back(hardlink("./usr/bin/tool2", "./usr/bin/tool"));
  return tree;
}

TEST_P(Formats, VisitsEveryMemberWithItsMetadataAndBytes) {
  const FormatCase& c = GetParam();
  testing::TempDir tmp;
  // Written under a name without an extension: detection is by content.
  std::string path = tmp.write("package", make_archive(c.fmt, c.comp, sample_tree(c.fmt)));
  EXPECT_TRUE(looks_like_archive(path));

  ReadResult result = read_file(path);
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_TRUE(result.problems.empty());
  std::vector<std::string> expected = {"usr",      "usr/bin/tool", "usr/lib/libx.so",
                                       "etc/conf", "dev/null",     "run/initctl"};
  if (c.fmt == Fmt::Tar) expected.push_back("usr/bin/tool2");
  EXPECT_EQ(result.members(), expected);

  expect_entry(result, "usr", EntryKind::Directory, 0755, 0, 0);
  expect_entry(result, "usr/bin/tool", EntryKind::Regular, 04755, 0, 0, kElfBytes);
  expect_entry(result, "usr/lib/libx.so", EntryKind::Symlink, 0777, 0, 0, "", "libx.so.1");
  expect_entry(result, "etc/conf", EntryKind::Regular, 0640, 1000, 100, "key=value\n");
  expect_entry(result, "dev/null", EntryKind::Other, 0666, 0, 0);
  expect_entry(result, "run/initctl", EntryKind::Other, 0600, 0, 0);
  if (c.fmt == Fmt::Tar)
    expect_entry(result, "usr/bin/tool2", EntryKind::Hardlink, 0755, 0, 0, "", "usr/bin/tool");

  // The same bytes from memory give the same walk.
  std::vector<unsigned char> raw = testing::read_bytes(path);
  std::string bytes(raw.begin(), raw.end());
  ReadResult from_memory = read_memory(bytes, c.file_name);
  ASSERT_TRUE(from_memory.status.ok()) << from_memory.error();
  EXPECT_EQ(from_memory.members(), expected);
  EXPECT_EQ(from_memory.find("usr/bin/tool")->content, kElfBytes);
}

// Cut anywhere (never on a 512-byte tar block boundary, where a plain tar simply looks shorter),
// an archive gives an Error that names it, after the members before the cut.
TEST_P(Formats, TruncatedArchiveIsAnErrorNamingIt) {
  const FormatCase& c = GetParam();
  // Big enough that a cut from the middle on is past the first bzip2 block (900 KB) and zstd
  // output buffer (128 KB): before those, libarchive has no member to show yet.
  static const std::string big = random_bytes(2 << 20, 7);
  std::string whole = make_archive(
      c.fmt, c.comp, {file("a", "first\n"), file("usr/lib/big", big), file("z", "last\n")});
  ASSERT_GT(whole.size(), big.size());
  testing::TempDir tmp;
  for (int eighth = 1; eighth < 8; ++eighth) {
    size_t cut = whole.size() * eighth / 8 + 7;
    std::string name = std::string(c.file_name) + "." + std::to_string(eighth);
    std::string path = tmp.write(name, whole.substr(0, cut));
    ReadResult result = read_file(path);
    ASSERT_FALSE(result.status.ok()) << name << " cut at " << cut << " read without error";
    EXPECT_TRUE(result.error().starts_with(path + ": ")) << result.error();
    // Cut well inside the big member's bytes: that member is named, and it is not visited.
    if (eighth >= 4 && eighth <= 7) {
      EXPECT_TRUE(result.error().starts_with(path + ": member usr/lib/big: ")) << result.error();
      EXPECT_EQ(result.members(), std::vector<std::string>{"a"}) << result.error();
    }
  }
}

// Every single-byte corruption and every cut of a small archive: never a crash or a hang.
TEST_P(Formats, SurvivesEveryCorruptionOfASmallArchive) {
  const FormatCase& c = GetParam();
  std::string whole = make_archive(c.fmt, c.comp, sample_tree(c.fmt));
  size_t errors = 0;
  for (size_t i = 0; i < whole.size(); i += 3) {
    std::string bad = whole;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    ReadResult damaged = read_memory(bad, "bad");
    if (!damaged.status.ok()) {
      ++errors;
      EXPECT_TRUE(damaged.error().starts_with("bad: ")) << damaged.error();
    }
    ReadResult cut = read_memory(whole.substr(0, i), "cut");
    if (!cut.status.ok()) EXPECT_TRUE(cut.error().starts_with("cut: ")) << cut.error();
  }
  EXPECT_GT(errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(Archive, Formats,
                         ::testing::Values(FormatCase{"tar", Fmt::Tar, Comp::None},
                                           FormatCase{"tar_gz", Fmt::Tar, Comp::Gzip},
                                           FormatCase{"tar_xz", Fmt::Tar, Comp::Xz},
                                           FormatCase{"tar_zst", Fmt::Tar, Comp::Zstd},
                                           FormatCase{"tar_bz2", Fmt::Tar, Comp::Bzip2},
                                           FormatCase{"cpio_newc", Fmt::Cpio, Comp::None},
                                           FormatCase{"cpio_odc", Fmt::CpioOdc, Comp::None},
                                           FormatCase{"cpio_gz", Fmt::Cpio, Comp::Gzip}),
                         [](const auto& info) { return std::string(info.param.file_name); });

// cpio newc writes a link group's bytes once, with its last name; libarchive reports that name
// as a hard link to the first. The bytes must still be visited, as a regular file.
TEST(ArchiveReader, CpioHardLinkGroupKeepsItsBytes) {
  archive* a = archive_write_new();
  archive_write_set_format_cpio_newc(a);
  std::string out;
  ASSERT_EQ(archive_write_open2(a, &out, nullptr, append_to_string, nullptr, nullptr), ARCHIVE_OK);
  for (const char* name : {"usr/bin/ls", "usr/bin/dir"}) {
    const bool last = std::string(name) == "usr/bin/dir";
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_nlink(e, 2);
    archive_entry_set_dev(e, 1);
    archive_entry_set_ino(e, 42);
    archive_entry_set_size(e, last ? static_cast<la_int64_t>(kElfBytes.size()) : 0);
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (last) archive_write_data(a, kElfBytes.data(), kElfBytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);

  ReadResult result = read_memory(out, "links.cpio");
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_EQ(result.members(), (std::vector<std::string>{"usr/bin/ls", "usr/bin/dir"}));
  expect_entry(result, "usr/bin/ls", EntryKind::Regular, 0755, 0, 0, "");
  expect_entry(result, "usr/bin/dir", EntryKind::Regular, 0755, 0, 0, kElfBytes);
}

// A compressed stream with a checksum catches a flipped byte in the middle.
TEST(ArchiveReader, CorruptedCompressedBytesAreAnError) {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "line " + std::to_string(i) + " of a text file\n";
  for (Comp comp : {Comp::Gzip, Comp::Xz, Comp::Bzip2}) {
    std::string whole = make_archive(Fmt::Tar, comp, {file("a", "first\n"), file("usr/doc", text)});
    whole[whole.size() / 2] = static_cast<char>(whole[whole.size() / 2] ^ 0xff);
    ReadResult result = read_memory(whole, "c.tar");
    ASSERT_FALSE(result.status.ok()) << static_cast<int>(comp);
    EXPECT_TRUE(result.error().starts_with("c.tar: ")) << result.error();
  }
}

// A damaged tar header fails its checksum: the members before it were visited.
TEST(ArchiveReader, CorruptedTarHeaderIsAnError) {
  std::string whole =
      make_archive(Fmt::Tar, Comp::None, {file("a", "first\n"), file("b", "second\n")});
  // pax_restricted writes plain ustar headers here: a (512 header + 512 data), then b's header.
  ASSERT_EQ(whole.substr(1024, 1), "b");
  whole[1024 + 100] = 'X';  // inside b's mode field
  ReadResult result = read_memory(whole, "h.tar");
  ASSERT_FALSE(result.status.ok());
  EXPECT_TRUE(result.error().starts_with("h.tar: after member a: ")) << result.error();
  EXPECT_EQ(result.members(), std::vector<std::string>{"a"});
}

// ---- .deb ------------------------------------------------------------------------------------

TEST(ArchiveReader, DebVisitsOnlyItsDataTar) {
  std::string data = make_archive(
      Fmt::Tar, Comp::Zstd,
      {dir("./"), dir("./usr/"), dir("./usr/bin/"), file("./usr/bin/tool", kElfBytes, 0755),
       symlink("./usr/bin/alias", "tool"), file("./usr/share/doc", "docs\n", 0644, 0, 0)});
  testing::TempDir tmp;
  std::string path = tmp.write("tool_1.0_riscv64.deb", make_deb("data.tar.zst", data));
  EXPECT_TRUE(looks_like_archive(path));
  ReadResult result = read_file(path);
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.members(), (std::vector<std::string>{"usr", "usr/bin", "usr/bin/tool",
                                                        "usr/bin/alias", "usr/share/doc"}));
  expect_entry(result, "usr/bin/tool", EntryKind::Regular, 0755, 0, 0, kElfBytes);
  expect_entry(result, "usr/bin/alias", EntryKind::Symlink, 0777, 0, 0, "", "tool");
  expect_entry(result, "usr/share/doc", EntryKind::Regular, 0644, 0, 0, "docs\n");
}

TEST(ArchiveReader, DebWithUncompressedOrXzDataTar) {
  for (Comp comp : {Comp::None, Comp::Xz, Comp::Gzip}) {
    std::string data = make_archive(Fmt::Tar, comp, {file("./usr/bin/tool", "bytes")});
    ReadResult result = read_memory(make_deb("data.tar", data), "t.deb");
    ASSERT_TRUE(result.status.ok()) << result.error();
    EXPECT_EQ(result.members(), std::vector<std::string>{"usr/bin/tool"});
    EXPECT_EQ(result.visited[0].content, "bytes");
  }
}

TEST(ArchiveReader, DebWithoutDataTarIsAnError) {
  ReadResult result = read_memory(make_deb("", "", false), "empty.deb");
  EXPECT_EQ(result.error(), "empty.deb: a .deb without a data.tar member (nothing to install)");
  EXPECT_TRUE(result.visited.empty());
}

TEST(ArchiveReader, DebDataTarIsNotOpenedFurther) {
  // A data.tar that is itself a .deb (an ar archive) is not a tar: an error, not a second level.
  std::string inner =
      make_deb("data.tar.zst", make_archive(Fmt::Tar, Comp::Zstd, {file("usr/bin/deep", "deep")}));
  ReadResult nested = read_memory(
      make_deb("data.tar.gz", make_archive(Fmt::Ar, Comp::Gzip, {file("x", inner)})), "n.deb");
  ASSERT_FALSE(nested.status.ok());
  EXPECT_TRUE(nested.error().starts_with("n.deb: data.tar.gz: not a readable tar: "))
      << nested.error();
  // An archive among the installed files is a file: its bytes are visited, it is not opened.
  std::string tarball = make_archive(Fmt::Tar, Comp::None, {file("inside", "x")});
  ReadResult plain = read_memory(
      make_deb("data.tar", make_archive(Fmt::Tar, Comp::None, {file("usr/share/t.tar", tarball)})),
      "p.deb");
  ASSERT_TRUE(plain.status.ok()) << plain.error();
  EXPECT_EQ(plain.members(), std::vector<std::string>{"usr/share/t.tar"});
  EXPECT_EQ(plain.visited[0].content, tarball);
}

TEST(ArchiveReader, TruncatedDebNamesTheDataTarAndMember) {
  std::string data =
      make_archive(Fmt::Tar, Comp::Zstd,
                   {file("usr/bin/a", "a"), file("usr/lib/big", random_bytes(1 << 20, 3))});
  std::string deb = make_deb("data.tar.zst", data);
  testing::TempDir tmp;
  std::string path = tmp.write("cut.deb", deb.substr(0, deb.size() - data.size() / 2));
  ReadResult result = read_file(path);
  ASSERT_FALSE(result.status.ok());
  EXPECT_TRUE(result.error().starts_with(path + ": data.tar.zst: member usr/lib/big: "))
      << result.error();
  EXPECT_EQ(result.members(), std::vector<std::string>{"usr/bin/a"});
}

// ---- pacman ----------------------------------------------------------------------------------

TEST(ArchiveReader, PacmanPackageSkipsItsMetadata) {
  std::string mtree = make_archive(Fmt::Tar, Comp::Gzip, {file("x", "#mtree\n")});
  std::string pkg = make_archive(
      Fmt::Tar, Comp::Zstd,
      {file(".PKGINFO", "pkgname = tool\n"), file(".BUILDINFO", "format = 2\n"),
       file(".MTREE", mtree), file(".INSTALL", "post_install() { :; }\n"), dir("usr/"),
       file("usr/bin/tool", kElfBytes, 0755), file("usr/share/tool/.PKGINFO", "a data file\n")});
  testing::TempDir tmp;
  std::string path = tmp.write("tool-1.0-1-riscv64.pkg.tar.zst", pkg);
  EXPECT_TRUE(looks_like_archive(path));
  ReadResult result = read_file(path);
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_EQ(result.members(),
            (std::vector<std::string>{"usr", "usr/bin/tool", "usr/share/tool/.PKGINFO"}));
  expect_entry(result, "usr/bin/tool", EntryKind::Regular, 0755, 0, 0, kElfBytes);
  expect_entry(result, "usr/share/tool/.PKGINFO", EntryKind::Regular, 0644, 0, 0, "a data file\n");
}

// ---- Unsafe names and limits -----------------------------------------------------------------

TEST(ArchiveReader, UnsafePathsAreReportedNotVisited) {
  std::string tar = make_archive(
      Fmt::Tar, Comp::Gzip,
      {file("/etc/passwd", "root::0:0::/:/bin/sh\n"), file("../escape", "x"),
       file("usr/../../up", "y"), file("usr/bin/ok", "ok"),
       hardlink("usr/bin/h", "../../etc/shadow"), file("usr/a..b", "dots in a name are fine")});
  ReadResult result = read_memory(tar, "u.tar.gz");
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_EQ(result.members(), (std::vector<std::string>{"usr/bin/ok", "usr/a..b"}));
  using Problem = std::pair<std::string, std::string>;
  EXPECT_EQ(
      result.problems,
      (std::vector<Problem>{
          {"etc/passwd",
           "absolute path \"/etc/passwd\": unpacking it would write outside the target "
           "root; not inspected"},
          {"../escape",
           "path leaves the archive root through \"..\": \"../escape\"; not inspected"},
          {"usr/../../up",
           "path leaves the archive root through \"..\": \"usr/../../up\"; not inspected"},
          {"usr/bin/h", "hard link to \"../../etc/shadow\", outside the archive; not inspected"},
      }));
}

TEST(ArchiveReader, OversizedMemberIsReportedAndSkipped) {
  ArchiveLimits limits;
  limits.max_member_size = 100;
  for (Comp comp : {Comp::None, Comp::Gzip, Comp::Zstd}) {
    std::string tar = make_archive(Fmt::Tar, comp,
                                   {file("big", std::string(101, 'b')),
                                    file("fits", std::string(100, 'f')), file("after", "a")});
    ReadResult result = read_memory(tar, "l.tar", limits);
    ASSERT_TRUE(result.status.ok()) << result.error();
    EXPECT_EQ(result.members(), (std::vector<std::string>{"fits", "after"}));
    EXPECT_EQ(result.find("fits")->content, std::string(100, 'f'));
    EXPECT_EQ(result.find("after")->content, "a");
    using Problem = std::pair<std::string, std::string>;
    EXPECT_EQ(result.problems,
              (std::vector<Problem>{{"big",
                                     "member of 101 bytes, over the limit of 100 bytes; its "
                                     "content is not read"}}));
  }
}

// ---- Not archives ----------------------------------------------------------------------------

TEST(ArchiveReader, NonArchivesAreNotArchives) {
  testing::TempDir tmp;
  std::string text;
  for (int i = 0; i < 100; ++i) text += "plain text, compressed but not archived\n";
  // A gzip stream of plain text: a compressed file, not an archive.
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  std::string raw_gz;
  archive_write_open2(a, &raw_gz, nullptr, append_to_string, nullptr, nullptr);
  archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_pathname(e, "t");
  archive_write_header(a, e);
  archive_write_data(a, text.data(), text.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  ASSERT_GT(raw_gz.size(), 10u);

  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"elf", kElfBytes},
           {"script.sh", "#!/bin/sh\necho not an archive\n"},
           {"text.gz", raw_gz},
           {"empty", ""}}) {
    std::string path = tmp.write(name, bytes);
    EXPECT_FALSE(looks_like_archive(path)) << name;
    ReadResult result = read_file(path);
    ASSERT_FALSE(result.status.ok()) << name;
    EXPECT_TRUE(result.error().starts_with(path + ": ")) << result.error();
    EXPECT_TRUE(result.visited.empty());
  }
  EXPECT_FALSE(looks_like_archive(tmp.path() + "/missing"));
  ReadResult missing = read_file(tmp.path() + "/missing");
  EXPECT_TRUE(missing.error().starts_with(tmp.path() + "/missing: ")) << missing.error();
}

// A static library is read from memory (its objects are checked) but is not a package.
TEST(ArchiveReader, StaticLibraryMembersWithoutItsIndex) {
  std::string lib = make_archive(
      Fmt::Ar, Comp::None,
      {file("/", std::string(8, '\0')), file("a.o", kElfBytes), file("b.o", kElfBytes + "b")});
  ASSERT_TRUE(lib.starts_with("!<arch>\n"));
  testing::TempDir tmp;
  EXPECT_FALSE(looks_like_archive(tmp.write("libx.a", lib)));
  ReadResult result = read_memory(lib, "libx.a");
  ASSERT_TRUE(result.status.ok()) << result.error();
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.members(), (std::vector<std::string>{"a.o", "b.o"}));
  EXPECT_EQ(result.find("b.o")->content, kElfBytes + "b");

  // GNU ar in deterministic mode (Debian's default) writes the mode as "644", without the
  // file type bits: the member is still a regular file.
  size_t header = lib.find("a.o/");
  ASSERT_NE(header, std::string::npos);
  ASSERT_EQ(lib.substr(header + 40, 8), "100644  ");
  lib.replace(header + 40, 8, "644     ");
  ReadResult gnu = read_memory(lib, "libgnu.a");
  ASSERT_TRUE(gnu.status.ok()) << gnu.error();
  expect_entry(gnu, "a.o", EntryKind::Regular, 0644, 0, 0, kElfBytes);
}

}  // namespace
}  // namespace xport::inspect
