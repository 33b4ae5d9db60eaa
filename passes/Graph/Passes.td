//===- Passes.td - graph-level cleanup passes on the kiln dialect --------===//

#ifndef KILN_PASSES_GRAPH_PASSES_TD
#define KILN_PASSES_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnFoldBatchNorm : Pass<"kiln-fold-batchnorm"> {
  let summary = "Fold inference batch normalization into the constant weights "
                "and bias of a preceding conv, conv_transpose, gemm or matmul";
  let description = [{
    `batch_norm(conv(x, W, b))` becomes `conv(x, W * s, (b - mean) * s + beta)`
    with `s = scale / sqrt(var + epsilon)` per output channel, when the
    weights and the normalization parameters are constants and the
    producer has no other user. Gemm folds into B and C; a 2-D matmul becomes
    a matmul on scaled weights plus a bias add. A multiplication or addition
    of a conv or conv_transpose (its only use) by a float constant that is
    one value or one per output channel (shape `[C,1,1]`, `[1,C,1,1]`)
    folds the same way, as an affine of the channels
    (`conv(x, W, b) * s + t` becomes `conv(x, W * s, b * s + t)`, as in
    PaddleOCR's learnable affine layers and its detector's bias-less
    conv_transpose followed by a bias add). Batch norms that do not
    follow such a producer are left alone; with `remarks`, each one left
    gets a remark saying why.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for every batch norm that is not folded">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def KilnRecognizeActivations : Pass<"kiln-recognize-activations"> {
  let summary = "Activations written as elementwise ops become one op";
  let description = [{
    `x * clip(x + 3, 0, 6) / 6`, and the same times `1/6`, in either operand
    order, becomes `kiln.hard_swish(x)` when every op in it has x's type
    (no broadcast of x). The ops it replaces are left for dead-code
    elimination when nothing else uses them. A single activation op is one
    pass over the tensor instead of four, and the CPU kernels apply it in a
    convolution's epilogue.
  }];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def KilnPropagateTransposes : Pass<"kiln-propagate-transposes"> {
  let summary = "Move transposes past elementwise ops and concats, and "
                "cancel the ones that meet";
  let description = [{
    `op(transpose(a, p), transpose(b, p))` becomes `transpose(op(a, b), p)`
    for every elementwise op whose tensor operands are all transposes by the
    same permutation `p` with the result's shape (no broadcast), including
    `quant.qcast` and `quant.dcast`, and
    `concat(transpose(a, p), transpose(b, p), axis)` becomes
    `transpose(concat(a, b, p[axis]), p)`. Transposes that meet compose
    into one, and an identity transpose folds away. A layout pass that
    wraps each kernel in transposes to and from its layout (such as
    `kiln-cpu-microkernels{layout=nhwc}`) leaves transposes only where the
    layout really changes: at the model's inputs and outputs and around
    ops without a kernel in that layout.
  }];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def KilnRemoveIdentity : Pass<"kiln-remove-identity"> {
  let summary = "Erase identity and inference-mode dropout ops, forwarding "
                "their operands to their users";
  let dependentDialects = ["::mlir::kiln::KilnDialect",
                           "::mlir::tensor::TensorDialect"];
}

def KilnDeadCodeElimination : Pass<"kiln-dce"> {
  let summary = "Erase side-effect-free ops whose results are unused, inside "
                "regions too";
  let description = [{
    Removes every operation that has no side effects and no used results,
    visiting users before producers so that whole dead subgraphs (branches
    of a graph that reach no output, shape computations that folded away)
    go in one pass.
  }];
}

def KilnInferShapes : Pass<"kiln-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Refine result types to the static shapes kiln ops infer and "
                "make function results as static as their returned values";
  let description = [{
    Visits ops in order and replaces each kiln op's result types by the more
    static types it infers from its operands (after folding made shape
    operands constant). Values that flow into `func.return` through a
    `tensor.cast` from a more static type are returned directly and the
    function's result types are updated.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

#endif // KILN_PASSES_GRAPH_PASSES_TD
