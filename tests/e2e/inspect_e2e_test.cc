// End-to-end tests of `xport inspect`: the real binary on fake target roots that
// tests/fixtures/make-tree cross-compiles for each architecture, on the tree itself, on a
// tar.zst and on a .deb of it. make-tree writes expected.tsv, the defects it planted; every other
// file of the root is clean and must get no finding at all.
//
// Environment (ctest sets it; the defaults are compiled in for running the binary by hand):
//   XPORT_E2E_XPORT      the xport binary
//   XPORT_E2E_MAKE_TREE  tests/fixtures/make-tree
//   XPORT_E2E_DATA_DIR   the source tree's data dir (arch/, ...)
//   XPORT_E2E_KEEP=1     keep the work directory (its path is printed)
//
// Nothing here is skipped: a missing tool or arch file is a failure, never a pass.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kArches = {"aarch64", "x86_64", "riscv64", "armv7",
                                          "i686",    "ppc64",  "ppc64le", "mips64el"};

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string xport_binary() { return env_or("XPORT_E2E_XPORT", XPORT_E2E_DEFAULT_XPORT); }
std::string make_tree_script() { return env_or("XPORT_E2E_MAKE_TREE", XPORT_E2E_DEFAULT_MAKE_TREE); }
std::string source_data_dir() { return env_or("XPORT_E2E_DATA_DIR", XPORT_E2E_DEFAULT_DATA_DIR); }

// ----------------------------------------------------------------------------------------------
// The work directory: one per process, removed at exit unless XPORT_E2E_KEEP is set.

class WorkDir : public ::testing::Environment {
 public:
  static const fs::path& path() {
    static fs::path dir = [] {
      std::string pattern = (fs::temp_directory_path() / "xport-e2e-XXXXXX").string();
      if (!mkdtemp(pattern.data())) {
        perror("mkdtemp");
        std::abort();
      }
      return fs::path(pattern);
    }();
    return dir;
  }
  void TearDown() override {
    if (std::getenv("XPORT_E2E_KEEP")) {
      std::fprintf(stderr, "xport e2e: kept %s\n", path().c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(path(), ec);
  }
};

[[maybe_unused]] ::testing::Environment* const work_dir_environment =
    ::testing::AddGlobalTestEnvironment(new WorkDir);

// ----------------------------------------------------------------------------------------------
// Running programs.

struct RunResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
  std::string command;
};

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

RunResult run(const std::vector<std::string>& argv) {
  static int counter = 0;
  RunResult result;
  for (const std::string& arg : argv) result.command += (result.command.empty() ? "" : " ") + arg;
  const fs::path out_file = WorkDir::path() / ("run-" + std::to_string(counter) + ".out");
  const fs::path err_file = WorkDir::path() / ("run-" + std::to_string(counter++) + ".err");
  pid_t pid = fork();
  if (pid < 0) {
    result.err = "fork failed";
    return result;
  }
  if (pid == 0) {
    int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(127);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    perror(args[0]);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_whole(out_file);
  result.err = read_whole(err_file);
  fs::remove(out_file);
  fs::remove(err_file);
  return result;
}

RunResult shell(const std::string& script) { return run({"/bin/bash", "-euo", "pipefail", "-c", script}); }

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string describe(const RunResult& r) {
  return "command: " + r.command + "\nexit: " + std::to_string(r.exit_code) +
         "\nstderr:\n" + r.err.substr(0, 4000) + "\nstdout (start):\n" + r.out.substr(0, 2000);
}

// xport [--data-dir DIR] inspect ARGS...
RunResult inspect(const std::vector<std::string>& args, const std::string& data_dir = "") {
  std::vector<std::string> argv = {xport_binary(), "--data-dir",
                                   data_dir.empty() ? source_data_dir() : data_dir, "inspect"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

// ----------------------------------------------------------------------------------------------
// The JSON report.

struct Finding {
  std::string check, severity, file, member, path, message, waiver_reason;
  bool waived = false;
};

struct Report {
  bool ok = false;  // parsed and has the documented shape
  std::string arch, libc;
  bool inferred = false;
  std::map<std::string, int64_t> summary;
  std::vector<Finding> findings;
};

std::string get_string(const llvm::json::Object& object, llvm::StringRef key) {
  auto value = object.getString(key);
  return value ? value->str() : std::string();
}

Report parse_report(const std::string& text) {
  Report report;
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    ADD_FAILURE() << "the report is not JSON: " << llvm::toString(parsed.takeError())
                  << "\n" << text.substr(0, 2000);
    return report;
  }
  const llvm::json::Object* top = parsed->getAsObject();
  if (!top) {
    ADD_FAILURE() << "the report is not a JSON object";
    return report;
  }
  const llvm::json::Object* tool = top->getObject("tool");
  const llvm::json::Object* target = top->getObject("target");
  const llvm::json::Object* summary = top->getObject("summary");
  const llvm::json::Array* findings = top->getArray("findings");
  EXPECT_TRUE(tool && target && summary && findings && top->getArray("inputs") &&
              top->getArray("notes"))
      << "the report lacks one of tool, target, inputs, summary, notes, findings";
  if (!target || !summary || !findings) return report;
  if (tool) EXPECT_EQ(get_string(*tool, "name"), "xport");
  report.arch = get_string(*target, "arch");
  report.libc = get_string(*target, "libc");
  report.inferred = target->getBoolean("inferred").value_or(false);
  EXPECT_TRUE(target->getBoolean("inferred").has_value()) << "target.inferred is not a boolean";
  for (const char* key : {"files", "elf", "error", "warning", "info", "waived"}) {
    auto value = summary->getInteger(key);
    EXPECT_TRUE(value.has_value()) << "summary." << key << " is missing";
    report.summary[key] = value.value_or(-1);
  }
  for (const llvm::json::Value& item : *findings) {
    const llvm::json::Object* object = item.getAsObject();
    if (!object) {
      ADD_FAILURE() << "a finding is not an object";
      continue;
    }
    Finding f;
    f.check = get_string(*object, "check");
    f.severity = get_string(*object, "severity");
    f.file = get_string(*object, "file");
    f.member = get_string(*object, "member");
    f.path = get_string(*object, "path");
    f.message = get_string(*object, "message");
    f.waiver_reason = get_string(*object, "waiver_reason");
    f.waived = object->getBoolean("waived").value_or(false);
    EXPECT_TRUE(object->getBoolean("waived").has_value() && object->getString("member") &&
                object->getString("hint") && object->getString("waiver_reason"))
        << "finding " << f.check << " " << f.path << " lacks waived, member, hint or waiver_reason";
    report.findings.push_back(std::move(f));
  }
  report.ok = true;
  return report;
}

std::string show(const Finding& f) {
  return f.path + " [" + f.check + "/" + f.severity + "] " + f.message +
         (f.member.empty() ? "" : " (member " + f.member + ")");
}

// ----------------------------------------------------------------------------------------------
// Trees from make-tree, built once per process and architecture.

struct Tree {
  bool ok = false;
  std::string error;
  fs::path dir;   // make-tree's --out
  fs::path root;  // dir/root
  std::vector<std::pair<std::string, std::string>> expected;  // (path, check)
  std::set<std::string> planted;                              // paths in expected
  std::set<std::string> paths;                                // every path in the root
};

std::set<std::string> list_root(const fs::path& root) {
  std::set<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it)
    paths.insert("/" + fs::relative(it->path(), root).string());
  return paths;
}

Tree build_tree(const std::string& name, const std::vector<std::string>& extra_args) {
  Tree tree;
  tree.dir = WorkDir::path() / name;
  std::vector<std::string> argv = {make_tree_script(), "--out", tree.dir.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  RunResult made = run(argv);
  if (made.exit_code != 0) {
    tree.error = "make-tree failed\n" + describe(made);
    return tree;
  }
  tree.root = tree.dir / "root";
  std::ifstream tsv(tree.dir / "expected.tsv");
  std::string line;
  while (std::getline(tsv, line)) {
    if (line.empty()) continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      tree.error = "bad line in expected.tsv: " + line;
      return tree;
    }
    tree.expected.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    tree.planted.insert(line.substr(0, tab));
  }
  tree.paths = list_root(tree.root);
  for (const std::string& path : tree.planted)
    if (!tree.paths.count(path)) {
      tree.error = "expected.tsv names " + path + ", which is not in the root";
      return tree;
    }
  tree.ok = true;
  return tree;
}

struct ArchTrees {
  Tree full;
  Tree clean;
};

const ArchTrees& trees_for(const std::string& arch) {
  static std::map<std::string, ArchTrees> cache;
  auto it = cache.find(arch);
  if (it != cache.end()) return it->second;
  ArchTrees trees;
  trees.full = build_tree(arch + "-full", {"--data-dir", source_data_dir(), "--arch", arch});
  trees.clean =
      build_tree(arch + "-clean", {"--data-dir", source_data_dir(), "--arch", arch, "--clean-only"});
  return cache.emplace(arch, std::move(trees)).first->second;
}

// Archives of a root, made with the host's tar and ar.
fs::path make_tar_zst(const Tree& tree, const std::string& name) {
  fs::path archive = tree.dir / (name + ".tar.zst");
  // Members without a "./" prefix, as pacman and most tarballs have them.
  RunResult r = shell("cd " + quote(tree.root.string()) + " && tar --zstd -cf " +
                      quote(archive.string()) + " --sort=name $(ls -A)");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  return archive;
}

fs::path make_deb(const Tree& tree, const std::string& name) {
  fs::path work = tree.dir / (name + "-deb");
  fs::path deb = tree.dir / (name + ".deb");
  std::string script =
      "rm -rf " + quote(work.string()) + " && mkdir -p " + quote(work.string()) + "/control && cd " +
      quote(work.string()) + " && printf '2.0\\n' > debian-binary && " +
      "printf 'Package: e2e\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: e2e <e2e@example.org>\\n"
      "Description: test\\n' > control/control && "
      "tar -C control -cJf control.tar.xz --owner=0 --group=0 ./control && "
      // "./usr/bin/..." members, as dpkg-deb writes them; owners and modes as on disk.
      "tar -C " + quote(tree.root.string()) + " -cJf data.tar.xz --sort=name . && "
      "rm -f " + quote(deb.string()) + " && ar rc " + quote(deb.string()) +
      " debian-binary control.tar.xz data.tar.xz";
  RunResult r = shell(script);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  return deb;
}

// ----------------------------------------------------------------------------------------------
// What every report of a tree must satisfy.

enum class Where { Disk, Archive };

std::string strip_dot_slash(std::string member) {
  while (member.starts_with("./")) member.erase(0, 2);
  return member;
}

// Every planted (path, check) is reported, nothing is reported for any other file, and each
// finding names its file and member correctly.
void expect_report_matches(const Report& report, const Tree& tree, Where where,
                           const std::string& input) {
  ASSERT_TRUE(report.ok);
  std::set<std::pair<std::string, std::string>> reported;
  for (const Finding& f : report.findings) reported.insert({f.path, f.check});

  std::vector<std::string> missed;
  for (const auto& [path, check] : tree.expected)
    if (!reported.count({path, check})) {
      std::string line = path + " " + check + " (reported for it:";
      for (const Finding& f : report.findings)
        if (f.path == path) line += " " + f.check;
      missed.push_back(line + ")");
    }
  std::string missed_text;
  for (const std::string& line : missed) missed_text += "\n  " + line;
  EXPECT_TRUE(missed.empty()) << input << ": planted defects not reported:" << missed_text;

  std::string unexpected;
  for (const Finding& f : report.findings)
    if (!tree.planted.count(f.path)) unexpected += "\n  " + show(f);
  EXPECT_TRUE(unexpected.empty()) << input << ": findings for clean files:" << unexpected;

  for (const Finding& f : report.findings) {
    if (where == Where::Disk) {
      EXPECT_EQ(f.member, "") << show(f);
      EXPECT_EQ(fs::path(f.file).lexically_normal(), (fs::path(input) / f.path.substr(1)).lexically_normal())
          << "file should be the input dir joined with the path: " << show(f);
    } else {
      EXPECT_EQ(f.file, input) << show(f);
      EXPECT_EQ("/" + strip_dot_slash(f.member), f.path)
          << "member should be the archive member of the path: " << show(f);
    }
    EXPECT_FALSE(f.waived) << show(f);
    EXPECT_FALSE(f.message.empty()) << show(f);
  }
}

void expect_clean(const RunResult& run_result, const std::string& arch) {
  EXPECT_EQ(run_result.exit_code, 0) << describe(run_result);
  Report report = parse_report(run_result.out);
  ASSERT_TRUE(report.ok) << describe(run_result);
  EXPECT_EQ(report.arch, arch);
  std::string all;
  for (const Finding& f : report.findings) all += "\n  " + show(f);
  EXPECT_TRUE(report.findings.empty()) << "the clean tree has findings:" << all;
  EXPECT_EQ(report.summary["error"], 0);
  EXPECT_EQ(report.summary["warning"], 0);
  EXPECT_EQ(report.summary["info"], 0);
  EXPECT_GT(report.summary["elf"], 0);
}

// ----------------------------------------------------------------------------------------------
// Per architecture.

class InspectArch : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const ArchTrees& trees = trees_for(GetParam());
    ASSERT_TRUE(trees.full.ok) << trees.full.error;
    ASSERT_TRUE(trees.clean.ok) << trees.clean.error;
    ASSERT_FALSE(trees.full.expected.empty()) << "make-tree planted nothing";
    ASSERT_TRUE(trees.clean.expected.empty()) << "--clean-only planted defects";
    full_ = &trees.full;
    clean_ = &trees.clean;
  }
  const std::string& arch() const { return GetParam(); }
  const Tree* full_ = nullptr;
  const Tree* clean_ = nullptr;
};

TEST_P(InspectArch, TreeReportsEveryPlantedDefectAndNothingElse) {
  const std::string input = full_->root.string();
  RunResult r = inspect({"--arch", arch(), "--format", "json", input});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  EXPECT_EQ(report.arch, arch());
  EXPECT_FALSE(report.inferred);
  EXPECT_EQ(report.libc, "musl");
  EXPECT_GT(report.summary["error"], 0);
  EXPECT_GE(report.summary["files"], static_cast<int64_t>(full_->paths.size()) - 1)
      << "summary.files should count the files of the tree";
  expect_report_matches(report, *full_, Where::Disk, input);
}

TEST_P(InspectArch, CleanTreeHasNoFinding) {
  expect_clean(inspect({"--arch", arch(), "--format", "json", clean_->root.string()}), arch());
}

TEST_P(InspectArch, TarZstdArchive) {
  const std::string archive = make_tar_zst(*full_, "full").string();
  RunResult r = inspect({"--arch", arch(), "--format", "json", archive});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  expect_report_matches(report, *full_, Where::Archive, archive);

  const std::string clean_archive = make_tar_zst(*clean_, "clean").string();
  expect_clean(inspect({"--arch", arch(), "--format", "json", clean_archive}), arch());
}

TEST_P(InspectArch, DebPackage) {
  const std::string deb = make_deb(*full_, "full").string();
  RunResult r = inspect({"--arch", arch(), "--format", "json", deb});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  expect_report_matches(report, *full_, Where::Archive, deb);

  const std::string clean_deb = make_deb(*clean_, "clean").string();
  expect_clean(inspect({"--arch", arch(), "--format", "json", clean_deb}), arch());
}

TEST_P(InspectArch, ArchIsInferredWithoutArchOption) {
  RunResult r = inspect({"--format", "json", full_->root.string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  EXPECT_TRUE(report.inferred);
  EXPECT_EQ(report.arch, arch());
  EXPECT_EQ(report.libc, "musl");
  expect_report_matches(report, *full_, Where::Disk, full_->root.string());

  RunResult clean = inspect({"--format", "json", clean_->root.string()});
  expect_clean(clean, arch());
  EXPECT_TRUE(parse_report(clean.out).inferred);
}

TEST_P(InspectArch, SarifIsVersion210AndNamesEveryPlantedCheck) {
  RunResult r = inspect({"--arch", arch(), "--format", "sarif", full_->root.string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(r.out);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError()) << describe(r);
  const llvm::json::Object* top = parsed->getAsObject();
  ASSERT_TRUE(top);
  EXPECT_EQ(top->getString("version").value_or(""), "2.1.0");
  const llvm::json::Array* runs = top->getArray("runs");
  ASSERT_TRUE(runs && !runs->empty()) << "no runs";
  const llvm::json::Object* run0 = (*runs)[0].getAsObject();
  ASSERT_TRUE(run0);
  const llvm::json::Array* results = run0->getArray("results");
  ASSERT_TRUE(results && !results->empty()) << "no results";
  std::set<std::string> rule_ids;
  for (const llvm::json::Value& result : *results)
    if (const llvm::json::Object* object = result.getAsObject())
      if (auto id = object->getString("ruleId")) rule_ids.insert(id->str());
  for (const auto& [path, check] : full_->expected)
    EXPECT_TRUE(rule_ids.count(check)) << "no SARIF result with ruleId " << check;
}

TEST_P(InspectArch, TextReportMentionsEveryPlantedFile) {
  RunResult r = inspect({"--arch", arch(), "--no-color", full_->root.string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour codes despite --no-color";
  for (const std::string& path : full_->planted)
    EXPECT_NE(r.out.find(path.substr(1)), std::string::npos) << "text report does not mention " << path;
  for (const std::string& check : {std::string("interp"), std::string("rpath")})
    EXPECT_NE(r.out.find(check), std::string::npos) << "text report does not name check " << check;
}

std::string arch_test_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Arches, InspectArch, ::testing::ValuesIn(kArches), arch_test_name);

// ----------------------------------------------------------------------------------------------
// The command line, on the aarch64 tree.

class InspectCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const ArchTrees& trees = trees_for("aarch64");
    ASSERT_TRUE(trees.full.ok) << trees.full.error;
    ASSERT_TRUE(trees.clean.ok) << trees.clean.error;
    full_ = &trees.full;
    clean_ = &trees.clean;
  }
  fs::path write_file(const std::string& name, const std::string& text) {
    fs::path file = WorkDir::path() / name;
    std::ofstream(file) << text;
    return file;
  }
  const Tree* full_ = nullptr;
  const Tree* clean_ = nullptr;
};

TEST_F(InspectCli, WaiverMarksTheFindingAndTheExitCodeFollowsTheRest) {
  const std::string reason = "the glibc loader is kept on purpose here";
  fs::path waivers = write_file("waive-one.yaml", "- check: interp\n  path: /usr/bin/bad-interp-glibc\n"
                                                  "  reason: " + reason + "\n");
  RunResult r = inspect({"--arch", "aarch64", "--format", "json", "--waive", waivers.string(),
                         full_->root.string()});
  EXPECT_EQ(r.exit_code, 1) << "other errors remain unwaived\n" << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  int waived = 0;
  for (const Finding& f : report.findings) {
    if (f.path == "/usr/bin/bad-interp-glibc" && f.check == "interp") {
      EXPECT_TRUE(f.waived) << show(f);
      EXPECT_EQ(f.waiver_reason, reason);
      ++waived;
    } else {
      EXPECT_FALSE(f.waived) << show(f);
      EXPECT_EQ(f.waiver_reason, "") << show(f);
    }
  }
  EXPECT_GE(waived, 1) << "the waived finding is not in the report";
  EXPECT_EQ(report.summary["waived"], waived);

  // A tree whose only error is waived exits 0.
  fs::path tree = WorkDir::path() / "waived-tree";
  RunResult copy = shell("rm -rf " + quote(tree.string()) + " && cp -a " +
                         quote(clean_->root.string()) + " " + quote(tree.string()) + " && cp -a " +
                         quote((full_->root / "usr/bin/bad-interp-glibc").string()) + " " +
                         quote((tree / "usr/bin/").string()));
  ASSERT_EQ(copy.exit_code, 0) << describe(copy);
  RunResult unwaived = inspect({"--arch", "aarch64", "--format", "json", tree.string()});
  EXPECT_EQ(unwaived.exit_code, 1) << describe(unwaived);
  RunResult all_waived = inspect({"--arch", "aarch64", "--format", "json", "--waive",
                                  waivers.string(), tree.string()});
  EXPECT_EQ(all_waived.exit_code, 0) << describe(all_waived);
  Report waived_report = parse_report(all_waived.out);
  ASSERT_TRUE(waived_report.ok);
  EXPECT_FALSE(waived_report.findings.empty()) << "waived findings must stay in the report";
  for (const Finding& f : waived_report.findings) EXPECT_TRUE(f.waived) << show(f);
  EXPECT_EQ(waived_report.summary["error"], 0) << "waived findings do not count";

  // '*' waives everything.
  fs::path everything = write_file("waive-all.yaml", "- check: \"*\"\n  path: \"*\"\n  reason: all\n");
  RunResult r2 = inspect({"--arch", "aarch64", "--format", "json", "--waive", everything.string(),
                          full_->root.string()});
  EXPECT_EQ(r2.exit_code, 0) << describe(r2);
}

TEST_F(InspectCli, FailOnWarning) {
  // A clean tree plus one file whose only defect is a warning (execstack).
  fs::path tree = WorkDir::path() / "warning-tree";
  RunResult copy = shell("rm -rf " + quote(tree.string()) + " && cp -a " +
                         quote(clean_->root.string()) + " " + quote(tree.string()) + " && cp -a " +
                         quote((full_->root / "usr/bin/execstack").string()) + " " +
                         quote((tree / "usr/bin/").string()));
  ASSERT_EQ(copy.exit_code, 0) << describe(copy);
  RunResult by_default = inspect({"--arch", "aarch64", "--format", "json", tree.string()});
  EXPECT_EQ(by_default.exit_code, 0) << "a warning does not fail by default\n" << describe(by_default);
  Report report = parse_report(by_default.out);
  ASSERT_TRUE(report.ok);
  ASSERT_EQ(report.findings.size(), 1u) << by_default.out;
  EXPECT_EQ(report.findings[0].check, "execstack");
  EXPECT_EQ(report.findings[0].severity, "warning");
  EXPECT_EQ(report.summary["warning"], 1);

  RunResult on_warning =
      inspect({"--arch", "aarch64", "--format", "json", "--fail-on", "warning", tree.string()});
  EXPECT_EQ(on_warning.exit_code, 1) << describe(on_warning);
  RunResult on_error =
      inspect({"--arch", "aarch64", "--format", "json", "--fail-on", "error", tree.string()});
  EXPECT_EQ(on_error.exit_code, 0) << describe(on_error);
  RunResult none = inspect({"--arch", "aarch64", "--fail-on", "none", full_->root.string()});
  EXPECT_EQ(none.exit_code, 0) << describe(none);
  RunResult bad = inspect({"--arch", "aarch64", "--fail-on", "sometimes", tree.string()});
  EXPECT_EQ(bad.exit_code, 2) << describe(bad);
}

TEST_F(InspectCli, NonexistentPathIsAnError) {
  const std::string missing = (WorkDir::path() / "no-such-tree").string();
  RunResult r = inspect({"--arch", "aarch64", missing});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find(missing), std::string::npos) << "the message should name the path\n" << describe(r);
  RunResult mixed = inspect({"--arch", "aarch64", "--format", "json", clean_->root.string(), missing});
  EXPECT_EQ(mixed.exit_code, 2) << describe(mixed);
  RunResult unknown_arch = inspect({"--arch", "no-such-arch", clean_->root.string()});
  EXPECT_EQ(unknown_arch.exit_code, 2) << describe(unknown_arch);
  EXPECT_NE(unknown_arch.err.find("no-such-arch"), std::string::npos) << describe(unknown_arch);
}

TEST_F(InspectCli, TwoInputsInOneRun) {
  // A tree and an archive together: findings keep their file apart.
  const std::string archive = make_tar_zst(*full_, "cli-full").string();
  RunResult r = inspect({"--arch", "aarch64", "--format", "json", clean_->root.string(), archive});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok);
  expect_report_matches(report, *full_, Where::Archive, archive);
}

// "Adding an architecture is adding a file": a made-up arch with the riscv64 identity and its
// own musl loader, in a copy of the data dir, with no C++ change.
TEST_F(InspectCli, NewArchitectureIsJustAFile) {
  const fs::path data = WorkDir::path() / "data";
  const fs::path source = fs::path(source_data_dir()) / "arch" / "riscv64.yaml";
  ASSERT_TRUE(fs::exists(source)) << source << " is missing: the new arch is made from it";
  std::error_code ec;
  fs::remove_all(data, ec);
  fs::create_directories(data);
  fs::copy(fs::path(source_data_dir()) / "arch", data / "arch", fs::copy_options::recursive);
  // New name, no aliases (they would clash with riscv64's), another musl loader.
  RunResult made = shell(
      "sed -e 's/^name: .*/name: rv64test/' -e 's/^aliases: .*/aliases: []/' "
      "-e 's|/lib/ld-musl-riscv64\\.so\\.1|/lib/ld-musl-rv64test.so.1|' " +
      quote(source.string()) + " > " + quote((data / "arch/rv64test.yaml").string()) +
      " && grep -q 'ld-musl-rv64test.so.1' " + quote((data / "arch/rv64test.yaml").string()));
  ASSERT_EQ(made.exit_code, 0) << "riscv64.yaml has no /lib/ld-musl-riscv64.so.1\n" << describe(made);

  Tree full = build_tree("rv64test-full", {"--data-dir", data.string(), "--arch", "rv64test"});
  ASSERT_TRUE(full.ok) << full.error;
  Tree clean = build_tree("rv64test-clean",
                          {"--data-dir", data.string(), "--arch", "rv64test", "--clean-only"});
  ASSERT_TRUE(clean.ok) << clean.error;
  ASSERT_TRUE(fs::is_symlink(clean.root / "lib/ld-musl-rv64test.so.1"))
      << "make-tree did not take the loader from the new file";

  RunResult r = inspect({"--arch", "rv64test", "--format", "json", full.root.string()}, data.string());
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Report report = parse_report(r.out);
  ASSERT_TRUE(report.ok) << describe(r);
  EXPECT_EQ(report.arch, "rv64test");
  expect_report_matches(report, full, Where::Disk, full.root.string());

  expect_clean(inspect({"--arch", "rv64test", "--format", "json", clean.root.string()}, data.string()),
               "rv64test");

  // The same clean tree is wrong for riscv64: its programs ask for the rv64test loader.
  RunResult as_riscv64 =
      inspect({"--arch", "riscv64", "--format", "json", clean.root.string()}, data.string());
  EXPECT_EQ(as_riscv64.exit_code, 1) << describe(as_riscv64);
  Report riscv_report = parse_report(as_riscv64.out);
  ASSERT_TRUE(riscv_report.ok);
  bool interp_on_hello = false;
  for (const Finding& f : riscv_report.findings)
    interp_on_hello |= f.path == "/usr/bin/hello" && f.check == "interp";
  EXPECT_TRUE(interp_on_hello) << "the loader did not come from the arch file";
}

}  // namespace

// ----------------------------------------------------------------------------------------------
// xport recipe lint and xport graph, on a data dir with broken recipes.

TEST(RecipeCli, LintReportsEachProblemAndExitsOne) {
  const fs::path data = WorkDir::path() / "recipe-data";
  std::error_code ec;
  fs::remove_all(data, ec);
  fs::create_directories(data / "recipes");
  fs::copy(fs::path(source_data_dir()) / "arch", data / "arch", fs::copy_options::recursive);
  fs::copy(fs::path(source_data_dir()) / "recipes", data / "recipes", fs::copy_options::recursive);

  RunResult clean = run({xport_binary(), "--data-dir", data.string(), "recipe", "lint"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // Two new recipes that need each other, one of them also naming a package nobody builds.
  const std::string recipe_tail =
      "version: '1.0'\ndescription: test\nlicense: MIT\nsources:\n"
      "  - {url: 'https://example.org/x.tar.gz', sha256: "
      "d14c38e313afc35a9a8760dadf26042f51ea0f5d154b0630a31da0540107fb98}\n"
      "build_style: make\nsource_date_epoch: 1700000000\n";
  fs::create_directories(data / "recipes/loop-a");
  fs::create_directories(data / "recipes/loop-b");
  std::ofstream(data / "recipes/loop-a/loop-a.yaml") << "name: loop-a\n" << recipe_tail
                                                      << "build_depends: [loop-b, zlibb]\n";
  std::ofstream(data / "recipes/loop-b/loop-b.yaml") << "name: loop-b\n" << recipe_tail
                                                      << "build_depends: [loop-a]\n";
  RunResult lint = run({xport_binary(), "--data-dir", data.string(), "recipe", "lint"});
  EXPECT_EQ(lint.exit_code, 1) << lint.out << lint.err;
  EXPECT_NE(lint.out.find("build_depends names 'zlibb', which no recipe builds"), std::string::npos) << lint.out;
  EXPECT_NE(lint.out.find("build dependency cycle: loop-a -> loop-b -> loop-a"), std::string::npos)
      << lint.out;
  EXPECT_NE(lint.err.find("2 problems"), std::string::npos) << lint.err;

  RunResult graph = run({xport_binary(), "--data-dir", data.string(), "graph"});
  EXPECT_EQ(graph.exit_code, 2) << graph.out;
  EXPECT_NE(graph.err.find("build dependency cycle"), std::string::npos) << graph.err;
}

TEST(RecipeCli, GraphIsDotOfTheWantedPackages) {
  RunResult graph = run({xport_binary(), "--data-dir", source_data_dir(), "graph", "musl"});
  ASSERT_EQ(graph.exit_code, 0) << graph.err;
  EXPECT_EQ(graph.out.rfind("digraph xport {", 0), 0u) << graph.out;
  EXPECT_NE(graph.out.find("\"musl\" [label=\"musl\\n"), std::string::npos) << graph.out;
  EXPECT_EQ(graph.out.back(), '\n');
}

// ----------------------------------------------------------------------------------------------
// Every subcommand `xport help` lists answers --help with its usage and exits 0.

TEST(RecipeCli, EverySubcommandHasHelp) {
  RunResult help = run({xport_binary(), "help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  std::istringstream lines(help.out.substr(help.out.find("Commands:\n") + 10));
  std::vector<std::string> commands;
  for (std::string line; std::getline(lines, line) && line.rfind("  ", 0) == 0;)
    commands.push_back(line.substr(2, line.find(' ', 2) - 2));
  EXPECT_GE(commands.size(), 13u) << help.out;
  for (const std::string& command : commands) {
    RunResult r = run({xport_binary(), "--data-dir", source_data_dir(), command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    // `xport help --help` is the general usage.
    EXPECT_NE(r.out.find("usage: xport " + (command == "help" ? "" : command)), std::string::npos)
        << command << ": " << r.out;
  }
}

// A misspelt --arch stops every subcommand that takes one, before it does anything, with the
// closest known name.
TEST(RecipeCli, AnUnknownArchGetsADidYouMeanFromEverySubcommand) {
  const fs::path scratch = WorkDir::path() / "unknown-arch";
  fs::create_directories(scratch);
  const std::string root = scratch.string(), image = (scratch / "root.tar").string();
  const std::vector<std::vector<std::string>> command_lines = {
      {"toolchain", "--arch", "aarch46"},
      {"env", "--arch", "aarch46"},
      {"build", "--arch", "aarch46", "zlib"},
      {"rootfs", "--arch", "aarch46", "--root", root + "/new", "@minimal"},
      {"run", "--arch", "aarch46", "--root", root, "--", "true"},
      {"shell", "--arch", "aarch46", "--root", root},
      {"selfhost", "--arch", "aarch46", "--root", root},
      {"kernel", "--arch", "aarch46"},
      {"boot", "--arch", "aarch46", "--root", root},
      {"image", "--arch", "aarch46", "--format", "tar", "-o", image},
      {"inspect", "--arch", "aarch46", root},
      {"arch", "show", "aarch46"},
  };
  for (const std::vector<std::string>& words : command_lines) {
    std::vector<std::string> argv = {xport_binary(), "--data-dir", source_data_dir()};
    argv.insert(argv.end(), words.begin(), words.end());
    RunResult r = run(argv);
    EXPECT_EQ(r.exit_code, 2) << words[0] << ": " << r.err;
    EXPECT_NE(r.err.find("unknown architecture 'aarch46'; did you mean 'aarch64'?"),
              std::string::npos)
        << words[0] << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(image));
  EXPECT_FALSE(fs::exists(root + "/new"));
}

TEST(RecipeCli, ProfilesExpandWherePackagesAreNamed) {
  RunResult graph = run({xport_binary(), "--data-dir", source_data_dir(), "graph", "@minimal"});
  ASSERT_EQ(graph.exit_code, 0) << graph.err;
  for (const char* package : {"busybox", "tcc", "make", "base-files", "musl"})
    EXPECT_NE(graph.out.find(std::string("\"") + package + "\" [label="), std::string::npos) << package;
  RunResult unknown = run({xport_binary(), "--data-dir", source_data_dir(), "graph", "@minmal"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no profile '@minmal' in recipes/profiles/; did you mean '@minimal'?"), std::string::npos)
      << unknown.err;
}
