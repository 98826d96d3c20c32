/* C on the target: stdio, and long double arithmetic (soft-float helpers from compiler-rt on
   aarch64 and riscv64, where long double is 128-bit). */
#include <stdio.h>

int main(void) {
  long double third = 1.0L / 3;
  printf("hello from C: 1/3 = %.12Lf, sizeof(long double) = %zu\n", third, sizeof third);
  return 0;
}
