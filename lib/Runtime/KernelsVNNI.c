/*===- KernelsVNNI.c - integer kernels for AVX-512 VNNI ===*
 *
 * AVX-512 with VNNI (x86-64-v4 + vpdpbusd): the u8 x s8 convolution of
 * channels-last tensors with 6 x 4 tiles, 24 accumulators of 16 int32, and
 * the quantization of f32 to u8.
 *
 *===----------------------------------------------------------------------===*/

/* Kernels.h's helpers of the float convolutions (packing, planning) are
   not used here. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-function"
#include "Kernels.h"
#pragma clang diagnostic pop

#define ISA avx512vnni
#define HP 6
#define HV 4
#include "Int8.inc"
