// RUN: kiln-opt %s --split-input-file --kiln-quantize-float | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-quantize-float=type=f16 | FileCheck %s --check-prefix=F16
// RUN: not kiln-opt %s --kiln-quantize-float=type=f8 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: kiln-quantize-float: type must be bf16 or f16, not 'f8'

// A convolution's weights rounded to nearest, ties to even: 0.1 is
// 0.10009765625 in bf16 (8 significant bits) and 0.0999755859375 in f16
// (11); 3.0 is exact in both. The op is marked with its precision; the
// bias stays f32.
// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}0.100097656]], {{\[\[}}3.000000e+00]]]]> : tensor<1x2x1x1xf32>
// CHECK: kiln.conv %{{.*}}, %[[W]], %{{.*}} {{{.*}}kiln.precision = "bf16"
// F16-LABEL: func.func @conv
// F16: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}0.0999755859]], {{\[\[}}3.000000e+00]]]]> : tensor<1x2x1x1xf32>
// F16: kiln.conv %{{.*}}, %[[W]], %{{.*}} {{{.*}}kiln.precision = "f16"
func.func @conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = kiln.constant dense<[[[[0.1]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %b = kiln.constant dense<0.1> : tensor<1xf32>
  %y = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// Matrix products: a gemm with alpha 1 and a matmul by a matrix are
// rounded; a gemm with another alpha (code generation scales its weights,
// which would no longer be exact) and a batched matmul are not.
// CHECK-LABEL: func.func @products
// CHECK-DAG: %[[R:.*]] = kiln.constant dense<0.100097656> : tensor<8x3xf32>
// CHECK-DAG: %[[F:.*]] = kiln.constant dense<1.000000e-01> : tensor<8x3xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<1.000000e-01> : tensor<2x8x3xf32>
// CHECK: kiln.gemm %{{.*}}, %[[R]] {{{.*}}kiln.precision = "bf16"
// CHECK: kiln.gemm %{{.*}}, %[[F]] {alpha = 2.000000e+00 : f32, kiln.precision_reason = "gemm with alpha != 1: its kernel's weights are scaled by alpha"}
// CHECK: kiln.matmul %{{.*}}, %{{.*}} {kiln.precision = "bf16"}
// CHECK: kiln.matmul %{{.*}}, %[[B]] {kiln.precision_reason = "batched matmul: its lowering reads f32 weights"}
func.func @products(%a: tensor<1x8xf32>, %c: tensor<2x1x8xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<2x1x3xf32>) {
  %w = kiln.constant dense<0.1> : tensor<8x3xf32>
  %wb = kiln.constant dense<0.1> : tensor<2x8x3xf32>
  %0 = kiln.gemm %a, %w : (tensor<1x8xf32>, tensor<8x3xf32>) -> tensor<1x3xf32>
  %1 = kiln.gemm %a, %w {alpha = 2.0 : f32} : (tensor<1x8xf32>, tensor<8x3xf32>) -> tensor<1x3xf32>
  %2 = kiln.matmul %a, %w : (tensor<1x8xf32>, tensor<8x3xf32>) -> tensor<1x3xf32>
  %3 = kiln.matmul %c, %wb : (tensor<2x1x8xf32>, tensor<2x8x3xf32>) -> tensor<2x1x3xf32>
  return %0, %1, %2, %3 : tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<2x1x3xf32>
}

// -----

// Left in f32: a depthwise convolution (its kernel reads f32 and its
// weights are few), which says why, and a convolution an accuracy budget
// kept in f32. A grouped convolution that is not depthwise is rounded.
// CHECK-LABEL: func.func @kept
// CHECK: kiln.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, kiln.precision_reason = "depthwise: its kernel reads f32 weights (they are few)", pads
// CHECK: kiln.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, kiln.precision = "f32"
// CHECK: kiln.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, kiln.precision = "bf16"
func.func @kept(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>) {
  %dw = kiln.constant dense<0.1> : tensor<2x1x1x1xf32>
  %0 = kiln.conv %x, %dw {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %w = kiln.constant dense<0.1> : tensor<2x2x1x1xf32>
  %1 = kiln.conv %x, %w {kiln.precision = "f32", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %g = kiln.constant dense<0.1> : tensor<4x1x1x1xf32>
  %2 = kiln.conv %x, %g {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %0, %1, %2 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>
}

// -----

// Past f16's largest value (65504), weights would become infinities: with
// type=f16 the op stays f32 and says why; bf16 has f32's range.
// CHECK-LABEL: func.func @large
// CHECK: kiln.constant dense<1.000000e+05> : tensor<1x1x1x1xf32>
// CHECK: kiln.precision = "bf16"
// F16-LABEL: func.func @large
// F16: kiln.conv {{.*}}kiln.precision = "f32", kiln.precision_reason = "weights past f16's largest value"
func.func @large(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = kiln.constant dense<1.0e5> : tensor<1x1x1x1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
