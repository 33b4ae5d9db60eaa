// RUN: kiln-opt %s --kiln-drop-empty-tensors --split-input-file --allow-unregistered-dialect | FileCheck %s

// Inputs and results without elements leave @main; uses of a dropped input
// read an empty tensor.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>, %[[W:.*]]: memref<0xi8>) -> tensor<2xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x0xf32>
// CHECK: "test.use"(%[[E]])
// CHECK: return %[[X]] : tensor<2xf32>
func.func @main(%x: tensor<2xf32>, %empty: tensor<3x0xf32>, %w: memref<0xi8>) -> (tensor<0xf32>, tensor<2xf32>) {
  "test.use"(%empty) : (tensor<3x0xf32>) -> ()
  %e = tensor.empty() : tensor<0xf32>
  return %e, %x : tensor<0xf32>, tensor<2xf32>
}

// -----

// Nothing to drop: unchanged.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: tensor<2xf32>) -> tensor<2xf32>
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
