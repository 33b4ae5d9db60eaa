// RUN: kiln-opt %s --kiln-to-linalg --split-input-file --verify-diagnostics

// Code generation needs static shapes.
func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{needs static shapes for code generation, got 'tensor<?xf32>'}}
  %0 = kiln.relu %a : tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Ops without a lowering are reported once per op type, with a count.
func.func @unsupported(%a: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>) {
  // expected-error @+1 {{'kiln.unique' has no CPU lowering yet (2 ops in the model)}}
  %0:4 = kiln.unique %a {sorted = true} : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>, tensor<6xi64>, tensor<6xi64>)
  %1:4 = kiln.unique %a {sorted = true} : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>, tensor<6xi64>, tensor<6xi64>)
  return %0#0, %1#1 : tensor<6xf32>, tensor<6xi64>
}
