// RUN: kiln-opt %s --split-input-file --kiln-quantize | FileCheck %s

// conv -> relu -> conv: the first conv requantizes to the second's input
// type with the ReLU as its clamp; the second, read by a float op, returns
// f32. Filters are per output channel: max |w| / 127.
// CHECK-LABEL: func.func @chain
// CHECK: %[[XQ:.*]] = quant.qcast %arg0 : tensor<1x16x8x8xf32> to tensor<1x16x8x8x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[W1:.*]] = quant.scast %{{.*}} : tensor<16x16x3x3xi8> to tensor<16x16x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.001968503937007874,
// CHECK: %[[Y1:.*]] = kiln.quantized_conv %[[XQ]], %[[W1]], %{{.*}} {clamp_min = 0.000000e+00 : f32, dilations = array<i64: 1, 1>, kiln.layer = "first", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<1x16x8x8x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK-NOT: kiln.relu
// CHECK: %[[Y2:.*]] = kiln.quantized_conv %[[Y1]], %{{.*}} {dilations = array<i64: 1, 1>, kiln.layer = "second"
// CHECK-SAME: -> tensor<1x16x8x8xf32>
// CHECK: kiln.sigmoid %[[Y2]]
func.func @chain(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %b = kiln.constant dense<0.5> : tensor<16xf32>
  %c = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                             kiln.layer = "first", kiln.input_qtype = !quant.uniform<u8:f32, 0.02:128>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %r = kiln.relu %c : tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32>
  %w2 = kiln.constant dense<-0.125> : tensor<16x16x3x3xf32>
  %c2 = kiln.conv %r, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                           kiln.layer = "second", kiln.input_qtype = !quant.uniform<u8:f32, 0.05>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %s = kiln.sigmoid %c2 : tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32>
  return %s : tensor<1x16x8x8xf32>
}

// -----

// A conv whose result also feeds a float op (the residual add) keeps an f32
// result, converted once for the quantized reader; the ReLU stays a float
// op. A conv without kiln.input_qtype stays a float conv.
// CHECK-LABEL: func.func @shared
// CHECK: %[[Y:.*]] = kiln.quantized_conv
// CHECK-SAME: -> tensor<1x16x8x8xf32>
// CHECK: %[[R:.*]] = kiln.relu %[[Y]]
// CHECK: %[[Q:.*]] = quant.qcast %[[R]]
// CHECK: kiln.quantized_conv %[[Q]]
// CHECK: kiln.add
// CHECK: kiln.conv %{{.*}}, %{{.*}} {
func.func @shared(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_qtype = !quant.uniform<u8:f32, 0.02:128>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %r = kiln.relu %c : tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32>
  %c2 = kiln.conv %r, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                          kiln.input_qtype = !quant.uniform<u8:f32, 0.05>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %a = kiln.add %c2, %r : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %c3 = kiln.conv %a, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c3 : tensor<1x16x8x8xf32>
}

// -----

// With requantize=false every quantized conv returns f32 (the NCHW
// integer kernels read and write f32).
// RUN: kiln-opt %s --split-input-file --kiln-quantize="requantize=false" | FileCheck %s --check-prefix=NOREQ
// NOREQ-LABEL: func.func @no_requantize
// NOREQ: kiln.quantized_conv
// NOREQ-SAME: -> tensor<1x16x8x8xf32>
// NOREQ: kiln.relu
// NOREQ: quant.qcast
// NOREQ: kiln.quantized_conv
func.func @no_requantize(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_qtype = !quant.uniform<u8:f32, 0.02:128>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %r = kiln.relu %c : tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32>
  %c2 = kiln.conv %r, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                          kiln.input_qtype = !quant.uniform<u8:f32, 0.05>}
      : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c2 : tensor<1x16x8x8xf32>
}
