// RUN: kiln-opt %s --split-input-file --kiln-propagate-transposes | FileCheck %s

// Between two layout changes, a relu and an add of two transposed values:
// the transposes move below them, meet the transpose back, and cancel.
// CHECK-LABEL: func.func @cancel_through_elementwise
// CHECK-SAME: (%[[A:.*]]: tensor<1x4x5x3xf32>, %[[B:.*]]: tensor<1x4x5x3xf32>)
// CHECK-NEXT: %[[R:.*]] = kiln.relu %[[A]] : tensor<1x4x5x3xf32> -> tensor<1x4x5x3xf32>
// CHECK-NEXT: %[[S:.*]] = kiln.add %[[R]], %[[B]] : (tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>) -> tensor<1x4x5x3xf32>
// CHECK-NEXT: return %[[S]]
func.func @cancel_through_elementwise(%a: tensor<1x4x5x3xf32>, %b: tensor<1x4x5x3xf32>) -> tensor<1x4x5x3xf32> {
  %ta = kiln.transpose %a {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %tb = kiln.transpose %b {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %r = kiln.relu %ta : tensor<1x3x4x5xf32> -> tensor<1x3x4x5xf32>
  %s = kiln.add %r, %tb : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %back = kiln.transpose %s {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  return %back : tensor<1x4x5x3xf32>
}

// -----

// A concat of transposed values along NCHW's channels is a concat along
// NHWC's last axis, transposed once; an op's attributes stay (clip).
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<1x4x5x3xf32>, %[[B:.*]]: tensor<1x4x5x2xf32>)
// CHECK-NEXT: %[[C:.*]] = kiln.concat %[[A]], %[[B]] {axis = 3 : i64} : (tensor<1x4x5x3xf32>, tensor<1x4x5x2xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %[[K:.*]] = kiln.clip %[[C]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<1x4x5x5xf32> -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %[[T:.*]] = kiln.transpose %[[K]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x5xf32>) -> tensor<1x5x4x5xf32>
// CHECK-NEXT: return %[[T]]
func.func @concat(%a: tensor<1x4x5x3xf32>, %b: tensor<1x4x5x2xf32>) -> tensor<1x5x4x5xf32> {
  %ta = kiln.transpose %a {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %tb = kiln.transpose %b {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x2xf32>) -> tensor<1x2x4x5xf32>
  %c = kiln.concat %ta, %tb {axis = 1 : i64} : (tensor<1x3x4x5xf32>, tensor<1x2x4x5xf32>) -> tensor<1x5x4x5xf32>
  %k = kiln.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x5x4x5xf32> -> tensor<1x5x4x5xf32>
  return %k : tensor<1x5x4x5xf32>
}

// -----

// Negative: an operand that is not a transpose (here broadcast), operands
// transposed by different permutations, and a concat with an untransposed
// input keep their transposes where they are.
// CHECK-LABEL: func.func @stays
// CHECK: %[[T:.*]] = kiln.transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>}
// CHECK: kiln.mul %[[T]], %{{.*}} : (tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32>)
// CHECK: %[[U:.*]] = kiln.transpose %{{.*}} {perm = array<i64: 0, 3, 2, 1>}
// CHECK: kiln.sub %[[T]], %[[U]]
// CHECK: kiln.concat %[[T]], %{{.*}} {axis = 1 : i64}
func.func @stays(%a: tensor<1x4x5x3xf32>, %s: tensor<1x3x1x1xf32>, %b: tensor<1x5x4x3xf32>, %c: tensor<1x3x4x5xf32>)
    -> (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>, tensor<1x6x4x5xf32>) {
  %ta = kiln.transpose %a {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %m = kiln.mul %ta, %s : (tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32>) -> tensor<1x3x4x5xf32>
  %tb = kiln.transpose %b {perm = array<i64: 0, 3, 2, 1>} : (tensor<1x5x4x3xf32>) -> tensor<1x3x4x5xf32>
  %d = kiln.sub %ta, %tb : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %cat = kiln.concat %ta, %c {axis = 1 : i64} : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x6x4x5xf32>
  return %m, %d, %cat : tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>, tensor<1x6x4x5xf32>
}

// -----

// ONNX's QuantizeLinear and DequantizeLinear per tensor are elementwise: the
// transpose sinks below both. Per channel (axis 1 of the transposed
// tensor) they stay where they are.
// CHECK-LABEL: func.func @quantize_linear
// CHECK: %[[Q:.*]] = kiln.quantize_linear %arg0, %{{.*}}, %{{.*}} : (tensor<1x4x5x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x5x3xui8>
// CHECK: %[[D:.*]] = kiln.dequantize_linear %[[Q]], %{{.*}}, %{{.*}} : (tensor<1x4x5x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x5x3xf32>
// CHECK: %[[T:.*]] = kiln.transpose %[[D]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK: return %[[T]]
// CHECK-LABEL: func.func @per_channel
// CHECK: kiln.transpose %arg0
// CHECK: kiln.quantize_linear
func.func @quantize_linear(%a: tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32> {
  %s = kiln.constant dense<0.5> : tensor<f32>
  %z = kiln.constant dense<3> : tensor<ui8>
  %t = kiln.transpose %a {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %q = kiln.quantize_linear %t, %s, %z : (tensor<1x3x4x5xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x5xui8>
  %d = kiln.dequantize_linear %q, %s, %z : (tensor<1x3x4x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x5xf32>
  return %d : tensor<1x3x4x5xf32>
}
func.func @per_channel(%a: tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xui8> {
  %s = kiln.constant dense<[0.5, 0.25, 0.125]> : tensor<3xf32>
  %z = kiln.constant dense<3> : tensor<3xui8>
  %t = kiln.transpose %a {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %q = kiln.quantize_linear %t, %s, %z : (tensor<1x3x4x5xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<1x3x4x5xui8>
  return %q : tensor<1x3x4x5xui8>
}
