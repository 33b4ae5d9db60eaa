// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx2}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 layout=nhwc}))' | FileCheck %s --check-prefix=NHWC
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx2 narrow-weights=false}))' | FileCheck %s --check-prefix=WIDE

// Packed weights that are all exact in f16 are stored as f16, the same
// numbers in half the bytes (zero rows of the panel included).
// CHECK-LABEL: func.func @exact_in_f16
// CHECK: %[[W:.*]] = kiln.constant dense<[1.000000e+00, 1.250000e-01, -4.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -2.500000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<12xf16>
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2" ins(%{{.*}}, %[[W]] : tensor<1x2x5x5xf32>, tensor<12xf16>)
// NHWC-LABEL: func.func @exact_in_f16
// NHWC: kiln.constant {{.*}} : tensor<128xf16>
// NHWC: kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%{{.*}}, %{{.*}} : tensor<1x5x5x2xf32>, tensor<128xf16>)
// WIDE-LABEL: func.func @exact_in_f16
// WIDE: kiln.microkernel "conv2d_f32" isa "avx2" ins(%{{.*}}, %{{.*}} : tensor<1x2x5x5xf32>, tensor<12xf32>)
func.func @exact_in_f16(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x5x5xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[-2.5]]], [[[0.125]], [[3.0]]], [[[-4.0]], [[0.0]]]]> : tensor<3x2x1x1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x5x5xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x5x5xf32>
  return %y : tensor<1x3x5x5xf32>
}

// -----

// Exact in bf16 but not in f16: 2^20 is past f16's largest value and
// 2^-30 below its smallest (1 + 2^-7 is exact in both).
// CHECK-LABEL: func.func @exact_in_bf16
// CHECK: kiln.constant dense<[1.048580e+06, {{.*}}, 9.313220e-10, {{.*}}, 1.007810e+00, {{.*}}]> : tensor<18xbf16>
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2" ins(%{{.*}}, %{{.*}} : tensor<1x3x4x4xf32>, tensor<18xbf16>)
func.func @exact_in_bf16(%x: tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = kiln.constant dense<[[[[1048576.0]], [[9.31322574615478515625e-10]], [[1.0078125]]]]> : tensor<1x3x1x1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// One value exact in neither (0.1) keeps the whole tensor in f32.
// CHECK-LABEL: func.func @not_exact
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2" ins(%{{.*}}, %{{.*}} : tensor<1x2x4x4xf32>, tensor<12xf32>)
func.func @not_exact(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[0.1]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Fully connected weights, [N][K], narrow too.
// CHECK-LABEL: func.func @dense
// CHECK: kiln.constant dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00], [3.000000e+00, 5.000000e+00]]> : tensor<3x2xf16>
// CHECK: kiln.microkernel "dense_f32" isa "avx2" ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<3x2xf16>)
func.func @dense(%a: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %b = kiln.constant dense<[[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %y = kiln.gemm %a, %b : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// A channels-last chunk of weights larger than the kernels' stage (16 x 40
// taps x 64 channels > 32768 floats) stays f32: the kernel widens one
// chunk at a time into the stage.
// NHWC-LABEL: func.func @chunk_past_stage
// NHWC: kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%{{.*}}, %{{.*}} : tensor<1x16x40x1xf32>, tensor<40960xf32>)
func.func @chunk_past_stage(%x: tensor<1x1x16x40xf32>) -> tensor<1x1x1x1xf32> {
  %w = kiln.constant dense<1.0> : tensor<1x1x16x40xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x16x40xf32>, tensor<1x1x16x40xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
