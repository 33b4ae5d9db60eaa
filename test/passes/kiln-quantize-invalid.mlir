// RUN: kiln-opt %s --split-input-file --verify-diagnostics --kiln-quantize

func.func @grouped(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x1x3x3xf32>
  // expected-error@+1 {{has a kiln.input_qtype but cannot be quantized}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         group = 16 : i64, kiln.input_qtype = !quant.uniform<u8:f32, 0.02:128>}
      : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c : tensor<1x16x8x8xf32>
}

// -----

func.func @not_a_type(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  // expected-error@+1 {{has a kiln.input_qtype that is not a per-tensor 8-bit !quant.uniform type of f32}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_qtype = i8}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c : tensor<1x16x8x8xf32>
}

// -----

func.func @wide(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  // expected-error@+1 {{has a kiln.input_qtype that is not a per-tensor 8-bit !quant.uniform type of f32}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_qtype = !quant.uniform<i16:f32, 0.5>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c : tensor<1x16x8x8xf32>
}
