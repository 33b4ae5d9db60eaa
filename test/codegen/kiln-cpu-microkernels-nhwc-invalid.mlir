// RUN: kiln-opt %s --verify-diagnostics --pass-pipeline='builtin.module(func.func(kiln-cpu-microkernels{isa=avx512 layout=nchw16c}))'

// An unknown layout is an error.
// expected-error @+1 {{unknown layout 'nchw16c' (nchw, nhwc or auto)}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
