const char* greeting(void) { return "greetings from a CMake project"; }
