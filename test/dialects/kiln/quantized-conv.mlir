// RUN: kiln-opt %s --split-input-file | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @round_trip
// CHECK: kiln.quantized_conv %arg0, %arg1, %arg2 {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
func.func @round_trip(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>,
                      %w: tensor<2x4x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>,
                      %b: tensor<2xf32>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25>> {
  %y = kiln.quantized_conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                                       clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>, tensor<2xf32>)
      -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25>>
  return %y : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25>>
}
