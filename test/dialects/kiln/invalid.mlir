// Verifier and type-inference errors of kiln ops.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @binary_mismatched_elements(%a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+1 {{expects operands of one element type, got 'f32' and 'f16'}}
  %0 = kiln.add %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @binary_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{operand shapes do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @result_contradicts_inference(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.relu %a : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @float_mod_needs_fmod(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{on floats requires fmod = true}}
  %0 = kiln.mod %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @bit_shift_signed(%a: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{expects unsigned integer operands}}
  %0 = kiln.bit_shift %a, %a {direction = #kiln.shift_direction<left>} : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @clip_bound_type(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{expects the min bound to be of type 'f32', got 'i32'}}
  %0 = kiln.clip %a {min = 0 : i32} : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @where_branch_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) -> tensor<3xf32> {
  // expected-error @+1 {{expects both branches to have one element type}}
  %0 = kiln.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @cast_changes_shape(%a: tensor<3xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = kiln.cast %a : tensor<3xf32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @conv_window_attrs(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{expects 4 pads values for 2 spatial dimensions, got 2}}
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{expects the filter's input-channel extent to be 3, got 2}}
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{expects input channels (6) divisible by group (4)}}
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{expects a bias of 4 elements, got 5}}
  %0 = kiln.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{expects non-negative pads}}
  %0 = kiln.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: -1, -1, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<4x3xf32>, %b: tensor<2x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+2 {{contracted dimensions differ: 3 vs 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : (tensor<4x3xf32>, tensor<2x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @gemm_contraction(%a: tensor<4x3xf32>, %b: tensor<5x2xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{contracted dimensions differ: 3 vs 2}}
  %0 = kiln.gemm %a, %b {trans_b = true} : (tensor<4x3xf32>, tensor<5x2xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @einsum_equation(%a: tensor<4x3xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{malformed einsum equation 'ij'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.einsum %a {equation = "ij"} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{expects kernel_shape >= 1}}
  %0 = kiln.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 0, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<1x3x8x8xf32>, %p: tensor<4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{expects per-channel parameters of 3 elements, got 4}}
  %0 = kiln.batch_norm %x, %p, %p, %p, %p : (tensor<1x3x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{expects 0 <= axis < 2, got 2}}
  %0 = kiln.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_axes_order(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  // expected-error @+1 {{expects sorted, unique axes}}
  %0 = kiln.reduce_sum %x {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @top_k_too_many(%x: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %k = kiln.constant dense<5> : tensor<1xi64>
  // expected-error @+1 {{k (5) exceeds the axis extent (3)}}
  %v, %i = kiln.top_k %x, %k {axis = 1 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<2x5xf32>, tensor<2x5xi64>)
  return %v : tensor<2x5xf32>
}

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  %s = kiln.constant dense<7> : tensor<1xi64>
  // expected-error @+1 {{changes the element count from 6 to 7}}
  %0 = kiln.reshape %x, %s : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{squeezes dimension 0 of extent 2}}
  %0 = kiln.squeeze %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{expects perm to be a permutation of the input dimensions}}
  %0 = kiln.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @concat_ranks(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{concat operands differ in rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @split_sizes(%x: tensor<2x6xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{split sizes sum to 5, not the axis extent 6}}
  %0:2 = kiln.split %x {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>)
  return %0#0 : tensor<2x2xf32>
}

// -----

func.func @gather_index(%x: tensor<4xf32>) -> tensor<f32> {
  %i = kiln.constant dense<4> : tensor<i64>
  // expected-error @+1 {{index 4 out of range for extent 4}}
  %0 = kiln.gather %x, %i {axis = 0 : i64} : (tensor<4xf32>, tensor<i64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @pad_count(%x: tensor<2x3xf32>, %p: tensor<3xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{expects 4 pads}}
  %0 = kiln.pad %x, %p : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @resize_scales_and_sizes(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects exactly one of scales and sizes}}
  %0 = kiln.resize %x scales %s sizes %z {coordinate_transformation_mode = #kiln.coordinate_transform<half_pixel>, mode = #kiln.resize_mode<linear>} : (tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @constant_of_shape_negative() -> tensor<?xf32> {
  %s = kiln.constant dense<-2> : tensor<1xi64>
  // expected-error @+2 {{expects non-negative extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.constant_of_shape %s {value = 0.0 : f32} : (tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @quantize_per_channel(%x: tensor<2x3xf32>, %s: tensor<4xf32>) -> tensor<2x3xui8> {
  // expected-error @+1 {{expects 3 per-channel scales, got 4}}
  %0 = kiln.quantize_linear %x, %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

func.func @lstm_weights(%x: tensor<5x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x16x4xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{expects weights of shape [1, 16, 2], got 'tensor<1x12x2xf32>'}}
  %0:3 = kiln.lstm %x, %w, %r {activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>, activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>], direction = #kiln.rnn_direction<forward>, hidden_size = 4 : i64} : (tensor<5x3x2xf32>, tensor<1x12x2xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>)
  return %0#1 : tensor<1x3x4xf32>
}

// -----

func.func @if_yield_type(%c: tensor<1xi1>, %a: tensor<3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{branch yields 'tensor<3xf32>' for a result of type 'tensor<?xf32>'}}
  %0 = kiln.if %c -> (tensor<?xf32>) {
    kiln.yield %a : tensor<3xf32>
  } else {
    kiln.yield %a : tensor<3xf32>
  } : tensor<1xi1>
  return %0 : tensor<?xf32>
}

// -----

func.func @if_condition(%c: tensor<2xi1>, %a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{expects a one-element condition}}
  %0 = kiln.if %c -> (tensor<3xf32>) {
    kiln.yield %a : tensor<3xf32>
  } else {
    kiln.yield %a : tensor<3xf32>
  } : tensor<2xi1>
  return %0 : tensor<3xf32>
}

// -----

func.func @unranked_operand(%a: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = kiln.exp %a : tensor<*xf32> -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @loop_body_arguments(%n: tensor<i64>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{expects the body to take the iteration number, the condition and 1 carried values}}
  %0 = kiln.loop max_trip_count %n carried(%y : tensor<2xf32>) -> (tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %y_in: tensor<2xf32>):
    %c = kiln.constant dense<true> : tensor<i1>
    kiln.yield %c, %y_in : tensor<i1>, tensor<2xf32>
  } : tensor<i64>
  return %0 : tensor<2xf32>
}

// -----

func.func @loop_carried_type(%n: tensor<i64>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{carried value #0 has inconsistent types}}
  %0 = kiln.loop max_trip_count %n carried(%y : tensor<2xf32>) -> (tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %y_in: tensor<2xf32>):
    %z = kiln.concat %y_in, %y_in {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
    kiln.yield %c, %z : tensor<i1>, tensor<4xf32>
  } : tensor<i64>
  return %0 : tensor<2xf32>
}

// -----

func.func @loop_scan_rank(%n: tensor<i64>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{scan output #0 of type 'tensor<2xf32>' does not stack values of type 'tensor<2xf32>'}}
  %0:2 = kiln.loop max_trip_count %n carried(%y : tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %y_in: tensor<2xf32>):
    kiln.yield %c, %y_in, %y_in : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  } : tensor<i64>
  return %0#1 : tensor<2xf32>
}
