#include "fetch/sha256.h"

#include <fcntl.h>
#include <unistd.h>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace xport {

Expected<std::string> sha256_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(path + ": cannot open: " + std::strerror(errno));
  llvm::SHA256 hasher;
  std::vector<uint8_t> buffer(1 << 20);
  while (true) {
    ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = std::strerror(errno);
      close(fd);
      return Error(path + ": read error: " + why);
    }
    hasher.update(llvm::ArrayRef<uint8_t>(buffer.data(), static_cast<size_t>(n)));
  }
  close(fd);
  return llvm::toHex(hasher.final(), /*LowerCase=*/true);
}

std::string sha256_text(const std::string& text) {
  return llvm::toHex(llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
                         reinterpret_cast<const uint8_t*>(text.data()), text.size())),
                     /*LowerCase=*/true);
}

}  // namespace xport
