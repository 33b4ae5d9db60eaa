// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 layout=nchw int8=true}))" | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 layout=nchw}))" | FileCheck %s --check-prefix=NOINT8

// A quantized conv with an f32 result: the channels-last integer kernel,
// between transposes, with the residual add and the ReLU after it fused.
// Per output channel the scale is 0.5 * w scale and the bias less
// 0.5 * w scale * 128 * sum(w): 1 - 0.05 * 128 * 10 = -63 and
// 2 - 0.25 * 128 * -10 = 322. Weights packed [KH][KW][C/4][64][4].
// CHECK-LABEL: func.func @f32_result
// CHECK: %[[S:.*]] = kiln.constant dense<[5.000000e-02, 2.500000e-01]> : tensor<2xf32>
// CHECK: %[[B:.*]] = kiln.constant dense<[-6.300000e+01, 3.220000e+02]> : tensor<2xf32>
// CHECK: %[[X:.*]] = kiln.transpose %arg0 {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>)
// CHECK: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<256xi8>
// CHECK: %[[R:.*]] = kiln.transpose %arg1 {perm = array<i64: 0, 2, 3, 1>}
// CHECK: %[[Y:.*]] = kiln.microkernel "conv2d_nhwc_u8s8" isa "avx512vnni" ins(%[[X]], %[[W]], %[[S]], %[[B]], %[[R]] :
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 4, 4, 2, 2, 128, 0, 0>
// CHECK-SAME: -> tensor<1x3x3x2xf32>
// CHECK: kiln.transpose %[[Y]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.relu
// NOINT8-LABEL: func.func @f32_result
// NOINT8: kiln.quantized_conv
func.func @f32_result(%x: tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, %res: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %wi = kiln.constant dense<[[[[1]], [[2]], [[3]], [[4]]], [[[-1]], [[-2]], [[-3]], [[-4]]]]> : tensor<2x4x1x1xi8>
  %w = quant.scast %wi : tensor<2x4x1x1xi8> to tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %b = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = kiln.quantized_conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>, tensor<2xf32>)
      -> tensor<1x2x3x3xf32>
  %a = kiln.add %y, %res : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %r = kiln.relu %a : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// A requantized result: the clamp is the kernel's activation (clip from 0),
// and the kernel writes u8 (the last param) with the inverse result scale 4.
// CHECK-LABEL: func.func @u8_result
// CHECK: kiln.microkernel "conv2d_nhwc_u8s8"
// CHECK-SAME: fparams = array<f32: 0.000000e+00, 0x7F800000, 1.000000e+00, 0.000000e+00, 4.000000e+00>
// CHECK-SAME: params = array<i64: 1, 4, 3, 3, 2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 2, 0, 4, 4, 2, 2, 128, 7, 1>
// CHECK-SAME: -> tensor<1x3x3x2x!quant.uniform<u8:f32, 2.500000e-01:7>>
func.func @u8_result(%x: tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.25:7>> {
  %wi = kiln.constant dense<1> : tensor<2x4x3x3xi8>
  %w = quant.scast %wi : tensor<2x4x3x3xi8> to tensor<2x4x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, clamp_min = 0.0 : f32}
      : (tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x4x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>)
      -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.25:7>>
  return %y : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.25:7>>
}

// -----

// Signed (symmetric int8) activations have no kernel: left for
// kiln-lower-quant.
// CHECK-LABEL: func.func @signed_input
// CHECK: kiln.quantized_conv
// CHECK-NOT: kiln.microkernel
func.func @signed_input(%x: tensor<1x4x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x3x3xf32> {
  %wi = kiln.constant dense<1> : tensor<2x4x1x1xi8>
  %w = quant.scast %wi : tensor<2x4x1x1xi8> to tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %y = kiln.quantized_conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x3x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>)
      -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// In NCHW, a 1x1 convolution with an f32 result whose input is converted
// from f32 right before: packed four channels per pixel by
// "quantize_pack4_u8" and convolved by "conv1x1_nchw_u8s8", which writes
// NCHW (no transposes); weights [ceil(M/6)][C4/4][6][4], the hard swish
// after it fused (activation 5).
// CHECK-LABEL: func.func @nchw_pointwise
// CHECK-NOT: kiln.transpose
// CHECK: %[[P:.*]] = kiln.microkernel "quantize_pack4_u8" isa "avx512vnni" ins(%arg0 : tensor<1x8x4x4xf32>)
// CHECK-SAME: {fparams = array<f32: 5.000000e-01>, params = array<i64: 1, 8, 16, 128>} -> tensor<1x2x16x4xui8>
// CHECK: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<48xi8>
// CHECK: kiln.microkernel "conv1x1_nchw_u8s8" isa "avx512vnni" ins(%[[P]], %[[W]], %{{.*}}, %{{.*}} :
// CHECK-SAME: params = array<i64: 1, 8, 16, 2, 5, 0>
// CHECK-SAME: -> tensor<1x2x4x4xf32>
// CHECK-NOT: kiln.hard_swish
func.func @nchw_pointwise(%x: tensor<1x8x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = quant.qcast %x : tensor<1x8x4x4xf32> to tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:128>>
  %wi = kiln.constant dense<1> : tensor<2x8x1x1xi8>
  %w = quant.scast %wi : tensor<2x8x1x1xi8> to tensor<2x8x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %y = kiln.quantized_conv %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x8x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>)
      -> tensor<1x2x4x4xf32>
  %h = kiln.hard_swish %y : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  return %h : tensor<1x2x4x4xf32>
}

// -----

// In NCHW, a 3x3 convolution at stride 1: the input packed with a border of
// the zero point ([N][C4/4][H+2][W+2][4], "quantize_pack4_pad_u8"), then
// "convkxk_nchw_u8s8" with weights [ceil(M/6)][C4/4][KH][KW][6][4].
// CHECK-LABEL: func.func @nchw_3x3
// CHECK-NOT: kiln.transpose
// CHECK: %[[P:.*]] = kiln.microkernel "quantize_pack4_pad_u8" isa "avx512vnni" ins(%arg0 : tensor<1x8x4x4xf32>)
// CHECK-SAME: params = array<i64: 1, 8, 4, 4, 1, 1, 6, 6, 128>} -> tensor<1x2x6x6x4xui8>
// CHECK: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<432xi8>
// CHECK: kiln.microkernel "convkxk_nchw_u8s8" isa "avx512vnni" ins(%[[P]], %[[W]], %{{.*}}, %{{.*}} :
// CHECK-SAME: params = array<i64: 1, 8, 6, 6, 2, 4, 4, 3, 3, 0, 0>
// CHECK-SAME: -> tensor<1x2x4x4xf32>
func.func @nchw_3x3(%x: tensor<1x8x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = quant.qcast %x : tensor<1x8x4x4xf32> to tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:128>>
  %wi = kiln.constant dense<1> : tensor<2x8x3x3xi8>
  %w = quant.scast %wi : tensor<2x8x3x3xi8> to tensor<2x8x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>
  %y = kiln.quantized_conv %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x8x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.5}>>)
      -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
