// RUN: kiln-opt %s --kiln-to-linalg --split-input-file | FileCheck %s

// gather_nd: a generic over the result reads each index tuple, normalizes
// negative indices, clamps them, and extracts from the input.
// CHECK-LABEL: func.func @gather_nd
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: tensor.extract %{{.*}} : tensor<2x1xi64>
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<2x2x2xi32>
// CHECK-NOT: kiln.
func.func @gather_nd(%x: tensor<2x2x2xi32>, %i: tensor<2x1xi64>) -> tensor<2x2xi32> {
  %0 = kiln.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// scatter_elements: updates applied in order by scf.for loops carrying the
// data; add reads the current value and combines.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: tensor.insert
// CHECK: scf.yield
func.func @scatter_elements_add(%d: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<1x5xf32> {
  %0 = kiln.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = #kiln.scatter_reduction<add>} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

// scatter_nd with multiply.
// CHECK-LABEL: func.func @scatter_nd_mul
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.muli
// CHECK: tensor.insert
func.func @scatter_nd_mul(%d: tensor<4x3xi32>, %i: tensor<2x1xi64>, %u: tensor<2x3xi32>) -> tensor<4x3xi32> {
  %0 = kiln.scatter_nd %d, %i, %u {reduction = #kiln.scatter_reduction<mul>} : (tensor<4x3xi32>, tensor<2x1xi64>, tensor<2x3xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// top_k: one selection per output position along the axis, each a
// reduction over the axis, inserted as a slice.
// CHECK-LABEL: func.func @top_k
// CHECK: scf.for
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: tensor.insert_slice {{.*}} : tensor<3xf32> into tensor<3x2xf32>
// CHECK: tensor.insert_slice {{.*}} : tensor<3xi64> into tensor<3x2xi64>
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %k = kiln.constant dense<2> : tensor<1xi64>
  %v, %i = kiln.top_k %x, %k {axis = 1 : i64, largest = true, sorted = true} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// Smallest unsigned values compare unsigned.
// CHECK-LABEL: func.func @top_k_smallest_unsigned
// CHECK: arith.cmpi ugt
func.func @top_k_smallest_unsigned(%x: tensor<5xui8>) -> (tensor<2xui8>, tensor<2xi64>) {
  %k = kiln.constant dense<2> : tensor<1xi64>
  %v, %i = kiln.top_k %x, %k {axis = 0 : i64, largest = false, sorted = true} : (tensor<5xui8>, tensor<1xi64>) -> (tensor<2xui8>, tensor<2xi64>)
  return %v, %i : tensor<2xui8>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @reverse_sequence
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<4xi64>)
// CHECK: arith.cmpi slt
// CHECK: tensor.extract %{{.*}} : tensor<4x3xf32>
func.func @reverse_sequence(%x: tensor<4x3xf32>, %lens: tensor<4xi64>) -> tensor<4x3xf32> {
  %0 = kiln.reverse_sequence %x, %lens {batch_axis = 0 : i64, time_axis = 1 : i64} : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// max_pool_with_indices: one window reduction yielding the value and the
// flat index of the first maximum.
// CHECK-LABEL: func.func @max_pool_with_indices
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: tensor.extract
// CHECK: arith.cmpf ogt
// CHECK: arith.index_cast {{.*}} : index to i64
// CHECK: linalg.yield {{.*}} : f32, i64
func.func @max_pool_with_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = kiln.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, storage_order = 1 : i64} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// max_unpool: a sequential scatter into a flat zero tensor.
// CHECK-LABEL: func.func @max_unpool
// CHECK: linalg.fill
// CHECK: scf.for
// CHECK: tensor.insert {{.*}} : tensor<16xf32>
// CHECK: tensor.reshape {{.*}} -> tensor<1x1x4x4xf32>
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32> {
  %0 = kiln.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// det: Gaussian elimination with partial pivoting in f64.
// CHECK-LABEL: func.func @det
// CHECK: arith.extf
// CHECK: scf.for
// CHECK: scf.for
// CHECK: math.absf
// CHECK: arith.divf
// CHECK: arith.truncf
func.func @det(%x: tensor<3x2x2xf32>) -> tensor<3xf32> {
  %0 = kiln.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// einsum: one generic; contracted subscripts are reductions.
// CHECK-LABEL: func.func @einsum_matmul
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = kiln.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A repeated subscript reads a diagonal; "..." dimensions broadcast.
// CHECK: #[[DIAG:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-LABEL: func.func @einsum_batch_diagonal
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[DIAG]]
func.func @einsum_batch_diagonal(%x: tensor<3x5x5xf64>) -> tensor<3x5xf64> {
  %0 = kiln.einsum %x {equation = "...ii->...i"} : (tensor<3x5x5xf64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
}

// -----

// grid_sample: bilinear reads of four clamped, bounds-checked corners.
// CHECK-LABEL: func.func @grid_sample
// CHECK: linalg.generic
// CHECK: math.floor
// CHECK: arith.fptosi
// CHECK: tensor.extract
// CHECK: arith.select
func.func @grid_sample(%x: tensor<1x1x4x4xf32>, %g: tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32> {
  %0 = kiln.grid_sample %x, %g {mode = #kiln.grid_sample_mode<bilinear>, padding_mode = #kiln.grid_sample_padding<zeros>, align_corners = false} : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
  return %0 : tensor<1x1x6x6xf32>
}

// -----

// roi_align: a generic over the output whose body loops over the sampling
// grid of each bin.
// CHECK-LABEL: func.func @roi_align
// CHECK: linalg.generic
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract
// CHECK: arith.divf
func.func @roi_align(%x: tensor<1x1x10x10xf32>, %rois: tensor<3x4xf32>, %idx: tensor<3xi64>) -> tensor<3x1x5x5xf32> {
  %0 = kiln.roi_align %x, %rois, %idx {mode = #kiln.roi_pooling_mode<avg>, output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f32, half_pixel = true} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  return %0 : tensor<3x1x5x5xf32>
}

// -----

// Nearest, asymmetric, floor upsampling by a whole factor reads source
// index = output index / factor, with no float arithmetic; a fractional
// factor keeps the float coordinate formula.
// CHECK-LABEL: func.func @resize_nearest_whole
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 2 : index
// CHECK: %[[S:.*]] = arith.divui %[[I]], %c2 : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}, %[[S]], %{{.*}}] : tensor<1x2x3x4xf32>
// CHECK-NOT: arith.divf
// CHECK-LABEL: func.func @resize_nearest_fraction
// CHECK: arith.divf
func.func @resize_nearest_whole(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x6x4xf32> {
  %s = kiln.constant dense<[1.0, 1.0, 2.0, 1.0]> : tensor<4xf32>
  %y = kiln.resize %x scales %s {mode = #kiln.resize_mode<nearest>, coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<1x2x3x4xf32>, tensor<4xf32>) -> tensor<1x2x6x4xf32>
  return %y : tensor<1x2x6x4xf32>
}

func.func @resize_nearest_fraction(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x4xf32> {
  %s = kiln.constant dense<[1.0, 1.0, 1.5, 1.0]> : tensor<4xf32>
  %y = kiln.resize %x scales %s {mode = #kiln.resize_mode<nearest>, coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x6x4xf32>
  return %y : tensor<1x2x6x4xf32>
}
