// RUN: kiln-opt %s -kiln-dce -split-input-file -allow-unregistered-dialect | FileCheck %s

// A dead chain goes in one pass, users before producers.
// CHECK-LABEL: func.func @dead_chain
// CHECK-NEXT: %[[V0:.*]] = kiln.relu %[[ARG0:.*]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %[[V0]] : tensor<4xf32>
func.func @dead_chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.exp %x : tensor<4xf32> -> tensor<4xf32>
  %1 = kiln.log %0 : tensor<4xf32> -> tensor<4xf32>
  %2 = kiln.add %1, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s = kiln.shape %2 : (tensor<4xf32>) -> tensor<1xi64>
  %3 = kiln.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// Dead ops inside regions go too; the region's yielded values stay.
// CHECK-LABEL: func.func @inside_regions
// CHECK-NEXT: %[[V0:.*]] = kiln.if %[[ARG0:.*]] -> (tensor<4xf32>) {
// CHECK-NEXT: %[[V1:.*]] = kiln.neg %[[ARG1:.*]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: kiln.yield %[[V1]] : tensor<4xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: kiln.yield %[[ARG1]] : tensor<4xf32>
// CHECK-NEXT: } : tensor<1xi1>
// CHECK-NEXT: return %[[V0]] : tensor<4xf32>
func.func @inside_regions(%c: tensor<1xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.if %c -> (tensor<4xf32>) {
    %dead = kiln.exp %x : tensor<4xf32> -> tensor<4xf32>
    %n = kiln.neg %x : tensor<4xf32> -> tensor<4xf32>
    kiln.yield %n : tensor<4xf32>
  } else {
    kiln.yield %x : tensor<4xf32>
  } : tensor<1xi1>
  return %0 : tensor<4xf32>
}

// -----

// Negative: ops with side effects and function arguments are kept.
// CHECK-LABEL: func.func @side_effects_stay
// CHECK-NEXT: %[[V0:.*]] = kiln.exp %[[ARG0:.*]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: "test.sink"(%[[V0]]) : (tensor<4xf32>) -> ()
// CHECK-NEXT: return %[[ARG0]] : tensor<4xf32>
func.func @side_effects_stay(%x: tensor<4xf32>, %unused: tensor<2xf32>) -> tensor<4xf32> {
  %0 = kiln.exp %x : tensor<4xf32> -> tensor<4xf32>
  "test.sink"(%0) : (tensor<4xf32>) -> ()
  return %x : tensor<4xf32>
}
