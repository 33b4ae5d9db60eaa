//===- Passes.h - graph-level cleanup passes on the kiln dialect ----------===//

#ifndef KILN_PASSES_GRAPH_PASSES_H
#define KILN_PASSES_GRAPH_PASSES_H

#include "dialects/Kiln/KilnDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir {
class RewritePatternSet;
namespace kiln {

#define GEN_PASS_DECL
#include "passes/Graph/Passes.h.inc"

/// Patterns behind the passes, for pipelines that combine them.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);
void populateRemoveIdentityPatterns(RewritePatternSet &patterns);

/// Options of the graph-level pipeline that `kilnc --emit=kiln` runs.
struct GraphPipelineOptions {
  /// Fold batch normalization into preceding convolutions and gemms.
  bool foldBatchNorm = true;
};

/// Cleans up imported IR: folds constants and shape arithmetic, folds batch
/// norms, removes identities and dead code, and makes types static.
void buildKilnGraphPipeline(OpPassManager &pm,
                            const GraphPipelineOptions &options = {});

/// Registers `kiln-graph-pipeline` with the pass registry.
void registerKilnGraphPipeline();

#define GEN_PASS_REGISTRATION
#include "passes/Graph/Passes.h.inc"

} // namespace kiln
} // namespace mlir

#endif // KILN_PASSES_GRAPH_PASSES_H
