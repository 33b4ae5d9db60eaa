// RUN: kiln-opt %s --kiln-to-linalg --split-input-file | FileCheck %s

// quantize_linear: divide, round half to even, add the zero point and
// saturate to the (unsigned) result type.
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK-SAME: -> (tensor<6xi8> {kiln.unsigned})
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.uitofp
// CHECK: arith.addf
// CHECK: arith.fptoui
// CHECK: arith.select
func.func @quantize_per_tensor(%x: tensor<6xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<6xui8> {
  %0 = kiln.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6xui8>
  return %0 : tensor<6xui8>
}

// -----

// Per-axis parameters are reshaped to broadcast along the axis.
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: tensor.reshape {{.*}} -> tensor<1x3x1x1xf32>
// CHECK: tensor.reshape {{.*}} -> tensor<1x3x1x1xi8>
// CHECK: linalg.generic
// CHECK: arith.fptosi
func.func @quantize_per_axis(%x: tensor<1x3x3x2xf32>, %s: tensor<3xf32>, %zp: tensor<3xi8>) -> tensor<1x3x3x2xi8> {
  %0 = kiln.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<1x3x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x3x2xi8>
  return %0 : tensor<1x3x3x2xi8>
}

// -----

// dequantize_linear: (x - zero_point) exactly in i64, times the scale.
// CHECK-LABEL: func.func @dequantize
// CHECK: linalg.generic
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.mulf
func.func @dequantize(%x: tensor<4xui8>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<4xf32> {
  %0 = kiln.dequantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// dynamic_quantize_linear: min and max reductions from 0, then scale, zero
// point and the quantized values.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: math.roundeven
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %zp = kiln.dynamic_quantize_linear %x : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %zp : tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}

// -----

// matmul_integer: zero points subtracted in i32 inside the contraction.
// CHECK-LABEL: func.func @matmul_integer
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %azp: tensor<ui8>, %bzp: tensor<ui8>) -> tensor<4x2xi32> {
  %0 = kiln.matmul_integer %a, %b lhs_zero_point %azp rhs_zero_point %bzp : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// conv_integer: input minus its zero point, padded with 0, convolved in i32.
// CHECK-LABEL: func.func @conv_integer
// CHECK: arith.subi
// CHECK: tensor.pad
// CHECK: linalg.generic
// CHECK-SAME: "reduction", "reduction", "reduction"
// CHECK: arith.muli
// CHECK: arith.addi
func.func @conv_integer(%x: tensor<1x1x3x3xui8>, %w: tensor<1x1x2x2xui8>, %xzp: tensor<ui8>) -> tensor<1x1x4x4xi32> {
  %0 = kiln.conv_integer %x, %w input_zero_point %xzp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1 : i64} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>) -> tensor<1x1x4x4xi32>
  return %0 : tensor<1x1x4x4xi32>
}

// -----

// qlinear_matmul: i32 accumulation, then requantization with the f32
// multiplier a_scale * b_scale / y_scale.
// CHECK-LABEL: func.func @qlinear_matmul
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: arith.sitofp {{.*}} : i32 to f32
// CHECK: math.roundeven
// CHECK: arith.fptoui
func.func @qlinear_matmul(%a: tensor<2x4xui8>, %as: tensor<1xf32>, %azp: tensor<1xui8>, %b: tensor<4x3xui8>, %bs: tensor<1xf32>, %bzp: tensor<1xui8>, %ys: tensor<1xf32>, %yzp: tensor<1xui8>) -> tensor<2x3xui8> {
  %0 = kiln.qlinear_matmul %a, %as, %azp, %b, %bs, %bzp, %ys, %yzp : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// qlinear_conv: per-channel filter scales read along the output channels,
// the i32 bias as the accumulator's initial value.
// CHECK-LABEL: func.func @qlinear_conv
// CHECK: tensor.reshape {{.*}} -> tensor<2x1x1xi32>
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: tensor.reshape {{.*}} -> tensor<1x2x1x1xf32>
// CHECK: linalg.generic
// CHECK: math.roundeven
// CHECK: arith.fptosi
func.func @qlinear_conv(%x: tensor<1x1x4x4xi8>, %xs: tensor<f32>, %xzp: tensor<i8>, %w: tensor<2x1x3x3xi8>, %ws: tensor<2xf32>, %wzp: tensor<2xi8>, %ys: tensor<f32>, %yzp: tensor<i8>, %bias: tensor<2xi32>) -> tensor<1x2x2x2xi8> {
  %0 = kiln.qlinear_conv %x, %xs, %xzp, %w, %ws, %wzp, %ys, %yzp, %bias {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64} : (tensor<1x1x4x4xi8>, tensor<f32>, tensor<i8>, tensor<2x1x3x3xi8>, tensor<2xf32>, tensor<2xi8>, tensor<f32>, tensor<i8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}
