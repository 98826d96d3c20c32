#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace xport {

Expected<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(path + ": read error");
  return text.str();
}

namespace {

// A device or pipe named as the output (/dev/null, /dev/stdout) is written in place: a rename
// would put a regular file where the device was, for every program on the host.
bool is_special_file(const std::string& path) {
  struct stat status;
  return stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode) && !S_ISDIR(status.st_mode);
}

Status write_all(int fd, const std::string& name, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(name + ": write failed: " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::success();
}

}  // namespace

Status write_file_atomically(const std::string& path, const std::string& content) {
  if (is_special_file(path)) {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Error(path + ": cannot open: " + std::strerror(errno));
    Status written = write_all(fd, path, content);
    close(fd);
    return written;
  }
  std::string temp = path + ".tmp." + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error(temp + ": cannot create: " + std::strerror(errno));
  if (Status written = write_all(fd, temp, content); !written.ok()) {
    close(fd);
    unlink(temp.c_str());
    return written;
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(temp.c_str());
    return Error(temp + ": cannot flush to disk: " + std::strerror(errno));
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    unlink(temp.c_str());
    return Error(path + ": cannot replace: " + why);
  }
  return Status::success();
}

}  // namespace xport
