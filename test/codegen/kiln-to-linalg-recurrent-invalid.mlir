// RUN: kiln-opt %s --kiln-to-linalg --split-input-file --verify-diagnostics

// Configurations the recurrent lowerings reject: the pattern fails with the
// reason, and the conversion then reports the op as not legalized.

// A clip threshold must be positive: [-clip, clip] is empty otherwise.
func.func @rnn_negative_clip(%x: tensor<4x3x2xf32>, %w: tensor<1x5x2xf32>, %r: tensor<1x5x5xf32>) -> tensor<1x3x5xf32> {
  // expected-error @+1 {{expects a positive clip threshold, got -1}}
  %y, %yh = kiln.rnn %x, %w, %r {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<tanh>], activation_alpha = array<f32: 0.0>,
      activation_beta = array<f32: 0.0>, clip = -1.0 : f32}
      : (tensor<4x3x2xf32>, tensor<1x5x2xf32>, tensor<1x5x5xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %yh : tensor<1x3x5xf32>
}

// -----

// The verifier does not check the initial states; the lowering does before
// reading them.
func.func @gru_bad_initial_h(%x: tensor<4x3x2xf32>, %w: tensor<1x15x2xf32>, %r: tensor<1x15x5xf32>, %h: tensor<1x2x5xf32>) -> tensor<1x3x5xf32> {
  // expected-error @+1 {{expects initial_h of shape [1, 3, 5], got 'tensor<1x2x5xf32>'}}
  %y, %yh = kiln.gru %x, %w, %r initial_h %h {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0>}
      : (tensor<4x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, tensor<1x2x5xf32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %yh : tensor<1x3x5xf32>
}

// -----

// Batch-major initial states are [batch, dirs, hidden].
func.func @lstm_bad_initial_c_layout(%x: tensor<3x4x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>, %c: tensor<1x3x3xf32>) -> tensor<3x1x3xf32> {
  // expected-error @+1 {{expects initial_c of shape [3, 1, 3], got 'tensor<1x3x3xf32>'}}
  %y, %yh, %yc = kiln.lstm %x, %w, %r initial_c %c {hidden_size = 3 : i64, direction = #kiln.rnn_direction<forward>, layout = 1 : i64,
      activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>],
      activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>}
      : (tensor<3x4x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, tensor<1x3x3xf32>)
      -> (tensor<3x4x1x3xf32>, tensor<3x1x3xf32>, tensor<3x1x3xf32>)
  return %yc : tensor<3x1x3xf32>
}

// -----

// sequence_lens has one length per batch entry.
func.func @rnn_bad_sequence_lens(%x: tensor<4x3x2xf32>, %w: tensor<1x5x2xf32>, %r: tensor<1x5x5xf32>, %l: tensor<4xi32>) -> tensor<1x3x5xf32> {
  // expected-error @+1 {{expects sequence_lens of shape [3], got 'tensor<4xi32>'}}
  %y, %yh = kiln.rnn %x, %w, %r sequence_lens %l {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<tanh>], activation_alpha = array<f32: 0.0>,
      activation_beta = array<f32: 0.0>}
      : (tensor<4x3x2xf32>, tensor<1x5x2xf32>, tensor<1x5x5xf32>, tensor<4xi32>) -> (tensor<4x1x3x5xf32>, tensor<1x3x5xf32>)
  return %yh : tensor<1x3x5xf32>
}

// -----

// Arithmetic runs in f32 or f64; other float formats are not lowered.
func.func @rnn_f8(%x: tensor<4x3x2xf8E4M3FN>, %w: tensor<1x5x2xf8E4M3FN>, %r: tensor<1x5x5xf8E4M3FN>) -> tensor<1x3x5xf8E4M3FN> {
  // expected-error @+1 {{lowers only f16, bf16, f32 and f64 layers, got 'tensor<4x3x2xf8E4M3FN>'}}
  %y, %yh = kiln.rnn %x, %w, %r {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
      activations = [#kiln.activation<tanh>], activation_alpha = array<f32: 0.0>,
      activation_beta = array<f32: 0.0>}
      : (tensor<4x3x2xf8E4M3FN>, tensor<1x5x2xf8E4M3FN>, tensor<1x5x5xf8E4M3FN>) -> (tensor<4x1x3x5xf8E4M3FN>, tensor<1x3x5xf8E4M3FN>)
  return %yh : tensor<1x3x5xf8E4M3FN>
}
