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

def Kiln_YieldOp : Kiln_BaseOp<"yield", [
    ReturnLike, Terminator, ParentOneOf<["::mlir::kiln::IfOp"]>]> {
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
