/* C on the target: stdio and long double. The division happens at run time, so on aarch64 and
   riscv64 (128-bit IEEE quad long double) it goes through compiler-rt's soft-float __divtf3, and
   printf goes through musl's long double formatting. */
#include <float.h>
#include <stdio.h>

int main(void) {
  volatile long double three = 3;
  long double third = 1 / three;
  printf("hello from C: long double has %d mantissa bits, 1/3 = %.36Lf\n", LDBL_MANT_DIG, third);
  return 0;
}
