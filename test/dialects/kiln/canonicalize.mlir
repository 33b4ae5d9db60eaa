// Folding and canonicalization of kiln ops, and result-type refinement.
// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @shape_of_static
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-NEXT: return %[[V0]] : tensor<2xi64>
func.func @shape_of_static(%x: tensor<1x3x4x5xf32>) -> tensor<2xi64> {
  %0 = kiln.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<1x3x4x5xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @shape_of_dynamic_stays
// CHECK-NEXT: %[[V0:.*]] = kiln.shape %[[ARG0:.*]] : (tensor<?x3xf32>) -> tensor<2xi64>
// CHECK-NEXT: return %[[V0]] : tensor<2xi64>
func.func @shape_of_dynamic_stays(%x: tensor<?x3xf32>) -> tensor<2xi64> {
  %0 = kiln.shape %x : (tensor<?x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @size
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<24> : tensor<i64>
// CHECK-NEXT: return %[[V0]] : tensor<i64>
func.func @size(%x: tensor<2x3x4xf32>) -> tensor<i64> {
  %0 = kiln.size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// The light models make every weight with ConstantOfShape: it folds to a splat.
// CHECK-LABEL: func.func @constant_of_shape_weight
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<0.00999999977> : tensor<64x3x7x7xf32>
// CHECK-NEXT: return %[[V0]] : tensor<64x3x7x7xf32>
func.func @constant_of_shape_weight() -> tensor<64x3x7x7xf32> {
  %s = kiln.constant dense<[64, 3, 7, 7]> : tensor<4xi64>
  %0 = kiln.constant_of_shape %s {value = 1.000000e-02 : f32} : (tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %1 = tensor.cast %0 : tensor<?x?x?x?xf32> to tensor<64x3x7x7xf32>
  return %1 : tensor<64x3x7x7xf32>
}

// -----

// Shape arithmetic (Shape, Gather, Unsqueeze, Concat) folds into a constant
// target and the reshape's result becomes static.
// CHECK-LABEL: func.func @shape_arithmetic
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[1, 64]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.reshape %[[ARG0:.*]], %[[V0]] : (tensor<1x64x1x1xf32>, tensor<2xi64>) -> tensor<1x64xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.relu %[[V1]] : tensor<1x64xf32> -> tensor<1x64xf32>
// CHECK-NEXT: %[[V3:.*]] = tensor.cast %[[V2]] : tensor<1x64xf32> to tensor<?x?xf32>
// CHECK-NEXT: return %[[V3]] : tensor<?x?xf32>
func.func @shape_arithmetic(%x: tensor<1x64x1x1xf32>) -> tensor<?x?xf32> {
  %s = kiln.shape %x : (tensor<1x64x1x1xf32>) -> tensor<4xi64>
  %i = kiln.constant dense<0> : tensor<i64>
  %n = kiln.gather %s, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %n1 = kiln.unsqueeze %n {axes = array<i64: 0>} : (tensor<i64>) -> tensor<1xi64>
  %m = kiln.constant dense<-1> : tensor<1xi64>
  %t = kiln.concat %n1, %m {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r = kiln.reshape %x, %t : (tensor<1x64x1x1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %y = kiln.relu %r : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_chain
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<24> : tensor<1xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.reshape %[[ARG0:.*]], %[[V0]] : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<24xf32>
// CHECK-NEXT: return %[[V1]] : tensor<24xf32>
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %a = kiln.constant dense<[6, 4]> : tensor<2xi64>
  %0 = kiln.reshape %x, %a : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %b = kiln.constant dense<[-1]> : tensor<1xi64>
  %1 = kiln.reshape %0, %b : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_to_same_type
// CHECK-NEXT: return %[[ARG0:.*]] : tensor<2x3xf32>
func.func @reshape_to_same_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = kiln.constant dense<[0, 3]> : tensor<2xi64>
  %0 = kiln.reshape %x, %a : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A static reshape keeps 0 extents meaning 0 (allowzero) in its canonical form.
// CHECK-LABEL: func.func @reshape_zero_extent
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[3, 4, 0]> : tensor<3xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.reshape %[[ARG0:.*]], %[[V0]] {allowzero = true} : (tensor<0x3x4xf32>, tensor<3xi64>) -> tensor<3x4x0xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.relu %[[V1]] : tensor<3x4x0xf32> -> tensor<3x4x0xf32>
// CHECK-NEXT: return %[[V2]] : tensor<3x4x0xf32>
func.func @reshape_zero_extent(%x: tensor<0x3x4xf32>) -> tensor<3x4x0xf32> {
  %a = kiln.constant dense<[3, 4, 0]> : tensor<3xi64>
  %0 = kiln.reshape %x, %a {allowzero = true} : (tensor<0x3x4xf32>, tensor<3xi64>) -> tensor<3x4x0xf32>
  %1 = kiln.relu %0 : tensor<3x4x0xf32> -> tensor<3x4x0xf32>
  return %1 : tensor<3x4x0xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze_flatten
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[1, 64]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.reshape %[[ARG0:.*]], %[[V0]] : (tensor<1x64x1x1xf32>, tensor<2xi64>) -> tensor<1x64xf32>
// CHECK-NEXT: return %[[V1]] : tensor<1x64xf32>
func.func @squeeze_unsqueeze_flatten(%x: tensor<1x64x1x1xf32>) -> tensor<1x64xf32> {
  %0 = kiln.squeeze %x {axes = array<i64: 2, 3>} : (tensor<1x64x1x1xf32>) -> tensor<1x64xf32>
  %1 = kiln.unsqueeze %0 {axes = array<i64: 0>} : (tensor<1x64xf32>) -> tensor<1x1x64xf32>
  %2 = kiln.flatten %1 {axis = 2 : i64} : (tensor<1x1x64xf32>) -> tensor<1x64xf32>
  return %2 : tensor<1x64xf32>
}

// -----

// CHECK-LABEL: func.func @unsqueeze_constant
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}1, 2, 3{{\]\]}}> : tensor<1x3xi64>
// CHECK-NEXT: return %[[V0]] : tensor<1x3xi64>
func.func @unsqueeze_constant() -> tensor<1x3xi64> {
  %c = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
  %0 = kiln.unsqueeze %c {axes = array<i64: 0>} : (tensor<3xi64>) -> tensor<1x3xi64>
  return %0 : tensor<1x3xi64>
}

// -----

// CHECK-LABEL: func.func @transposes
// CHECK-NEXT: return %[[ARG0:.*]] : tensor<1x2x3x4xf32>
func.func @transposes(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32>
  %1 = kiln.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x3x4x2xf32>) -> tensor<1x2x3x4xf32>
  return %1 : tensor<1x2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_constant
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}1, 4], [2, 5], [3, 6{{\]\]}}> : tensor<3x2xi32>
// CHECK-NEXT: return %[[V0]] : tensor<3x2xi32>
func.func @transpose_constant() -> tensor<3x2xi32> {
  %c = kiln.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = kiln.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func.func @arithmetic_on_constants
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[3, -3]> : tensor<2xi32>
// CHECK-NEXT: %[[V2:.*]] = kiln.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-NEXT: %[[V3:.*]] = kiln.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<3xf32>, tensor<2xi32>, tensor<2xi64>, tensor<3xi1>
func.func @arithmetic_on_constants() -> (tensor<3xf32>, tensor<2xi32>, tensor<2xi64>, tensor<3xi1>) {
  %a = kiln.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = kiln.constant dense<2.0> : tensor<f32>
  %0 = kiln.mul %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = kiln.sub %0, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %i = kiln.constant dense<[7, -7]> : tensor<2xi32>
  %j = kiln.constant dense<2> : tensor<i32>
  %2 = kiln.div %i, %j : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  %k = kiln.constant dense<[7, -7]> : tensor<2xi64>
  %l = kiln.constant dense<3> : tensor<i64>
  %3 = kiln.mod %k, %l : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %4 = kiln.greater %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %1, %2, %3, %4 : tensor<3xf32>, tensor<2xi32>, tensor<2xi64>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @integer_division_by_zero_stays
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[7, -7]> : tensor<2xi32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<0> : tensor<i32>
// CHECK-NEXT: %[[V2:.*]] = kiln.div %[[V0]], %[[V1]] : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
// CHECK-NEXT: return %[[V2]] : tensor<2xi32>
func.func @integer_division_by_zero_stays() -> tensor<2xi32> {
  %i = kiln.constant dense<[7, -7]> : tensor<2xi32>
  %z = kiln.constant dense<0> : tensor<i32>
  %0 = kiln.div %i, %z : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @neutral_elements
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<1.000000e+00> : tensor<4x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.mul %[[ARG0:.*]], %[[V0]] : (tensor<2x3xf32>, tensor<4x1x1xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[ARG0]], %[[V1]] : tensor<2x3xf32>, tensor<4x2x3xf32>
func.func @neutral_elements(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x2x3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<f32>
  %one = kiln.constant dense<1.0> : tensor<4x1x1xf32>
  %0 = kiln.add %x, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // Multiplying by ones of a larger shape broadcasts: not an identity.
  %1 = kiln.mul %0, %one : (tensor<2x3xf32>, tensor<4x1x1xf32>) -> tensor<4x2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[1, -1, 0]> : tensor<3xi32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[0, 1]> : tensor<2xui8>
// CHECK-NEXT: %[[V2:.*]] = kiln.constant dense<true> : tensor<3xi1>
// CHECK-NEXT: return %[[ARG0:.*]], %[[V0]], %[[V1]], %[[V2]] : tensor<3xf32>, tensor<3xi32>, tensor<2xui8>, tensor<3xi1>
func.func @casts(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xi32>, tensor<2xui8>, tensor<3xi1>) {
  %0 = kiln.cast %x : tensor<3xf32> -> tensor<3xf32>
  %c = kiln.constant dense<[1.9, -1.9, 0.5]> : tensor<3xf32>
  %1 = kiln.cast %c : tensor<3xf32> -> tensor<3xi32>
  %i = kiln.constant dense<[256, 257]> : tensor<2xi64>
  %2 = kiln.cast %i : tensor<2xi64> -> tensor<2xui8>
  %3 = kiln.cast %c : tensor<3xf32> -> tensor<3xi1>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xi32>, tensor<2xui8>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @pass_through
// CHECK-NEXT: return %[[ARG0:.*]] : tensor<3xf32>
func.func @pass_through(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = kiln.identity %x : tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.dropout %0 : tensor<3xf32> -> tensor<3xf32>
  %2 = kiln.clip %1 : tensor<3xf32> -> tensor<3xf32>
  return %2 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @unary_constants
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[0.000000e+00, 0.000000e+00, 5.000000e-01, 6.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[-128, 5, 3]> : tensor<3xi8>
// CHECK-NEXT: %[[V2:.*]] = kiln.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<4xf32>, tensor<3xi8>, tensor<2xi1>
func.func @unary_constants() -> (tensor<4xf32>, tensor<3xi8>, tensor<2xi1>) {
  %c = kiln.constant dense<[-2.0, -0.5, 0.5, 8.0]> : tensor<4xf32>
  %0 = kiln.clip %c {min = -1.0 : f32, max = 6.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  %1 = kiln.relu %0 : tensor<4xf32> -> tensor<4xf32>
  %i = kiln.constant dense<[-128, 5, -3]> : tensor<3xi8>
  %2 = kiln.abs %i : tensor<3xi8> -> tensor<3xi8>
  %n = kiln.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %3 = kiln.is_nan %n : tensor<2xf32> -> tensor<2xi1>
  return %1, %2, %3 : tensor<4xf32>, tensor<3xi8>, tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @where_constant_condition
// CHECK-NEXT: return %[[ARG1:.*]] : tensor<3xf32>
func.func @where_constant_condition(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %c = kiln.constant dense<false> : tensor<3xi1>
  %0 = kiln.where %c, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @reductions_on_constants
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[6, 120]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<{{\[\[}}2.000000e+00, 3.000000e+00, 4.000000e+00{{\]\]}}> : tensor<1x3xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<2xi64>, tensor<1x3xf32>
func.func @reductions_on_constants() -> (tensor<2xi64>, tensor<1x3xf32>) {
  %c = kiln.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = kiln.reduce_prod %c {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi64>) -> tensor<2xi64>
  %f = kiln.constant dense<[[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %1 = kiln.reduce_mean %f {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return %0, %1 : tensor<2xi64>, tensor<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_nothing
// CHECK-NEXT: return %[[ARG0:.*]] : tensor<2x3xf32>
func.func @reduce_nothing(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reduce_sum %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement_on_constants
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[20, 30]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<[20, 30, 20, 30]> : tensor<4xi64>
// CHECK-NEXT: %[[V2:.*]] = kiln.constant dense<{{\[\[}}20, 30], [20, 30{{\]\]}}> : tensor<2x2xi64>
// CHECK-NEXT: %[[V3:.*]] = kiln.constant dense<10> : tensor<1xi64>
// CHECK-NEXT: %[[V4:.*]] = kiln.constant dense<[0, 2, 4, 6, 8]> : tensor<5xi64>
// CHECK-NEXT: return %[[V0]], %[[V2]], %[[V3]], %[[V1]], %[[V4]] : tensor<2xi64>, tensor<2x2xi64>, tensor<1xi64>, tensor<4xi64>, tensor<5xi64>
func.func @data_movement_on_constants() -> (tensor<2xi64>, tensor<2x2xi64>, tensor<1xi64>, tensor<4xi64>, tensor<5xi64>) {
  %c = kiln.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %s = kiln.constant dense<[1]> : tensor<1xi64>
  %e = kiln.constant dense<[3]> : tensor<1xi64>
  %0 = kiln.slice %c, %s, %e : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xi64>
  %1 = tensor.cast %0 : tensor<?xi64> to tensor<2xi64>
  %t = kiln.constant dense<[2]> : tensor<1xi64>
  %2 = kiln.tile %1, %t : (tensor<2xi64>, tensor<1xi64>) -> tensor<4xi64>
  %shape = kiln.constant dense<[2, 2]> : tensor<2xi64>
  %3 = kiln.expand %1, %shape : (tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  %4:2 = kiln.split %c {axis = 0 : i64, sizes = array<i64: 1, 3>} : (tensor<4xi64>) -> (tensor<1xi64>, tensor<3xi64>)
  %start = kiln.constant dense<0> : tensor<i64>
  %limit = kiln.constant dense<10> : tensor<i64>
  %delta = kiln.constant dense<2> : tensor<i64>
  %5 = kiln.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %6 = tensor.cast %5 : tensor<?xi64> to tensor<5xi64>
  return %1, %3, %4#0, %2, %6 : tensor<2xi64>, tensor<2x2xi64>, tensor<1xi64>, tensor<4xi64>, tensor<5xi64>
}

// -----

// CHECK-LABEL: func.func @pad_nothing
// CHECK-NEXT: return %[[ARG0:.*]] : tensor<2x3xf32>
func.func @pad_nothing(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %p = kiln.constant dense<0> : tensor<4xi64>
  %0 = kiln.pad %x, %p : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @non_zero_constant
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<{{\[\[}}0, 1, 1], [0, 0, 1{{\]\]}}> : tensor<2x3xi64>
// CHECK-NEXT: return %[[V0]] : tensor<2x3xi64>
func.func @non_zero_constant() -> tensor<2x3xi64> {
  %c = kiln.constant dense<[[1, 0], [2, 3]]> : tensor<2x2xi32>
  %0 = kiln.non_zero %c : (tensor<2x2xi32>) -> tensor<2x?xi64>
  %1 = tensor.cast %0 : tensor<2x?xi64> to tensor<2x3xi64>
  return %1 : tensor<2x3xi64>
}

// -----

// A value made more static by a cast flows into kiln ops directly, and their
// results become static too.
// CHECK-LABEL: func.func @absorb_cast
// CHECK-NEXT: %[[V0:.*]] = kiln.exp %[[ARG0:.*]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = kiln.add %[[V0]], %[[V0]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = tensor.cast %[[V1]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT: return %[[V2]] : tensor<?x?xf32>
func.func @absorb_cast(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %0 = tensor.cast %x : tensor<2x3xf32> to tensor<?x?xf32>
  %1 = kiln.exp %0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %2 = kiln.add %1, %1 : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @if_constant_condition
// CHECK-NEXT: %[[V0:.*]] = kiln.neg %[[ARG0:.*]] : tensor<3xf32> -> tensor<3xf32>
// CHECK-NEXT: return %[[V0]] : tensor<3xf32>
func.func @if_constant_condition(%a: tensor<3xf32>) -> tensor<3xf32> {
  %c = kiln.constant dense<true> : tensor<1xi1>
  %0 = kiln.if %c -> (tensor<3xf32>) {
    %n = kiln.neg %a : tensor<3xf32> -> tensor<3xf32>
    kiln.yield %n : tensor<3xf32>
  } else {
    kiln.yield %a : tensor<3xf32>
  } : tensor<1xi1>
  return %0 : tensor<3xf32>
}
