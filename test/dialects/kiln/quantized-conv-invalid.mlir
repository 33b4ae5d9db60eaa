// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @float_input(%x: tensor<1x4x8x8xf32>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xf32> {
  // expected-error@+1 {{expects an input of a per-tensor !quant.uniform type of 8-bit storage and f32 expressed type}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8xf32>, tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @unsigned_filter(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x2x6x6xf32> {
  // expected-error@+1 {{expects a filter of a !quant.uniform type of i8 storage and f32 expressed type}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @filter_zero_point(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1:1, 0.5}>>) -> tensor<1x2x6x6xf32> {
  // expected-error@+1 {{expects a symmetric filter (zero points 0)}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1:1, 0.5}>>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @scale_count(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x3x6x6xf32> {
  // expected-error@+1 {{expects 3 filter scales, got 2}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x3x6x6xf32>
  return %y : tensor<1x3x6x6xf32>
}

// -----

func.func @axis(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:1, {0.1, 0.5, 0.1, 0.5}>>) -> tensor<1x2x6x6xf32> {
  // expected-error@+1 {{expects filter scales along the output channels (axis 0)}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8:f32:1, {0.1, 0.5, 0.1, 0.5}>>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @result_type(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xi32> {
  // expected-error@+1 {{expects an f32 result or a per-tensor !quant.uniform result of 8-bit storage}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xi32>
  return %y : tensor<1x2x6x6xi32>
}

// -----

func.func @clamp(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xf32> {
  // expected-error@+1 {{expects clamp_min <= clamp_max}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, clamp_min = 6.0 : f32, clamp_max = 0.0 : f32}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @shape(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x8x8xf32> {
  // expected-error@+1 {{expects a result of shape}}
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.5}>>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}
