// RUN: kiln-opt %s --kiln-to-linalg --split-input-file | FileCheck %s

// Elementwise ops become one broadcasting linalg.generic.
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: arith.addf
// CHECK-NOT: kiln.
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Unsigned tensors become signless; the signature remembers which were
// unsigned, and arithmetic picks the unsigned forms.
// CHECK-LABEL: func.func @unsigned_div
// CHECK-SAME: tensor<4xi8> {kiln.unsigned}
// CHECK-SAME: -> (tensor<4xi8> {kiln.unsigned})
// CHECK: arith.divui
func.func @unsigned_div(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = kiln.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Convolution: padded input, bias as the accumulator's initial value, and
// one grouped reduction.
// CHECK-LABEL: func.func @conv
// CHECK: tensor.pad
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @conv(%x: tensor<1x2x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x5x5xf32> {
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// kiln.if becomes scf.if on the extracted condition.
// CHECK-LABEL: func.func @if
// CHECK: %[[C:.*]] = tensor.extract
// CHECK: scf.if %[[C]] -> (tensor<2xf32>)
// CHECK: scf.yield
// CHECK: } else {
// CHECK: scf.yield
func.func @if(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %0 = kiln.if %c -> (tensor<2xf32>) {
    kiln.yield %a : tensor<2xf32>
  } else {
    %1 = kiln.neg %b : tensor<2xf32> -> tensor<2xf32>
    kiln.yield %1 : tensor<2xf32>
  } : tensor<i1>
  return %0 : tensor<2xf32>
}

// -----

// kiln.loop with a constant trip count becomes scf.for; scan outputs are
// written slice by slice into the stacked result.
// CHECK-LABEL: func.func @loop
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2xf32>
// CHECK: %[[FOR:.*]]:2 = scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[SCAN:.*]] = %[[EMPTY]]) -> (tensor<2xf32>, tensor<3x2xf32>)
// CHECK: arith.index_cast %[[IV]] : index to i64
// CHECK: linalg.generic
// CHECK: tensor.insert_slice %{{.*}} into %[[SCAN]][%[[IV]], 0] [1, 2] [1, 1] : tensor<2xf32> into tensor<3x2xf32>
// CHECK: scf.yield
// CHECK: return %[[FOR]]#0, %[[FOR]]#1
func.func @loop(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %n = kiln.constant dense<3> : tensor<i64>
  %c = kiln.constant dense<true> : tensor<i1>
  %0:2 = kiln.loop max_trip_count %n condition %c carried(%x : tensor<2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %acc: tensor<2xf32>):
    %next = kiln.add %acc, %acc : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    kiln.yield %cond, %next, %acc : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  } : tensor<i64>, tensor<i1>
  return %0#0, %0#1 : tensor<2xf32>, tensor<3x2xf32>
}

// -----

// compress with a constant condition gathers the kept positions.
// CHECK-LABEL: func.func @compress
// CHECK: %[[KEPT:.*]] = arith.constant dense<[0, 2]> : tensor<2xi64>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[KEPT]] : tensor<2xi64>)
// CHECK: tensor.extract
func.func @compress(%x: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %c = kiln.constant dense<[true, false, true]> : tensor<3xi1>
  %0 = kiln.compress %x, %c {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
