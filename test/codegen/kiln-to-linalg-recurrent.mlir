// RUN: kiln-opt %s --kiln-to-linalg --split-input-file | FileCheck %s

// RNN: the input projection of every step (X W^T + Wb + Rb) is one
// reduction before the loop; the loop over the sequence carries the state
// (as 1xBxH) and Y, multiplies the state by R^T, applies the activation and
// inserts the step's output into Y at the step's index.
// CHECK-LABEL: func.func @rnn_forward
// CHECK-SAME: (%[[X:.*]]: tensor<4x3x2xf32>, %[[W:.*]]: tensor<1x5x2xf32>, %[[R:.*]]: tensor<1x5x5xf32>, %[[B:.*]]: tensor<1x10xf32>)
// CHECK-DAG: %[[Y0:.*]] = tensor.empty() : tensor<4x1x3x5xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[WB:.*]] = tensor.extract_slice %[[B]][0, 0] [1, 5] [1, 1] : tensor<1x10xf32> to tensor<5xf32>
// CHECK-DAG: %[[RB:.*]] = tensor.extract_slice %[[B]][0, 5] [1, 5] [1, 1] : tensor<1x10xf32> to tensor<5xf32>
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%[[WB]], %[[RB]] : tensor<5xf32>, tensor<5xf32>) outs(%{{.*}} : tensor<4x3x5xf32>)
// CHECK: arith.addf
// CHECK: %[[PROJ:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<4x3x2xf32>, tensor<1x5x2xf32>) outs(%[[BIAS]] : tensor<4x3x5xf32>)
// CHECK: %[[H0:.*]] = linalg.fill {{.*}} -> tensor<1x3x5xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %[[C0]] to %[[C4]] step %[[C1]] iter_args(%[[H:.*]] = %[[H0]], %[[Y:.*]] = %[[Y0]]) -> (tensor<1x3x5xf32>, tensor<4x1x3x5xf32>)
// CHECK: %[[XT:.*]] = tensor.extract_slice %[[PROJ]][%[[T]], 0, 0] [1, 3, 5] [1, 1, 1] : tensor<4x3x5xf32> to tensor<3x5xf32>
// CHECK: %[[HT:.*]] = tensor.extract_slice %[[H]][0, 0, 0] [1, 3, 5] [1, 1, 1] : tensor<1x3x5xf32> to tensor<3x5xf32>
// CHECK: %[[RT:.*]] = tensor.extract_slice %[[R]][0, 0, 0] [1, 5, 5] [1, 1, 1] : tensor<1x5x5xf32> to tensor<5x5xf32>
// CHECK: %[[HR:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[HT]], %[[RT]] : tensor<3x5xf32>, tensor<5x5xf32>)
// CHECK: %[[NEW:.*]] = linalg.generic
// CHECK-SAME: ins(%[[XT]], %[[HR]]
// CHECK: arith.addf
// CHECK-NEXT: math.tanh
// CHECK: %[[HN:.*]] = tensor.insert_slice %[[NEW]] into %[[H]][0, 0, 0] [1, 3, 5] [1, 1, 1] : tensor<3x5xf32> into tensor<1x3x5xf32>
// CHECK: %[[YN:.*]] = tensor.insert_slice %[[NEW]] into %[[Y]][%[[T]], 0, 0, 0] [1, 1, 3, 5] [1, 1, 1, 1] : tensor<3x5xf32> into tensor<4x1x3x5xf32>
// CHECK: scf.yield %[[HN]], %[[YN]]
// CHECK: %[[LAST:.*]] = tensor.extract_slice %[[LOOP]]#0
// CHECK: %[[YH:.*]] = tensor.insert_slice %[[LAST]] into %{{.*}}[0, 0, 0] [1, 3, 5] [1, 1, 1] : tensor<3x5xf32> into tensor<1x3x5xf32>
// CHECK: return %[[LOOP]]#1, %[[YH]]
// CHECK-NOT: kiln.
func.func @rnn_forward(%x: tensor<4x3x2xf32>, %w: tensor<1x5x2xf32>, %r: tensor<1x5x5xf32>, %b: tensor<1x10xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>) {
  %y, %yh = kiln.rnn %x, %w, %r bias %b {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<tanh>], activation_alpha = array<f32: 0.0>,
      activation_beta = array<f32: 0.0>}
      : (tensor<4x3x2xf32>, tensor<1x5x2xf32>, tensor<1x5x5xf32>, tensor<1x10xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %y, %yh : tensor<4x1x3x5xf32>, tensor<1x3x5xf32>
}

// -----

// Without bias the projection starts from zeros; clip bounds the
// activation's input; an unused Y is not computed (no insert into it).
// CHECK-LABEL: func.func @rnn_clip_unused_y
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK-SAME: -> tensor<4x3x5xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[ZERO]] : tensor<4x3x5xf32>)
// CHECK: scf.for {{.*}} -> (tensor<1x3x5xf32>) {
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.maximumf
// CHECK-NOT: tensor<4x1x3x5xf32>
// CHECK: scf.yield
func.func @rnn_clip_unused_y(%x: tensor<4x3x2xf32>, %w: tensor<1x5x2xf32>, %r: tensor<1x5x5xf32>) -> tensor<1x3x5xf32> {
  %y, %yh = kiln.rnn %x, %w, %r {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<relu>], activation_alpha = array<f32: 0.0>,
      activation_beta = array<f32: 0.0>, clip = 2.5 : f32}
      : (tensor<4x3x2xf32>, tensor<1x5x2xf32>, tensor<1x5x5xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %yh : tensor<1x3x5xf32>
}

// -----

// Bidirectional GRU: one loop per direction, the backward one walking t from
// the end; each writes its half of Y (threaded through both loops) and of
// Y_h. Without
// linear_before_reset, (r . H) R_h^T is a second product per step.
// CHECK-LABEL: func.func @gru_bidirectional
// CHECK-SAME: %[[IH:[^:]*]]: tensor<2x3x5xf32>
// CHECK: %[[FWD:.*]]:2 = scf.for %[[T:[^ ]*]] =
// CHECK: tensor.extract_slice %{{.*}}[%[[T]], 0, 0] [1, 3, 15] [1, 1, 1] : tensor<4x3x15xf32> to tensor<3x15xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 10, 5] [1, 1, 1] : tensor<2x15x5xf32> to tensor<10x5xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[ZR:.*]]:2 = linalg.generic
// CHECK: tensor.extract_slice %{{.*}}[0, 10, 0] [1, 5, 5] [1, 1, 1] : tensor<2x15x5xf32> to tensor<5x5xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[ZR]]#1
// CHECK: math.tanh
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[T]], 0, 0, 0] [1, 1, 3, 5] [1, 1, 1, 1] : tensor<3x5xf32> into tensor<4x2x3x5xf32>
// CHECK: scf.yield
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 3, 5] [1, 1, 1] : tensor<3x5xf32> into tensor<2x3x5xf32>
// CHECK: %[[BWD:.*]]:2 = scf.for %[[IV:[^ ]*]] = {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[FWD]]#1)
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[TB:.*]] = arith.subi %[[C3]], %[[IV]] : index
// CHECK: tensor.extract_slice %{{.*}}[%[[TB]], 0, 0] [1, 3, 15] [1, 1, 1] : tensor<4x3x15xf32> to tensor<3x15xf32>
// CHECK: tensor.extract_slice %{{.*}}[1, 0, 0] [1, 10, 5] [1, 1, 1] : tensor<2x15x5xf32> to tensor<10x5xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[TB]], 1, 0, 0] [1, 1, 3, 5] [1, 1, 1, 1] : tensor<3x5xf32> into tensor<4x2x3x5xf32>
// CHECK: scf.yield
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[1, 0, 0] [1, 3, 5] [1, 1, 1] : tensor<3x5xf32> into tensor<2x3x5xf32>
// CHECK: return %[[BWD]]#1
func.func @gru_bidirectional(%x: tensor<4x3x2xf32>, %w: tensor<2x15x2xf32>, %r: tensor<2x15x5xf32>, %h: tensor<2x3x5xf32>) -> (tensor<4x2x3x5xf32>, tensor<2x3x5xf32>) {
  %y, %yh = kiln.gru %x, %w, %r initial_h %h {hidden_size = 5 : i64, direction = #kiln.rnn_direction<bidirectional>,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<sigmoid>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0, 0.0>}
      : (tensor<4x3x2xf32>, tensor<2x15x2xf32>, tensor<2x15x5xf32>, tensor<2x3x5xf32>) -> (tensor<4x2x3x5xf32>, tensor<2x3x5xf32>)
  return %y, %yh : tensor<4x2x3x5xf32>, tensor<2x3x5xf32>
}

// -----

// GRU with linear_before_reset: one product per step; Rbh stays out of the
// projection's bias and is added to the candidate's product.
// CHECK-LABEL: func.func @gru_linear_before_reset
// CHECK: linalg.generic
// CHECK: linalg.index 2 : index
// CHECK: arith.cmpi sge
// CHECK: arith.select
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: } -> tensor<3x15xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 25] [1, 5] [1, 1] : tensor<1x30xf32> to tensor<5xf32>
// CHECK-NOT: "reduction"
// CHECK: scf.yield
func.func @gru_linear_before_reset(%x: tensor<4x3x2xf32>, %w: tensor<1x15x2xf32>, %r: tensor<1x15x5xf32>, %b: tensor<1x30xf32>) -> tensor<1x3x5xf32> {
  %y, %yh = kiln.gru %x, %w, %r bias %b {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0>, linear_before_reset = true}
      : (tensor<4x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, tensor<1x30xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %yh : tensor<1x3x5xf32>
}

// -----

// LSTM, reverse, batch-major, with sequence_lens and peepholes: the states
// of a batch entry at t >= its length are kept and Y gets zeros there; Y's
// slice goes to [b, t, dir, :].
// CHECK-LABEL: func.func @lstm_masked_batch_major
// CHECK-SAME: %[[LENS:[^:]*]]: tensor<3xi32>
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[IV:[^ ]*]] = {{.*}} -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<3x5x1x4xf32>)
// CHECK: %[[T:.*]] = arith.subi %{{.*}}, %[[IV]] : index
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: } -> tensor<3x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [1, 4] [1, 1] : tensor<1x12xf32> to tensor<4xf32>
// CHECK: %[[T64:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK: %[[STEP:.*]]:3 = linalg.generic
// CHECK-SAME: %[[LENS]]
// CHECK: %[[LEN:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[VALID:.*]] = arith.cmpi slt, %[[T64]], %[[LEN]] : i64
// CHECK: arith.select %[[VALID]]
// CHECK: arith.select %[[VALID]]
// CHECK: arith.select %[[VALID]]
// CHECK: tensor.insert_slice %[[STEP]]#2 into %{{.*}}[0, %[[T]], 0, 0] [3, 1, 1, 4] [1, 1, 1, 1] : tensor<3x4xf32> into tensor<3x5x1x4xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [3, 1, 4] [1, 1, 1] : tensor<3x4xf32> into tensor<3x1x4xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [3, 1, 4] [1, 1, 1] : tensor<3x4xf32> into tensor<3x1x4xf32>
func.func @lstm_masked_batch_major(%x: tensor<3x5x2xf32>, %w: tensor<1x16x2xf32>, %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>, %l: tensor<3xi32>, %h: tensor<3x1x4xf32>, %c: tensor<3x1x4xf32>, %p: tensor<1x12xf32>) -> (tensor<3x5x1x4xf32>, tensor<3x1x4xf32>, tensor<3x1x4xf32>) {
  %y, %yh, %yc = kiln.lstm %x, %w, %r bias %b sequence_lens %l initial_h %h initial_c %c peepholes %p {hidden_size = 4 : i64, direction = #kiln.rnn_direction<reverse>, layout = 1 : i64,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>}
      : (tensor<3x5x2xf32>, tensor<1x16x2xf32>, tensor<1x16x4xf32>, tensor<1x32xf32>, tensor<3xi32>, tensor<3x1x4xf32>, tensor<3x1x4xf32>, tensor<1x12xf32>)
      -> (tensor<3x5x1x4xf32>, tensor<3x1x4xf32>, tensor<3x1x4xf32>)
  return %y, %yh, %yc : tensor<3x5x1x4xf32>, tensor<3x1x4xf32>, tensor<3x1x4xf32>
}

// -----

// f16 layers compute in f32: operands are extended where they are read and
// the results truncated at the end.
// CHECK-LABEL: func.func @lstm_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: scf.for
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: scf.yield
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: -> tensor<1x1x3x3xf16>
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: -> tensor<1x3x3xf16>
func.func @lstm_f16(%x: tensor<1x3x2xf16>, %w: tensor<1x12x2xf16>, %r: tensor<1x12x3xf16>) -> (tensor<1x1x3x3xf16>, tensor<1x3x3xf16>, tensor<1x3x3xf16>) {
  %y, %yh, %yc = kiln.lstm %x, %w, %r {hidden_size = 3 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>}
      : (tensor<1x3x2xf16>, tensor<1x12x2xf16>, tensor<1x12x3xf16>)
      -> (tensor<1x1x3x3xf16>, tensor<1x3x3xf16>, tensor<1x3x3xf16>)
  return %y, %yh, %yc : tensor<1x1x3x3xf16>, tensor<1x3x3xf16>, tensor<1x3x3xf16>
}
