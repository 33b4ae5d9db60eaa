//===- DeadCodeElimination.cpp - erase unused side-effect-free ops --------===//

#include "passes/Graph/Passes.h"

#include "mlir/IR/Iterators.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNDEADCODEELIMINATION
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {
struct KilnDeadCodeEliminationPass
    : public kiln::impl::KilnDeadCodeEliminationBase<
          KilnDeadCodeEliminationPass> {
  void runOnOperation() override {
    // Post-order with blocks walked backwards visits every user before its
    // producers, so one walk removes whole dead chains.
    getOperation()->walk<WalkOrder::PostOrder, ReverseIterator>(
        [](Operation *op) {
          if (isOpTriviallyDead(op))
            op->erase();
        });
  }
};
} // namespace
