// Round trip of every kiln op through the custom and the generic form.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s -mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @elementwise_unary
// CHECK: %[[V0:.*]] = kiln.abs %[[ARG0:.*]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V1:.*]] = kiln.neg %[[ARG1:.*]] : tensor<4xi32> -> tensor<4xi32>
// CHECK: %[[V2:.*]] = kiln.sign %[[ARG0]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V3:.*]] = kiln.exp %[[V0]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V4:.*]] = kiln.log %[[V3]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V5:.*]] = kiln.sqrt %[[V4]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V6:.*]] = kiln.reciprocal %[[V5]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V7:.*]] = kiln.floor %[[V6]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V8:.*]] = kiln.ceil %[[V7]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V9:.*]] = kiln.round %[[V8]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V10:.*]] = kiln.sin %[[V9]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V11:.*]] = kiln.cos %[[V10]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V12:.*]] = kiln.tan %[[V11]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V13:.*]] = kiln.asin %[[V12]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V14:.*]] = kiln.acos %[[V13]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V15:.*]] = kiln.atan %[[V14]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V16:.*]] = kiln.sinh %[[V15]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V17:.*]] = kiln.cosh %[[V16]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V18:.*]] = kiln.asinh %[[V17]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V19:.*]] = kiln.acosh %[[V18]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V20:.*]] = kiln.atanh %[[V19]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V21:.*]] = kiln.tanh %[[V20]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V22:.*]] = kiln.sigmoid %[[V21]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V23:.*]] = kiln.erf %[[V22]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V24:.*]] = kiln.softplus %[[V23]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V25:.*]] = kiln.softsign %[[V24]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V26:.*]] = kiln.relu %[[V25]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V27:.*]] = kiln.hard_swish %[[V26]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V28:.*]] = kiln.leaky_relu %[[V27]] {alpha = 1.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V29:.*]] = kiln.elu %[[V28]] {alpha = 2.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V30:.*]] = kiln.selu %[[V29]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V31:.*]] = kiln.celu %[[V30]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V32:.*]] = kiln.hard_sigmoid %[[V31]] {alpha = 1.666670e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V33:.*]] = kiln.thresholded_relu %[[V32]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V34:.*]] = kiln.shrink %[[V33]] {lambd = 1.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V35:.*]] = kiln.gelu %[[V34]] {approximate = #kiln.gelu_approximation<tanh>} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V36:.*]] = kiln.clip %[[V35]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V37:.*]] = kiln.clip %[[ARG1]] {min = 0 : i32} : tensor<4xi32> -> tensor<4xi32>
// CHECK: %[[V38:.*]] = kiln.identity %[[V36]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V39:.*]] = kiln.dropout %[[V38]] {ratio = 2.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V40:.*]] = kiln.not %[[ARG2:.*]] : tensor<4xi1> -> tensor<4xi1>
// CHECK: %[[V41:.*]] = kiln.is_nan %[[V39]] : tensor<2x3xf32> -> tensor<2x3xi1>
// CHECK: %[[V42:.*]] = kiln.is_inf %[[V39]] {detect_negative = false} : tensor<2x3xf32> -> tensor<2x3xi1>
// CHECK: %[[V43:.*]] = kiln.cast %[[V39]] : tensor<2x3xf32> -> tensor<2x3xi64>
// CHECK: %[[V44:.*]] = kiln.cast %[[ARG1]] : tensor<4xi32> -> tensor<4xbf16>
// CHECK: return %[[V39]] : tensor<2x3xf32>
func.func @elementwise_unary(%x: tensor<2x3xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>) -> tensor<2x3xf32> {
  %0 = kiln.abs %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.neg %i : tensor<4xi32> -> tensor<4xi32>
  %2 = kiln.sign %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = kiln.exp %0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = kiln.log %3 : tensor<2x3xf32> -> tensor<2x3xf32>
  %5 = kiln.sqrt %4 : tensor<2x3xf32> -> tensor<2x3xf32>
  %6 = kiln.reciprocal %5 : tensor<2x3xf32> -> tensor<2x3xf32>
  %7 = kiln.floor %6 : tensor<2x3xf32> -> tensor<2x3xf32>
  %8 = kiln.ceil %7 : tensor<2x3xf32> -> tensor<2x3xf32>
  %9 = kiln.round %8 : tensor<2x3xf32> -> tensor<2x3xf32>
  %10 = kiln.sin %9 : tensor<2x3xf32> -> tensor<2x3xf32>
  %11 = kiln.cos %10 : tensor<2x3xf32> -> tensor<2x3xf32>
  %12 = kiln.tan %11 : tensor<2x3xf32> -> tensor<2x3xf32>
  %13 = kiln.asin %12 : tensor<2x3xf32> -> tensor<2x3xf32>
  %14 = kiln.acos %13 : tensor<2x3xf32> -> tensor<2x3xf32>
  %15 = kiln.atan %14 : tensor<2x3xf32> -> tensor<2x3xf32>
  %16 = kiln.sinh %15 : tensor<2x3xf32> -> tensor<2x3xf32>
  %17 = kiln.cosh %16 : tensor<2x3xf32> -> tensor<2x3xf32>
  %18 = kiln.asinh %17 : tensor<2x3xf32> -> tensor<2x3xf32>
  %19 = kiln.acosh %18 : tensor<2x3xf32> -> tensor<2x3xf32>
  %20 = kiln.atanh %19 : tensor<2x3xf32> -> tensor<2x3xf32>
  %21 = kiln.tanh %20 : tensor<2x3xf32> -> tensor<2x3xf32>
  %22 = kiln.sigmoid %21 : tensor<2x3xf32> -> tensor<2x3xf32>
  %23 = kiln.erf %22 : tensor<2x3xf32> -> tensor<2x3xf32>
  %24 = kiln.softplus %23 : tensor<2x3xf32> -> tensor<2x3xf32>
  %25 = kiln.softsign %24 : tensor<2x3xf32> -> tensor<2x3xf32>
  %26 = kiln.relu %25 : tensor<2x3xf32> -> tensor<2x3xf32>
  %27 = kiln.hard_swish %26 : tensor<2x3xf32> -> tensor<2x3xf32>
  %28 = kiln.leaky_relu %27 {alpha = 1.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %29 = kiln.elu %28 {alpha = 2.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %30 = kiln.selu %29 : tensor<2x3xf32> -> tensor<2x3xf32>
  %31 = kiln.celu %30 : tensor<2x3xf32> -> tensor<2x3xf32>
  %32 = kiln.hard_sigmoid %31 {alpha = 1.666670e-01 : f32, beta = 5.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %33 = kiln.thresholded_relu %32 : tensor<2x3xf32> -> tensor<2x3xf32>
  %34 = kiln.shrink %33 {lambd = 1.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %35 = kiln.gelu %34 {approximate = #kiln.gelu_approximation<tanh>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %36 = kiln.clip %35 {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %37 = kiln.clip %i {min = 0 : i32} : tensor<4xi32> -> tensor<4xi32>
  %38 = kiln.identity %36 : tensor<2x3xf32> -> tensor<2x3xf32>
  %39 = kiln.dropout %38 {ratio = 2.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %40 = kiln.not %b : tensor<4xi1> -> tensor<4xi1>
  %41 = kiln.is_nan %39 : tensor<2x3xf32> -> tensor<2x3xi1>
  %42 = kiln.is_inf %39 {detect_negative = false} : tensor<2x3xf32> -> tensor<2x3xi1>
  %43 = kiln.cast %39 : tensor<2x3xf32> -> tensor<2x3xi64>
  %44 = kiln.cast %i : tensor<4xi32> -> tensor<4xbf16>
  return %39 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @elementwise_binary
// CHECK: %[[V0:.*]] = kiln.add %[[ARG0:.*]], %[[ARG1:.*]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V1:.*]] = kiln.sub %[[V0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V2:.*]] = kiln.mul %[[V1]], %[[ARG0]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V3:.*]] = kiln.div %[[V2]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V4:.*]] = kiln.mod %[[V3]], %[[ARG1]] {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V5:.*]] = kiln.mod %[[ARG2:.*]], %[[ARG3:.*]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK: %[[V6:.*]] = kiln.min %[[V4]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V7:.*]] = kiln.max %[[V6]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V8:.*]] = kiln.pow %[[V7]], %[[ARG2]] : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
// CHECK: %[[V9:.*]] = kiln.prelu %[[V7]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V10:.*]] = kiln.and %[[ARG4:.*]], %[[ARG4]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[V11:.*]] = kiln.or %[[V10]], %[[ARG4]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[V12:.*]] = kiln.xor %[[V11]], %[[ARG4]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[V13:.*]] = kiln.equal %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V14:.*]] = kiln.less %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V15:.*]] = kiln.less_equal %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V16:.*]] = kiln.greater %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V17:.*]] = kiln.greater_equal %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V18:.*]] = kiln.bit_shift %[[ARG5:.*]], %[[ARG5]] {direction = #kiln.shift_direction<left>} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
// CHECK: %[[V19:.*]] = kiln.where %[[V13]], %[[V9]], %[[ARG1]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[V19]] : tensor<2x3xf32>
func.func @elementwise_binary(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %i: tensor<2x1xi64>, %j: tensor<4xi64>,
                              %b: tensor<3xi1>, %u: tensor<4xui8>) -> tensor<2x3xf32> {
  %0 = kiln.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = kiln.sub %0, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = kiln.mul %1, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = kiln.div %2, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = kiln.mod %3, %y {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = kiln.mod %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %6 = kiln.min %4, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %7 = kiln.max %6, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = kiln.pow %7, %i : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  %9 = kiln.prelu %7, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %10 = kiln.and %b, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %11 = kiln.or %10, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %12 = kiln.xor %11, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %13 = kiln.equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %14 = kiln.less %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %15 = kiln.less_equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %16 = kiln.greater %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %17 = kiln.greater_equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %18 = kiln.bit_shift %u, %u {direction = #kiln.shift_direction<left>} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %19 = kiln.where %13, %9, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %19 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @dynamic_broadcast
// CHECK: %[[V0:.*]] = kiln.add %[[ARG0:.*]], %[[ARG1:.*]] : (tensor<?x3xf32>, tensor<4x1x1xf32>) -> tensor<4x?x3xf32>
// CHECK: return %[[V0]] : tensor<4x?x3xf32>
func.func @dynamic_broadcast(%x: tensor<?x3xf32>, %y: tensor<4x1x1xf32>) -> tensor<4x?x3xf32> {
  %0 = kiln.add %x, %y : (tensor<?x3xf32>, tensor<4x1x1xf32>) -> tensor<4x?x3xf32>
  return %0 : tensor<4x?x3xf32>
}

// CHECK-LABEL: func.func @nn
// CHECK: %[[V0:.*]] = kiln.conv %[[ARG0:.*]], %[[ARG1:.*]], %[[ARG2:.*]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V1:.*]] = kiln.conv %[[V0]], %[[ARG3:.*]] {dilations = array<i64: 2, 2>, group = 8 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V2:.*]] = kiln.conv_transpose %[[V1]], %[[ARG3]] {dilations = array<i64: 1, 1>, group = 8 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x32x32xf32>
// CHECK: %[[V3:.*]] = kiln.matmul %[[ARG4:.*]], %[[ARG5:.*]] : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[V4:.*]] = kiln.gemm %[[ARG4]], %[[ARG5]], %[[ARG6:.*]] {alpha = 5.000000e-01 : f32} : (tensor<4x16xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK: %[[V5:.*]] = kiln.einsum %[[ARG4]], %[[ARG5]] {equation = "ij,jk->ik"} : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[V6:.*]] = kiln.max_pool %[[V2]] {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V7:.*]], %[[V8:.*]] = kiln.max_pool_with_indices %[[V2]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x32x32xf32>) -> (tensor<1x8x16x16xf32>, tensor<1x8x16x16xi64>)
// CHECK: %[[V9:.*]] = kiln.avg_pool %[[V6]] {count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V10:.*]] = kiln.lp_pool %[[V9]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, p = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
// CHECK: %[[V11:.*]] = kiln.max_unpool %[[V7]], %[[V8]] {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<1x8x16x16xi64>) -> tensor<1x8x32x32xf32>
// CHECK: %[[V12:.*]] = kiln.batch_norm %[[V9]], %[[ARG7:.*]], %[[ARG6]], %[[ARG6]], %[[ARG7]] {epsilon = 1.000000e-03 : f32} : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V13:.*]] = kiln.instance_norm %[[V12]], %[[ARG7]], %[[ARG6]] : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V14:.*]], %[[V15:.*]], %[[V16:.*]] = kiln.layer_norm %[[V4]], %[[ARG6]], %[[ARG6]] {axis = 1 : i64} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
// CHECK: %[[V17:.*]] = kiln.lrn %[[V13]] {size = 3 : i64} : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
// CHECK: %[[V18:.*]] = kiln.softmax %[[V14]] {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[V19:.*]] = kiln.log_softmax %[[V14]] {axis = 0 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[V20:.*]] = kiln.hardmax %[[V14]] {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: return %[[V17]] : tensor<1x8x16x16xf32>
func.func @nn(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>, %dw: tensor<8x1x3x3xf32>,
              %a: tensor<4x16xf32>, %m: tensor<16x8xf32>, %c: tensor<8xf32>, %s: tensor<8xf32>) -> tensor<1x8x16x16xf32> {
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %1 = kiln.conv %0, %dw {dilations = array<i64: 2, 2>, group = 8 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32>
  %2 = kiln.conv_transpose %1, %dw {dilations = array<i64: 1, 1>, group = 8 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x32x32xf32>
  %3 = kiln.matmul %a, %m : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %4 = kiln.gemm %a, %m, %c {alpha = 5.000000e-01 : f32} : (tensor<4x16xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %5 = kiln.einsum %a, %m {equation = "ij,jk->ik"} : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %6 = kiln.max_pool %2 {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  %7, %8 = kiln.max_pool_with_indices %2 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x32x32xf32>) -> (tensor<1x8x16x16xf32>, tensor<1x8x16x16xi64>)
  %9 = kiln.avg_pool %6 {count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %10 = kiln.lp_pool %9 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, p = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  %11 = kiln.max_unpool %7, %8 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<1x8x16x16xi64>) -> tensor<1x8x32x32xf32>
  %12 = kiln.batch_norm %9, %s, %c, %c, %s {epsilon = 1.000000e-03 : f32} : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %13 = kiln.instance_norm %12, %s, %c : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %14, %15, %16 = kiln.layer_norm %4, %c, %c {axis = 1 : i64} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
  %17 = kiln.lrn %13 {size = 3 : i64} : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %18 = kiln.softmax %14 {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %19 = kiln.log_softmax %14 {axis = 0 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %20 = kiln.hardmax %14 {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %17 : tensor<1x8x16x16xf32>
}

// CHECK-LABEL: func.func @sampling
// CHECK: %[[V0:.*]] = kiln.grid_sample %[[ARG0:.*]], %[[ARG1:.*]] {align_corners = true, mode = #kiln.grid_sample_mode<nearest>, padding_mode = #kiln.grid_sample_padding<border>} : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
// CHECK: %[[V1:.*]] = kiln.roi_align %[[ARG0]], %[[ARG2:.*]], %[[ARG3:.*]] {half_pixel = true, mode = #kiln.roi_pooling_mode<max>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 2 : i64, spatial_scale = 5.000000e-01 : f32} : (tensor<1x1x4x4xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x2x2xf32>
// CHECK: %[[V2:.*]] = kiln.det %[[ARG4:.*]] : (tensor<3x2x2xf32>) -> tensor<3xf32>
// CHECK: %[[V3:.*]] = kiln.non_max_suppression %[[ARG5:.*]], %[[ARG6:.*]] max_output %[[ARG7:.*]] {center_point_box = true} : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>) -> tensor<?x3xi64>
// CHECK: return %[[V3]] : tensor<?x3xi64>
func.func @sampling(%x: tensor<1x1x4x4xf32>, %g: tensor<1x6x6x2xf32>, %r: tensor<3x4xf32>, %i: tensor<3xi64>,
                    %m: tensor<3x2x2xf32>, %boxes: tensor<1x6x4xf32>, %scores: tensor<1x1x6xf32>, %k: tensor<1xi64>) -> tensor<?x3xi64> {
  %0 = kiln.grid_sample %x, %g {align_corners = true, mode = #kiln.grid_sample_mode<nearest>, padding_mode = #kiln.grid_sample_padding<border>} : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
  %1 = kiln.roi_align %x, %r, %i {half_pixel = true, mode = #kiln.roi_pooling_mode<max>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 2 : i64, spatial_scale = 5.000000e-01 : f32} : (tensor<1x1x4x4xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x2x2xf32>
  %2 = kiln.det %m : (tensor<3x2x2xf32>) -> tensor<3xf32>
  %3 = kiln.non_max_suppression %boxes, %scores max_output %k {center_point_box = true} : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>) -> tensor<?x3xi64>
  return %3 : tensor<?x3xi64>
}

// CHECK-LABEL: func.func @reductions
// CHECK: %[[V0:.*]] = kiln.reduce_sum %[[ARG0:.*]] {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK: %[[V1:.*]] = kiln.reduce_mean %[[ARG0]] {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK: %[[V2:.*]] = kiln.reduce_max %[[ARG0]] {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[V3:.*]] = kiln.reduce_min %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V4:.*]] = kiln.reduce_prod %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V5:.*]] = kiln.reduce_l1 %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V6:.*]] = kiln.reduce_l2 %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V7:.*]] = kiln.reduce_sum_square %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V8:.*]] = kiln.reduce_log_sum %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V9:.*]] = kiln.reduce_log_sum_exp %[[ARG0]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[V10:.*]] = kiln.arg_max %[[ARG0]] {axis = 2 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
// CHECK: %[[V11:.*]] = kiln.arg_min %[[ARG0]] {axis = 1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
// CHECK: %[[V12:.*]], %[[V13:.*]] = kiln.top_k %[[ARG0]], %[[ARG1:.*]] {axis = 2 : i64, largest = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> (tensor<2x3x?xf32>, tensor<2x3x?xi64>)
// CHECK: %[[V14:.*]] = kiln.cumsum %[[ARG0]], %[[ARG2:.*]] {exclusive = true, reverse = true} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
// CHECK: %[[V15:.*]] = tensor.cast %[[V12]] : tensor<2x3x?xf32> to tensor<2x3x2xf32>
// CHECK: return %[[V15]] : tensor<2x3x2xf32>
func.func @reductions(%x: tensor<2x3x4xf32>, %k: tensor<1xi64>, %axis: tensor<i64>) -> tensor<2x3x2xf32> {
  %0 = kiln.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = kiln.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = kiln.reduce_max %x {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %3 = kiln.reduce_min %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %4 = kiln.reduce_prod %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %5 = kiln.reduce_l1 %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %6 = kiln.reduce_l2 %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %7 = kiln.reduce_sum_square %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %8 = kiln.reduce_log_sum %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %9 = kiln.reduce_log_sum_exp %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %10 = kiln.arg_max %x {axis = 2 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  %11 = kiln.arg_min %x {axis = 1 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  %12, %13 = kiln.top_k %x, %k {axis = 2 : i64, largest = false} : (tensor<2x3x4xf32>, tensor<1xi64>) -> (tensor<2x3x?xf32>, tensor<2x3x?xi64>)
  %14 = kiln.cumsum %x, %axis {exclusive = true, reverse = true} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
  %15 = tensor.cast %12 : tensor<2x3x?xf32> to tensor<2x3x2xf32>
  return %15 : tensor<2x3x2xf32>
}

// CHECK-LABEL: func.func @tensors
// CHECK: %[[V0:.*]] = kiln.constant dense<[4, 6]> : tensor<2xi64>
// CHECK: %[[V1:.*]] = kiln.shape %[[ARG0:.*]] {start = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
// CHECK: %[[V2:.*]] = kiln.size %[[ARG0]] : (tensor<2x3x4xf32>) -> tensor<i64>
// CHECK: %[[V3:.*]] = kiln.reshape %[[ARG0]], %[[V0]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
// CHECK: %[[V4:.*]] = kiln.reshape %[[ARG0]], %[[ARG1:.*]] {allowzero = true} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
// CHECK: %[[V5:.*]] = kiln.flatten %[[ARG0]] {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: %[[V6:.*]] = kiln.unsqueeze %[[ARG0]] {axes = array<i64: 0, 3>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x1x4xf32>
// CHECK: %[[V7:.*]] = kiln.squeeze %[[V6]] {axes = array<i64: 0, 3>} : (tensor<1x2x3x1x4xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[V8:.*]] = kiln.transpose %[[V7]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK: %[[V9:.*]] = kiln.concat %[[ARG0]], %[[ARG0]] {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x8xf32>
// CHECK: %[[V10:.*]]:2 = kiln.split %[[V9]] {axis = 2 : i64, sizes = array<i64: 3, 5>} : (tensor<2x3x8xf32>) -> (tensor<2x3x3xf32>, tensor<2x3x5xf32>)
// CHECK: %[[V11:.*]] = kiln.slice %[[ARG0]], %[[ARG1]], %[[ARG1]] : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>) -> tensor<?x?x?xf32>
// CHECK: %[[V12:.*]] = kiln.slice %[[ARG0]], %[[ARG1]], %[[ARG1]], axes %[[ARG1]], steps %[[ARG1]] : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) -> tensor<?x?x?xf32>
// CHECK: %[[V13:.*]] = kiln.gather %[[ARG0]], %[[ARG2:.*]] {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x5xf32>
// CHECK: %[[V14:.*]] = kiln.gather_elements %[[ARG0]], %[[ARG3:.*]] {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xi64>) -> tensor<2x3x4xf32>
// CHECK: %[[V15:.*]] = kiln.gather_nd %[[ARG0]], %[[ARG4:.*]] : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x4xf32>
// CHECK: %[[V16:.*]] = kiln.scatter_elements %[[ARG0]], %[[ARG3]], %[[ARG0]] {axis = 1 : i64, reduction = #kiln.scatter_reduction<add>} : (tensor<2x3x4xf32>, tensor<2x3x4xi64>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[V17:.*]] = kiln.scatter_nd %[[ARG0]], %[[ARG4]], %[[V15]] {reduction = #kiln.scatter_reduction<mul>} : (tensor<2x3x4xf32>, tensor<2x2xi64>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[V18:.*]] = kiln.constant dense<[0, 1, 1, 0, 1, 1]> : tensor<6xi64>
// CHECK: %[[V19:.*]] = kiln.constant dense<1.500000e+00> : tensor<f32>
// CHECK: %[[V20:.*]] = kiln.pad %[[ARG0]], %[[V18]], %[[V19]] : (tensor<2x3x4xf32>, tensor<6xi64>, tensor<f32>) -> tensor<2x5x6xf32>
// CHECK: %[[V21:.*]] = kiln.pad %[[ARG0]], %[[V18]] {mode = #kiln.pad_mode<reflect>} : (tensor<2x3x4xf32>, tensor<6xi64>) -> tensor<2x5x6xf32>
// CHECK: %[[V22:.*]] = kiln.constant dense<[1.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: %[[V23:.*]] = kiln.resize %[[V20]] scales %[[V22]] {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<2x5x6xf32>, tensor<3xf32>) -> tensor<2x10x12xf32>
// CHECK: %[[V24:.*]] = kiln.expand %[[ARG6:.*]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<?x2x3xf32>
// CHECK: %[[V25:.*]] = kiln.tile %[[ARG6]], %[[V0]] : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<8x18xf32>
// CHECK: %[[V26:.*]] = kiln.constant_of_shape %[[ARG1]] {value = 1.000000e+00 : f32} : (tensor<3xi64>) -> tensor<?x?x?xf32>
// CHECK: %[[V27:.*]] = kiln.constant dense<0> : tensor<i64>
// CHECK: %[[V28:.*]] = kiln.range %[[V27]], %[[V2]], %[[V2]] : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<1xi64>
// CHECK: %[[V29:.*]] = kiln.constant dense<3> : tensor<i64>
// CHECK: %[[V30:.*]] = kiln.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[V31:.*]] = kiln.one_hot %[[ARG2]], %[[V29]], %[[V30]] {axis = 1 : i64} : (tensor<5xi64>, tensor<i64>, tensor<2xf32>) -> tensor<5x3xf32>
// CHECK: %[[V32:.*]] = kiln.trilu %[[ARG6]], %[[V27]] {upper = false} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
// CHECK: %[[V33:.*]] = kiln.eye_like %[[ARG6]] {k = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK: %[[V34:.*]] = kiln.reverse_sequence %[[ARG0]], %[[ARG2]] {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x4xf32>
// CHECK: %[[V35:.*]] = kiln.compress %[[ARG0]], %[[ARG5:.*]] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3xi1>) -> tensor<2x?x4xf32>
// CHECK: %[[V36:.*]] = kiln.non_zero %[[ARG0]] : (tensor<2x3x4xf32>) -> tensor<3x?xi64>
// CHECK: %[[V37:.*]], %[[V38:.*]], %[[V39:.*]], %[[V40:.*]] = kiln.unique %[[ARG0]] {axis = 2 : i64} : (tensor<2x3x4xf32>) -> (tensor<2x3x?xf32>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>)
// CHECK: return %[[V3]] : tensor<4x6xf32>
func.func @tensors(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>, %i: tensor<5xi64>, %j: tensor<2x3x4xi64>, %nd: tensor<2x2xi64>,
                   %b: tensor<3xi1>, %e: tensor<2x3xf32>) -> tensor<4x6xf32> {
  %c = kiln.constant dense<[4, 6]> : tensor<2xi64>
  %0 = kiln.shape %x {start = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %1 = kiln.size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  %2 = kiln.reshape %x, %c : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %3 = kiln.reshape %x, %s {allowzero = true} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %4 = kiln.flatten %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %5 = kiln.unsqueeze %x {axes = array<i64: 0, 3>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x1x4xf32>
  %6 = kiln.squeeze %5 {axes = array<i64: 0, 3>} : (tensor<1x2x3x1x4xf32>) -> tensor<2x3x4xf32>
  %7 = kiln.transpose %6 {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %8 = kiln.concat %x, %x {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x8xf32>
  %9:2 = kiln.split %8 {axis = 2 : i64, sizes = array<i64: 3, 5>} : (tensor<2x3x8xf32>) -> (tensor<2x3x3xf32>, tensor<2x3x5xf32>)
  %10 = kiln.slice %x, %s, %s : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %11 = kiln.slice %x, %s, %s, axes %s, steps %s : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %12 = kiln.gather %x, %i {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x5xf32>
  %13 = kiln.gather_elements %x, %j {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xi64>) -> tensor<2x3x4xf32>
  %14 = kiln.gather_nd %x, %nd : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x4xf32>
  %15 = kiln.scatter_elements %x, %j, %x {axis = 1 : i64, reduction = #kiln.scatter_reduction<add>} : (tensor<2x3x4xf32>, tensor<2x3x4xi64>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %16 = kiln.scatter_nd %x, %nd, %14 {reduction = #kiln.scatter_reduction<mul>} : (tensor<2x3x4xf32>, tensor<2x2xi64>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
  %p = kiln.constant dense<[0, 1, 1, 0, 1, 1]> : tensor<6xi64>
  %v = kiln.constant dense<1.5> : tensor<f32>
  %17 = kiln.pad %x, %p, %v : (tensor<2x3x4xf32>, tensor<6xi64>, tensor<f32>) -> tensor<2x5x6xf32>
  %18 = kiln.pad %x, %p {mode = #kiln.pad_mode<reflect>} : (tensor<2x3x4xf32>, tensor<6xi64>) -> tensor<2x5x6xf32>
  %sc = kiln.constant dense<[1.0, 2.0, 2.0]> : tensor<3xf32>
  %19 = kiln.resize %17 scales %sc {coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>, mode = #kiln.resize_mode<nearest>, nearest_mode = #kiln.nearest_mode<floor>} : (tensor<2x5x6xf32>, tensor<3xf32>) -> tensor<2x10x12xf32>
  %20 = kiln.expand %e, %s : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<?x2x3xf32>
  %21 = kiln.tile %e, %c : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<8x18xf32>
  %22 = kiln.constant_of_shape %s {value = 1.000000e+00 : f32} : (tensor<3xi64>) -> tensor<?x?x?xf32>
  %st = kiln.constant dense<0> : tensor<i64>
  %23 = kiln.range %st, %1, %1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<1xi64>
  %d = kiln.constant dense<3> : tensor<i64>
  %ov = kiln.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %24 = kiln.one_hot %i, %d, %ov {axis = 1 : i64} : (tensor<5xi64>, tensor<i64>, tensor<2xf32>) -> tensor<5x3xf32>
  %25 = kiln.trilu %e, %st {upper = false} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  %26 = kiln.eye_like %e {k = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %27 = kiln.reverse_sequence %x, %i {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x4xf32>
  %28 = kiln.compress %x, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3xi1>) -> tensor<2x?x4xf32>
  %29 = kiln.non_zero %x : (tensor<2x3x4xf32>) -> tensor<3x?xi64>
  %30:4 = kiln.unique %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> (tensor<2x3x?xf32>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>)
  return %2 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @space_depth
// CHECK: %[[V0:.*]] = kiln.depth_to_space %[[ARG0:.*]] {blocksize = 2 : i64, mode = #kiln.depth_to_space_mode<crd>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
// CHECK: %[[V1:.*]] = kiln.space_to_depth %[[V0]] {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
// CHECK: return %[[V1]] : tensor<1x8x2x3xf32>
func.func @space_depth(%x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %0 = kiln.depth_to_space %x {blocksize = 2 : i64, mode = #kiln.depth_to_space_mode<crd>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %1 = kiln.space_to_depth %0 {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return %1 : tensor<1x8x2x3xf32>
}

// CHECK-LABEL: func.func @quantization
// CHECK: %[[V0:.*]] = kiln.quantize_linear %[[ARG0:.*]], %[[ARG1:.*]], %[[ARG2:.*]] : (tensor<1x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3xui8>
// CHECK: %[[V1:.*]] = kiln.dequantize_linear %[[V0]], %[[ARG1]], %[[ARG2]] : (tensor<1x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3xf32>
// CHECK: %[[V2:.*]] = kiln.quantize_linear %[[ARG0]], %[[ARG1]] : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xui8>
// CHECK: %[[V3:.*]], %[[V4:.*]], %[[V5:.*]] = kiln.dynamic_quantize_linear %[[ARG0]] : (tensor<1x3xf32>) -> (tensor<1x3xui8>, tensor<f32>, tensor<ui8>)
// CHECK: %[[V6:.*]] = kiln.matmul_integer %[[ARG3:.*]], %[[ARG4:.*]] lhs_zero_point %[[ARG2]] rhs_zero_point %[[ARG2]] : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<4x2xi32>
// CHECK: %[[V7:.*]] = kiln.matmul_integer %[[ARG3]], %[[ARG4]] rhs_zero_point %[[ARG2]] : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>) -> tensor<4x2xi32>
// CHECK: %[[V8:.*]] = kiln.conv_integer %[[ARG5:.*]], %[[ARG6:.*]] input_zero_point %[[ARG2]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>) -> tensor<1x1x2x2xi32>
// CHECK: %[[V9:.*]] = kiln.qlinear_matmul %[[ARG3]], %[[ARG1]], %[[ARG2]], %[[ARG4]], %[[ARG1]], %[[ARG2]], %[[ARG1]], %[[ARG2]] : (tensor<4x3xui8>, tensor<f32>, tensor<ui8>, tensor<3x2xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<4x2xui8>
// CHECK: %[[V10:.*]] = kiln.qlinear_conv %[[ARG5]], %[[ARG1]], %[[ARG2]], %[[ARG6]], %[[ARG7:.*]], %[[ARG8:.*]], %[[ARG1]], %[[ARG2]], %[[ARG9:.*]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x2x2xui8>, tensor<1xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, tensor<1xi32>) -> tensor<1x1x2x2xui8>
// CHECK: return %[[V1]] : tensor<1x3xf32>
func.func @quantization(%x: tensor<1x3xf32>, %s: tensor<f32>, %zp: tensor<ui8>, %a: tensor<4x3xui8>, %b: tensor<3x2xui8>,
                        %ci: tensor<1x1x3x3xui8>, %cw: tensor<1x1x2x2xui8>, %cs: tensor<1xf32>, %czp: tensor<1xui8>, %bias: tensor<1xi32>) -> tensor<1x3xf32> {
  %0 = kiln.quantize_linear %x, %s, %zp : (tensor<1x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3xui8>
  %1 = kiln.dequantize_linear %0, %s, %zp : (tensor<1x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3xf32>
  %2 = kiln.quantize_linear %x, %s : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xui8>
  %3:3 = kiln.dynamic_quantize_linear %x : (tensor<1x3xf32>) -> (tensor<1x3xui8>, tensor<f32>, tensor<ui8>)
  %4 = kiln.matmul_integer %a, %b lhs_zero_point %zp rhs_zero_point %zp : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<4x2xi32>
  %5 = kiln.matmul_integer %a, %b rhs_zero_point %zp : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>) -> tensor<4x2xi32>
  %6 = kiln.conv_integer %ci, %cw input_zero_point %zp {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>) -> tensor<1x1x2x2xi32>
  %7 = kiln.qlinear_matmul %a, %s, %zp, %b, %s, %zp, %s, %zp : (tensor<4x3xui8>, tensor<f32>, tensor<ui8>, tensor<3x2xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<4x2xui8>
  %8 = kiln.qlinear_conv %ci, %s, %zp, %cw, %cs, %czp, %s, %zp, %bias {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x2x2xui8>, tensor<1xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, tensor<1xi32>) -> tensor<1x1x2x2xui8>
  return %1 : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @quantized_types
// CHECK: %[[V0:.*]] = kiln.conv %[[ARG0:.*]], %[[ARG1:.*]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8x!quant.uniform<i8:f32, 1.000000e-01:2>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 5.000000e-02>>) -> tensor<1x4x6x6x!quant.uniform<i8:f32, 2.000000e-01:-1>>
// CHECK: return %[[V0]] : tensor<1x4x6x6x!quant.uniform<i8:f32, 2.000000e-01:-1>>
func.func @quantized_types(%x: tensor<1x3x8x8x!quant.uniform<i8:f32, 0.1:2>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<i8:f32, 0.2:-1>> {
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8x!quant.uniform<i8:f32, 0.1:2>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<i8:f32, 0.2:-1>>
  return %0 : tensor<1x4x6x6x!quant.uniform<i8:f32, 0.2:-1>>
}

// CHECK-LABEL: func.func @recurrent
// CHECK: %[[V0:.*]], %[[V1:.*]] = kiln.rnn %[[ARG0:.*]], %[[ARG1:.*]], %[[ARG2:.*]] sequence_lens %[[ARG7:.*]] {activation_alpha = array<f32: 0.000000e+00>, activation_beta = array<f32: 0.000000e+00>, activations = [#kiln.activation<tanh>], direction = #kiln.rnn_direction<forward>, hidden_size = 4 : i64} : (tensor<5x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, tensor<3xi32>) -> (tensor<5x1x3x4xf32>, tensor<1x3x4xf32>)
// CHECK: %[[V2:.*]], %[[V3:.*]] = kiln.gru %[[ARG0]], %[[ARG3:.*]], %[[ARG4:.*]] {activation_alpha = array<f32: 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00>, activation_beta = array<f32: 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00>, activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<sigmoid>, #kiln.activation<tanh>], direction = #kiln.rnn_direction<bidirectional>, hidden_size = 4 : i64, linear_before_reset = true} : (tensor<5x3x2xf32>, tensor<2x12x2xf32>, tensor<2x12x4xf32>) -> (tensor<5x2x3x4xf32>, tensor<2x3x4xf32>)
// CHECK: %[[V4:.*]], %[[V5:.*]], %[[V6:.*]] = kiln.lstm %[[ARG0]], %[[ARG5:.*]], %[[ARG6:.*]] initial_h %[[V1]] initial_c %[[V1]] {activation_alpha = array<f32: 0.000000e+00, 0.000000e+00, 0.000000e+00>, activation_beta = array<f32: 0.000000e+00, 0.000000e+00, 0.000000e+00>, activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>], clip = 3.000000e+00 : f32, direction = #kiln.rnn_direction<reverse>, hidden_size = 4 : i64} : (tensor<5x3x2xf32>, tensor<1x16x2xf32>, tensor<1x16x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> (tensor<5x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>)
// CHECK: return %[[V6]] : tensor<1x3x4xf32>
func.func @recurrent(%x: tensor<5x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>, %bw: tensor<2x12x2xf32>, %br: tensor<2x12x4xf32>,
                     %lw: tensor<1x16x2xf32>, %lr: tensor<1x16x4xf32>, %lens: tensor<3xi32>) -> tensor<1x3x4xf32> {
  %0:2 = kiln.rnn %x, %w, %r sequence_lens %lens {activation_alpha = array<f32: 0.000000e+00>, activation_beta = array<f32: 0.000000e+00>, activations = [#kiln.activation<tanh>], direction = #kiln.rnn_direction<forward>, hidden_size = 4 : i64} : (tensor<5x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, tensor<3xi32>) -> (tensor<5x1x3x4xf32>, tensor<1x3x4xf32>)
  %1:2 = kiln.gru %x, %bw, %br {activation_alpha = array<f32: 0.0, 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0, 0.0>, activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<sigmoid>, #kiln.activation<tanh>], direction = #kiln.rnn_direction<bidirectional>, hidden_size = 4 : i64, linear_before_reset = true} : (tensor<5x3x2xf32>, tensor<2x12x2xf32>, tensor<2x12x4xf32>) -> (tensor<5x2x3x4xf32>, tensor<2x3x4xf32>)
  %2:3 = kiln.lstm %x, %lw, %lr initial_h %0#1 initial_c %0#1 {activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>, activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>], clip = 3.000000e+00 : f32, direction = #kiln.rnn_direction<reverse>, hidden_size = 4 : i64} : (tensor<5x3x2xf32>, tensor<1x16x2xf32>, tensor<1x16x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> (tensor<5x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>)
  return %2#2 : tensor<1x3x4xf32>
}

// CHECK-LABEL: func.func @control_flow
// CHECK: %[[V0:.*]] = kiln.if %[[ARG0:.*]] -> (tensor<?xf32>) {
// CHECK: %[[V1:.*]] = tensor.cast %[[ARG1:.*]] : tensor<5xf32> to tensor<?xf32>
// CHECK: kiln.yield %[[V1]] : tensor<?xf32>
// CHECK: } else {
// CHECK: %[[V2:.*]] = kiln.neg %[[ARG2:.*]] : tensor<3xf32> -> tensor<3xf32>
// CHECK: %[[V1]] = tensor.cast %[[V2]] : tensor<3xf32> to tensor<?xf32>
// CHECK: kiln.yield %[[V1]] : tensor<?xf32>
// CHECK: } : tensor<1xi1>
// CHECK: return %[[V0]] : tensor<?xf32>
func.func @control_flow(%c: tensor<1xi1>, %a: tensor<5xf32>, %b: tensor<3xf32>) -> tensor<?xf32> {
  %0 = kiln.if %c -> (tensor<?xf32>) {
    %w = tensor.cast %a : tensor<5xf32> to tensor<?xf32>
    kiln.yield %w : tensor<?xf32>
  } else {
    %n = kiln.neg %b : tensor<3xf32> -> tensor<3xf32>
    %w = tensor.cast %n : tensor<3xf32> to tensor<?xf32>
    kiln.yield %w : tensor<?xf32>
  } : tensor<1xi1>
  return %0 : tensor<?xf32>
}

// CHECK-LABEL: func.func @loop
// CHECK-NEXT: %[[V0:.*]]:2 = kiln.loop max_trip_count %[[ARG0:.*]] carried(%[[ARG1:.*]] : tensor<2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>) {
// CHECK-NEXT: ^bb0(%[[I:.*]]: tensor<i64>, %[[C:.*]]: tensor<i1>, %[[Y:.*]]: tensor<2xf32>):
// CHECK-NEXT: %[[V1:.*]] = kiln.add %[[Y]], %[[Y]] : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: kiln.yield %[[C]], %[[V1]], %[[Y]] : tensor<i1>, tensor<2xf32>, tensor<2xf32>
// CHECK-NEXT: } : tensor<i64>
// CHECK-NEXT: return %[[V0]]#1 : tensor<?x2xf32>
func.func @loop(%n: tensor<i64>, %y: tensor<2xf32>) -> tensor<?x2xf32> {
  %0:2 = kiln.loop max_trip_count %n carried(%y : tensor<2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %y_in: tensor<2xf32>):
    %next = kiln.add %y_in, %y_in : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    kiln.yield %c, %next, %y_in : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  } : tensor<i64>
  return %0#1 : tensor<?x2xf32>
}
