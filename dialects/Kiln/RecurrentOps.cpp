//===- RecurrentOps.cpp - RNN, GRU and LSTM layers ------------------------===//

#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnRecurrentOps.cpp.inc"

namespace {
/// The result types every recurrent layer shares: Y and `stateCount` last
/// states, in the layout the op uses.
template <typename Adaptor>
LogicalResult inferRecurrent(Adaptor adaptor, unsigned stateCount,
                             std::optional<Location> loc,
                             SmallVectorImpl<Type> &results) {
  auto x = rankedType(adaptor.getInput());
  if (x.getRank() != 3)
    return inferenceError(loc, "expects a 3-D input sequence");
  bool batchMajor = adaptor.getLayout() == 1;
  int64_t seq = x.getDimSize(batchMajor ? 1 : 0);
  int64_t batch = x.getDimSize(batchMajor ? 0 : 1);
  int64_t dirs = adaptor.getDirection() == RnnDirection::bidirectional ? 2 : 1;
  int64_t hidden = adaptor.getHiddenSize();
  Type element = x.getElementType();
  results.push_back(RankedTensorType::get(
      batchMajor ? Shape{batch, seq, dirs, hidden} : Shape{seq, dirs, batch, hidden},
      element));
  for (unsigned i = 0; i < stateCount; ++i)
    results.push_back(RankedTensorType::get(
        batchMajor ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden},
        element));
  return success();
}

/// Checks weight shapes against `gates` per direction and the activation
/// lists against `activationsPerDirection`.
template <typename OpTy>
LogicalResult verifyRecurrent(OpTy op, int64_t gates,
                              int64_t activationsPerDirection) {
  int64_t dirs = op.getDirection() == RnnDirection::bidirectional ? 2 : 1;
  int64_t hidden = op.getHiddenSize();
  if (hidden < 1)
    return op.emitOpError("expects hidden_size >= 1");
  if (op.getLayout() != 0 && op.getLayout() != 1)
    return op.emitOpError("expects layout 0 or 1");
  auto expect = [&](Value v, ArrayRef<int64_t> shape,
                    StringRef name) -> LogicalResult {
    if (!v)
      return success();
    if (failed(joinShapes(rankedType(v).getShape(), shape)))
      return op.emitOpError() << "expects " << name << " of shape ["
                              << llvm::make_range(shape.begin(), shape.end())
                              << "], got " << v.getType();
    return success();
  };
  if (op.getInput().getType().getRank() != 3)
    return op.emitOpError("expects a 3-D input sequence");
  int64_t inputSize = op.getInput().getType().getDimSize(2);
  if (failed(expect(op.getWeights(), {dirs, gates * hidden, inputSize}, "weights")) ||
      failed(expect(op.getRecurrence(), {dirs, gates * hidden, hidden}, "recurrence")) ||
      failed(expect(op.getBias(), {dirs, 2 * gates * hidden}, "bias")))
    return failure();
  size_t count = dirs * activationsPerDirection;
  if (op.getActivations().size() != count ||
      op.getActivationAlpha().size() != count ||
      op.getActivationBeta().size() != count)
    return op.emitOpError() << "expects " << count
                            << " activations with their alpha and beta";
  return success();
}
} // namespace

LogicalResult RnnOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      RnnOp::Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferRecurrent(adaptor, 1, loc, results);
}

LogicalResult RnnOp::verify() { return verifyRecurrent(*this, 1, 1); }

LogicalResult GruOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      GruOp::Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferRecurrent(adaptor, 1, loc, results);
}

LogicalResult GruOp::verify() { return verifyRecurrent(*this, 3, 2); }

LogicalResult LstmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       LstmOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  return inferRecurrent(adaptor, 2, loc, results);
}

LogicalResult LstmOp::verify() {
  if (failed(verifyRecurrent(*this, 4, 3)))
    return failure();
  if (getPeepholes()) {
    int64_t dirs = getDirection() == RnnDirection::bidirectional ? 2 : 1;
    if (failed(joinShapes(getPeepholes().getType().getShape(),
                          {dirs, 3 * getHiddenSize()})))
      return emitOpError("expects peepholes of shape [dirs, 3 * hidden]");
  }
  return success();
}
