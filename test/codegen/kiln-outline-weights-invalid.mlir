// RUN: kiln-opt %s --kiln-outline-weights --split-input-file --verify-diagnostics

// expected-error @+1 {{expected a function @main with a body}}
module {
  func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{the weights of this module are already outlined}}
module attributes {kiln.weights = dense<0> : tensor<1xi8>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
