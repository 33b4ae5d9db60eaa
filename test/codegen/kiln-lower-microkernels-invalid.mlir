// RUN: kiln-opt %s --split-input-file --verify-diagnostics --kiln-lower-microkernels

// Only kernels the runtime has.
func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @+1 {{calls an unknown kernel 'fft_f32'}}
  kiln.microkernel "fft_f32" isa "avx2" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {params = array<i64>, fparams = array<f32>}
  return
}

// -----

// Only after bufferization.
func.func @main(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{is not bufferized}}
  %0 = kiln.microkernel "conv2d_f32" isa "avx2" ins(%x : tensor<4xf32>) outs(%y : tensor<4xf32>) {params = array<i64>, fparams = array<f32>} -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The context comes from @main.
func.func @helper(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @+1 {{needs the library's @main}}
  kiln.microkernel "conv2d_f32" isa "avx2" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {params = array<i64>, fparams = array<f32>}
  return
}

// -----

func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @+1 {{wrong number of parameters}}
  kiln.microkernel "conv2d_f32" isa "avx2" ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {params = array<i64: 1, 2>, fparams = array<f32>}
  return
}

// -----

// Operands of both kinds are rejected by the verifier.
func.func @main(%x: tensor<4xf32>, %y: memref<4xf32>) {
  // expected-error @+1 {{expects ranked tensor operands only, or memref operands only}}
  kiln.microkernel "conv2d_f32" isa "avx2" ins(%x : tensor<4xf32>) outs(%y : memref<4xf32>) {params = array<i64>, fparams = array<f32>}
  return
}

// -----

// The f32 kernels read weights of f32, bf16 or f16 only.
func.func @main(%x: memref<2x8xf32>, %w: memref<3x8xi8>, %y: memref<2x3xf32>) {
  // expected-error @+1 {{has weights of type 'i8'; the kernel reads f32, bf16 or f16}}
  kiln.microkernel "dense_f32" isa "avx512" ins(%x, %w : memref<2x8xf32>, memref<3x8xi8>) outs(%y : memref<2x3xf32>) {params = array<i64: 2, 3, 8, 0, 0>, fparams = array<f32: 0.0, 0.0>}
  return
}
