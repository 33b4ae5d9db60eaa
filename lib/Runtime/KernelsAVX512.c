/*===- KernelsAVX512.c - compute kernels for AVX512 ===*
 *
 * AVX-512 (x86-64-v4): 12 x 32 tiles, 24 accumulators of 16 floats.
 *
 *===----------------------------------------------------------------------===*/

#include "Kernels.h"

#define MR 12
#define NR 32
#define VL 16
#define ISA avx512
#include "Gemm.inc"
#include "Direct.inc"
#define HP 6
#define HV 4
#include "Nhwc.inc"
