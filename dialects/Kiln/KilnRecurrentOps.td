//===- KilnRecurrentOps.td - RNN, GRU and LSTM layers --------------------===//

#ifndef KILN_RECURRENT_OPS_TD
#define KILN_RECURRENT_OPS_TD

include "dialects/Kiln/KilnBase.td"

// Operands and attributes shared by the three recurrent layers; shapes follow
// ONNX with `layout` 0 (sequence-major): X is [seq, batch, input],
// W [dirs, gates*hidden, input], R [dirs, gates*hidden, hidden],
// B [dirs, 2*gates*hidden], initial states [dirs, batch, hidden]. With
// `layout` 1, X, Y and the states are batch-major.
class Kiln_RecurrentOp<string mnemonic, string summaryText, string doc,
                       dag extraOperands, dag extraAttrs, dag extraResults,
                       string extraOperandFormat = "">
    : Kiln_Op<mnemonic, [AttrSizedOperandSegments]> {
  let summary = summaryText;
  let description = doc;
  let arguments = !con(
      (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$weights,
           Kiln_FloatTensor:$recurrence, Optional<Kiln_FloatTensor>:$bias,
           Optional<RankedTensorOf<[I32]>>:$sequence_lens,
           Optional<Kiln_FloatTensor>:$initial_h),
      extraOperands,
      (ins Kiln_I64Attr:$hidden_size, Kiln_RnnDirectionAttr:$direction,
           TypedArrayAttrBase<Kiln_ActivationAttr, "activation list">:$activations,
           DenseF32ArrayAttr:$activation_alpha,
           DenseF32ArrayAttr:$activation_beta,
           OptionalAttr<F32Attr>:$clip,
           DefaultValuedAttr<Kiln_I64Attr, "0">:$layout),
      extraAttrs);
  // Y is [seq, dirs, batch, hidden] (layout 0); the last states are
  // [dirs, batch, hidden]. All are always computed: each is cheap next to Y.
  let results = !con((outs Kiln_FloatTensor:$y, Kiln_FloatTensor:$y_h),
                     extraResults);
  let assemblyFormat = "$input `,` $weights `,` $recurrence (`bias` $bias^)? "
    # "(`sequence_lens` $sequence_lens^)? (`initial_h` $initial_h^)? "
    # extraOperandFormat # " attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_RnnOp : Kiln_RecurrentOp<"rnn", "Simple recurrent layer", [{
    `H_t = f(X_t * W^T + H_{t-1} * R^T + Wb + Rb)` with one activation per
    direction.

    ```mlir
    %y, %yh = kiln.rnn %x, %w, %r {hidden_size = 4 : i64, direction = #kiln.rnn_direction<forward>,
        activations = [#kiln.activation<tanh>], activation_alpha = array<f32: 0.0>,
        activation_beta = array<f32: 0.0>}
        : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
    ```
  }], (ins), (ins), (outs)>;

def Kiln_GruOp : Kiln_RecurrentOp<"gru", "Gated recurrent unit layer", [{
    The GRU of ONNX with gates z, r, h (in that order in W, R and B) and two
    activations per direction (gates, then candidate).
    `linear_before_reset` applies R's candidate product before the reset gate.

    ```mlir
    %y, %yh = kiln.gru %x, %w, %r {hidden_size = 5 : i64, direction = #kiln.rnn_direction<forward>,
        activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>],
        activation_alpha = array<f32: 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0>}
        : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
    ```
  }], (ins), (ins DefaultValuedAttr<BoolAttr, "false">:$linear_before_reset),
  (outs)>;

def Kiln_LstmOp : Kiln_RecurrentOp<"lstm", "Long short-term memory layer", [{
    The LSTM of ONNX with gates i, o, f, c (in that order in W, R and B),
    three activations per direction (gates, cell, hidden), optional peephole
    weights `peepholes` [dirs, 3*hidden] and coupled input/forget gates with
    `input_forget`.

    ```mlir
    %y, %yh, %yc = kiln.lstm %x, %w, %r {hidden_size = 3 : i64, direction = #kiln.rnn_direction<forward>,
        activations = [#kiln.activation<sigmoid>, #kiln.activation<tanh>, #kiln.activation<tanh>],
        activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>}
        : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>)
        -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
    ```
  }], (ins Optional<Kiln_FloatTensor>:$initial_c, Optional<Kiln_FloatTensor>:$peepholes),
  (ins DefaultValuedAttr<BoolAttr, "false">:$input_forget),
  (outs Kiln_FloatTensor:$y_c),
  "(`initial_c` $initial_c^)? (`peepholes` $peepholes^)?">;

#endif // KILN_RECURRENT_OPS_TD
