// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-cpu-microkernels{isa=avx2}))" | kiln-opt --kiln-cpu-linalg --kiln-cpu-to-llvm | FileCheck %s

// The parts of a concat along channels are computed straight into their
// slices of the result (empty-tensor elimination before bufferization): the
// kernels get pointers into the output buffer and nothing is copied.
// CHECK-LABEL: llvm.func @main
// CHECK-COUNT-2: llvm.call @kiln_uk_pool2d_f32_avx2
// CHECK-NOT: memrefCopy
// CHECK-NOT: llvm.intr.memcpy
// CHECK-NOT: llvm.call @malloc
func.func @main(%x: tensor<1x2x8x8xf32> {kiln.name = "x"}) -> (tensor<1x4x4x4xf32> {kiln.name = "y"}) {
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  %2 = kiln.concat %0, %1 {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %2 : tensor<1x4x4x4xf32>
}
