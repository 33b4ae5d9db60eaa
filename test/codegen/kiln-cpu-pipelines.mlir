// RUN: kiln-opt %s --kiln-cpu-linalg | FileCheck %s --check-prefix=LINALG
// RUN: kiln-opt %s --kiln-cpu-linalg --kiln-cpu-to-llvm | FileCheck %s --check-prefix=LLVM

// kiln-cpu-linalg: lowered, fused, in the library's calling convention.
// LINALG: module attributes {kiln.weights = dense_resource<kiln_weights> : tensor<64xi8>}
// LINALG: func.func @main(%{{.*}}: tensor<2x8xf32> {bufferization.writable = false, kiln.name = "x"}, %{{.*}}: memref<64xi8> {kiln.weights_blob}) -> (tensor<2x8xf32> {kiln.name = "y"})
// The add and the relu fuse into one loop nest.
// LINALG: linalg.generic
// LINALG: arith.addf
// LINALG: arith.maximumf
// LINALG-NOT: linalg.generic

// kiln-cpu-to-llvm: memref descriptors expanded into arguments (pointers,
// offset, sizes, strides), the result as an out-parameter.
// LLVM: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// LLVM-NOT: func.func
func.func @main(%x: tensor<2x8xf32> {kiln.name = "x"}) -> (tensor<2x8xf32> {kiln.name = "y"}) {
  %b = kiln.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0]]> : tensor<2x8xf32>
  %0 = kiln.add %x, %b : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = kiln.relu %0 : tensor<2x8xf32> -> tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}
