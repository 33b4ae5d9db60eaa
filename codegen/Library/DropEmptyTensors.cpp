//===- DropEmptyTensors.cpp - no buffers for tensors without elements -----===//

#include "codegen/Library/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNDROPEMPTYTENSORS
#include "codegen/Library/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

bool isEmptyTensor(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getNumElements() == 0;
}

struct KilnDropEmptyTensorsPass
    : public mlir::kiln::impl::KilnDropEmptyTensorsBase<KilnDropEmptyTensorsPass> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    OpBuilder builder = OpBuilder::atBlockBegin(&main.getBody().front());
    llvm::BitVector args(main.getNumArguments());
    for (BlockArgument arg : main.getArguments()) {
      if (!isEmptyTensor(arg.getType()))
        continue;
      auto type = llvm::cast<RankedTensorType>(arg.getType());
      arg.replaceAllUsesWith(tensor::EmptyOp::create(
          builder, main.getLoc(), type.getShape(), type.getElementType()));
      args.set(arg.getArgNumber());
    }
    llvm::BitVector results(main.getNumResults());
    for (auto [i, type] : llvm::enumerate(main.getResultTypes()))
      if (isEmptyTensor(type))
        results.set(i);
    if (results.any())
      main.walk([&](func::ReturnOp ret) {
        for (int i = results.size() - 1; i >= 0; --i)
          if (results.test(i))
            ret->eraseOperand(i);
      });
    if (failed(main.eraseArguments(args)) || failed(main.eraseResults(results)))
      signalPassFailure();
  }
};

} // namespace
