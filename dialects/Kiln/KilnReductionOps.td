//===- KilnReductionOps.td - reductions, arg-reductions, top-k, scans ---===//

#ifndef KILN_REDUCTION_OPS_TD
#define KILN_REDUCTION_OPS_TD

include "dialects/Kiln/KilnBase.td"

// Reduces over `axes` (sorted, unique, non-negative). An empty list reduces
// nothing: ONNX's "all axes" default is made explicit by the importer.
class Kiln_ReduceOp<string mnemonic, string summaryText, string formula,
                    Type tensorType = Kiln_Tensor>
    : Kiln_Op<mnemonic> {
  let summary = summaryText;
  let description = "Reduces `input` over `axes` with `" # formula # "`. "
    # "With `keepdims` the reduced dimensions stay as 1, otherwise they are "
    # "dropped. `axes` is sorted, unique and non-negative; the importer makes "
    # "ONNX's default (all axes) explicit.\n\n"
    # "```mlir\n%y = kiln." # mnemonic # " %x {axes = array<i64: 2, 3>, "
    # "keepdims = true} : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32>\n```";
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs tensorType:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ReduceSumOp : Kiln_ReduceOp<"reduce_sum", "Sum reduction", "sum(x)">;
def Kiln_ReduceMeanOp : Kiln_ReduceOp<"reduce_mean", "Mean reduction", "mean(x)">;
def Kiln_ReduceMaxOp : Kiln_ReduceOp<"reduce_max", "Maximum reduction", "max(x)">;
def Kiln_ReduceMinOp : Kiln_ReduceOp<"reduce_min", "Minimum reduction", "min(x)">;
def Kiln_ReduceProdOp : Kiln_ReduceOp<"reduce_prod", "Product reduction", "prod(x)">;
def Kiln_ReduceL1Op : Kiln_ReduceOp<"reduce_l1", "L1-norm reduction", "sum(|x|)">;
def Kiln_ReduceL2Op : Kiln_ReduceOp<"reduce_l2", "L2-norm reduction",
    "sqrt(sum(x^2))">;
def Kiln_ReduceSumSquareOp : Kiln_ReduceOp<"reduce_sum_square",
    "Sum-of-squares reduction", "sum(x^2)">;
def Kiln_ReduceLogSumOp : Kiln_ReduceOp<"reduce_log_sum",
    "Log-of-sum reduction", "log(sum(x))", Kiln_FloatTensor>;
def Kiln_ReduceLogSumExpOp : Kiln_ReduceOp<"reduce_log_sum_exp",
    "Log-sum-exp reduction", "log(sum(exp(x)))", Kiln_FloatTensor>;

class Kiln_ArgReduceOp<string mnemonic, string summaryText, string what>
    : Kiln_Op<mnemonic> {
  let summary = summaryText;
  let description = "Yields the i64 index of the " # what # " along `axis`; "
    # "ties resolve to the first occurrence, or the last with "
    # "`select_last_index`.\n\n"
    # "```mlir\n%i = kiln." # mnemonic # " %x {axis = 1 : i64, keepdims = false} : "
    # "(tensor<1x1000xf32>) -> tensor<1xi64>\n```";
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs Kiln_I64Tensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ArgMaxOp : Kiln_ArgReduceOp<"arg_max", "Index of the maximum", "maximum">;
def Kiln_ArgMinOp : Kiln_ArgReduceOp<"arg_min", "Index of the minimum", "minimum">;

def Kiln_TopKOp : Kiln_Op<"top_k"> {
  let summary = "The k largest or smallest elements along an axis";
  let description = [{
    Yields the `k` largest (or smallest, without `largest`) values along `axis`
    and their i64 indices. With `sorted` they are in order (ties by lower
    index first). `k` is a one-element i64 tensor; the result extent along
    `axis` is static when `k` is a constant.

    ```mlir
    %v, %i = kiln.top_k %x, %k {axis = 1 : i64, largest = true, sorted = true}
        : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x3xf32>, tensor<3x3xi64>)
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$k, Kiln_I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Kiln_Tensor:$values, Kiln_I64Tensor:$indices);
  let assemblyFormat = [{
    $input `,` $k attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_CumSumOp : Kiln_Op<"cumsum"> {
  let summary = "Cumulative sum along an axis";
  let description = [{
    Running sum along the dimension given by the scalar `axis` operand
    (negative counts from the end). `exclusive` leaves out the element
    itself; `reverse` sums from the end.

    ```mlir
    %y = kiln.cumsum %x, %axis {exclusive = false, reverse = false}
        : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $axis attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // KILN_REDUCTION_OPS_TD
