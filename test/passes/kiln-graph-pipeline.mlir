// The graph pipeline kilnc --emit=kiln runs, on an imported light-model
// pattern: ConstantOfShape weights, a conv followed by batch norm, dropout and
// a reshape whose target is computed from Shape.
// RUN: kiln-opt %s -kiln-graph-pipeline | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[V0:.*]] = kiln.constant dense<[1, 256]> : tensor<2xi64>
// CHECK-NEXT: %[[V1:.*]] = kiln.constant dense<2.000000e-01> : tensor<4x3x3x3xf32>
// CHECK-NEXT: %[[V2:.*]] = kiln.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[V3:.*]] = kiln.conv %[[ARG0:.*]], %[[V1]], %[[V2]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[V4:.*]] = kiln.relu %[[V3]] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[V5:.*]] = kiln.reshape %[[V4]], %[[V0]] : (tensor<1x4x8x8xf32>, tensor<2xi64>) -> tensor<1x256xf32>
// CHECK-NEXT: return %[[V5]] : tensor<1x256xf32>
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<?x?xf32> {
  %ws = kiln.constant dense<[4, 3, 3, 3]> : tensor<4xi64>
  %w = kiln.constant_of_shape %ws {value = 1.000000e-01 : f32} : (tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %ps = kiln.constant dense<4> : tensor<1xi64>
  %scale = kiln.constant_of_shape %ps {value = 2.000000e+00 : f32} : (tensor<1xi64>) -> tensor<?xf32>
  %zero = kiln.constant_of_shape %ps {value = 0.000000e+00 : f32} : (tensor<1xi64>) -> tensor<?xf32>
  %one = kiln.constant_of_shape %ps {value = 1.000000e+00 : f32} : (tensor<1xi64>) -> tensor<?xf32>
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<?x?x?x?xf32>) -> tensor<1x?x8x8xf32>
  %1 = kiln.batch_norm %0, %scale, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x?x8x8xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<1x?x8x8xf32>
  %2 = kiln.dropout %1 : tensor<1x?x8x8xf32> -> tensor<1x?x8x8xf32>
  %3 = kiln.relu %2 : tensor<1x?x8x8xf32> -> tensor<1x?x8x8xf32>
  %s = kiln.shape %3 : (tensor<1x?x8x8xf32>) -> tensor<4xi64>
  %i = kiln.constant dense<0> : tensor<1xi64>
  %n = kiln.gather %s, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>) -> tensor<1xi64>
  %m = kiln.constant dense<-1> : tensor<1xi64>
  %t = kiln.concat %n, %m {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %4 = kiln.reshape %3, %t : (tensor<1x?x8x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %4 : tensor<?x?xf32>
}
