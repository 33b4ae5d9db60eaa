// RUN: kiln-opt %s --split-input-file --kiln-lower-quant=kernel-isa=avx512vnni | FileCheck %s

// With the integer kernels, per-tensor quantization of static f32 to u8
// runs on the runtime's quantize_u8 (elements, zero point; scale): a
// quant.qcast, and ONNX's QuantizeLinear with constant parameters (a
// pre-quantized model's quantization that float ops read back).
// CHECK-LABEL: func.func @to_u8
// CHECK: kiln.microkernel "quantize_u8" isa "avx512vnni" ins(%arg0 : tensor<2x8xf32>) outs(%{{.*}} : tensor<2x8xui8>) {fparams = array<f32: 5.000000e-01>, params = array<i64: 16, 128>}
// CHECK: kiln.microkernel "quantize_u8" isa "avx512vnni" ins(%arg0 : tensor<2x8xf32>) outs(%{{.*}} : tensor<2x8xui8>) {fparams = array<f32: 2.500000e-01>, params = array<i64: 16, 3>}
// CHECK-NOT: kiln.quantize_linear
func.func @to_u8(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xui8>) {
  %q = quant.qcast %x : tensor<2x8xf32> to tensor<2x8x!quant.uniform<u8:f32, 0.5:128>>
  %d = quant.dcast %q : tensor<2x8x!quant.uniform<u8:f32, 0.5:128>> to tensor<2x8xf32>
  %s = kiln.constant dense<0.25> : tensor<f32>
  %z = kiln.constant dense<3> : tensor<ui8>
  %l = kiln.quantize_linear %x, %s, %z : (tensor<2x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  return %d, %l : tensor<2x8xf32>, tensor<2x8xui8>
}

// -----

// Negative: per channel, to int8, or with a scale computed at run time,
// QuantizeLinear keeps its generic lowering.
// CHECK-LABEL: func.func @stays
// CHECK-NOT: kiln.microkernel
// CHECK-COUNT-3: kiln.quantize_linear
func.func @stays(%x: tensor<2x8xf32>, %rs: tensor<f32>) -> (tensor<2x8xui8>, tensor<2x8xi8>, tensor<2x8xui8>) {
  %s = kiln.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %z = kiln.constant dense<3> : tensor<2xui8>
  %a = kiln.quantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2x8xf32>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x8xui8>
  %s1 = kiln.constant dense<0.25> : tensor<f32>
  %z1 = kiln.constant dense<3> : tensor<i8>
  %b = kiln.quantize_linear %x, %s1, %z1 : (tensor<2x8xf32>, tensor<f32>, tensor<i8>) -> tensor<2x8xi8>
  %c = kiln.quantize_linear %x, %rs : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xui8>
  return %a, %b, %c : tensor<2x8xui8>, tensor<2x8xi8>, tensor<2x8xui8>
}
