// RUN: kiln-opt %s --kiln-lower-microkernels --cse | FileCheck %s

// Weights stored as bf16 or f16: the kernel takes their element type as its
// last argument (1: bf16, 2: f16).
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[BF16:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[F16:.*]] = arith.constant 2 : i64
// CHECK: call @kiln_uk_conv2d_nhwc_f32_avx512({{.*}}, %[[BF16]]) :
// CHECK: call @kiln_uk_dense_f32_avx512({{.*}}, %[[F16]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, f32, f32, i64) -> ()
func.func @main(%x: memref<1x3x3x2xf32>, %w: memref<128xbf16>, %y: memref<1x3x3x4xf32>, %a: memref<2x8xf32>, %d: memref<3x8xf16>, %z: memref<2x3xf32>) {
  kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%x, %w : memref<1x3x3x2xf32>, memref<128xbf16>) outs(%y : memref<1x3x3x4xf32>) {params = array<i64: 1, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 2, 4, 4, 0, 0>, fparams = array<f32: 0.0, 0.0, 1.0, 0.0>}
  kiln.microkernel "dense_f32" isa "avx512" ins(%a, %d : memref<2x8xf32>, memref<3x8xf16>) outs(%z : memref<2x3xf32>) {params = array<i64: 2, 3, 8, 0, 0>, fparams = array<f32: 0.0, 0.0>}
  return
}
