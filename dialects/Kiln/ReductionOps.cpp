//===- ReductionOps.cpp - reductions, arg-reductions, top-k and scans -----===//

#include "dialects/Kiln/ConstantFolding.h"
#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnReductionOps.cpp.inc"

/// The shape after reducing `axes` (kept as 1 with keepdims).
static Shape reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                          bool keepdims) {
  Shape result;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    if (!llvm::is_contained(axes, i))
      result.push_back(shape[i]);
    else if (keepdims)
      result.push_back(1);
  }
  return result;
}

static LogicalResult verifyAxes(Operation *op, ArrayRef<int64_t> axes,
                                int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return op->emitOpError() << "expects axes in [0, " << rank << "), got "
                               << axes[i];
    if (i > 0 && axes[i] <= axes[i - 1])
      return op->emitOpError("expects sorted, unique axes");
  }
  return success();
}

namespace {
enum class ReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

/// Evaluates a reduction over `axes` of a constant. Integer inputs are
/// reduced in int64 (wrapping); floats in double.
Attribute foldReduction(Attribute input, ArrayRef<int64_t> axes, bool keepdims,
                        RankedTensorType resultType, ReduceKind kind) {
  std::optional<ConstantValues> in = readConstant(input);
  if (!in)
    return {};
  ArrayRef<int64_t> shape = in->type.getShape();
  Shape outShape = reducedShape(shape, axes, /*keepdims=*/true);
  int64_t outCount = shapeProduct(outShape);
  int64_t total = shapeProduct(shape);
  if (total == 0 && (kind == ReduceKind::Max || kind == ReduceKind::Min))
    return {};
  auto type = RankedTensorType::get(reducedShape(shape, axes, keepdims),
                                    resultType.getElementType());
  // Each input element contributes to the output whose coordinates are its
  // own with the reduced axes zeroed.
  SmallVector<int64_t> outStrides = rowMajorStrides(outShape);
  SmallVector<int64_t> index(shape.size(), 0);
  auto outIndexOf = [&]() {
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      if (outShape[d] != 1 || shape[d] == 1)
        flat += index[d] * outStrides[d];
    return flat;
  };
  auto advance = [&]() {
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        return;
      index[d] = 0;
    }
  };
  int64_t groupSize = outCount ? total / outCount : 0;
  if (in->isFloat) {
    double init = kind == ReduceKind::Max   ? -INFINITY
                  : kind == ReduceKind::Min ? INFINITY
                  : kind == ReduceKind::Prod ? 1.0
                                             : 0.0;
    std::vector<double> acc(outCount, init);
    for (int64_t i = 0; i < total; ++i, advance()) {
      double x = in->floatAt(i);
      double &a = acc[outIndexOf()];
      switch (kind) {
      case ReduceKind::Sum: case ReduceKind::Mean: case ReduceKind::LogSum: a += x; break;
      case ReduceKind::Max: a = std::isnan(x) || std::isnan(a) ? NAN : std::max(a, x); break;
      case ReduceKind::Min: a = std::isnan(x) || std::isnan(a) ? NAN : std::min(a, x); break;
      case ReduceKind::Prod: a *= x; break;
      case ReduceKind::L1: a += std::fabs(x); break;
      case ReduceKind::L2: case ReduceKind::SumSquare: a += x * x; break;
      case ReduceKind::LogSumExp: a += std::exp(x); break;
      }
    }
    for (double &a : acc) {
      if (kind == ReduceKind::Mean) a = groupSize ? a / groupSize : NAN;
      if (kind == ReduceKind::L2) a = std::sqrt(a);
      if (kind == ReduceKind::LogSum || kind == ReduceKind::LogSumExp) a = std::log(a);
    }
    return writeConstant(type, ArrayRef<double>(acc));
  }
  if (kind == ReduceKind::LogSum || kind == ReduceKind::LogSumExp ||
      kind == ReduceKind::L2)
    return {};
  bool isUnsigned = in->isUnsigned;
  int64_t init = kind == ReduceKind::Max
                     ? (isUnsigned ? 0 : std::numeric_limits<int64_t>::min())
                 : kind == ReduceKind::Min
                     ? (isUnsigned ? -1 : std::numeric_limits<int64_t>::max())
                 : kind == ReduceKind::Prod ? 1
                                            : 0;
  std::vector<int64_t> acc(outCount, init);
  for (int64_t i = 0; i < total; ++i, advance()) {
    int64_t x = in->intAt(i);
    int64_t &a = acc[outIndexOf()];
    auto u = [](int64_t v) { return static_cast<uint64_t>(v); };
    switch (kind) {
    case ReduceKind::Sum: case ReduceKind::Mean: a = int64_t(u(a) + u(x)); break;
    case ReduceKind::Max: a = isUnsigned ? int64_t(std::max(u(a), u(x))) : std::max(a, x); break;
    case ReduceKind::Min: a = isUnsigned ? int64_t(std::min(u(a), u(x))) : std::min(a, x); break;
    case ReduceKind::Prod: a = int64_t(u(a) * u(x)); break;
    case ReduceKind::L1: a = int64_t(u(a) + u(x < 0 && !isUnsigned ? -x : x)); break;
    case ReduceKind::SumSquare: a = int64_t(u(a) + u(x) * u(x)); break;
    default: break;
    }
  }
  if (kind == ReduceKind::Mean)
    for (int64_t &a : acc)
      a = groupSize ? a / groupSize : 0;
  return writeConstant(type, ArrayRef<int64_t>(acc));
}
} // namespace

#define KILN_REDUCE(OP, KIND)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    auto input = rankedType(adaptor.getInput());                               \
    for (int64_t axis : adaptor.getAxes())                                     \
      if (axis < 0 || axis >= input.getRank())                                 \
        return inferenceError(loc, "reduction axis out of range");             \
    results.push_back(RankedTensorType::get(                                   \
        reducedShape(input.getShape(), adaptor.getAxes(),                      \
                     adaptor.getKeepdims()),                                   \
        input.getElementType()));                                              \
    return success();                                                          \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    return verifyAxes(*this, getAxes(), getInput().getType().getRank());       \
  }                                                                            \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    if (getAxes().empty() && getInput().getType() == getType() &&              \
        ReduceKind::KIND != ReduceKind::L1 &&                                  \
        ReduceKind::KIND != ReduceKind::L2 &&                                  \
        ReduceKind::KIND != ReduceKind::SumSquare &&                           \
        ReduceKind::KIND != ReduceKind::LogSum &&                              \
        ReduceKind::KIND != ReduceKind::LogSumExp)                             \
      return getInput();                                                       \
    return foldReduction(adaptor.getInput(), getAxes(), getKeepdims(),         \
                         getType(), ReduceKind::KIND);                         \
  }
KILN_REDUCE(ReduceSumOp, Sum)
KILN_REDUCE(ReduceMeanOp, Mean)
KILN_REDUCE(ReduceMaxOp, Max)
KILN_REDUCE(ReduceMinOp, Min)
KILN_REDUCE(ReduceProdOp, Prod)
KILN_REDUCE(ReduceL1Op, L1)
KILN_REDUCE(ReduceL2Op, L2)
KILN_REDUCE(ReduceSumSquareOp, SumSquare)
KILN_REDUCE(ReduceLogSumOp, LogSum)
KILN_REDUCE(ReduceLogSumExpOp, LogSumExp)
#undef KILN_REDUCE

//===----------------------------------------------------------------------===//
// Arg reductions and top-k
//===----------------------------------------------------------------------===//

#define KILN_ARG_REDUCE(OP)                                                    \
  LogicalResult OP::inferReturnTypes(MLIRContext *context,                     \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    auto input = rankedType(adaptor.getInput());                               \
    int64_t axis = adaptor.getAxis();                                          \
    if (axis < 0 || axis >= std::max<int64_t>(input.getRank(), 1))            \
      return inferenceError(loc, "axis out of range");                         \
    results.push_back(RankedTensorType::get(                                   \
        reducedShape(input.getShape(), {axis}, adaptor.getKeepdims()),         \
        IntegerType::get(context, 64)));                                       \
    return success();                                                          \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    return verifyAxes(*this, {getAxis()}, getInput().getType().getRank());     \
  }
KILN_ARG_REDUCE(ArgMaxOp)
KILN_ARG_REDUCE(ArgMinOp)
#undef KILN_ARG_REDUCE

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       TopKOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return inferenceError(loc, "axis out of range");
  Shape shape(input.getShape());
  std::optional<int64_t> k = getConstantScalarInt(adaptor.getK());
  if (k && *k < 0)
    return inferenceError(loc, "expects k >= 0");
  shape[axis] = k ? *k : ShapedType::kDynamic;
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  results.push_back(RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult TopKOp::verify() {
  if (failed(verifyAxes(*this, {getAxis()}, getInput().getType().getRank())))
    return failure();
  auto kType = getK().getType();
  if (kType.getRank() > 1 || (kType.hasStaticShape() && kType.getNumElements() != 1))
    return emitOpError("expects a one-element k");
  std::optional<int64_t> k = getConstantScalarInt(getK());
  int64_t extent = getInput().getType().getDimSize(getAxis());
  if (k && !ShapedType::isDynamic(extent) && *k > extent)
    return emitOpError() << "k (" << *k << ") exceeds the axis extent ("
                         << extent << ")";
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location>,
                                         CumSumOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult CumSumOp::verify() {
  auto axisType = getAxis().getType();
  if (axisType.getRank() > 1 ||
      (axisType.hasStaticShape() && axisType.getNumElements() != 1))
    return emitOpError("expects a scalar axis");
  if (std::optional<int64_t> axis = getConstantScalarInt(getAxis())) {
    int64_t rank = getInput().getType().getRank();
    if (*axis < -rank || *axis >= rank)
      return emitOpError() << "axis " << *axis << " out of range for rank "
                           << rank;
  }
  return success();
}
