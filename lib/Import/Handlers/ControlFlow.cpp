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
  if (failed(n.graph.importRegion(thenAttr->g(), *thenRegion, {}, n.opset)) ||
      failed(n.graph.importRegion(elseAttr->g(), *elseRegion, {}, n.opset)))
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

/// Loop: the body is imported with the initial values' types for the
/// carried values; where the body yields other extents, those dimensions
/// become dynamic and the body is imported once more.
LogicalResult importLoop(NodeImporter &n) {
  const auto *bodyAttr = n.attr("body");
  if (!bodyAttr || !bodyAttr->has_g())
    return n.emitError() << "expects a body graph";
  const onnx::GraphProto &body = bodyAttr->g();
  Value trip = n.input(0), cond = n.input(1);
  SmallVector<Value> initial;
  for (unsigned i = 2; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.emitError() << "loop-carried input " << i - 2 << " is missing";
    initial.push_back(n.input(i));
  }
  SmallVector<Type> carried(ValueRange(initial).getTypes());
  Type i64 = RankedTensorType::get({}, n.builder.getI64Type());
  Type i1 = RankedTensorType::get({}, n.builder.getI1Type());
  for (int attempt = 0; attempt < 2; ++attempt) {
    OperationState state(n.loc, LoopOp::getOperationName());
    if (trip)
      state.addOperands(trip);
    if (cond)
      state.addOperands(cond);
    state.addOperands(initial);
    state.addAttribute("operandSegmentSizes",
                       n.builder.getDenseI32ArrayAttr(
                           {trip ? 1 : 0, cond ? 1 : 0,
                            static_cast<int32_t>(initial.size())}));
    Region *region = state.addRegion();
    SmallVector<Type> argTypes{i64, i1};
    argTypes.append(carried);
    if (failed(n.graph.importRegion(body, *region, argTypes, n.opset,
                                    /*trustTypes=*/false)))
      return failure();
    auto yield = llvm::cast<YieldOp>(region->front().getTerminator());
    if (yield.getNumOperands() < 1 + carried.size())
      return n.emitError() << "the body yields fewer values than it carries";
    // Carried values whose extents the body changes become dynamic; the
    // body is then imported again with those types (`state` drops this one).
    bool changed = false;
    for (unsigned i = 0; i < carried.size(); ++i) {
      Type yielded = yield.getOperand(1 + i).getType();
      if (areCompatibleReturnTypes(carried[i], yielded) &&
          llvm::cast<RankedTensorType>(carried[i]).getNumDynamicDims() <=
              llvm::cast<RankedTensorType>(yielded).getNumDynamicDims())
        continue;
      Type general = generalize(carried[i], yielded);
      if (!general)
        return n.unsupported("a Loop whose carried value changes rank or type");
      changed |= general != carried[i];
      carried[i] = general;
    }
    if (changed)
      continue;
    {
      OpBuilder::InsertionGuard guard(n.builder);
      n.builder.setInsertionPoint(yield);
      for (unsigned i = 0; i < carried.size(); ++i) {
        OpOperand &operand = yield->getOpOperand(1 + i);
        if (operand.get().getType() != carried[i])
          operand.set(tensor::CastOp::create(n.builder, n.loc, carried[i],
                                             operand.get()));
      }
    }
    state.addTypes(carried);
    for (Value scan : yield.getOperands().drop_front(1 + carried.size())) {
      auto type = llvm::cast<RankedTensorType>(scan.getType());
      SmallVector<int64_t> shape{ShapedType::kDynamic};
      shape.append(type.getShape().begin(), type.getShape().end());
      state.addTypes(type.clone(shape));
    }
    Operation *op = n.builder.create(state);
    if (failed(mlir::verify(op)))
      return failure();
    return n.setResults(op->getResults());
  }
  return n.emitError() << "the loop-carried types do not settle";
}

} // namespace

void registerControlFlowHandlers(HandlerRegistry &r) {
  r.add("If", importIf);
  r.add("Loop", importLoop);
}

} // namespace mlir::kiln::import
