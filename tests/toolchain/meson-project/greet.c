#include "greet.h"

const char* greeting(void) { return "greetings from C"; }
