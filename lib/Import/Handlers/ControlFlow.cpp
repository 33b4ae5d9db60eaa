//===- ControlFlow.cpp - handlers for If ----------------------------------===//

#include "lib/Import/GraphImporter.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

/// The most specific type both branch results fit: dimensions that differ
/// become dynamic.
Type generalize(Type a, Type b) {
  auto ta = llvm::cast<RankedTensorType>(a), tb = llvm::cast<RankedTensorType>(b);
  if (ta.getRank() != tb.getRank() || ta.getElementType() != tb.getElementType())
    return {};
  SmallVector<int64_t> shape;
  for (auto [x, y] : llvm::zip(ta.getShape(), tb.getShape()))
    shape.push_back(x == y ? x : ShapedType::kDynamic);
  return ta.clone(shape);
}

LogicalResult importIf(NodeImporter &n) {
  const auto *thenAttr = n.attr("then_branch");
  const auto *elseAttr = n.attr("else_branch");
  if (!thenAttr || !elseAttr || !thenAttr->has_g() || !elseAttr->has_g())
    return n.emitError() << "expects then_branch and else_branch graphs";
  // Build the branches in a detached op first: result types come from what
  // they yield.
  OperationState state(n.loc, IfOp::getOperationName());
  state.addOperands(n.input(0));
  Region *thenRegion = state.addRegion();
  Region *elseRegion = state.addRegion();
  if (failed(n.graph.importBranch(thenAttr->g(), *thenRegion, n.opset)) ||
      failed(n.graph.importBranch(elseAttr->g(), *elseRegion, n.opset)))
    return failure();
  auto thenYield = llvm::cast<YieldOp>(thenRegion->front().getTerminator());
  auto elseYield = llvm::cast<YieldOp>(elseRegion->front().getTerminator());
  if (thenYield.getNumOperands() != elseYield.getNumOperands())
    return n.emitError() << "branches yield different numbers of values";
  for (auto [a, b] : llvm::zip(thenYield.getOperandTypes(), elseYield.getOperandTypes())) {
    Type type = generalize(a, b);
    if (!type)
      return n.unsupported("If branches yielding values of different ranks or types");
    state.addTypes(type);
  }
  // Each branch yields exactly the result types.
  for (auto yield : {thenYield, elseYield}) {
    OpBuilder::InsertionGuard guard(n.builder);
    n.builder.setInsertionPoint(yield);
    for (auto [operand, type] : llvm::zip(yield->getOpOperands(), state.types))
      if (operand.get().getType() != type)
        operand.set(tensor::CastOp::create(n.builder, n.loc, type, operand.get()));
  }
  Operation *op = n.builder.create(state);
  if (failed(mlir::verify(op)))
    return failure();
  return n.setResults(op->getResults());
}

} // namespace

void registerControlFlowHandlers(HandlerRegistry &r) { r.add("If", importIf); }

} // namespace mlir::kiln::import
