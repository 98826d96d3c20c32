/* A seed for fuzz_elf: dynamic symbols, an undefined one, data, a string and a .comment. */
extern int external_function(int);
int exported_data = 42;
const char *exported_string = "/usr/lib/x86_64-linux-gnu/libz.so";
int exported_function(int x) { return external_function(x) + exported_data; }
void _start(void) { exported_function(1); for (;;) {} }
