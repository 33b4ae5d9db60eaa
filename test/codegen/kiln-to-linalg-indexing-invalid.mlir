// RUN: kiln-opt %s --kiln-to-linalg --split-input-file --verify-diagnostics

// Only row-major (0) and column-major (1) index orders exist.
func.func @storage_order(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  // expected-error @+1 {{has storage_order 2 (expects 0 or 1)}}
  %y, %i = kiln.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, storage_order = 2 : i64} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Every index into an empty input is out of range: nothing can be read.
func.func @gather_nd_empty(%x: tensor<0x3xf32>, %i: tensor<2x1xi64>) -> tensor<2x3xf32> {
  // expected-error @+1 {{gathers from an empty input (every index is out of range)}}
  %0 = kiln.gather_nd %x, %i : (tensor<0x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Updates beyond the data along a dimension other than the axis would be
// written out of bounds.
func.func @scatter_elements_large_updates(%d: tensor<2x3xf32>, %i: tensor<3x3xi64>, %u: tensor<3x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{has updates larger than the data along dimension 0}}
  %0 = kiln.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xi64>, tensor<3x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The default unpooled shape is 4x4 here; a smaller
// output_shape cannot hold it.
func.func @max_unpool_small_output(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x3x3xf32> {
  %s = kiln.constant dense<[1, 1, 3, 3]> : tensor<4xi64>
  // expected-error @+1 {{smaller than the unpooled shape}}
  %0 = kiln.max_unpool %x, %i, %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @einsum_bool(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<i1> {
  // expected-error @+1 {{on booleans has no lowering}}
  %0 = kiln.einsum %a, %b {equation = "i,i->"} : (tensor<3xi1>, tensor<3xi1>) -> tensor<i1>
  return %0 : tensor<i1>
}

// -----

// Batch dimensions must agree, or the batch coordinate would leave the input.
func.func @gather_nd_batch_mismatch(%x: tensor<2x3xf32>, %i: tensor<3x1xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{expects indices and input of one extent in each batch dimension}}
  %0 = kiln.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
