//===- KilnControlFlowOps.td - data-dependent control flow ---------------===//

#ifndef KILN_CONTROL_FLOW_OPS_TD
#define KILN_CONTROL_FLOW_OPS_TD

include "dialects/Kiln/KilnBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Kiln_IfOp : Kiln_BaseOp<"if", [
    RecursiveMemoryEffects, NoRegionArguments,
    SingleBlockImplicitTerminator<"::mlir::kiln::YieldOp">,
    DeclareOpInterfaceMethods<RegionBranchOpInterface>]> {
  let summary = "Choose one of two subgraphs by a boolean scalar";
  let description = [{
    Runs `then_branch` when the one-element i1 `condition` is true and
    `else_branch` otherwise; each ends in `kiln.yield` with values of exactly
    the result types (a `tensor.cast` generalizes a more static value).
    Branches may use any value defined above the op.

    ```mlir
    %y = kiln.if %c -> (tensor<5xf32>) {
      kiln.yield %a : tensor<5xf32>
    } else {
      kiln.yield %b : tensor<5xf32>
    }
    ```
  }];
  let arguments = (ins Kiln_BoolTensor:$condition);
  let results = (outs Variadic<Kiln_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch, SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $condition (`->` `(` type($outputs)^ `)`)? $then_branch `else` $else_branch
    attr-dict `:` type($condition)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Kiln_LoopOp : Kiln_BaseOp<"loop", [
    RecursiveMemoryEffects, AttrSizedOperandSegments]> {
  let summary = "Iterate a subgraph with loop-carried values (ONNX Loop)";
  let description = [{
    Runs `body` while the iteration count is below `max_trip_count` (if
    given) and the condition holds (the `condition` operand before the first
    iteration, then the body's first yielded value). The body's block takes
    the iteration number (i64 scalar), the condition (i1 scalar) and the
    loop-carried values; it yields the next condition, the next carried
    values and any number of scan outputs. The op's results are the final
    carried values followed by the scan outputs, each stacked along a new
    leading dimension (one entry per iteration).

    ```mlir
    %y, %scan = kiln.loop max_trip_count %n condition %c carried(%y0 : tensor<1xf32>)
        -> (tensor<1xf32>, tensor<?x1xf32>) {
    ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y_in: tensor<1xf32>):
      %y_out = kiln.add %y_in, %y_in : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
      kiln.yield %cond, %y_out, %y_out : tensor<i1>, tensor<1xf32>, tensor<1xf32>
    } : tensor<i64>, tensor<i1>
    ```
  }];
  let arguments = (ins Optional<Kiln_I64Tensor>:$max_trip_count,
                       Optional<Kiln_BoolTensor>:$condition,
                       Variadic<Kiln_Tensor>:$initial);
  let results = (outs Variadic<Kiln_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max_trip_count` $max_trip_count^)? (`condition` $condition^)?
    (`carried` `(` $initial^ `:` type($initial) `)`)? `->` `(` type($outputs) `)`
    $body attr-dict (`:` type($max_trip_count)^)? (`,` type($condition)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The number of loop-carried values (the rest of the results are scan
    /// outputs).
    unsigned getNumCarried() { return getInitial().size(); }
  }];
}

def Kiln_YieldOp : Kiln_BaseOp<"yield", [
    ReturnLike, Terminator, ParentOneOf<["::mlir::kiln::IfOp", "::mlir::kiln::LoopOp"]>]> {
  let summary = "Terminate a kiln region with its results";
  let description = [{
    ```mlir
    kiln.yield %a, %b : tensor<5xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$operands);
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
  let assemblyFormat = "($operands^ `:` type($operands))? attr-dict";
}

#endif // KILN_CONTROL_FLOW_OPS_TD
