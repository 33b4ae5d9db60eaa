// Ranges of the inputs of quantizable convolutions over two calibration
// sets (set_0: -1..2, set_1: 0..3 into the first conv), and the errors for
// calibration data that is missing, empty or misshaped.
// RUN: rm -rf %t && mkdir -p %t/cal/set_0 %t/cal/set_1 %t/empty %t/bad/set_0
// RUN: %python %S/Inputs/write_tensor.py %t/cal/set_0/input_0.pb 1x16x16x16 ramp:-1:2
// RUN: %python %S/Inputs/write_tensor.py %t/cal/set_1/input_0.pb 1x16x16x16 ramp:0:3
// RUN: kiln-opt %s --kiln-quant-collect-ranges="calibration=%t/cal bins=16" | FileCheck %s
// RUN: not kiln-opt %s --kiln-quant-collect-ranges="calibration=%t/none" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not kiln-opt %s --kiln-quant-collect-ranges="calibration=%t/empty" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: %python %S/Inputs/write_tensor.py %t/bad/set_0/input_0.pb 1x16x16x15 ramp:0:1
// RUN: not kiln-opt %s --kiln-quant-collect-ranges="calibration=%t/bad" 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not kiln-opt %s --kiln-quant-collect-ranges 2>&1 | FileCheck %s --check-prefix=NODIR

// The input's extremes over both sets, and a histogram of 16 bins of width
// 1/4 over [-1, 3] holding all 8192 values: the 4 bins below 0 only get
// set_0's values.
// CHECK-LABEL: func.func @main
// CHECK: kiln.conv %arg0
// CHECK-SAME: kiln.input_range = {histogram = array<i64: 342, 341, 341, 341, 684, 682, 682, 682, 684, 682, 682, 682, 343, 341, 341, 342>, max = 3.000000e+00 : f32, min = -1.000000e+00 : f32}
// The second conv reads the ReLU's output (all positive here: the
// histogram's domain starts at 0 all the same).
// CHECK: kiln.relu
// CHECK: kiln.conv
// CHECK-SAME: kiln.input_range = {histogram = array<i64: 0, 16, 288, 416, 1520, 1856, 32, 32, 0, 368, 528, 0, 0, 0, 1200, 1936>, max = 57.4143143 : f32, min = 7.10512733 : f32}
// A depthwise (grouped) conv has no integer form, and a 1x1 conv on one
// pixel too little work: no ranges.
// CHECK: kiln.conv
// CHECK-NOT: kiln.input_range
// CHECK-SAME: group = 16
// CHECK: kiln.conv
// CHECK-NOT: kiln.input_range
// CHECK-SAME: -> tensor<1x4x1x1xf32>
// CHECK: return

// MISSING: error: calibration data: '{{.*}}none' is not a folder
// EMPTY: error: calibration data: '{{.*}}empty' holds no input sets (set_K/input_J.pb or input_J.pb)
// SHAPE: error: calibration data: '{{.*}}bad/set_0/input_0.pb' holds float[1,16,16,15], but the model's input 'x' is float[1,16,16,16]
// NODIR: error: kiln-quant-collect-ranges: no calibration folder (calibration=DIR)

func.func @main(%x: tensor<1x16x16x16xf32> {kiln.name = "x"})
    -> (tensor<1x16x16x16xf32> {kiln.name = "y"}, tensor<1x4x1x1xf32> {kiln.name = "se"}) {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %b = kiln.constant dense<0.5> : tensor<16xf32>
  %c = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %r = kiln.relu %c : tensor<1x16x16x16xf32> -> tensor<1x16x16x16xf32>
  %w2 = kiln.constant dense<-0.125> : tensor<16x16x3x3xf32>
  %c2 = kiln.conv %r, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  %w3 = kiln.constant dense<1.0> : tensor<16x1x3x3xf32>
  %c3 = kiln.conv %c2, %w3 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 16 : i64} : (tensor<1x16x16x16xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x16x16xf32>
  %p = kiln.reduce_mean %c3 {axes = array<i64: 2, 3>} : (tensor<1x16x16x16xf32>) -> tensor<1x16x1x1xf32>
  %w4 = kiln.constant dense<0.5> : tensor<4x16x1x1xf32>
  %se = kiln.conv %p, %w4 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x16x1x1xf32>, tensor<4x16x1x1xf32>) -> tensor<1x4x1x1xf32>
  return %c3, %se : tensor<1x16x16x16xf32>, tensor<1x4x1x1xf32>
}
