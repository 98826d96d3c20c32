// Exits non-zero unless the C library's string came back through a C++ exception intact.
#include <iostream>
#include <stdexcept>
#include <string>

#include "greet.h"

int main() {
  std::string message;
  try {
    throw std::runtime_error(greeting());
  } catch (const std::exception& e) {
    message = e.what();
  }
  std::cout << message << ", caught in C++\n";
  return message == "greetings from C" ? 0 : 1;
}
