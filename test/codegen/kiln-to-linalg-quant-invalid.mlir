// RUN: kiln-opt %s --kiln-to-linalg --split-input-file --verify-diagnostics

// Quantizing needs a (non-boolean) integer range to saturate to.
func.func @quantize_to_bool(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<i1>) -> tensor<4xi1> {
  // expected-error @+1 {{quantizes to 'i1', expects a non-boolean integer type}}
  %0 = kiln.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// The output is requantized per tensor.
func.func @qlinear_matmul_output_scales(%a: tensor<2x4xui8>, %as: tensor<f32>, %azp: tensor<ui8>, %b: tensor<4x3xui8>, %bs: tensor<f32>, %bzp: tensor<ui8>, %ys: tensor<2xf32>, %yzp: tensor<ui8>) -> tensor<2x3xui8> {
  // expected-error @+1 {{has 2 output scales, expects 1}}
  %0 = kiln.qlinear_matmul %a, %as, %azp, %b, %bs, %bzp, %ys, %yzp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xui8>, tensor<f32>, tensor<ui8>, tensor<2xf32>, tensor<ui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// ONNX gives the convolution input a single zero point.
func.func @conv_integer_input_zp_per_channel(%x: tensor<1x2x3x3xui8>, %w: tensor<1x2x2x2xui8>, %xzp: tensor<2xui8>) -> tensor<1x1x2x2xi32> {
  // expected-error @+1 {{has 2 input zero points, expects 1}}
  %0 = kiln.conv_integer %x, %w input_zero_point %xzp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64} : (tensor<1x2x3x3xui8>, tensor<1x2x2x2xui8>, tensor<2xui8>) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

// Per-row lhs zero points need one per row.
func.func @matmul_integer_zero_points(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %azp: tensor<3xui8>) -> tensor<4x2xi32> {
  // expected-error @+1 {{has 3 lhs zero points, expects 1 or 4}}
  %0 = kiln.matmul_integer %a, %b lhs_zero_point %azp : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<3xui8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}
