// RUN: kiln-opt %s -kiln-remove-identity -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identity_and_dropout
// CHECK-NEXT: %[[V0:.*]] = kiln.relu %[[ARG0:.*]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: return %[[V0]] : tensor<2x3xf32>
func.func @identity_and_dropout(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.identity %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.dropout %0 {ratio = 5.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.relu %1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = kiln.identity %2 : tensor<2x3xf32> -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// An identity that states a more static type than its operand keeps it as a cast.
// CHECK-LABEL: func.func @identity_refines_type
// CHECK-NEXT: %[[V0:.*]] = tensor.cast %[[ARG0:.*]] : tensor<?x3xf32> to tensor<2x3xf32>
// CHECK-NEXT: return %[[V0]] : tensor<2x3xf32>
func.func @identity_refines_type(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.identity %x : tensor<?x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Negative: other pass-through-looking ops are left alone.
// CHECK-LABEL: func.func @other_ops_stay
// CHECK-NEXT: %[[V0:.*]] = kiln.clip %[[ARG0:.*]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.cast %[[V0]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.add %[[V1]], %[[ARG0]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[V2]] : tensor<2x3xf32>
func.func @other_ops_stay(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.clip %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.cast %0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.add %1, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}
