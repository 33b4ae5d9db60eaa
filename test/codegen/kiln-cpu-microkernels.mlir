// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx2 narrow-weights=false}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 narrow-weights=false}))' | FileCheck %s --check-prefix=AVX512
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
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00>
// CHECK-SAME: params = array<i64: 1, 2, 5, 5, 8, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1>
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
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 6.000000e+00, 1.000000e+00, 0.000000e+00>
// CHECK-SAME: params = array<i64: 1, 1, 4, 4, 8, 2, 2, 1, 1, 2, 2, 1, 1, 0, 0, 2, 1, 0, 0, 0>
func.func @conv_clip_packing(%x: tensor<1x1x4x4xf32>) -> tensor<1x8x2x2xf32> {
  %w = kiln.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]], [[[5.0]]], [[[6.0]]], [[[7.0]]], [[[8.0]]]]> : tensor<8x1x1x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<8x1x1x1xf32>) -> tensor<1x8x2x2xf32>
  %1 = kiln.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x2x2xf32> -> tensor<1x8x2x2xf32>
  return %1 : tensor<1x8x2x2xf32>
}

// -----

// Left to the generic lowering: weights that are not constant and 1-D
// convolutions. A conv whose result has another use keeps its add separate.
// CHECK-LABEL: func.func @not_kernels
// CHECK: kiln.conv %{{.*}}, %[[WARG:.*]] {
// CHECK: kiln.microkernel "conv2d_f32"
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

// -----

// Grouped: a product per group, weights packed per group ([G][panels][K][MR]:
// 2 groups of 3 rows make 2 avx2 panels of 2*1*1 x 6 = 12 floats each); the
// group count is the 17th parameter.
// CHECK-LABEL: func.func @grouped
// CHECK: kiln.constant dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 9.000000e+00, 1.100000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 8.000000e+00, 1.000000e+01, 1.200000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<24xf32>
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 0>
func.func @grouped(%x: tensor<1x4x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]], [[[9.0]], [[10.0]]], [[[11.0]], [[12.0]]]]> : tensor<6x2x1x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// Depthwise (groups = channels = output channels): the direct kernel on the
// filter as it is, with the same parameters and epilogue.
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>)
// CHECK: %[[W:.*]] = kiln.constant dense<2.500000e-01> : tensor<3x1x3x3xf32>
// CHECK: kiln.microkernel "dwconv2d_f32" isa "avx2" ins(%[[X]], %[[W]], %{{.*}} : tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>)
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 6.000000e+00, 1.000000e+00, 0.000000e+00>
// CHECK-SAME: params = array<i64: 1, 3, 8, 8, 3, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 2, 3, 1, 0>
// CHECK-NOT: kiln.clip
func.func @depthwise(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %w = kiln.constant dense<0.25> : tensor<3x1x3x3xf32>
  %b = kiln.constant dense<1.0> : tensor<3xf32>
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, group = 3 : i64} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = kiln.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// -----

// Transposed: a 1x1 product into M*KH*KW column planes (the filter
// [C][M*KH*KW] transposed and packed), then col2im with the bias and the
// following relu.
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xf32>)
// CHECK: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<24xf32>
// CHECK: %[[C:.*]] = kiln.microkernel "conv2d_f32" isa "avx2" ins(%[[X]], %[[W]] : tensor<1x2x3x3xf32>, tensor<24xf32>)
// CHECK-SAME: params = array<i64: 1, 2, 3, 3, 12, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0>
// CHECK-SAME: -> tensor<1x12x3x3xf32>
// CHECK: kiln.microkernel "col2im_f32" isa "avx2" ins(%[[C]], %{{.*}} : tensor<1x12x3x3xf32>, tensor<3xf32>)
// CHECK-SAME: params = array<i64: 1, 3, 3, 3, 6, 6, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1>
// CHECK-NOT: kiln.relu
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>) -> tensor<1x3x6x6xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x3x2x2xf32>
  %b = kiln.constant dense<0.5> : tensor<3xf32>
  %0 = kiln.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x3x2x2xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  %1 = kiln.relu %0 : tensor<1x3x6x6xf32> -> tensor<1x3x6x6xf32>
  return %1 : tensor<1x3x6x6xf32>
}

// -----

// Pooling: kind 0 max, 1 average, 2 average with pads in the divisor; the
// pads in full (ceil mode is in the output extent).
// CHECK-LABEL: func.func @pools
// CHECK: kiln.microkernel "pool2d_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 2, 9, 9, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0>
// CHECK: kiln.microkernel "pool2d_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 2, 9, 9, 4, 4, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1>
// CHECK: kiln.microkernel "pool2d_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 2, 9, 9, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2>
// CHECK-NOT: kiln.max_pool
// CHECK-NOT: kiln.avg_pool
func.func @pools(%x: tensor<1x2x9x9xf32>) -> (tensor<1x2x5x5xf32>, tensor<1x2x4x4xf32>, tensor<1x2x9x9xf32>) {
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x9x9xf32>) -> tensor<1x2x5x5xf32>
  %1 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x9x9xf32>) -> tensor<1x2x4x4xf32>
  %2 = kiln.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x2x9x9xf32>) -> tensor<1x2x9x9xf32>
  return %0, %1, %2 : tensor<1x2x5x5xf32>, tensor<1x2x4x4xf32>, tensor<1x2x9x9xf32>
}

// -----

// Integer pooling, 1-D pooling and grouped transposed convolutions stay
// generic.
// CHECK-LABEL: func.func @generic_pools
// CHECK: kiln.max_pool
// CHECK: kiln.avg_pool
// CHECK: kiln.conv_transpose
// CHECK-NOT: kiln.microkernel
func.func @generic_pools(%x: tensor<1x2x9x9xi8>, %y: tensor<1x2x9xf32>, %z: tensor<1x2x3x3xf32>) -> (tensor<1x2x4x4xi8>, tensor<1x2x4xf32>, tensor<1x4x6x6xf32>) {
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x9x9xi8>) -> tensor<1x2x4x4xi8>
  %1 = kiln.avg_pool %y {kernel_shape = array<i64: 2>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x2x9xf32>) -> tensor<1x2x4xf32>
  %w = kiln.constant dense<1.0> : tensor<2x2x2x2xf32>
  %2 = kiln.conv_transpose %z, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<1x4x6x6xf32>
  return %0, %1, %2 : tensor<1x2x4x4xi8>, tensor<1x2x4xf32>, tensor<1x4x6x6xf32>
}

// -----

// Fully connected: gemm with constant B becomes "dense_f32" with weights
// [N][K] (transposed here, trans_b = false) times alpha, and beta * C as
// the bias; the relu after it is fused (params M, N, K, act, hasBias).
// CHECK-LABEL: func.func @gemm_dense
// CHECK-DAG: kiln.constant dense<[2.000000e+00, 4.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: kiln.constant dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00], [3.000000e+00, 5.000000e+00]]> : tensor<3x2xf32>
// CHECK: kiln.microkernel "dense_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 3, 2, 1, 1>
// CHECK-NOT: kiln.relu
func.func @gemm_dense(%a: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %b = kiln.constant dense<[[2.0, 4.0, 6.0], [6.0, 8.0, 10.0]]> : tensor<2x3xf32>
  %c = kiln.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = kiln.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %1 = kiln.relu %0 : tensor<1x3xf32> -> tensor<1x3xf32>
  return %1 : tensor<1x3xf32>
}

// -----

// MatMul by a constant matrix with leading batch dimensions (more rows),
// and the add of a constant row after it as the bias.
// CHECK-LABEL: func.func @matmul_add
// CHECK: kiln.microkernel "dense_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 6, 2, 4, 0, 1>
// CHECK-SAME: -> tensor<2x3x2xf32>
// CHECK-NOT: kiln.add
func.func @matmul_add(%a: tensor<2x3x4xf32>) -> tensor<2x3x2xf32> {
  %b = kiln.constant dense<1.0> : tensor<4x2xf32>
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
  %1 = kiln.add %0, %c : (tensor<2x3x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %1 : tensor<2x3x2xf32>
}

// -----

// Products whose weights are not constant, a transposed A with more than
// one row, and a C with beta != 1 that is not constant stay generic.
// CHECK-LABEL: func.func @dense_generic
// CHECK: kiln.matmul
// CHECK: kiln.gemm
// CHECK: kiln.gemm
// CHECK-NOT: kiln.microkernel
func.func @dense_generic(%a: tensor<2x4xf32>, %b: tensor<4x3xf32>, %c: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>) {
  %0 = kiln.matmul %a, %b : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %w = kiln.constant dense<1.0> : tensor<2x3xf32>
  %1 = kiln.gemm %a, %w {trans_a = true} : (tensor<2x4xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %w2 = kiln.constant dense<1.0> : tensor<4x3xf32>
  %2 = kiln.gemm %a, %w2, %c {beta = 0.5 : f32} : (tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>
}

// -----

// A multiplication and an addition by one-element constants after the
// activation (PaddleOCR's learnable affine) are the kernel's post scale and
// shift, its last two fparams. A product by a per-channel tensor is not,
// and stays after the kernel; dense_f32 takes no affine.
// CHECK-LABEL: func.func @post_affine
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0.000000e+00, 2.500000e+00, -1.000000e+00>
// CHECK-SAME: params = array<i64: 1, 2, 4, 4, 3, 4, 4, 1, 1, 1, 1, 1, 1, 0, 0, 5, 1, 0, 0, 0>
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00>
// CHECK: kiln.mul %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>)
// CHECK: kiln.microkernel "dense_f32"
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0.000000e+00>
// CHECK: kiln.mul %{{.*}}, %{{.*}} : (tensor<1x3xf32>, tensor<1xf32>)
// CHECK-NOT: kiln.hard_swish
func.func @post_affine(%x: tensor<1x2x4x4xf32>, %v: tensor<1x2xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<1x3xf32>) {
  %w = kiln.constant dense<1.0> : tensor<3x2x1x1xf32>
  %s = kiln.constant dense<2.5> : tensor<1xf32>
  %t = kiln.constant dense<-1.0> : tensor<1xf32>
  %c = kiln.constant dense<[[[[0.5]], [[1.5]], [[2.5]]]]> : tensor<1x3x1x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = kiln.hard_swish %0 : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  %2 = kiln.mul %1, %s : (tensor<1x3x4x4xf32>, tensor<1xf32>) -> tensor<1x3x4x4xf32>
  %3 = kiln.add %t, %2 : (tensor<1xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %4 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %5 = kiln.relu %4 : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  %6 = kiln.mul %5, %c : (tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %wd = kiln.constant dense<1.0> : tensor<2x3xf32>
  %7 = kiln.matmul %v, %wd : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  %8 = kiln.relu %7 : tensor<1x3xf32> -> tensor<1x3xf32>
  %9 = kiln.mul %8, %s : (tensor<1x3xf32>, tensor<1xf32>) -> tensor<1x3xf32>
  return %3, %6, %9 : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<1x3xf32>
}

// -----

// ShuffleNet's channel shuffle after a grouped convolution and its relu:
// the kernel writes channel m of group g to channel m * 2 + g (the params'
// 18th value is 1) and the reshape, transpose and reshape are gone.
// CHECK-LABEL: func.func @grouped_conv_channel_shuffle
// CHECK: %[[Y:.*]] = kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 1, 0, 0>
// CHECK-NOT: kiln.reshape
// CHECK-NOT: kiln.transpose
// CHECK: return %[[Y]]
func.func @grouped_conv_channel_shuffle(%x: tensor<1x4x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %w = kiln.constant dense<1.0> : tensor<6x2x1x1xf32>
  %s5 = kiln.constant dense<[1, 2, 3, 3, 3]> : tensor<5xi64>
  %s4 = kiln.constant dense<[1, 6, 3, 3]> : tensor<4xi64>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x3x3xf32>
  %1 = kiln.relu %0 : tensor<1x6x3x3xf32> -> tensor<1x6x3x3xf32>
  %2 = kiln.reshape %1, %s5 : (tensor<1x6x3x3xf32>, tensor<5xi64>) -> tensor<1x2x3x3x3xf32>
  %3 = kiln.transpose %2 {perm = array<i64: 0, 2, 1, 3, 4>} : (tensor<1x2x3x3x3xf32>) -> tensor<1x3x2x3x3xf32>
  %4 = kiln.reshape %3, %s4 : (tensor<1x3x2x3x3xf32>, tensor<4xi64>) -> tensor<1x6x3x3xf32>
  return %4 : tensor<1x6x3x3xf32>
}

// -----

// Not a shuffle the kernel writes: into another number of groups than the
// convolution's (3, not 2), another permutation, and after a residual add
// (the kernel's residual has the unshuffled layout). The kernels keep the
// plain layout (18th value 0) and the reshapes and transposes stay.
// CHECK-LABEL: func.func @not_channel_shuffles
// CHECK: kiln.microkernel "conv2d_f32"
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 0, 0, 0>
// CHECK: kiln.transpose
// CHECK: kiln.microkernel "conv2d_f32"
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 0>
// CHECK: kiln.transpose {{.*}}perm = array<i64: 0, 1, 2, 4, 3>
// CHECK: kiln.microkernel "conv2d_f32"
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 0, 0, 1>
// CHECK: kiln.transpose
func.func @not_channel_shuffles(%x: tensor<1x4x3x3xf32>, %r: tensor<1x6x3x3xf32>) -> (tensor<1x6x3x3xf32>, tensor<1x6x3x3xf32>, tensor<1x6x3x3xf32>) {
  %w = kiln.constant dense<1.0> : tensor<6x2x1x1xf32>
  %s3 = kiln.constant dense<[1, 3, 2, 3, 3]> : tensor<5xi64>
  %s5 = kiln.constant dense<[1, 2, 3, 3, 3]> : tensor<5xi64>
  %s4 = kiln.constant dense<[1, 6, 3, 3]> : tensor<4xi64>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x3x3xf32>
  %1 = kiln.relu %0 : tensor<1x6x3x3xf32> -> tensor<1x6x3x3xf32>
  %2 = kiln.reshape %1, %s3 : (tensor<1x6x3x3xf32>, tensor<5xi64>) -> tensor<1x3x2x3x3xf32>
  %3 = kiln.transpose %2 {perm = array<i64: 0, 2, 1, 3, 4>} : (tensor<1x3x2x3x3xf32>) -> tensor<1x2x3x3x3xf32>
  %4 = kiln.reshape %3, %s4 : (tensor<1x2x3x3x3xf32>, tensor<4xi64>) -> tensor<1x6x3x3xf32>
  %5 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x3x3xf32>
  %6 = kiln.reshape %5, %s5 : (tensor<1x6x3x3xf32>, tensor<5xi64>) -> tensor<1x2x3x3x3xf32>
  %7 = kiln.transpose %6 {perm = array<i64: 0, 1, 2, 4, 3>} : (tensor<1x2x3x3x3xf32>) -> tensor<1x2x3x3x3xf32>
  %8 = kiln.reshape %7, %s4 : (tensor<1x2x3x3x3xf32>, tensor<4xi64>) -> tensor<1x6x3x3xf32>
  %9 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x3x3xf32>
  %10 = kiln.add %9, %r : (tensor<1x6x3x3xf32>, tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  %11 = kiln.relu %10 : tensor<1x6x3x3xf32> -> tensor<1x6x3x3xf32>
  %12 = kiln.reshape %11, %s5 : (tensor<1x6x3x3xf32>, tensor<5xi64>) -> tensor<1x2x3x3x3xf32>
  %13 = kiln.transpose %12 {perm = array<i64: 0, 2, 1, 3, 4>} : (tensor<1x2x3x3x3xf32>) -> tensor<1x3x2x3x3xf32>
  %14 = kiln.reshape %13, %s4 : (tensor<1x3x2x3x3xf32>, tensor<4xi64>) -> tensor<1x6x3x3xf32>
  return %4, %8, %14 : tensor<1x6x3x3xf32>, tensor<1x6x3x3xf32>, tensor<1x6x3x3xf32>
}

// -----

// Nearest-neighbour upsampling by whole factors becomes
// "resize_nearest_f32" (params N*C, H, W, fh, fw, hasRes); the add of a
// tensor of its type after it is fused as the residual.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: %[[UP:.*]] = kiln.microkernel "resize_nearest_f32" isa "avx2" ins(%{{.*}} : tensor<1x3x4x5xf32>) outs(%{{.*}} : tensor<1x3x8x10xf32>) {{.*}}params = array<i64: 3, 4, 5, 2, 2, 0>}
// CHECK: %[[SUM:.*]] = kiln.microkernel "resize_nearest_f32" isa "avx2" ins(%{{.*}}, %{{.*}} : tensor<2x2x3x3xf32>, tensor<2x2x6x9xf32>) outs(%{{.*}} : tensor<2x2x6x9xf32>) {{.*}}params = array<i64: 4, 3, 3, 2, 3, 1>}
// CHECK-NOT: kiln.resize
// CHECK-NOT: kiln.add
// CHECK: return %[[UP]], %[[SUM]]
func.func @resize_nearest(%x: tensor<1x3x4x5xf32>, %z: tensor<2x2x3x3xf32>, %r: tensor<2x2x6x9xf32>) -> (tensor<1x3x8x10xf32>, tensor<2x2x6x9xf32>) {
  %s = kiln.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = kiln.resize %x scales %s {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<1x3x4x5xf32>, tensor<4xf32>) -> tensor<1x3x8x10xf32>
  %sz = kiln.constant dense<[2, 2, 6, 9]> : tensor<4xi64>
  %1 = kiln.resize %z sizes %sz {coordinate_transformation_mode = #kiln.coordinate_transform<half_pixel>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<round_prefer_floor>} : (tensor<2x2x3x3xf32>, tensor<4xi64>) -> tensor<2x2x6x9xf32>
  %2 = kiln.add %r, %1 : (tensor<2x2x6x9xf32>, tensor<2x2x6x9xf32>) -> tensor<2x2x6x9xf32>
  return %0, %2 : tensor<1x3x8x10xf32>, tensor<2x2x6x9xf32>
}

// -----

// Left as resizes: a factor that is not whole (3 -> 5), a scale that is not
// exactly the factor (2.1 for 4 -> 8 rows samples row floor(o / 2.1)),
// asymmetric with rounding (o / 2 rounds up for odd o), and bilinear.
// CHECK-LABEL: func.func @resize_left
// CHECK-NOT: kiln.microkernel
// CHECK-COUNT-4: kiln.resize
func.func @resize_left(%x: tensor<1x1x3x4xf32>, %y: tensor<1x1x4x4xf32>) -> (tensor<1x1x5x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>) {
  %sz = kiln.constant dense<[1, 1, 5, 4]> : tensor<4xi64>
  %0 = kiln.resize %x sizes %sz {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<1x1x3x4xf32>, tensor<4xi64>) -> tensor<1x1x5x4xf32>
  %s1 = kiln.constant dense<[1.0, 1.0, 2.1, 1.0]> : tensor<4xf32>
  %1 = kiln.resize %y scales %s1 {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<1x1x8x4xf32>
  %s2 = kiln.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %2 = kiln.resize %x scales %s2 {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<round_prefer_floor>} : (tensor<1x1x3x4xf32>, tensor<4xf32>) -> tensor<1x1x6x8xf32>
  %3 = kiln.resize %x scales %s2 {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<linear>} : (tensor<1x1x3x4xf32>, tensor<4xf32>) -> tensor<1x1x6x8xf32>
  return %0, %1, %2, %3 : tensor<1x1x5x4xf32>, tensor<1x1x8x4xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>
}
