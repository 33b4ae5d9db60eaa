//===- InferShapes.cpp - make result types and signatures static ----------===//

#include "passes/Graph/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNINFERSHAPES
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {
struct KilnInferShapesPass
    : public mlir::kiln::impl::KilnInferShapesBase<KilnInferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    // Operands precede their users in a block, so one pre-order walk sees
    // every refinement before the ops that depend on it.
    func.walk<WalkOrder::PreOrder>(
        [&](Operation *op) { refineResultTypes(op, rewriter); });
    if (func.isExternal())
      return;
    // Return the more static value where a cast only widened it for the
    // signature, and update the signature.
    SmallVector<Type> results;
    for (Block &block : func.getBody()) {
      auto ret = llvm::dyn_cast<func::ReturnOp>(block.getTerminator());
      if (!ret)
        continue;
      for (OpOperand &operand : ret->getOpOperands()) {
        if (auto cast = operand.get().getDefiningOp<tensor::CastOp>()) {
          auto source = llvm::dyn_cast<RankedTensorType>(cast.getSource().getType());
          auto dest = llvm::dyn_cast<RankedTensorType>(cast.getType());
          if (source && dest && source.getRank() == dest.getRank() &&
              source.getNumDynamicDims() < dest.getNumDynamicDims())
            operand.set(cast.getSource());
        }
      }
      if (results.empty())
        results.assign(ret.getOperandTypes().begin(), ret.getOperandTypes().end());
      else if (TypeRange(results) != ret.getOperandTypes())
        return; // several returns disagree; leave the signature alone
    }
    func.setFunctionType(FunctionType::get(
        &getContext(), func.getArgumentTypes(), results));
    // Casts whose only user was the return are dead now.
    func.walk([](tensor::CastOp cast) {
      if (cast->use_empty())
        cast->erase();
    });
  }
};
} // namespace
