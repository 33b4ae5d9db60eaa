// RUN: kiln-opt %s --split-input-file --kiln-recognize-activations | FileCheck %s

// x * clip(x + 3, 0, 6) / 6 is hard swish; so is the product by 1/6 with
// the operands the other way round.
// CHECK-LABEL: func.func @hard_swish
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>)
// CHECK: %[[A:.*]] = kiln.hard_swish %[[X]] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
// CHECK: %[[B:.*]] = kiln.hard_swish %[[X]] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
// CHECK: return %[[A]], %[[B]]
func.func @hard_swish(%x: tensor<1x4x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %three = kiln.constant dense<3.0> : tensor<f32>
  %six = kiln.constant dense<6.0> : tensor<f32>
  %sixth = kiln.constant dense<0.166666672> : tensor<1xf32>
  %0 = kiln.add %x, %three : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %1 = kiln.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %2 = kiln.mul %x, %1 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %3 = kiln.div %2, %six : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %4 = kiln.add %three, %x : (tensor<f32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %5 = kiln.clip %4 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %6 = kiln.mul %5, %x : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %7 = kiln.mul %sixth, %6 : (tensor<1xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %3, %7 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// Not hard swish: another shift, other clip bounds, a product by another
// value than x, and an x that is broadcast.
// CHECK-LABEL: func.func @not_hard_swish
// CHECK-NOT: kiln.hard_swish
func.func @not_hard_swish(%x: tensor<1x4x8x8xf32>, %y: tensor<1x4x8x8xf32>, %z: tensor<1x1x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %two = kiln.constant dense<2.0> : tensor<f32>
  %three = kiln.constant dense<3.0> : tensor<f32>
  %six = kiln.constant dense<6.0> : tensor<f32>
  %0 = kiln.add %x, %two : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %1 = kiln.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %2 = kiln.mul %x, %1 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %3 = kiln.div %2, %six : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %4 = kiln.add %x, %three : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %5 = kiln.clip %4 {min = 0.0 : f32, max = 5.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %6 = kiln.mul %x, %5 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %7 = kiln.div %6, %six : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %8 = kiln.clip %4 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %9 = kiln.mul %y, %8 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %10 = kiln.div %9, %six : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %11 = kiln.add %z, %three : (tensor<1x1x8x8xf32>, tensor<f32>) -> tensor<1x1x8x8xf32>
  %12 = kiln.clip %11 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xf32>
  %13 = kiln.mul %y, %12 : (tensor<1x4x8x8xf32>, tensor<1x1x8x8xf32>) -> tensor<1x4x8x8xf32>
  %14 = kiln.div %13, %six : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  return %3, %7, %10, %14 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
