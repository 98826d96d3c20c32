// C++ on the target: iostream, an exception thrown and caught (libunwind + libc++abi), a thread.
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

int main() {
  std::string caught;
  try {
    throw std::runtime_error("thrown");
  } catch (const std::exception& e) {
    caught = e.what();
  }
  std::thread worker([&] { std::cout << "hello from C++: caught " << caught << ", in a thread\n"; });
  worker.join();
  return 0;
}
