//===- DistinctResults.cpp - one value per result of @main ----------------===//

#include "codegen/Library/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNDISTINCTRESULTS
#include "codegen/Library/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

struct KilnDistinctResultsPass
    : public mlir::kiln::impl::KilnDistinctResultsBase<KilnDistinctResultsPass> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    main.walk([](func::ReturnOp ret) {
      OpBuilder builder(ret);
      llvm::SmallDenseSet<Value> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto tensor = llvm::dyn_cast<RankedTensorType>(value.getType());
        if (!tensor || seen.insert(value).second)
          continue;
        // A copy into a fresh buffer (its sizes come from the source).
        operand.set(bufferization::AllocTensorOp::create(
            builder, ret.getLoc(), tensor, /*dynamicSizes=*/ValueRange(),
            /*copy=*/value));
      }
    });
  }
};

} // namespace
