// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-cpu-microkernels{isa=avx2 layout=nhwc narrow-weights=false}),kiln-propagate-transposes)" | kiln-opt --kiln-cpu-linalg --kiln-cpu-to-llvm | FileCheck %s

// Channels-last: the two convolutions of a concat (a SqueezeNet fire
// module) write their channel slices of the concat's buffer in place, with
// the concat's channel count as their pixel stride: ldy = 6, the sixth
// argument from the end (ldr and the four float parameters follow).
// CHECK-LABEL: llvm.func @main
// CHECK-NOT: memrefCopy
// CHECK-NOT: llvm.intr.memcpy
// CHECK-NOT: llvm.call @malloc
// CHECK-DAG: %[[C6:.*]] = llvm.mlir.constant(6 : i64) : i64
// CHECK-COUNT-2: llvm.call @kiln_uk_conv2d_nhwc_f32_avx2({{.*}}, %[[C6]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,)]*}}) :
// CHECK-NOT: memrefCopy
// CHECK-NOT: llvm.intr.memcpy
func.func @main(%x: tensor<1x4x5x5xf32> {kiln.name = "x"}) -> (tensor<1x6x5x5xf32> {kiln.name = "y"}) {
  %w1 = arith.constant dense<0.5> : tensor<2x4x1x1xf32>
  %w3 = arith.constant dense<0.25> : tensor<4x4x3x3xf32>
  %0 = kiln.conv %x, %w1 {dilations = array<i64: 1, 1>, group = 1 : i64, kernel_shape = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x5x5xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x5x5xf32>
  %1 = kiln.conv %x, %w3 {dilations = array<i64: 1, 1>, group = 1 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x5x5xf32>
  %2 = kiln.concat %0, %1 {axis = 1 : i64} : (tensor<1x2x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x6x5x5xf32>
  return %2 : tensor<1x6x5x5xf32>
}
