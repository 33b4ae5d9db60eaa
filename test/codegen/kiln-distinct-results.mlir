// RUN: kiln-opt %s --kiln-distinct-results --split-input-file --allow-unregistered-dialect | FileCheck %s

// A value returned twice (or an input returned twice) gets a copy for each
// repetition, so every output buffer is written once.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
// CHECK: %[[V:.*]] = "test.op"
// CHECK: %[[C1:.*]] = bufferization.alloc_tensor() copy(%[[V]]) : tensor<2xf32>
// CHECK: %[[C2:.*]] = bufferization.alloc_tensor() copy(%[[X]]) : tensor<2xf32>
// CHECK: %[[C3:.*]] = bufferization.alloc_tensor() copy(%[[V]]) : tensor<2xf32>
// CHECK: return %[[V]], %[[X]], %[[C1]], %[[C2]], %[[C3]]
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %v = "test.op"() : () -> tensor<2xf32>
  return %v, %x, %v, %x, %v : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Distinct results: unchanged.
// CHECK-LABEL: func.func @main
// CHECK-NOT: alloc_tensor
// CHECK: return %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xf32>
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %v = "test.op"() : () -> tensor<2xf32>
  return %x, %v : tensor<2xf32>, tensor<2xf32>
}

// -----

// Only @main is the library's entry point; other functions are left alone.
// CHECK-LABEL: func.func @helper
// CHECK-NOT: alloc_tensor
func.func @helper(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  return %x, %x : tensor<2xf32>, tensor<2xf32>
}
