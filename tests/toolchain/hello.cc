// C++ on the target: iostream, an exception unwound out of a function and caught (libunwind and
// libc++abi), and a std::thread started and joined (libc++ on musl's pthreads).
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

[[gnu::noinline]] static void fail(const std::string& what) { throw std::runtime_error(what); }

int main() {
  std::string caught;
  try {
    fail("boom");
  } catch (const std::exception& e) {
    caught = e.what();
  }
  int answer = 0;
  std::thread worker([&answer] { answer = 42; });
  worker.join();
  std::cout << "hello from C++: caught " << caught << ", thread says " << answer << std::endl;
  return 0;
}
