// RUN: kiln-opt %s --verify-diagnostics --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=sse9}))'

// An unknown instruction set is an error.
// expected-error @+1 {{unknown isa 'sse9'}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
