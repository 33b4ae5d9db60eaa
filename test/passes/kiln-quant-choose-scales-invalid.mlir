// RUN: kiln-opt %s --split-input-file --verify-diagnostics --kiln-quant-choose-scales

func.func @no_histogram(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  // expected-error@+1 {{has a malformed kiln.input_range (expects {min, max, histogram})}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_range = {min = -1.0 : f32, max = 3.0 : f32}}
      : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}

// -----

func.func @inverted(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  // expected-error@+1 {{has a kiln.input_range with min > max}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_range = {min = 3.0 : f32, max = -1.0 : f32, histogram = array<i64: 1, 2>}}
      : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}

// -----

func.func @negative_count(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  // expected-error@+1 {{has a kiln.input_range with a negative count}}
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_range = {min = -1.0 : f32, max = 1.0 : f32, histogram = array<i64: 1, -2>}}
      : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}
