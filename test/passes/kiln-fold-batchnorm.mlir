// RUN: kiln-opt %s -kiln-fold-batchnorm -split-input-file | FileCheck %s

// With epsilon 0 the scale is scale / sqrt(var) = [0.5, 2]:
// W' = W * s, b' = (b - mean) * s + beta.
// CHECK-LABEL: func.func @conv
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}{{\[\[}}1.000000e+00{{\]\]}}], {{\[\[}}[6.000000e+00{{\]\]}}{{\]\]}}> : tensor<2x1x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.conv %[[ARG0:.*]], %[[V0]], %[[V1]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x4x4xf32>
func.func @conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = kiln.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %scale = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %scale, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Without a conv bias the folded bias is beta - mean * s.
// CHECK-LABEL: func.func @conv_without_bias
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[-1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.conv %[[ARG0:.*]], %[[V0]], %[[V1]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x4x4xf32>
func.func @conv_without_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %p, %p, %mean, %p {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Transposed convolution: the filter is C x M/group x K; with 2 groups input
// channel c feeds output channel c (one output channel per group).
// CHECK-LABEL: func.func @conv_transpose
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}{{\[\[}}3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00{{\]\]}}], {{\[\[}}[1.000000e+01, 1.000000e+01], [1.000000e+01, 1.000000e+01{{\]\]}}{{\]\]}}> : tensor<2x1x2x2xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.conv_transpose %[[ARG0:.*]], %[[V0]], %[[V1]] {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x6x6xf32>
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %w = kiln.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[2.0, 2.0], [2.0, 2.0]]]]> : tensor<2x1x2x2xf32>
  %scale = kiln.constant dense<[3.0, 5.0]> : tensor<2xf32>
  %zero = kiln.constant dense<0.0> : tensor<2xf32>
  %one = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x6x6xf32>
  %1 = kiln.batch_norm %0, %scale, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x2x6x6xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  return %1 : tensor<1x2x6x6xf32>
}

// -----

// Gemm with transposed B: rows of B are output channels; C'' = beta*C*s + shift
// and beta becomes 1.
// CHECK-LABEL: func.func @gemm
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00, 6.000000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00{{\]\]}}> : tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[4.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.gemm %[[ARG0:.*]], %[[V0]], %[[V1]] {trans_b = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2xf32>
func.func @gemm(%a: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %b = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %c = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %scale = kiln.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %zero = kiln.constant dense<0.0> : tensor<2xf32>
  %one = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.gemm %a, %b, %c {beta = 2.0 : f32, trans_b = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %1 = kiln.batch_norm %0, %scale, %beta, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

// A 2-D matmul becomes a matmul on scaled weights plus the shift.
// CHECK-LABEL: func.func @matmul
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}1.000000e+00, 2.000000e+01], [3.000000e+00, 4.000000e+01], [5.000000e+00, 6.000000e+01{{\]\]}}> : tensor<3x2xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.matmul %[[ARG0:.*]], %[[V0]] : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: %[[V3:.*]] = kiln.add %[[V2]], %[[V1]] : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: return %[[V3]] : tensor<4x2xf32>
func.func @matmul(%a: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %scale = kiln.constant dense<[1.0, 10.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %zero = kiln.constant dense<0.0> : tensor<2xf32>
  %one = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.matmul %a, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %1 = kiln.batch_norm %0, %scale, %beta, %zero, %one {epsilon = 0.0 : f32} : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// -----

// Negative cases: each batch norm stays.
// CHECK-LABEL: func.func @producer_has_other_users
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.conv %[[ARG0:.*]], %[[V0]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[V3:.*]] = kiln.batch_norm %[[V2]], %[[V1]], %[[V1]], %[[V1]], %[[V1]] : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]], %[[V3]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
func.func @producer_has_other_users(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = kiln.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @parameters_not_constant
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.conv %[[ARG0:.*]], %[[V0]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.batch_norm %[[V1]], %[[ARG1:.*]], %[[ARG1]], %[[ARG1]], %[[ARG1]] : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x4x4xf32>
func.func @parameters_not_constant(%x: tensor<1x1x4x4xf32>, %p: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x1x1x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @weights_not_constant
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.conv %[[ARG0:.*]], %[[ARG1:.*]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.batch_norm %[[V1]], %[[V0]], %[[V0]], %[[V0]], %[[V0]] : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x4x4xf32>
func.func @weights_not_constant(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %p = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @not_after_a_linear_op
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.relu %[[ARG0:.*]] : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.batch_norm %[[V1]], %[[V0]], %[[V0]], %[[V0]], %[[V0]] : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %[[V2]] : tensor<1x2x4x4xf32>
func.func @not_after_a_linear_op(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %p = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.relu %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A per-tensor affine (multiply, then add, by one-element constants) folds
// into the conv like a batch norm: W' = W * 2, b' = b * 2 + 3.
// CHECK-LABEL: func.func @scalar_affine
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[5.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = kiln.conv %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: kiln.mul
// CHECK-NOT: kiln.add
// CHECK: return %[[C]]
func.func @scalar_affine(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = kiln.constant dense<2.0> : tensor<1xf32>
  %t = kiln.constant dense<3.0> : tensor<f32>
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.mul %s, %0 : (tensor<1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = kiln.add %1, %t : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Not folded: an affine by a constant that varies along the rows (not
// only the channels), one by a value that is not constant, and one of a
// conv with another use.
// CHECK-LABEL: func.func @scalar_affine_not_folded
// CHECK: kiln.mul
// CHECK: kiln.add
// CHECK: kiln.mul
func.func @scalar_affine_not_folded(%x: tensor<1x1x4x4xf32>, %v: tensor<1xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = kiln.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = kiln.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.mul %0, %c : (tensor<1x2x4x4xf32>, tensor<4x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = kiln.add %2, %v : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %s = kiln.constant dense<2.0> : tensor<1xf32>
  %4 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %5 = kiln.mul %4, %s : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  return %1, %3, %5, %4 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A per-channel constant folds too: a conv_transpose without a bias, then
// the add of one per channel ([1,C,1,1]) and a batch norm, becomes one
// conv_transpose with the bias t * s + beta (W [1,2,1,1] scaled by s = 2
// for channel 0 and 0.5 for channel 1); a per-channel multiply ([C,1,1])
// of a conv scales its filter.
// CHECK-LABEL: func.func @channel_affine
// CHECK-DAG: %[[WT:.*]] = kiln.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}5.000000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[BT:.*]] = kiln.constant dense<[3.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[T:.*]] = kiln.conv_transpose %{{.*}}, %[[WT]], %[[BT]]
// CHECK: %[[WC:.*]] = kiln.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK: %[[C:.*]] = kiln.conv %{{.*}}, %[[WC]]
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.mul
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[T]], %[[C]]
func.func @channel_affine(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = kiln.constant dense<1.0> : tensor<1x2x1x1xf32>
  %t = kiln.constant dense<[[[[1.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %scale = kiln.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %beta = kiln.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %mean = kiln.constant dense<0.0> : tensor<2xf32>
  %var = kiln.constant dense<1.0> : tensor<2xf32>
  %0 = kiln.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = kiln.add %0, %t : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = kiln.batch_norm %1, %scale, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %wc = kiln.constant dense<1.0> : tensor<2x1x1x1xf32>
  %s = kiln.constant dense<[[[3.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %3 = kiln.conv %x, %wc {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %4 = kiln.mul %s, %3 : (tensor<2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2, %4 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
