//===- Pipeline.cpp - the graph-level pipeline and pass registration ------===//

#include "passes/Graph/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::kiln;

void mlir::kiln::buildKilnGraphPipeline(OpPassManager &pm,
                                        const GraphPipelineOptions &options) {
  // Folding and type refinement feed each other (Shape of a refined value
  // folds, a folded shape refines a reshape), so canonicalization runs to a
  // fixed point before and after the structural passes.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createKilnRecognizeActivations());
  if (options.foldBatchNorm)
    pm.addPass(createKilnFoldBatchNorm());
  pm.addPass(createKilnRemoveIdentity());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createKilnDeadCodeElimination());
  pm.addNestedPass<func::FuncOp>(createKilnInferShapes());
  pm.addPass(createCSEPass());
}

void mlir::kiln::registerKilnGraphPipeline() {
  PassPipelineRegistration<>(
      "kiln-graph-pipeline",
      "Fold constants and shape arithmetic, fold batch norms, remove "
      "identities and dead code, and make shapes static",
      [](OpPassManager &pm) { buildKilnGraphPipeline(pm); });
}
