// RUN: kiln-opt %s -kiln-infer-shapes -split-input-file | FileCheck %s

// Types flow forward from a folded shape; the function result becomes static.
// CHECK-LABEL: func.func @refine_chain
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[6, -1]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.reshape %[[ARG0:.*]], %[[V0]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.relu %[[V1]] : tensor<6x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[V3:.*]] = kiln.transpose %[[V2]] {perm = array<i64: 1, 0>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[V3]] : tensor<4x6xf32>
func.func @refine_chain(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  %s = kiln.constant dense<[6, -1]> : tensor<2xi64>
  %0 = kiln.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = kiln.relu %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = kiln.transpose %1 {perm = array<i64: 1, 0>} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// Non-kiln users keep the old type through a cast.
// CHECK-LABEL: func.func @foreign_user
// CHECK-NEXT: %[[V0:.*]] = kiln.exp %[[ARG0:.*]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = tensor.cast %[[V0]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT: %[[V2:.*]] = tensor.cast %[[V1]] : tensor<?x?xf32> to tensor<?x3xf32>
// CHECK-NEXT: return %[[V2]] : tensor<?x3xf32>
func.func @foreign_user(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %0 = kiln.exp %x : tensor<2x3xf32> -> tensor<?x?xf32>
  %1 = tensor.cast %0 : tensor<?x?xf32> to tensor<?x3xf32>
  %2 = tensor.cast %1 : tensor<?x3xf32> to tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// Negative: nothing more static can be inferred from dynamic inputs.
// CHECK-LABEL: func.func @stays_dynamic
// CHECK-NEXT: %[[V0:.*]] = kiln.exp %[[ARG0:.*]] : tensor<?x3xf32> -> tensor<?x3xf32>
// CHECK-NEXT: return %[[V0]] : tensor<?x3xf32>
func.func @stays_dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = kiln.exp %x : tensor<?x3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
