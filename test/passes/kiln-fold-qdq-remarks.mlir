// RUN: kiln-opt %s --split-input-file --kiln-fold-qdq=explain=true -verify-diagnostics | FileCheck %s

// What kiln-fold-qdq leaves alone, and why: each op keeps its ONNX form
// (and computes as ONNX defines it), with a remark under explain=true.

// uint8 weights with a zero point: no integer kernel; the conv stays in
// float on the dequantized weights, folded to f32 constants.
// CHECK-LABEL: func.func @uint8_weights
// CHECK: kiln.constant dense<{{\[\[\[\[}}1.250000e-01]]], {{\[\[\[}}-2.500000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK: kiln.conv
func.func @uint8_weights(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xs = kiln.constant dense<0.5> : tensor<f32>
  %xz = kiln.constant dense<128> : tensor<ui8>
  %q = kiln.quantize_linear %x, %xs, %xz : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  %d = kiln.dequantize_linear %q, %xs, %xz : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %wq = kiln.constant dense<[[[[129]]], [[[126]]]]> : tensor<2x1x1x1xui8>
  %ws = kiln.constant dense<0.125> : tensor<f32>
  %wz = kiln.constant dense<128> : tensor<ui8>
  %w = kiln.dequantize_linear %wq, %ws, %wz : (tensor<2x1x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x1x1x1xf32>
  // expected-remark @below {{stays in float: its weights are not int8}}
  %c = kiln.conv %d, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}

// -----

// A depthwise conv: no integer kernel for groups.
// CHECK-LABEL: func.func @grouped
// CHECK: kiln.conv
func.func @grouped(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xs = kiln.constant dense<0.5> : tensor<f32>
  %xz = kiln.constant dense<128> : tensor<ui8>
  %q = kiln.quantize_linear %x, %xs, %xz : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %d = kiln.dequantize_linear %q, %xs, %xz : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %wq = kiln.constant dense<1> : tensor<2x1x1x1xi8>
  %ws = kiln.constant dense<0.125> : tensor<f32>
  %w = kiln.dequantize_linear %wq, %ws : (tensor<2x1x1x1xi8>, tensor<f32>) -> tensor<2x1x1x1xf32>
  // expected-remark @below {{stays in float: integer kernels take convolutions of one group}}
  %c = kiln.conv %d, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64}
      : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}

// -----

// A scale computed at run time (the model's input): the dequantization
// stays an ONNX op.
// CHECK-LABEL: func.func @runtime_scale
// CHECK: kiln.dequantize_linear %arg0, %arg1
// CHECK: kiln.conv
func.func @runtime_scale(%x: tensor<1x1x4x4xui8>, %s: tensor<f32>) -> tensor<1x1x4x4xf32> {
  %d = kiln.dequantize_linear %x, %s : (tensor<1x1x4x4xui8>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %wq = kiln.constant dense<1> : tensor<1x1x1x1xi8>
  %ws = kiln.constant dense<0.125> : tensor<f32>
  %w = kiln.dequantize_linear %wq, %ws : (tensor<1x1x1x1xi8>, tensor<f32>) -> tensor<1x1x1x1xf32>
  // expected-remark @below {{stays in float: its input is not dequantized with a constant scale and zero point}}
  %c = kiln.conv %d, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %c : tensor<1x1x4x4xf32>
}

// -----

// QLinearConv with uint8 weights, and with groups: the generic integer
// lowering (kiln.conv_integer) computes them.
// CHECK-LABEL: func.func @qlinear
// CHECK: kiln.qlinear_conv
// CHECK: kiln.qlinear_conv
// CHECK-NOT: kiln.quantized_conv
func.func @qlinear(%x: tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %s = kiln.constant dense<0.5> : tensor<f32>
  %z = kiln.constant dense<128> : tensor<ui8>
  %w = kiln.constant dense<3> : tensor<2x2x1x1xui8>
  %w1 = kiln.constant dense<3> : tensor<2x1x1x1xi8>
  %z1 = kiln.constant dense<0> : tensor<i8>
  // expected-remark @below {{stays on the generic integer lowering: its weights are not int8}}
  %y = kiln.qlinear_conv %x, %s, %z, %w, %s, %z, %s, %z {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<2x2x1x1xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  // expected-remark @below {{stays on the generic integer lowering: it has groups}}
  %y2 = kiln.qlinear_conv %y, %s, %z, %w1, %s, %z1, %s, %z {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64}
      : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<2x1x1x1xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  return %y2 : tensor<1x2x4x4xui8>
}
