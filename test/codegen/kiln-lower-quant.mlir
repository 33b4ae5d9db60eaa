// RUN: kiln-opt %s --split-input-file --kiln-lower-quant | FileCheck %s

// Conversions become kiln's quantize/dequantize with constant parameters;
// quantized data (the transpose) takes its storage type.
// CHECK-LABEL: func.func @casts
// CHECK-DAG: %[[S:.*]] = kiln.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[Z:.*]] = kiln.constant dense<3> : tensor<ui8>
// CHECK: %[[Q:.*]] = kiln.quantize_linear %arg0, %[[S]], %[[Z]] : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
// CHECK: %[[T:.*]] = kiln.transpose %[[Q]] {perm = array<i64: 1, 0>} : (tensor<2x3xui8>) -> tensor<3x2xui8>
// CHECK: kiln.dequantize_linear %[[T]], %{{.*}}, %{{.*}} : (tensor<3x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<3x2xf32>
func.func @casts(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %q = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 0.5:3>>
  %t = kiln.transpose %q {perm = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x2x!quant.uniform<u8:f32, 0.5:3>>
  %d = quant.dcast %t : tensor<3x2x!quant.uniform<u8:f32, 0.5:3>> to tensor<3x2xf32>
  return %d : tensor<3x2xf32>
}

// -----

// Per-axis parameters, signed storage.
// CHECK-LABEL: func.func @per_axis
// CHECK-DAG: kiln.constant dense<[2.500000e-01, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: kiln.constant dense<0> : tensor<2xi8>
// CHECK: kiln.quantize_linear %arg0, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x3xi8>
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %d = quant.dcast %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.25, 0.5}>> to tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// A quantized conv: integer convolution with the input's zero point, then
// in f32 the scales (0.5 * w scale per channel), the bias, the clamp and
// the requantization.
// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<2x4x1x1xi8>
// CHECK: %[[ZP:.*]] = kiln.constant dense<128> : tensor<ui8>
// CHECK: %[[ACC:.*]] = kiln.conv_integer %{{.*}}, %[[W]] input_zero_point %[[ZP]] {{.*}} -> tensor<1x2x3x3xi32>
// CHECK: %[[F:.*]] = kiln.cast %[[ACC]] : tensor<1x2x3x3xi32> -> tensor<1x2x3x3xf32>
// CHECK: %[[SC:.*]] = kiln.constant dense<{{\[\[\[\[}}5.000000e-02]], {{\[\[}}2.500000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK: %[[M:.*]] = kiln.mul %[[F]], %[[SC]]
// CHECK: %[[B:.*]] = kiln.add %[[M]], %{{.*}} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK: %[[C:.*]] = kiln.clip %[[B]] {min = 0.000000e+00 : f32} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
// CHECK: kiln.quantize_linear %[[C]], %{{.*}}, %{{.*}} : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
func.func @conv(%x: tensor<1x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = quant.qcast %x : tensor<1x4x3x3xf32> to tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>
  %wi = kiln.constant dense<[[[[1]], [[2]], [[3]], [[4]]], [[[-1]], [[-2]], [[-3]], [[-4]]]]> : tensor<2x4x1x1xi8>
  %w = quant.scast %wi : tensor<2x4x1x1xi8> to tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %b = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = kiln.quantized_conv %q, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, clamp_min = 0.0 : f32}
      : (tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>, tensor<2xf32>)
      -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.25>>
  %d = quant.dcast %y : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.25>> to tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}
