/*===- KernelsAVX2.c - compute kernels for AVX2 ===*
 *
 * AVX2 with FMA (x86-64-v3): 6 x 16 tiles, 12 accumulators of 8 floats.
 *
 *===----------------------------------------------------------------------===*/

#include "Kernels.h"

#define MR 6
#define NR 16
#define VL 8
#define ISA avx2
#include "Gemm.inc"
#include "Direct.inc"
#define HP 6
#define HV 2
#include "Nhwc.inc"
