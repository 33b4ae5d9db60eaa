// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx2 narrow-weights=false layout=nhwc}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 narrow-weights=false layout=auto}))' | FileCheck %s --check-prefix=AUTO

// Channels-last: the input and the residual are transposed to NHWC, the
// kernel writes NHWC, and its result is transposed back. Params: N, C, H,
// W, M, OH, OW, KH, KW, strides, dilations, pads (top, left), act, the
// chunk of input channels (2: all of them), the pixel strides of x, y and
// the residual, then hasBias and hasRes. The weights of a 1x1 kernel with
// C = 2, M = 3 in one avx2 panel of 16 channels: [c][16], zeros past m = 3.
// CHECK-LABEL: func.func @conv_add_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x5xf32>, %[[R:.*]]: tensor<1x3x4x5xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 0.000000e+00, {{.*}}, 2.000000e+00, 4.000000e+00, 6.000000e+00, 0.000000e+00, {{.*}}]> : tensor<32xf32>
// CHECK-DAG: %[[XT:.*]] = kiln.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x4x5xf32>) -> tensor<1x4x5x2xf32>
// CHECK-DAG: %[[RT:.*]] = kiln.transpose %[[R]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x5x3xf32>
// CHECK: %[[Y:.*]] = kiln.microkernel "conv2d_nhwc_f32" isa "avx2" ins(%[[XT]], %[[W]], %{{.*}}, %[[RT]] :
// CHECK-SAME: outs(%[[E]] : tensor<1x4x5x3xf32>)
// CHECK-SAME: params = array<i64: 1, 2, 4, 5, 3, 4, 5, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 2, 3, 3, 1, 1>
// CHECK: %[[YT:.*]] = kiln.transpose %[[Y]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.relu
// CHECK: return %[[YT]]
// AUTO-LABEL: func.func @conv_add_relu
// AUTO: kiln.microkernel "conv2d_nhwc_f32" isa "avx512"
func.func @conv_add_relu(%x: tensor<1x2x4x5xf32>, %r: tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]]]> : tensor<3x2x1x1xf32>
  %b = kiln.constant dense<0.5> : tensor<3xf32>
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x5xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x5xf32>
  %1 = kiln.add %0, %r : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %2 = kiln.relu %1 : tensor<1x3x4x5xf32> -> tensor<1x3x4x5xf32>
  return %2 : tensor<1x3x4x5xf32>
}

// -----

// A 3x3 kernel over 40 channels at avx2: chunks of 36 KiB / (9 * 16 * 4)
// = 64 channels, so one chunk of all 40; 20 output channels make 2 panels
// of 16: 2 * 40 * 9 * 16 floats. Max pooling has the NHWC kernel too.
// CHECK-LABEL: func.func @conv_pool
// CHECK: kiln.constant dense<{{.*}}> : tensor<11520xf32>
// CHECK: kiln.microkernel "conv2d_nhwc_f32" isa "avx2"
// CHECK-SAME: params = array<i64: 1, 40, 8, 8, 20, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 0, 40, 40, 20, 20, 0, 0>
// CHECK: %[[T:.*]] = kiln.transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x8x8x20xf32>) -> tensor<1x20x8x8xf32>
// CHECK: %[[P:.*]] = kiln.transpose %[[T]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x20x8x8xf32>) -> tensor<1x8x8x20xf32>
// CHECK: kiln.microkernel "pool2d_nhwc_f32" isa "avx2" ins(%[[P]] : tensor<1x8x8x20xf32>) outs(%{{.*}} : tensor<1x4x4x20xf32>)
// CHECK-SAME: params = array<i64: 1, 20, 8, 8, 4, 4, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0>
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x4x20xf32>) -> tensor<1x20x4x4xf32>
func.func @conv_pool(%x: tensor<1x40x8x8xf32>) -> tensor<1x20x4x4xf32> {
  %w = kiln.constant dense<0.25> : tensor<20x40x3x3xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x40x8x8xf32>, tensor<20x40x3x3xf32>) -> tensor<1x20x8x8xf32>
  %1 = kiln.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x20x8x8xf32>) -> tensor<1x20x4x4xf32>
  return %1 : tensor<1x20x4x4xf32>
}

// -----

// Grouped and depthwise convolutions have only NCHW kernels: with
// layout=nhwc they keep them while the plain convolution goes channels-
// last; with layout=auto their presence keeps the whole function NCHW.
// CHECK-LABEL: func.func @mixed
// CHECK: kiln.microkernel "conv2d_nhwc_f32"
// CHECK: kiln.microkernel "dwconv2d_f32"
// AUTO-LABEL: func.func @mixed
// AUTO-NOT: nhwc
// AUTO: kiln.microkernel "conv2d_f32"
// AUTO: kiln.microkernel "dwconv2d_f32"
// AUTO-NOT: nhwc
func.func @mixed(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %w = kiln.constant dense<0.5> : tensor<4x4x1x1xf32>
  %wd = kiln.constant dense<0.5> : tensor<4x1x3x3xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %1 = kiln.conv %0, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}

// -----

// A window taller than the channels-last kernel takes (16 rows) keeps the
// NCHW kernel, without transposes.
// CHECK-LABEL: func.func @tall_window
// CHECK-NOT: kiln.transpose
// CHECK: kiln.microkernel "conv2d_f32" isa "avx2"
// CHECK-NOT: kiln.transpose
func.func @tall_window(%x: tensor<1x2x20x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = kiln.constant dense<0.5> : tensor<3x2x17x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x20x4xf32>, tensor<3x2x17x1xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
