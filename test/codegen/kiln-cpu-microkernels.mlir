// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx2}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx512}))' | FileCheck %s --check-prefix=AVX512
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=none}))' | FileCheck %s --check-prefix=NONE

// A convolution with constant weights, its residual add and its relu become
// one kernel call; the weights are packed into panels of MR rows (avx2: 6;
// 8 channels make 2 panels of 2*3*3 x 6 = 108 floats, zeros after row 8).
// CHECK-LABEL: func.func @conv_add_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x5x5xf32>, %[[R:.*]]: tensor<1x8x5x5xf32>)
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<5.000000e-01> : tensor<8xf32>
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<216xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x8x5x5xf32>
// CHECK: %[[Y:.*]] = kiln.microkernel "conv2d_f32" isa "avx2" ins(%[[X]], %[[W]], %[[B]], %[[R]] :
// CHECK-SAME: outs(%[[E]] : tensor<1x8x5x5xf32>)
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0.000000e+00>
// CHECK-SAME: params = array<i64: 1, 2, 5, 5, 8, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1>
// CHECK-NOT: kiln.conv
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.relu
// CHECK: return %[[Y]]
// AVX512-LABEL: func.func @conv_add_relu
// AVX512: kiln.constant dense<{{.*}}> : tensor<216xf32>
// AVX512: kiln.microkernel "conv2d_f32" isa "avx512"
// NONE-LABEL: func.func @conv_add_relu
// NONE: kiln.conv
// NONE-NOT: kiln.microkernel
func.func @conv_add_relu(%x: tensor<1x2x5x5xf32>, %r: tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32> {
  %w = kiln.constant dense<1.0> : tensor<8x2x3x3xf32>
  %b = kiln.constant dense<0.5> : tensor<8xf32>
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  %1 = kiln.add %0, %r : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %2 = kiln.relu %1 : tensor<1x8x5x5xf32> -> tensor<1x8x5x5xf32>
  return %2 : tensor<1x8x5x5xf32>
}

// -----

// Packing: row m of the filter goes to panel m / 6, column m % 6. The
// second panel holds rows 6 and 7, then zeros. Clip with constant bounds
// is an activation (code 2, its bounds in fparams); no bias, no residual.
// CHECK-LABEL: func.func @conv_clip_packing
// CHECK: kiln.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<12xf32>
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 6.000000e+00>
// CHECK-SAME: params = array<i64: 1, 1, 4, 4, 8, 2, 2, 1, 1, 2, 2, 1, 1, 0, 0, 2, 0, 0>
func.func @conv_clip_packing(%x: tensor<1x1x4x4xf32>) -> tensor<1x8x2x2xf32> {
  %w = kiln.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]], [[[5.0]]], [[[6.0]]], [[[7.0]]], [[[8.0]]]]> : tensor<8x1x1x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<8x1x1x1xf32>) -> tensor<1x8x2x2xf32>
  %1 = kiln.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x2x2xf32> -> tensor<1x8x2x2xf32>
  return %1 : tensor<1x8x2x2xf32>
}

// -----

// Left to the generic lowering: weights that are not constant, grouped
// convolutions, and 1-D convolutions. A conv whose result has another use
// keeps its add separate.
// CHECK-LABEL: func.func @not_kernels
// CHECK: kiln.conv %{{.*}}, %[[WARG:.*]] {
// CHECK: kiln.conv {{.*}}group = 2
// CHECK: kiln.conv {{.*}}tensor<1x2x5xf32>
// CHECK: %[[K:.*]] = kiln.microkernel "conv2d_f32" isa "avx2" ins(%{{[^,]*}}, %{{[^,]*}} : tensor<1x2x5x5xf32>, tensor<108xf32>)
// CHECK: kiln.add %[[K]], %[[K]]
func.func @not_kernels(%x: tensor<1x2x5x5xf32>, %warg: tensor<4x2x3x3xf32>, %x1: tensor<1x2x5xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3xf32>, tensor<1x4x3x3xf32>) {
  %0 = kiln.conv %x, %warg {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %wg = kiln.constant dense<1.0> : tensor<4x1x3x3xf32>
  %1 = kiln.conv %x, %wg {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32>
  %w1 = kiln.constant dense<1.0> : tensor<4x2x3xf32>
  %2 = kiln.conv %x1, %w1 {dilations = array<i64: 1>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<4x2x3xf32>) -> tensor<1x4x3xf32>
  %w = kiln.constant dense<1.0> : tensor<4x2x3x3xf32>
  %3 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %4 = kiln.add %3, %3 : (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0, %1, %2, %4 : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3xf32>, tensor<1x4x3x3xf32>
}
