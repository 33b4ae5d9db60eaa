//===- NNOps.cpp - convolution, matrix, pooling and normalization ops -----===//

#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnNNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared window logic
//===----------------------------------------------------------------------===//

/// Output shape [N, channels, windowed spatial...] of a convolution or pool.
static FailureOr<Shape> inferWindowedShape(
    RankedTensorType input, int64_t channels, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<int64_t> pads, bool ceilMode, std::optional<Location> loc) {
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1)
    return inferenceError(loc, "expects an input of rank >= 3 (N x C x spatial)");
  if (static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return inferenceError(loc, "expects kernel, strides and dilations with one "
                               "value per spatial dimension and pads with two");
  Shape shape{input.getDimSize(0), channels};
  for (int64_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || dilations[i] < 1)
      return inferenceError(loc, "expects strides and dilations >= 1");
    shape.push_back(windowOutputSize(input.getDimSize(i + 2), kernel[i],
                                     strides[i], dilations[i], pads[i],
                                     pads[i + spatial], ceilMode));
  }
  return shape;
}

LogicalResult mlir::kiln::verifyConvOperands(Operation *op, RankedTensorType input,
                                             RankedTensorType filter, Value bias,
                                             int64_t group, bool transposed) {
  if (group < 1)
    return op->emitOpError("expects group >= 1");
  if (input.getRank() < 3)
    return op->emitOpError("expects an input of rank >= 3 (N x C x spatial)");
  if (filter.getRank() != input.getRank())
    return op->emitOpError() << "expects a filter of the input's rank ("
                             << input.getRank() << "), got " << filter.getRank();
  int64_t channels = input.getDimSize(1);
  // conv: filter is M x C/group x K..; conv_transpose: C x M/group x K..
  int64_t filterChannels = transposed ? filter.getDimSize(0) : filter.getDimSize(1);
  int64_t expected = transposed ? channels
                                : (ShapedType::isDynamic(channels)
                                       ? ShapedType::kDynamic
                                       : channels / group);
  if (!transposed && !ShapedType::isDynamic(channels) && channels % group != 0)
    return op->emitOpError() << "expects input channels (" << channels
                             << ") divisible by group (" << group << ")";
  if (!ShapedType::isDynamic(expected) &&
      !ShapedType::isDynamic(filterChannels) && expected != filterChannels)
    return op->emitOpError()
           << "expects the filter's input-channel extent to be " << expected
           << ", got " << filterChannels;
  int64_t outChannels = transposed ? (ShapedType::isDynamic(filter.getDimSize(1))
                                          ? ShapedType::kDynamic
                                          : filter.getDimSize(1) * group)
                                   : filter.getDimSize(0);
  if (!transposed && !ShapedType::isDynamic(outChannels) &&
      outChannels % group != 0)
    return op->emitOpError() << "expects output channels (" << outChannels
                             << ") divisible by group (" << group << ")";
  if (bias) {
    auto biasType = rankedType(bias);
    if (biasType.getRank() != 1)
      return op->emitOpError("expects a 1-D bias");
    if (!ShapedType::isDynamic(outChannels) &&
        !ShapedType::isDynamic(biasType.getDimSize(0)) &&
        biasType.getDimSize(0) != outChannels)
      return op->emitOpError() << "expects a bias of " << outChannels
                               << " elements, got " << biasType.getDimSize(0);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       ConvOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (input.getRank() < 3 || filter.getRank() != input.getRank())
    return inferenceError(loc, "expects input and filter of one rank >= 3");
  FailureOr<Shape> shape = inferWindowedShape(
      input, filter.getDimSize(0), filter.getShape().drop_front(2),
      adaptor.getStrides(), adaptor.getDilations(), adaptor.getPads(),
      /*ceilMode=*/false, loc);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

LogicalResult ConvOp::verify() {
  auto input = getInput().getType();
  if (failed(verifyWindowAttrs(*this, input.getRank() - 2, getStrides(),
                               getDilations(), getPads())))
    return failure();
  return verifyConvOperands(*this, input, getFilter().getType(), getBias(),
                            getGroup(), /*transposed=*/false);
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult ConvTransposeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, ConvTransposeOp::Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1 || filter.getRank() != input.getRank())
    return inferenceError(loc, "expects input and filter of one rank >= 3");
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    pads = adaptor.getPads(),
                    outputPadding = adaptor.getOutputPadding();
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outputPadding.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return inferenceError(loc, "expects window attributes with one value per "
                               "spatial dimension (pads two)");
  int64_t group = adaptor.getGroup();
  int64_t perGroup = filter.getDimSize(1);
  Shape shape{input.getDimSize(0), ShapedType::isDynamic(perGroup)
                                       ? ShapedType::kDynamic
                                       : perGroup * group};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t size = input.getDimSize(i + 2), kernel = filter.getDimSize(i + 2);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out = strides[i] * (size - 1) + outputPadding[i] +
                  dilations[i] * (kernel - 1) + 1 - pads[i] - pads[i + spatial];
    if (out < 0)
      return inferenceError(loc, "padding exceeds the transposed output");
    shape.push_back(out);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  auto input = getInput().getType();
  int64_t spatial = input.getRank() - 2;
  if (failed(verifyWindowAttrs(*this, spatial, getStrides(), getDilations(),
                               getPads())))
    return failure();
  if (static_cast<int64_t>(getOutputPadding().size()) != spatial)
    return emitOpError() << "expects " << spatial << " output_padding values";
  for (int64_t i = 0; i < spatial; ++i)
    if (getOutputPadding()[i] < 0)
      return emitOpError("expects non-negative output_padding");
  return verifyConvOperands(*this, input, getFilter().getType(), getBias(),
                            getGroup(), /*transposed=*/true);
}

//===----------------------------------------------------------------------===//
// MatMulOp and GemmOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         MatMulOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  if (lhs.getRank() < 1 || rhs.getRank() < 1)
    return inferenceError(loc, "expects operands of rank >= 1");
  Shape a(lhs.getShape()), b(rhs.getShape());
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);
  int64_t ka = a.back(), kb = b[b.size() - 2];
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return inferenceError(loc, "contracted dimensions differ: " +
                                   llvm::Twine(ka) + " vs " + llvm::Twine(kb));
  FailureOr<Shape> batch =
      broadcastShapes(ArrayRef<int64_t>(a).drop_back(2),
                      ArrayRef<int64_t>(b).drop_back(2));
  if (failed(batch))
    return inferenceError(loc, "batch dimensions do not broadcast");
  Shape shape = *batch;
  if (!lhsVector)
    shape.push_back(a[a.size() - 2]);
  if (!rhsVector)
    shape.push_back(b.back());
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       GemmOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto a = rankedType(adaptor.getA());
  auto b = rankedType(adaptor.getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return inferenceError(loc, "expects 2-D operands");
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  results.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult GemmOp::verify() {
  if (getA().getType().getRank() != 2 || getB().getType().getRank() != 2)
    return emitOpError("expects 2-D operands");
  int64_t ka = getA().getType().getDimSize(getTransA() ? 0 : 1);
  int64_t kb = getB().getType().getDimSize(getTransB() ? 1 : 0);
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contracted dimensions differ: " << ka << " vs "
                         << kb;
  if (getC()) {
    auto c = getC().getType();
    if (c.getRank() > 2 ||
        failed(broadcastShapes(c.getShape(), getType().getShape())) ||
        failed(joinShapes(*broadcastShapes(c.getShape(), getType().getShape()),
                          getType().getShape())))
      return emitOpError() << "expects c to broadcast to the result, got " << c;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// EinsumOp
//===----------------------------------------------------------------------===//

namespace {
/// A parsed einsum term: subscripts with -1 marking the ellipsis position.
struct EinsumTerm {
  SmallVector<int> labels; // character codes; -1 = "..."
  bool hasEllipsis() const { return llvm::is_contained(labels, -1); }
};

FailureOr<SmallVector<EinsumTerm>> parseEinsum(StringRef equation,
                                               EinsumTerm &output) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);
  size_t arrow = text.find("->");
  if (arrow == std::string::npos)
    return failure();
  auto parseTerm = [](StringRef term) -> FailureOr<EinsumTerm> {
    EinsumTerm result;
    for (size_t i = 0; i < term.size();) {
      if (term.substr(i).starts_with("...")) {
        if (result.hasEllipsis())
          return failure();
        result.labels.push_back(-1);
        i += 3;
      } else if (llvm::isAlpha(term[i])) {
        result.labels.push_back(term[i++]);
      } else {
        return failure();
      }
    }
    return result;
  };
  SmallVector<EinsumTerm> inputs;
  SmallVector<StringRef> parts;
  StringRef(text).substr(0, arrow).split(parts, ',');
  for (StringRef part : parts) {
    FailureOr<EinsumTerm> term = parseTerm(part);
    if (failed(term))
      return failure();
    inputs.push_back(*term);
  }
  FailureOr<EinsumTerm> out = parseTerm(StringRef(text).substr(arrow + 2));
  if (failed(out))
    return failure();
  output = *out;
  return inputs;
}
} // namespace

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         EinsumOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  EinsumTerm output;
  FailureOr<SmallVector<EinsumTerm>> terms =
      parseEinsum(adaptor.getEquation(), output);
  if (failed(terms))
    return inferenceError(loc, "malformed einsum equation '" +
                                   adaptor.getEquation() + "'");
  if (terms->size() != adaptor.getInputs().size() || terms->empty())
    return inferenceError(loc, "einsum equation and operand count differ");
  llvm::DenseMap<int, int64_t> sizes;
  Shape ellipsis;
  for (auto [term, value] : llvm::zip(*terms, adaptor.getInputs())) {
    auto type = rankedType(value);
    int64_t named = term.labels.size() - (term.hasEllipsis() ? 1 : 0);
    int64_t ellipsisRank = type.getRank() - named;
    if (ellipsisRank < 0 || (!term.hasEllipsis() && ellipsisRank != 0))
      return inferenceError(loc, "einsum term rank does not match its operand");
    int64_t dim = 0;
    for (int label : term.labels) {
      if (label == -1) {
        FailureOr<Shape> merged = broadcastShapes(
            ellipsis, type.getShape().slice(dim, ellipsisRank));
        if (failed(merged))
          return inferenceError(loc, "einsum ellipsis dimensions differ");
        ellipsis = *merged;
        dim += ellipsisRank;
        continue;
      }
      int64_t size = type.getDimSize(dim++);
      auto [it, inserted] = sizes.try_emplace(label, size);
      if (!inserted) {
        if (ShapedType::isDynamic(it->second))
          it->second = size;
        else if (!ShapedType::isDynamic(size) && size != it->second)
          return inferenceError(loc, "einsum subscript used with two extents");
      }
    }
  }
  Shape shape;
  for (int label : output.labels) {
    if (label == -1) {
      shape.append(ellipsis.begin(), ellipsis.end());
      continue;
    }
    auto it = sizes.find(label);
    if (it == sizes.end())
      return inferenceError(loc, "einsum output subscript missing from inputs");
    shape.push_back(it->second);
  }
  results.push_back(RankedTensorType::get(
      shape, rankedType(adaptor.getInputs()[0]).getElementType()));
  return success();
}

LogicalResult EinsumOp::verify() {
  for (Value input : getInputs())
    if (!areCompatibleElementTypes(rankedType(input).getElementType(),
                                   getType().getElementType()))
      return emitOpError("expects operands of one element type");
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult inferPool(typename PoolOp::Adaptor adaptor,
                               std::optional<Location> loc,
                               SmallVectorImpl<Type> &results,
                               bool withIndices = false) {
  auto input = rankedType(adaptor.getInput());
  FailureOr<Shape> shape = inferWindowedShape(
      input, input.getRank() >= 2 ? input.getDimSize(1) : 0,
      adaptor.getKernelShape(), adaptor.getStrides(), adaptor.getDilations(),
      adaptor.getPads(), adaptor.getCeilMode(), loc);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, input.getElementType()));
  if (withIndices)
    results.push_back(RankedTensorType::get(
        *shape, IntegerType::get(input.getContext(), 64)));
  return success();
}

template <typename PoolOp>
static LogicalResult verifyPool(PoolOp op) {
  return verifyWindowAttrs(op, op.getInput().getType().getRank() - 2,
                           op.getStrides(), op.getDilations(), op.getPads(),
                           op.getKernelShape());
}

#define KILN_POOL(OP, INDICES)                                                 \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    return inferPool<OP>(adaptor, loc, results, INDICES);                      \
  }                                                                            \
  LogicalResult OP::verify() { return verifyPool(*this); }
KILN_POOL(MaxPoolOp, false)
KILN_POOL(MaxPoolWithIndicesOp, true)
KILN_POOL(AvgPoolOp, false)
#undef KILN_POOL

LogicalResult LpPoolOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         LpPoolOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferPool<LpPoolOp>(adaptor, loc, results);
}

LogicalResult LpPoolOp::verify() {
  if (getP() < 1)
    return emitOpError("expects p >= 1");
  return verifyPool(*this);
}

LogicalResult MaxUnpoolOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            MaxUnpoolOp::Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t spatial = input.getRank() - 2;
  ArrayRef<int64_t> kernel = adaptor.getKernelShape(),
                    strides = adaptor.getStrides(), pads = adaptor.getPads();
  if (spatial < 1 || static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return inferenceError(loc, "expects window attributes for each spatial "
                               "dimension of an input of rank >= 3");
  Shape shape;
  if (Value outputShape = adaptor.getOutputShape()) {
    if (auto values = getConstantInts(outputShape)) {
      shape.assign(values->begin(), values->end());
    } else {
      shape.assign(input.getRank(), ShapedType::kDynamic);
    }
  } else {
    shape = {input.getDimSize(0), input.getDimSize(1)};
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t d = input.getDimSize(i + 2);
      shape.push_back(ShapedType::isDynamic(d)
                          ? ShapedType::kDynamic
                          : (d - 1) * strides[i] + kernel[i] - pads[i] -
                                pads[i + spatial]);
    }
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MaxUnpoolOp::verify() {
  if (failed(verifyWindowAttrs(*this, getInput().getType().getRank() - 2,
                               getStrides(),
                               SmallVector<int64_t>(getStrides().size(), 1),
                               getPads(), getKernelShape())))
    return failure();
  if (failed(joinShapes(getInput().getType().getShape(),
                        getIndices().getType().getShape())))
    return emitOpError("expects indices of the input's shape");
  if (getType().getRank() != getInput().getType().getRank())
    return emitOpError("expects a result of the input's rank");
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Per-channel parameter operands are 1-D with the channel count.
static LogicalResult verifyChannelParams(Operation *op, RankedTensorType input,
                                         ValueRange params) {
  if (input.getRank() < 2)
    return op->emitOpError("expects an input of rank >= 2 (N x C x ...)");
  int64_t channels = input.getDimSize(1);
  for (Value param : params) {
    auto type = rankedType(param);
    if (type.getRank() != 1)
      return op->emitOpError("expects 1-D per-channel parameters");
    if (!ShapedType::isDynamic(channels) &&
        !ShapedType::isDynamic(type.getDimSize(0)) &&
        type.getDimSize(0) != channels)
      return op->emitOpError()
             << "expects per-channel parameters of " << channels
             << " elements, got " << type.getDimSize(0);
  }
  return success();
}

#define KILN_INPUT_TYPE(OP)                                                    \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>,   \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    results.push_back(adaptor.getInput().getType());                           \
    return success();                                                          \
  }
KILN_INPUT_TYPE(BatchNormOp)
KILN_INPUT_TYPE(InstanceNormOp)
KILN_INPUT_TYPE(LrnOp)
KILN_INPUT_TYPE(SoftmaxOp)
KILN_INPUT_TYPE(LogSoftmaxOp)
KILN_INPUT_TYPE(HardmaxOp)
#undef KILN_INPUT_TYPE

LogicalResult BatchNormOp::verify() {
  return verifyChannelParams(*this, getInput().getType(),
                             {getScale(), getBias(), getMean(), getVar()});
}

LogicalResult InstanceNormOp::verify() {
  if (getInput().getType().getRank() < 3)
    return emitOpError("expects an input of rank >= 3 (N x C x spatial)");
  return verifyChannelParams(*this, getInput().getType(),
                             {getScale(), getBias()});
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            LayerNormOp::Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= std::max<int64_t>(input.getRank(), 1))
    return inferenceError(loc, "expects 0 <= axis < rank");
  Shape statShape(input.getShape());
  for (int64_t i = axis; i < input.getRank(); ++i)
    statShape[i] = 1;
  auto statType = RankedTensorType::get(statShape, Float32Type::get(context));
  results.append({input, statType, statType});
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto input = getInput().getType();
  if (getAxis() < 0 || getAxis() >= std::max<int64_t>(input.getRank(), 1))
    return emitOpError("expects 0 <= axis < rank");
  ArrayRef<int64_t> normalized = input.getShape().drop_front(getAxis());
  for (Value param : {getScale(), getBias()}) {
    if (!param)
      continue;
    auto shape = rankedType(param).getShape();
    FailureOr<Shape> b = broadcastShapes(shape, normalized);
    if (shape.size() > normalized.size() || failed(b) ||
        failed(joinShapes(*b, normalized)))
      return emitOpError() << "expects scale and bias to broadcast to the "
                              "normalized dimensions, got "
                           << param.getType();
  }
  return success();
}

LogicalResult LrnOp::verify() {
  if (getSize() < 1)
    return emitOpError("expects size >= 1");
  if (getInput().getType().getRank() < 3)
    return emitOpError("expects an input of rank >= 3 (N x C x spatial)");
  return success();
}

template <typename OpTy>
static LogicalResult verifyAxisInRange(OpTy op) {
  int64_t rank = op.getInput().getType().getRank();
  if (op.getAxis() < 0 || op.getAxis() >= std::max<int64_t>(rank, 1))
    return op.emitOpError() << "expects 0 <= axis < " << rank << ", got "
                            << op.getAxis();
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifyAxisInRange(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxisInRange(*this); }
LogicalResult HardmaxOp::verify() { return verifyAxisInRange(*this); }

//===----------------------------------------------------------------------===//
// Sampling
//===----------------------------------------------------------------------===//

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             GridSampleOp::Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto grid = rankedType(adaptor.getGrid());
  if (input.getRank() != 4 || grid.getRank() != 4)
    return inferenceError(loc, "expects a 4-D input and a 4-D grid");
  results.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), grid.getDimSize(1),
       grid.getDimSize(2)},
      input.getElementType()));
  return success();
}

LogicalResult GridSampleOp::verify() {
  if (getInput().getType().getRank() != 4 || getGrid().getType().getRank() != 4)
    return emitOpError("expects a 4-D input and a 4-D grid");
  int64_t last = getGrid().getType().getDimSize(3);
  if (!ShapedType::isDynamic(last) && last != 2)
    return emitOpError("expects grid coordinates (x, y) in the last dimension");
  return success();
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           RoiAlignOp::Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto rois = rankedType(adaptor.getRois());
  if (input.getRank() != 4 || rois.getRank() != 2)
    return inferenceError(loc, "expects a 4-D input and 2-D rois");
  results.push_back(RankedTensorType::get(
      {rois.getDimSize(0), input.getDimSize(1), adaptor.getOutputHeight(),
       adaptor.getOutputWidth()},
      input.getElementType()));
  return success();
}

LogicalResult RoiAlignOp::verify() {
  if (getOutputHeight() < 1 || getOutputWidth() < 1 || getSamplingRatio() < 0)
    return emitOpError("expects positive output extents and sampling_ratio >= 0");
  if (getRois().getType().getRank() != 2)
    return emitOpError("expects 2-D rois");
  int64_t last = getRois().getType().getDimSize(1);
  if (!ShapedType::isDynamic(last) && last != 4)
    return emitOpError("expects rois of 4 coordinates");
  return success();
}

//===----------------------------------------------------------------------===//
// DetOp and NonMaxSuppressionOp
//===----------------------------------------------------------------------===//

LogicalResult DetOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      DetOp::Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  if (input.getRank() < 2)
    return inferenceError(loc, "expects matrices (rank >= 2)");
  results.push_back(RankedTensorType::get(input.getShape().drop_back(2),
                                          input.getElementType()));
  return success();
}

LogicalResult DetOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("expects matrices (rank >= 2)");
  int64_t m = input.getDimSize(input.getRank() - 2);
  int64_t n = input.getDimSize(input.getRank() - 1);
  if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(n) && m != n)
    return emitOpError() << "expects square matrices, got " << m << "x" << n;
  return success();
}

LogicalResult NonMaxSuppressionOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc,
    NonMaxSuppressionOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  if (rankedType(adaptor.getBoxes()).getRank() != 3 ||
      rankedType(adaptor.getScores()).getRank() != 3)
    return inferenceError(loc, "expects 3-D boxes and scores");
  results.push_back(RankedTensorType::get({ShapedType::kDynamic, 3},
                                          IntegerType::get(context, 64)));
  return success();
}

LogicalResult NonMaxSuppressionOp::verify() {
  auto boxes = getBoxes().getType();
  auto scores = getScores().getType();
  if (boxes.getRank() != 3 || scores.getRank() != 3)
    return emitOpError("expects 3-D boxes and scores");
  if (!boxes.isDynamicDim(2) && boxes.getDimSize(2) != 4)
    return emitOpError("expects boxes of 4 coordinates");
  if (failed(joinShapes({boxes.getDimSize(0), boxes.getDimSize(1)},
                        {scores.getDimSize(0), scores.getDimSize(2)})))
    return emitOpError("expects scores [batch, classes, boxes] matching boxes");
  return success();
}
