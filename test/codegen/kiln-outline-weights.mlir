// RUN: kiln-opt %s --kiln-outline-weights --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-outline-weights=min-bytes=1000 --split-input-file | FileCheck %s --check-prefix=LARGE

// Large constants move into one blob at 64-byte aligned offsets; equal
// constants share their bytes; splats and small constants stay; inputs
// become read-only.
// CHECK: module attributes {kiln.weights = dense_resource<kiln_weights> : tensor<192xi8>}
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<16xf32> {bufferization.writable = false}, %[[W:.*]]: memref<192xi8> {kiln.weights_blob})
// CHECK-DAG: %[[O0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[O1:.*]] = arith.constant 64 : index
// CHECK-DAG: %[[V0:.*]] = memref.view %[[W]][%[[O0]]][] : memref<192xi8> to memref<16xf32>
// CHECK-DAG: %[[V1:.*]] = memref.view %[[W]][%[[O1]]][] : memref<192xi8> to memref<4x8xf32>
// CHECK-DAG: %[[T0:.*]] = bufferization.to_tensor %[[V0]] restrict : memref<16xf32> to tensor<16xf32>
// CHECK-DAG: %[[T1:.*]] = bufferization.to_tensor %[[V1]] restrict : memref<4x8xf32> to tensor<4x8xf32>
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.addf
// LARGE-NOT: kiln.weights =
// LARGE: memref<0xi8> {kiln.weights_blob}
// LARGE-NOT: memref.view
func.func @main(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<4x8xf32>, tensor<64xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]> : tensor<16xf32>
  %b = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]> : tensor<16xf32>
  %c = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 9.0]]> : tensor<4x8xf32>
  %splat = arith.constant dense<1.0> : tensor<64xf32>
  %small = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %sum = arith.addf %x, %a : tensor<16xf32>
  return %sum, %b, %c, %splat, %small : tensor<16xf32>, tensor<16xf32>, tensor<4x8xf32>, tensor<64xf32>, tensor<2xf32>
}

// -----

// A module without constants still gets the (empty) blob argument.
// CHECK-LABEL: func.func @main
// CHECK-SAME: memref<0xi8> {kiln.weights_blob}
func.func @main(%x: tensor<4xi64>) -> tensor<4xi64> {
  return %x : tensor<4xi64>
}
