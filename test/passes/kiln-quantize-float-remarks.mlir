// RUN: kiln-opt %s --split-input-file --kiln-quantize-float="type=f16 explain=true" --verify-diagnostics | FileCheck %s

// With explain, every convolution or product left in f32 gets a remark.
// CHECK-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<0.1> : tensor<2x1x1x1xf32>
  // expected-remark @+1 {{stays f32: depthwise: its kernel reads f32 weights (they are few)}}
  %0 = kiln.conv %x, %w {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @large
func.func @large(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = kiln.constant dense<-7.0e4> : tensor<1x1x1x1xf32>
  // expected-remark @+1 {{stays f32: its weights exceed f16's range}}
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
