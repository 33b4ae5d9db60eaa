//===- Passes.td - lowering kiln to upstream MLIR dialects ---------------===//

#ifndef KILN_CODEGEN_LINALG_PASSES_TD
#define KILN_CODEGEN_LINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnToLinalg : Pass<"kiln-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower kiln ops to linalg, tensor, arith, math and scf on "
                "statically shaped tensors";
  let description = [{
    Every kiln op becomes upstream ops on tensors: named or generic linalg
    ops for computation, tensor ops for data movement, scf for control
    flow. Unsigned element types become signless ones (arithmetic picks
    signed or unsigned forms from the kiln types); function arguments and
    results that were unsigned keep a `kiln.unsigned` attribute so that the
    library's metadata can still say so.

    Before converting anything, the pass checks the whole module and
    reports at once every op that cannot be lowered: ops with dynamic
    shapes (give them with `kilnc --input-shape`) and op types without a
    lowering, each with its count and first location.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // KILN_CODEGEN_LINALG_PASSES_TD
