// RUN: kiln-opt %s --split-input-file --kiln-lower-microkernels | FileCheck %s

// A bufferized kernel op becomes a call: the context (a new last argument
// of @main), a pointer per operand slot (null for an absent bias),
// the output's pointer, 18 integer parameters, 4 floats and the weights'
// element type (0: f32). A strided view goes through a contiguous
// temporary.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[CTX:[^:]*]]: !llvm.ptr {kiln.context}
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[TMP:.*]] = memref.alloc() : memref<1x4x3x3xf32>
// CHECK: memref.extract_aligned_pointer_as_index %[[TMP]]
// CHECK: call @kiln_uk_conv2d_f32_avx2(%[[CTX]], %{{.*}}, %{{.*}}, %[[NULL]], %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, f32, f32, f32, i64) -> ()
// CHECK: memref.copy %[[TMP]], %{{.*}} : memref<1x4x3x3xf32> to memref<1x4x3x3xf32, strided<[72, 18, 6, 1], offset: 3>>
// CHECK: memref.dealloc %[[TMP]]
// CHECK: func.func private @kiln_uk_conv2d_f32_avx2(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, f32, f32, f32, i64)
func.func @main(%x: memref<1x2x5x5xf32>, %w: memref<108xf32>, %r: memref<1x4x3x3xf32>, %out: memref<1x4x3x6xf32>) {
  %view = memref.subview %out[0, 0, 0, 3] [1, 4, 3, 3] [1, 1, 1, 1] : memref<1x4x3x6xf32> to memref<1x4x3x3xf32, strided<[72, 18, 6, 1], offset: 3>>
  kiln.microkernel "conv2d_f32" isa "avx2" ins(%x, %w, %r : memref<1x2x5x5xf32>, memref<108xf32>, memref<1x4x3x3xf32>) outs(%view : memref<1x4x3x3xf32, strided<[72, 18, 6, 1], offset: 3>>) {params = array<i64: 1, 2, 5, 5, 4, 3, 3, 3, 3, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1>, fparams = array<f32: 0.0, 0.0, 1.0, 0.0>}
  return
}

// -----

// Kernels without optional operands or float parameters: pooling.
// CHECK-LABEL: func.func @main
// CHECK: call @kiln_uk_pool2d_f32_avx512(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
func.func @main(%x: memref<1x2x4x4xf32>, %out: memref<1x2x2x2xf32>) {
  kiln.microkernel "pool2d_f32" isa "avx512" ins(%x : memref<1x2x4x4xf32>) outs(%out : memref<1x2x2x2xf32>) {params = array<i64: 1, 2, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0>, fparams = array<f32>}
  return
}

// -----

// The channels-last convolution: x, w, bias (absent: null), residual, y;
// 20 i64 (the last three are pixel strides), alpha, beta, post scale and
// shift, the weights' element type.
// CHECK-LABEL: func.func @main
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: call @kiln_uk_conv2d_nhwc_f32_avx512(%{{.*}}, %{{.*}}, %{{.*}}, %[[NULL]], %{{.*}}, %{{.*}}, {{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, f32, f32, f32, i64) -> ()
// CHECK: call @kiln_uk_pool2d_nhwc_f32_avx512(%{{.*}}, %{{.*}}, %{{.*}}, {{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
func.func @main(%x: memref<1x3x3x2xf32>, %w: memref<128xf32>, %r: memref<1x3x3x4xf32>, %y: memref<1x3x3x4xf32>, %p: memref<1x1x1x4xf32>) {
  kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%x, %w, %r : memref<1x3x3x2xf32>, memref<128xf32>, memref<1x3x3x4xf32>) outs(%y : memref<1x3x3x4xf32>) {params = array<i64: 1, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 2, 4, 4, 0, 1>, fparams = array<f32: 0.0, 0.0, 1.0, 0.0>}
  kiln.microkernel "pool2d_nhwc_f32" isa "avx512" ins(%y : memref<1x3x3x4xf32>) outs(%p : memref<1x1x1x4xf32>) {params = array<i64: 1, 4, 3, 3, 1, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1>, fparams = array<f32>}
  return
}

// -----

// The channels-last convolution reads and writes channel slices of larger
// channels-last buffers in place: their pixel strides (8, 6, 12) replace
// the parameters ldx, ldy and ldr, and nothing is copied. The slice's
// offset is in the pointer.
// CHECK-LABEL: func.func @main
// CHECK-NOT: memref.alloc
// CHECK: %[[LDX:.*]] = arith.constant 8 : i64
// CHECK-NEXT: %[[LDY:.*]] = arith.constant 6 : i64
// CHECK-NEXT: %[[LDR:.*]] = arith.constant 12 : i64
// CHECK: call @kiln_uk_conv2d_nhwc_f32_avx512({{.*}}, %[[LDX]], %[[LDY]], %[[LDR]], {{.*}})
// CHECK-NOT: memref.copy
func.func @main(%xb: memref<1x3x3x8xf32>, %w: memref<128xf32>, %rb: memref<1x3x3x12xf32>, %yb: memref<1x3x3x6xf32>) {
  %x = memref.subview %xb[0, 0, 0, 4] [1, 3, 3, 2] [1, 1, 1, 1] : memref<1x3x3x8xf32> to memref<1x3x3x2xf32, strided<[72, 24, 8, 1], offset: 4>>
  %r = memref.subview %rb[0, 0, 0, 0] [1, 3, 3, 4] [1, 1, 1, 1] : memref<1x3x3x12xf32> to memref<1x3x3x4xf32, strided<[108, 36, 12, 1]>>
  %y = memref.subview %yb[0, 0, 0, 2] [1, 3, 3, 4] [1, 1, 1, 1] : memref<1x3x3x6xf32> to memref<1x3x3x4xf32, strided<[54, 18, 6, 1], offset: 2>>
  kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%x, %w, %r : memref<1x3x3x2xf32, strided<[72, 24, 8, 1], offset: 4>>, memref<128xf32>, memref<1x3x3x4xf32, strided<[108, 36, 12, 1]>>) outs(%y : memref<1x3x3x4xf32, strided<[54, 18, 6, 1], offset: 2>>) {params = array<i64: 1, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 2, 4, 4, 0, 1>, fparams = array<f32: 0.0, 0.0, 1.0, 0.0>}
  return
}

// -----

// A window of the image (rows not dense in pixels) is not a channel slice:
// it goes through a contiguous temporary.
// CHECK-LABEL: func.func @main
// CHECK: %[[TMP:.*]] = memref.alloc() : memref<1x2x2x2xf32>
// CHECK: memref.copy %{{.*}}, %[[TMP]]
// CHECK: call @kiln_uk_conv2d_nhwc_f32_avx512
func.func @main(%xb: memref<1x3x3x2xf32>, %w: memref<128xf32>, %y: memref<1x2x2x4xf32>) {
  %x = memref.subview %xb[0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 1] : memref<1x3x3x2xf32> to memref<1x2x2x2xf32, strided<[18, 6, 2, 1]>>
  kiln.microkernel "conv2d_nhwc_f32" isa "avx512" ins(%x, %w : memref<1x2x2x2xf32, strided<[18, 6, 2, 1]>>, memref<128xf32>) outs(%y : memref<1x2x2x4xf32>) {params = array<i64: 1, 2, 2, 2, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 2, 4, 4, 0, 0>, fparams = array<f32: 0.0, 0.0, 1.0, 0.0>}
  return
}

