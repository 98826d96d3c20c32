#include <iostream>
extern "C" const char* greeting();
int main() { std::cout << greeting() << "\n"; }
