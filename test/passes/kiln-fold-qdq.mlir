// RUN: kiln-opt %s --split-input-file --kiln-fold-qdq | FileCheck %s

// The QDQ format: a quantize-dequantize pair on the input, int8 weights per
// output channel and an int32 bias, each dequantized, a ReLU and a pair on
// the result. The conv becomes kiln.quantized_conv on the quantized input,
// requantizing to the result's type with the ReLU as its clamp; the bias
// becomes the f32 values it stands for (q * scale).
// CHECK-LABEL: func.func @conv
// CHECK: %[[X:.*]] = quant.qcast %arg0 : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[WB:.*]] = kiln.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-64]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[W:.*]] = quant.scast %[[WB]] : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8:f32:0, {1.250000e-01,2.500000e-01}>>
// CHECK: %[[B:.*]] = kiln.constant dense<[2.500000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = kiln.quantized_conv %[[X]], %[[W]], %[[B]] {clamp_min = 0.000000e+00 : f32
// CHECK-SAME: -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK: %[[F:.*]] = quant.dcast %[[Y]]
// CHECK: return %[[F]]
// CHECK-NOT: kiln.quantize_linear
// CHECK-NOT: kiln.relu
func.func @conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xs = kiln.constant dense<0.5> : tensor<f32>
  %xz = kiln.constant dense<128> : tensor<ui8>
  %q = kiln.quantize_linear %x, %xs, %xz : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  %d = kiln.dequantize_linear %q, %xs, %xz : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %wq = kiln.constant dense<[[[[127]]], [[[-64]]]]> : tensor<2x1x1x1xi8>
  %ws = kiln.constant dense<[0.125, 0.25]> : tensor<2xf32>
  %wz = kiln.constant dense<0> : tensor<2xi8>
  %w = kiln.dequantize_linear %wq, %ws, %wz {axis = 0 : i64} : (tensor<2x1x1x1xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x1x1x1xf32>
  %bq = kiln.constant dense<[4, -4]> : tensor<2xi32>
  %bs = kiln.constant dense<[0.0625, 0.125]> : tensor<2xf32>
  %b = kiln.dequantize_linear %bq, %bs {axis = 0 : i64} : (tensor<2xi32>, tensor<2xf32>) -> tensor<2xf32>
  %c = kiln.conv %d, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = kiln.relu %c : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %ys = kiln.constant dense<0.25> : tensor<f32>
  %yz = kiln.constant dense<3> : tensor<ui8>
  %yq = kiln.quantize_linear %r, %ys, %yz : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %y = kiln.dequantize_linear %yq, %ys, %yz : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Signed activations (ONNX Runtime's default) that only feed a quantized
// conv take the unsigned type, zero point plus 128. Per-tensor int8
// weights; a weight quantized from an f32 constant folds at compile time
// (round(x / scale), half to even: 0.3125 / 0.125 = 2.5 -> 2).
// CHECK-LABEL: func.func @signed
// CHECK: %[[X:.*]] = quant.qcast %arg0 : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:118>>
// CHECK: %[[WB:.*]] = kiln.constant dense<2> : tensor<1x1x1x1xi8>
// CHECK: %[[W:.*]] = quant.scast %[[WB]] : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK: kiln.quantized_conv %[[X]], %[[W]]
// CHECK-SAME: -> tensor<1x1x4x4xf32>
func.func @signed(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %xs = kiln.constant dense<0.5> : tensor<f32>
  %xz = kiln.constant dense<-10> : tensor<i8>
  %q = kiln.quantize_linear %x, %xs, %xz : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x4x4xi8>
  %d = kiln.dequantize_linear %q, %xs, %xz : (tensor<1x1x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x4x4xf32>
  %wf = kiln.constant dense<0.3125> : tensor<1x1x1x1xf32>
  %ws = kiln.constant dense<0.125> : tensor<f32>
  %wz = kiln.constant dense<0> : tensor<i8>
  %wq = kiln.quantize_linear %wf, %ws, %wz : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xi8>
  %w = kiln.dequantize_linear %wq, %ws, %wz : (tensor<1x1x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xf32>
  %c = kiln.conv %d, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %c : tensor<1x1x4x4xf32>
}

// -----

// A pair that only float ops read stays a quantization in kiln's integer
// ops (upstream would fold quant.dcast(quant.qcast(x)) to x and drop the
// rounding). A gemm on flattened quantized values, its [N][K] int8 weights
// (transB) as a 1x1 quantized conv of the rows.
// CHECK-LABEL: func.func @gemm
// CHECK: %[[A:.*]] = kiln.add
// CHECK: %[[AQ:.*]] = kiln.quantize_linear %[[A]]
// CHECK: %[[AD:.*]] = kiln.dequantize_linear %[[AQ]]
// CHECK: %[[P:.*]] = kiln.max_pool %[[AD]]
// CHECK: %[[PQ:.*]] = quant.qcast %[[P]] : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!quant.uniform<u8:f32, 0.10000000149011612:5>>
// CHECK: %[[R:.*]] = kiln.reshape %[[PQ]], %{{.*}} -> tensor<1x8x!quant.uniform<u8:f32, 0.10000000149011612:5>>
// CHECK: %[[W:.*]] = quant.scast %{{.*}} : tensor<3x8x1x1xi8> to tensor<3x8x1x1x!quant.uniform<i8:f32, 0.019999999552965164>>
// CHECK: %[[R2:.*]] = kiln.reshape %[[R]], %{{.*}} -> tensor<1x8x1x1x!quant.uniform<u8:f32, 0.10000000149011612:5>>
// CHECK: %[[Y:.*]] = kiln.quantized_conv %[[R2]], %[[W]], %{{.*}} {
// CHECK-SAME: -> tensor<1x3x1x1xf32>
// CHECK: kiln.reshape %[[Y]], %{{.*}} -> tensor<1x3xf32>
func.func @gemm(%x: tensor<1x2x4x4xf32>, %x2: tensor<1x2x4x4xf32>) -> tensor<1x3xf32> {
  %s = kiln.constant dense<0.1> : tensor<f32>
  %z = kiln.constant dense<5> : tensor<ui8>
  %a = kiln.add %x, %x2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %aq = kiln.quantize_linear %a, %s, %z : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %ad = kiln.dequantize_linear %aq, %s, %z : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %p = kiln.max_pool %ad {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %pq = kiln.quantize_linear %p, %s, %z : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  %pd = kiln.dequantize_linear %pq, %s, %z : (tensor<1x2x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xf32>
  %shape = kiln.constant dense<[2, 4]> : tensor<2xi64>
  %shape2 = kiln.constant dense<[1, 8]> : tensor<2xi64>
  %f0 = kiln.reshape %pd, %shape : (tensor<1x2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %f = kiln.reshape %f0, %shape2 : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<1x8xf32>
  %wq = kiln.constant dense<1> : tensor<3x8xi8>
  %ws = kiln.constant dense<0.02> : tensor<f32>
  %w = kiln.dequantize_linear %wq, %ws : (tensor<3x8xi8>, tensor<f32>) -> tensor<3x8xf32>
  %c = kiln.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %g = kiln.gemm %f, %w, %c {trans_b = true} : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %g : tensor<1x3xf32>
}

// -----

// The operator format: QLinearConv chains become quantized convs passing
// quantized values, the first requantizing to the second's input type
// (u8, scale 0.25, zero point 7); the model's own uint8 boundaries stay
// ONNX ops. The i32 bias at scale input * filter (0.5 * 0.125) is f32.
// CHECK-LABEL: func.func @qlinear
// CHECK: %[[B:.*]] = kiln.constant dense<1.250000e-01> : tensor<1xf32>
// CHECK: %[[XF:.*]] = kiln.dequantize_linear %arg0
// CHECK: %[[X:.*]] = quant.qcast %[[XF]] : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[Y1:.*]] = kiln.quantized_conv %[[X]], %{{.*}}, %[[B]] {
// CHECK-SAME: -> tensor<1x1x4x4x!quant.uniform<u8:f32, 2.500000e-01:7>>
// CHECK: %[[Y2:.*]] = kiln.quantized_conv %[[Y1]], %{{.*}} {
// CHECK-SAME: -> tensor<1x1x4x4xf32>
// CHECK: %[[Q:.*]] = kiln.quantize_linear %[[Y2]]
// CHECK: return %[[Q]] : tensor<1x1x4x4xui8>
func.func @qlinear(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xui8> {
  %xs = kiln.constant dense<0.5> : tensor<f32>
  %xz = kiln.constant dense<128> : tensor<ui8>
  %w = kiln.constant dense<3> : tensor<1x1x1x1xi8>
  %ws = kiln.constant dense<0.125> : tensor<1xf32>
  %wz = kiln.constant dense<0> : tensor<1xi8>
  %ys = kiln.constant dense<0.25> : tensor<f32>
  %yz = kiln.constant dense<7> : tensor<ui8>
  %b = kiln.constant dense<2> : tensor<1xi32>
  %y1 = kiln.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xi8>, tensor<1xf32>, tensor<1xi8>, tensor<f32>, tensor<ui8>, tensor<1xi32>) -> tensor<1x1x4x4xui8>
  %y2 = kiln.qlinear_conv %y1, %ys, %yz, %w, %ws, %wz, %xs, %xz {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xi8>, tensor<1xf32>, tensor<1xi8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  return %y2 : tensor<1x1x4x4xui8>
}

// -----

// A QLinearMatMul with constant int8 weights per column: a 1x1 quantized
// conv of the rows, weights transposed to [N][K].
// CHECK-LABEL: func.func @qlinear_matmul
// CHECK: %[[WB:.*]] = kiln.constant dense<{{\[\[\[\[}}1]], {{\[\[}}3]], {{\[\[}}5]]], {{\[\[\[}}2]], {{\[\[}}4]], {{\[\[}}6]]]]> : tensor<2x3x1x1xi8>
// CHECK: quant.scast %[[WB]] : tensor<2x3x1x1xi8> to tensor<2x3x1x1x!quant.uniform<i8:f32:0, {0.10000000149011612,0.20000000298023224}>>
// CHECK: kiln.quantized_conv
// CHECK-SAME: -> tensor<4x2x1x1xf32>
func.func @qlinear_matmul(%a: tensor<4x3xui8>) -> tensor<4x2xui8> {
  %as = kiln.constant dense<0.5> : tensor<f32>
  %az = kiln.constant dense<128> : tensor<ui8>
  %b = kiln.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %bs = kiln.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %bz = kiln.constant dense<0> : tensor<2xi8>
  %ys = kiln.constant dense<0.25> : tensor<f32>
  %yz = kiln.constant dense<7> : tensor<ui8>
  %y = kiln.qlinear_matmul %a, %as, %az, %b, %bs, %bz, %ys, %yz
      : (tensor<4x3xui8>, tensor<f32>, tensor<ui8>, tensor<3x2xi8>, tensor<2xf32>, tensor<2xi8>, tensor<f32>, tensor<ui8>) -> tensor<4x2xui8>
  return %y : tensor<4x2xui8>
}
