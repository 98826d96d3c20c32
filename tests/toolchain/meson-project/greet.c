const char* greeting(void) { return "greetings from a Meson project"; }
