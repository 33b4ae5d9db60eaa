//===- TensorOps.cpp - constants, shapes and data movement ----------------===//

#include "dialects/Kiln/ConstantFolding.h"
#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnTensorOps.cpp.inc"

static constexpr int64_t kDynamic = ShapedType::kDynamic;

Value mlir::kiln::createI64Constant(OpBuilder &builder, Location loc,
                                    ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    builder.getI64Type());
  return ConstantOp::create(builder, loc, type,
                            DenseIntElementsAttr::get(type, values));
}

/// The canonical reshape to a static type: the literal shape as operand,
/// with `allowzero` exactly when an extent is 0 (so 0 means 0).
static ReshapeOp buildStaticReshape(OpBuilder &builder, Location loc,
                                   RankedTensorType type, Value input) {
  Value target = createI64Constant(builder, loc, type.getShape());
  bool allowzero = llvm::is_contained(type.getShape(), 0);
  return ReshapeOp::create(builder, loc, type, input, target, allowzero);
}

Value mlir::kiln::createReshape(OpBuilder &builder, Location loc, Value input,
                                ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, rankedType(input).getElementType());
  return buildStaticReshape(builder, loc, type, input);
}

/// Reinterprets a constant with a new static type of the same element count.
static Attribute reshapeConstant(Attribute value, RankedTensorType type) {
  auto dense = llvm::dyn_cast_or_null<DenseElementsAttr>(value);
  if (!dense || !type.hasStaticShape() ||
      dense.getType().getElementType() != type.getElementType())
    return {};
  return dense.reshape(type);
}

/// Folds an op that only reshapes: to its input when the types agree, or to
/// a reshaped constant.
static OpFoldResult foldReshapeLike(Value input, Attribute constant,
                                    RankedTensorType resultType) {
  if (input.getType() == resultType)
    return input;
  return reshapeConstant(constant, resultType);
}

namespace {
/// Rewrites a reshape-like op with a static result as `kiln.reshape`, the one
/// form later passes need to understand.
template <typename OpTy>
struct ReshapeLikeToReshape : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return failure();
    rewriter.replaceOp(op, buildStaticReshape(rewriter, op.getLoc(), type,
                                              op.getInput()));
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           ConstantOp::Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto type = llvm::dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return inferenceError(loc, "expects a ranked tensor value");
  results.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// ShapeOp and SizeOp
//===----------------------------------------------------------------------===//

/// The [start, end) range of dimensions ONNX's Shape selects.
static std::pair<int64_t, int64_t> shapeRange(int64_t rank, int64_t start,
                                              std::optional<int64_t> end) {
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::min(std::max<int64_t>(v, 0), rank);
  };
  int64_t s = clamp(start), e = clamp(end.value_or(rank));
  return {s, std::max(s, e)};
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location>,
                                        ShapeOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto [start, end] = shapeRange(rankedType(adaptor.getInput()).getRank(),
                                 adaptor.getStart(), adaptor.getEnd());
  results.push_back(
      RankedTensorType::get({end - start}, IntegerType::get(context, 64)));
  return success();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto input = getInput().getType();
  auto [start, end] = shapeRange(input.getRank(), getStart(), getEnd());
  ArrayRef<int64_t> dims = input.getShape().slice(start, end - start);
  if (ShapedType::isDynamicShape(dims))
    return {};
  auto type = RankedTensorType::get({end - start},
                                    IntegerType::get(getContext(), 64));
  return DenseIntElementsAttr::get(type, dims);
}

LogicalResult SizeOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location>,
                                       SizeOp::Adaptor,
                                       SmallVectorImpl<Type> &results) {
  results.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
  return success();
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  int64_t count = shapeProduct(getInput().getType().getShape());
  if (ShapedType::isDynamic(count))
    return {};
  return DenseIntElementsAttr::get(getType(), {count});
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

/// Resolves ONNX reshape semantics (0 copies, -1 infers) against `input`.
static FailureOr<Shape> resolveReshape(ArrayRef<int64_t> input,
                                       ArrayRef<int64_t> target, bool allowzero,
                                       std::optional<Location> loc) {
  Shape shape;
  int64_t inferred = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0 && !allowzero) {
      if (i >= input.size())
        return inferenceError(loc, "reshape copies a dimension the input lacks");
      shape.push_back(input[i]);
    } else if (d == -1) {
      if (inferred >= 0)
        return inferenceError(loc, "reshape infers more than one dimension");
      inferred = i;
      shape.push_back(kDynamic);
    } else if (d < 0) {
      return inferenceError(loc, "reshape to a negative extent");
    } else {
      shape.push_back(d);
    }
  }
  int64_t total = shapeProduct(input);
  if (inferred >= 0) {
    Shape known(shape);
    known.erase(known.begin() + inferred);
    int64_t rest = shapeProduct(known);
    if (!ShapedType::isDynamic(total) && !ShapedType::isDynamic(rest)) {
      if (rest == 0 || total % rest != 0)
        return inferenceError(loc, "reshape cannot infer a dimension for " +
                                       llvm::Twine(total) + " elements");
      shape[inferred] = total / rest;
    }
  }
  int64_t count = shapeProduct(shape);
  if (!ShapedType::isDynamic(total) && !ShapedType::isDynamic(count) &&
      total != count)
    return inferenceError(loc, "reshape changes the element count from " +
                                   llvm::Twine(total) + " to " +
                                   llvm::Twine(count));
  return shape;
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          ReshapeOp::Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto shapeType = rankedType(adaptor.getShape());
  if (shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return inferenceError(loc, "expects a 1-D shape operand of static size");
  Shape shape(shapeType.getDimSize(0), kDynamic);
  if (auto target = getConstantInts(adaptor.getShape())) {
    FailureOr<Shape> resolved =
        resolveReshape(input.getShape(), *target, adaptor.getAllowzero(), loc);
    if (failed(resolved))
      return failure();
    shape = *resolved;
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  int64_t in = shapeProduct(getInput().getType().getShape());
  int64_t out = shapeProduct(getType().getShape());
  if (!ShapedType::isDynamic(in) && !ShapedType::isDynamic(out) && in != out)
    return emitOpError() << "changes the element count from " << in << " to "
                         << out;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

namespace {
/// reshape(reshape(x)) -> reshape(x) when the outer target is static.
struct ComposeReshapes : public OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp();
    if (!inner || !llvm::isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(inner) ||
        !op.getType().hasStaticShape())
      return failure();
    rewriter.replaceOp(op, buildStaticReshape(rewriter, op.getLoc(), op.getType(),
                                              inner->getOperand(0)));
    return success();
  }
};

/// A static reshape whose shape operand is not the literal target gets one,
/// so that 0 and -1 entries never survive once shapes are known.
struct CanonicalReshapeTarget : public OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().hasStaticShape())
      return failure();
    auto target = getConstantInts(op.getShape());
    if (target && ArrayRef<int64_t>(*target) == op.getType().getShape() &&
        op.getAllowzero() == llvm::is_contained(op.getType().getShape(), 0))
      return failure();
    rewriter.replaceOp(op, buildStaticReshape(rewriter, op.getLoc(), op.getType(),
                                              op.getInput()));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeReshapes, CanonicalReshapeTarget>(context);
}

//===----------------------------------------------------------------------===//
// FlattenOp, SqueezeOp, UnsqueezeOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          FlattenOp::Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > input.getRank())
    return inferenceError(loc, "expects 0 <= axis <= rank");
  results.push_back(RankedTensorType::get(
      {shapeProduct(input.getShape().take_front(axis)),
       shapeProduct(input.getShape().drop_front(axis))},
      input.getElementType()));
  return success();
}

LogicalResult FlattenOp::verify() {
  if (getAxis() < 0 || getAxis() > getInput().getType().getRank())
    return emitOpError("expects 0 <= axis <= rank");
  return success();
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeLikeToReshape<FlattenOp>>(context);
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          SqueezeOp::Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  Shape shape;
  for (int64_t i = 0; i < input.getRank(); ++i)
    if (!llvm::is_contained(adaptor.getAxes(), i))
      shape.push_back(input.getDimSize(i));
  if (shape.size() + adaptor.getAxes().size() != size_t(input.getRank()))
    return inferenceError(loc, "squeeze axes out of range or repeated");
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SqueezeOp::verify() {
  auto input = getInput().getType();
  ArrayRef<int64_t> axes = getAxes();
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= input.getRank() ||
        (i > 0 && axes[i] <= axes[i - 1]))
      return emitOpError("expects sorted, unique axes within the input rank");
    int64_t d = input.getDimSize(axes[i]);
    if (!ShapedType::isDynamic(d) && d != 1)
      return emitOpError() << "squeezes dimension " << axes[i] << " of extent "
                           << d;
  }
  return success();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeLikeToReshape<SqueezeOp>>(context);
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            UnsqueezeOp::Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  ArrayRef<int64_t> axes = adaptor.getAxes();
  int64_t rank = input.getRank() + axes.size();
  Shape shape;
  int64_t next = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (llvm::is_contained(axes, i))
      shape.push_back(1);
    else if (next < input.getRank())
      shape.push_back(input.getDimSize(next++));
    else
      return inferenceError(loc, "unsqueeze axes out of range or repeated");
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult UnsqueezeOp::verify() {
  ArrayRef<int64_t> axes = getAxes();
  int64_t rank = getType().getRank();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= rank || (i > 0 && axes[i] <= axes[i - 1]))
      return emitOpError("expects sorted, unique axes within the result rank");
  return success();
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ReshapeLikeToReshape<UnsqueezeOp>>(context);
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

static bool isPermutation(ArrayRef<int64_t> perm) {
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen[p])
      return false;
    seen[p] = true;
  }
  return true;
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            TransposeOp::Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != input.getRank() ||
      !isPermutation(perm))
    return inferenceError(loc, "expects a permutation of the input dimensions");
  Shape shape;
  for (int64_t p : perm)
    shape.push_back(input.getDimSize(p));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult TransposeOp::verify() {
  if (static_cast<int64_t>(getPerm().size()) != getInput().getType().getRank() ||
      !isPermutation(getPerm()))
    return emitOpError("expects perm to be a permutation of the input dimensions");
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
    return p.value() == static_cast<int64_t>(p.index());
  });
  if (identity && getInput().getType() == getType())
    return getInput();
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in || !getType().hasStaticShape())
    return {};
  if (in->isSplat)
    return gatherConstant(*in, getType(), {});
  ArrayRef<int64_t> inShape = in->type.getShape();
  SmallVector<int64_t> inStrides = rowMajorStrides(inShape);
  ArrayRef<int64_t> outShape = getType().getShape();
  int64_t total = shapeProduct(outShape);
  std::vector<int64_t> indices(total);
  SmallVector<int64_t> index(outShape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t source = 0;
    for (size_t d = 0; d < outShape.size(); ++d)
      source += index[d] * inStrides[perm[d]];
    indices[flat] = source;
    for (int64_t d = outShape.size() - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return gatherConstant(*in, getType(), indices);
}

namespace {
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(inner.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), inner.getInput(),
                                             perm);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// ConcatOp and SplitOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         ConcatOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  if (adaptor.getInputs().empty())
    return inferenceError(loc, "expects at least one operand");
  auto first = rankedType(adaptor.getInputs()[0]);
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank())
    return inferenceError(loc, "concat axis out of range");
  Shape shape(first.getShape());
  shape[axis] = 0;
  for (Value input : adaptor.getInputs()) {
    auto type = rankedType(input);
    if (type.getRank() != first.getRank())
      return inferenceError(loc, "concat operands differ in rank");
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size)
                       ? kDynamic
                       : shape[d] + size;
      } else if (ShapedType::isDynamic(shape[d])) {
        shape[d] = size;
      } else if (!ShapedType::isDynamic(size) && size != shape[d]) {
        return inferenceError(loc, "concat operands differ in dimension " +
                                       llvm::Twine(d));
      }
    }
  }
  results.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult ConcatOp::verify() {
  Type element = getType().getElementType();
  for (Value input : getInputs())
    if (!areCompatibleElementTypes(rankedType(input).getElementType(), element))
      return emitOpError("expects operands of one element type");
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  if (!getType().hasStaticShape())
    return {};
  SmallVector<ConstantValues> parts;
  for (Attribute attr : adaptor.getInputs()) {
    std::optional<ConstantValues> values = readConstant(attr);
    if (!values)
      return {};
    parts.push_back(std::move(*values));
  }
  ArrayRef<int64_t> shape = getType().getShape();
  int64_t axis = getAxis();
  int64_t outer = shapeProduct(shape.take_front(axis));
  int64_t inner = shapeProduct(shape.drop_front(axis + 1));
  bool isFloat = parts.front().isFloat;
  std::vector<double> floats;
  std::vector<int64_t> ints;
  for (int64_t o = 0; o < outer; ++o) {
    for (const ConstantValues &part : parts) {
      int64_t chunk = part.type.getDimSize(axis) * inner;
      for (int64_t i = 0; i < chunk; ++i) {
        int64_t index = o * chunk + i;
        if (isFloat)
          floats.push_back(part.floatAt(index));
        else
          ints.push_back(part.intAt(index));
      }
    }
  }
  return isFloat ? writeConstant(getType(), ArrayRef<double>(floats))
                 : writeConstant(getType(), ArrayRef<int64_t>(ints));
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        SplitOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return inferenceError(loc, "split axis out of range");
  for (int64_t size : adaptor.getSizes()) {
    if (size < 0)
      return inferenceError(loc, "split sizes must be non-negative");
    Shape shape(input.getShape());
    shape[axis] = size;
    results.push_back(RankedTensorType::get(shape, input.getElementType()));
  }
  return success();
}

LogicalResult SplitOp::verify() {
  if (getAxis() < 0 || getAxis() >= getInput().getType().getRank())
    return emitOpError("split axis out of range");
  int64_t total = 0;
  for (int64_t size : getSizes())
    total += size;
  int64_t extent = getInput().getType().getDimSize(getAxis());
  if (!ShapedType::isDynamic(extent) && total != extent)
    return emitOpError() << "split sizes sum to " << total << ", not the axis "
                         << "extent " << extent;
  return success();
}

LogicalResult SplitOp::fold(FoldAdaptor adaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() == 1 && getInput().getType() == getType(0)) {
    results.push_back(getInput());
    return success();
  }
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in)
    return failure();
  ArrayRef<int64_t> shape = in->type.getShape();
  int64_t axis = getAxis();
  int64_t outer = shapeProduct(shape.take_front(axis));
  int64_t inner = shapeProduct(shape.drop_front(axis + 1));
  int64_t offset = 0;
  for (auto [size, result] : llvm::zip(getSizes(), getResults())) {
    std::vector<int64_t> indices;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < size * inner; ++i)
        indices.push_back((o * shape[axis] + offset) * inner + i);
    offset += size;
    auto type = RankedTensorType::get(
        llvm::cast<RankedTensorType>(result.getType()).getShape(),
        in->type.getElementType());
    if (!type.hasStaticShape())
      return failure();
    results.push_back(gatherConstant(*in, type, indices));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

namespace {
/// Static slice parameters per input dimension after ONNX's clamping.
struct ResolvedSlice {
  Shape starts, steps, sizes;
};

/// Resolves constant slice parameters against `shape`; dimensions with
/// unknown extent or parameters are left dynamic in `sizes` (and the whole
/// result is nullopt when axes are unknown).
std::optional<ResolvedSlice> resolveSlice(ArrayRef<int64_t> shape,
                                          Value startsV, Value endsV,
                                          Value axesV, Value stepsV,
                                          std::optional<Location> loc,
                                          bool &invalid) {
  invalid = false;
  int64_t rank = shape.size();
  ResolvedSlice r;
  r.starts.assign(rank, 0);
  r.steps.assign(rank, 1);
  r.sizes.assign(shape.begin(), shape.end());
  if (rankedType(startsV).getRank() != 1)
    return std::nullopt;
  auto starts = getConstantInts(startsV), ends = getConstantInts(endsV);
  std::optional<SmallVector<int64_t>> axes, steps;
  int64_t count = rankedType(startsV).getDimSize(0);
  if (axesV) {
    axes = getConstantInts(axesV);
    if (!axes)
      return std::nullopt;
  } else if (!ShapedType::isDynamic(count)) {
    axes.emplace();
    for (int64_t i = 0; i < count; ++i)
      axes->push_back(i);
  } else {
    return std::nullopt;
  }
  if (stepsV) {
    steps = getConstantInts(stepsV);
  } else {
    steps.emplace(axes->size(), 1);
  }
  for (size_t i = 0; i < axes->size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxis((*axes)[i], rank);
    if (failed(axis)) {
      invalid = true;
      (void)inferenceError(loc, "slice axis out of range");
      return std::nullopt;
    }
    int64_t dim = shape[*axis];
    if (!starts || !ends || !steps || ShapedType::isDynamic(dim) ||
        starts->size() != axes->size() || ends->size() != axes->size() ||
        steps->size() != axes->size()) {
      r.sizes[*axis] = kDynamic;
      continue;
    }
    int64_t step = (*steps)[i];
    if (step == 0) {
      invalid = true;
      (void)inferenceError(loc, "slice step is 0");
      return std::nullopt;
    }
    auto adjust = [&](int64_t v) {
      // Saturating "v + dim" for negative values (ends are often INT64_MIN).
      if (v < 0)
        v = v < -dim ? -1 - dim : v + dim;
      return v;
    };
    int64_t start = adjust((*starts)[i]), end = adjust((*ends)[i]);
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    int64_t size = step > 0 ? (end - start + step - 1) / step
                            : (start - end + (-step) - 1) / (-step);
    r.starts[*axis] = start;
    r.steps[*axis] = step;
    r.sizes[*axis] = std::max<int64_t>(size, 0);
  }
  return r;
}
} // namespace

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        SliceOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  bool invalid = false;
  std::optional<ResolvedSlice> slice =
      resolveSlice(input.getShape(), adaptor.getStarts(), adaptor.getEnds(),
                   adaptor.getAxes(), adaptor.getSteps(), loc, invalid);
  if (invalid)
    return failure();
  Shape shape = slice ? slice->sizes : Shape(input.getRank(), kDynamic);
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SliceOp::verify() {
  for (Value param : {getStarts(), getEnds(), getAxes(), getSteps()}) {
    if (param && rankedType(param).getRank() != 1)
      return emitOpError("expects 1-D slice parameters");
  }
  int64_t n = getStarts().getType().getDimSize(0);
  for (Value param : {getEnds(), getAxes(), getSteps()}) {
    if (!param)
      continue;
    int64_t m = rankedType(param).getDimSize(0);
    if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(m) && n != m)
      return emitOpError("expects slice parameters of one length");
  }
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto input = getInput().getType();
  if (input == getType() && input.hasStaticShape()) {
    bool invalid = false;
    auto slice = resolveSlice(input.getShape(), getStarts(), getEnds(),
                              getAxes(), getSteps(), std::nullopt, invalid);
    if (slice && llvm::all_of(slice->starts, [](int64_t s) { return s == 0; }) &&
        llvm::all_of(slice->steps, [](int64_t s) { return s == 1; }))
      return getInput();
  }
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in || !getType().hasStaticShape())
    return {};
  bool invalid = false;
  auto slice = resolveSlice(in->type.getShape(), getStarts(), getEnds(),
                            getAxes(), getSteps(), std::nullopt, invalid);
  if (!slice)
    return {};
  ArrayRef<int64_t> outShape = getType().getShape();
  SmallVector<int64_t> inStrides = rowMajorStrides(in->type.getShape());
  int64_t total = shapeProduct(outShape);
  std::vector<int64_t> indices(total);
  SmallVector<int64_t> index(outShape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t source = 0;
    for (size_t d = 0; d < outShape.size(); ++d)
      source += (slice->starts[d] + index[d] * slice->steps[d]) * inStrides[d];
    indices[flat] = source;
    for (int64_t d = outShape.size() - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return gatherConstant(*in, getType(), indices);
}

//===----------------------------------------------------------------------===//
// Gather family
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         GatherOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return inferenceError(loc, "gather axis out of range");
  Shape shape(input.getShape().take_front(axis));
  shape.append(indices.getShape().begin(), indices.getShape().end());
  shape.append(input.getShape().begin() + axis + 1, input.getShape().end());
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherOp::verify() {
  if (getAxis() < 0 || getAxis() >= getInput().getType().getRank())
    return emitOpError("gather axis out of range");
  if (auto indices = getConstantInts(getIndices())) {
    int64_t extent = getInput().getType().getDimSize(getAxis());
    if (!ShapedType::isDynamic(extent))
      for (int64_t i : *indices)
        if (i < -extent || i >= extent)
          return emitOpError() << "index " << i << " out of range for extent "
                               << extent;
  }
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  auto indices = getConstantInts(getIndices());
  if (!in || !indices || !getType().hasStaticShape())
    return {};
  ArrayRef<int64_t> shape = in->type.getShape();
  int64_t axis = getAxis();
  int64_t outer = shapeProduct(shape.take_front(axis));
  int64_t inner = shapeProduct(shape.drop_front(axis + 1));
  int64_t extent = shape[axis];
  std::vector<int64_t> gathered;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : *indices) {
      if (index < -extent || index >= extent)
        return {};
      int64_t i = index < 0 ? index + extent : index;
      for (int64_t k = 0; k < inner; ++k)
        gathered.push_back((o * extent + i) * inner + k);
    }
  return gatherConstant(*in, getType(), gathered);
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc,
    GatherElementsOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  if (indices.getRank() != input.getRank())
    return inferenceError(loc, "expects indices of the input's rank");
  results.push_back(
      RankedTensorType::get(indices.getShape(), input.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::verify() {
  if (getAxis() < 0 || getAxis() >= getInput().getType().getRank())
    return emitOpError("axis out of range");
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           GatherNDOp::Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t batch = adaptor.getBatchDims();
  if (indices.getRank() < 1 || indices.isDynamicDim(indices.getRank() - 1))
    return inferenceError(loc, "expects indices with a static last dimension");
  int64_t depth = indices.getDimSize(indices.getRank() - 1);
  if (batch < 0 || batch + depth > input.getRank() ||
      batch >= indices.getRank())
    return inferenceError(loc, "gather_nd index depth exceeds the input rank");
  Shape shape(indices.getShape().drop_back());
  shape.append(input.getShape().begin() + batch + depth, input.getShape().end());
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherNDOp::verify() { return success(); }

#define KILN_DATA_TYPE(OP)                                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>,   \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    results.push_back(adaptor.getData().getType());                            \
    return success();                                                          \
  }
KILN_DATA_TYPE(ScatterElementsOp)
KILN_DATA_TYPE(ScatterNDOp)
#undef KILN_DATA_TYPE

LogicalResult ScatterElementsOp::verify() {
  int64_t rank = getData().getType().getRank();
  if (getAxis() < 0 || getAxis() >= rank)
    return emitOpError("axis out of range");
  if (getIndices().getType().getRank() != rank ||
      failed(joinShapes(getIndices().getType().getShape(),
                        getUpdates().getType().getShape())))
    return emitOpError("expects indices and updates of one shape and the data's rank");
  return success();
}

LogicalResult ScatterNDOp::verify() {
  auto indices = getIndices().getType();
  if (indices.getRank() < 1)
    return emitOpError("expects indices of rank >= 1");
  int64_t depth = indices.getDimSize(indices.getRank() - 1);
  if (!ShapedType::isDynamic(depth) && depth > getData().getType().getRank())
    return emitOpError("index depth exceeds the data rank");
  return success();
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      PadOp::Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t rank = input.getRank();
  Shape shape(rank, kDynamic);
  if (auto pads = getConstantInts(adaptor.getPads())) {
    if (static_cast<int64_t>(pads->size()) != 2 * rank)
      return inferenceError(loc, "expects two pads per dimension");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = input.getDimSize(d);
      if (ShapedType::isDynamic(size))
        continue;
      shape[d] = size + (*pads)[d] + (*pads)[d + rank];
      if (shape[d] < 0)
        return inferenceError(loc, "negative pads remove more than the extent");
    }
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult PadOp::verify() {
  auto pads = getPads().getType();
  int64_t rank = getInput().getType().getRank();
  if (pads.getRank() != 1 ||
      (!pads.isDynamicDim(0) && pads.getDimSize(0) != 2 * rank))
    return emitOpError() << "expects " << 2 * rank << " pads";
  if (getConstantValue()) {
    auto value = rankedType(getConstantValue());
    if (value.hasStaticShape() && value.getNumElements() != 1)
      return emitOpError("expects a scalar constant_value");
    if (!areCompatibleElementTypes(value.getElementType(),
                                   getType().getElementType()))
      return emitOpError("expects constant_value of the input's element type");
  }
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  auto pads = getConstantInts(getPads());
  if (pads && llvm::all_of(*pads, [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         ResizeOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t rank = input.getRank();
  Shape shape(rank, kDynamic);
  if (Value sizesV = adaptor.getSizes()) {
    if (auto sizes = getConstantInts(sizesV)) {
      if (static_cast<int64_t>(sizes->size()) != rank)
        return inferenceError(loc, "expects one size per dimension");
      shape.assign(sizes->begin(), sizes->end());
    }
  } else if (Value scalesV = adaptor.getScales()) {
    if (auto scales = getConstantFloats(scalesV)) {
      if (static_cast<int64_t>(scales->size()) != rank)
        return inferenceError(loc, "expects one scale per dimension");
      for (int64_t d = 0; d < rank; ++d) {
        if ((*scales)[d] <= 0)
          return inferenceError(loc, "expects positive scales");
        int64_t size = input.getDimSize(d);
        if (!ShapedType::isDynamic(size))
          shape[d] = static_cast<int64_t>(
              std::floor(static_cast<double>(size) * (*scales)[d]));
      }
    }
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  if (static_cast<bool>(getScales()) == static_cast<bool>(getSizes()))
    return emitOpError("expects exactly one of scales and sizes");
  if (getCoordinateTransformationMode() ==
          CoordinateTransform::tf_crop_and_resize &&
      !getRoi())
    return emitOpError("tf_crop_and_resize needs a roi operand");
  return success();
}

//===----------------------------------------------------------------------===//
// ExpandOp, TileOp, ConstantOfShapeOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         ExpandOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto shapeType = rankedType(adaptor.getShape());
  if (shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return inferenceError(loc, "expects a 1-D shape operand of static size");
  Shape target(shapeType.getDimSize(0), kDynamic);
  if (auto values = getConstantInts(adaptor.getShape()))
    target.assign(values->begin(), values->end());
  int64_t inRank = input.getRank(), tRank = target.size();
  int64_t rank = std::max(inRank, tRank);
  Shape shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t a = i >= rank - inRank ? input.getDimSize(i - (rank - inRank)) : 1;
    int64_t b = i >= rank - tRank ? target[i - (rank - tRank)] : 1;
    // An unknown extent on one side is only known if the other side is a
    // static extent other than 1 (which it must then equal).
    if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b)) {
      int64_t known = ShapedType::isDynamic(a) ? b : a;
      shape.push_back(!ShapedType::isDynamic(known) && known != 1 ? known
                                                                  : kDynamic);
    } else if (a == 1 || b == 1 || a == b) {
      shape.push_back(a == 1 ? b : a);
    } else {
      return inferenceError(loc, "input does not broadcast to the target shape");
    }
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ExpandOp::verify() { return success(); }

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in || !getType().hasStaticShape())
    return {};
  if (shapeProduct(getType().getShape()) > kMaxFoldElements && !in->isSplat)
    return {};
  std::vector<int64_t> map =
      in->isSplat ? std::vector<int64_t>{0}
                  : broadcastIndexMap(in->type.getShape(), getType().getShape());
  return gatherConstant(*in, getType(), map);
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       TileOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  Shape shape(input.getRank(), kDynamic);
  if (auto repeats = getConstantInts(adaptor.getRepeats())) {
    if (static_cast<int64_t>(repeats->size()) != input.getRank())
      return inferenceError(loc, "expects one repeat per dimension");
    for (int64_t d = 0; d < input.getRank(); ++d) {
      if ((*repeats)[d] < 0)
        return inferenceError(loc, "expects non-negative repeats");
      if (!input.isDynamicDim(d))
        shape[d] = input.getDimSize(d) * (*repeats)[d];
    }
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult TileOp::verify() {
  auto repeats = getRepeats().getType();
  if (repeats.getRank() != 1 ||
      (!repeats.isDynamicDim(0) &&
       repeats.getDimSize(0) != getInput().getType().getRank()))
    return emitOpError("expects one repeat per input dimension");
  return success();
}

OpFoldResult TileOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in || !getType().hasStaticShape())
    return {};
  ArrayRef<int64_t> outShape = getType().getShape();
  ArrayRef<int64_t> inShape = in->type.getShape();
  SmallVector<int64_t> inStrides = rowMajorStrides(inShape);
  int64_t total = shapeProduct(outShape);
  if (total > kMaxFoldElements)
    return {};
  std::vector<int64_t> indices(total);
  SmallVector<int64_t> index(outShape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t source = 0;
    for (size_t d = 0; d < outShape.size(); ++d)
      source += (index[d] % inShape[d]) * inStrides[d];
    indices[flat] = source;
    for (int64_t d = outShape.size() - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return gatherConstant(*in, getType(), indices);
}

LogicalResult ConstantOfShapeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc,
    ConstantOfShapeOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  auto shapeType = rankedType(adaptor.getShape());
  if (shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return inferenceError(loc, "expects a 1-D shape operand of static size");
  Shape shape(shapeType.getDimSize(0), kDynamic);
  if (auto values = getConstantInts(adaptor.getShape())) {
    if (llvm::any_of(*values, [](int64_t v) { return v < 0; }))
      return inferenceError(loc, "expects non-negative extents");
    shape.assign(values->begin(), values->end());
  }
  auto value = llvm::cast<TypedAttr>(adaptor.getValue());
  results.push_back(RankedTensorType::get(shape, value.getType()));
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  if (!llvm::isa<FloatAttr, IntegerAttr>(getValue()))
    return emitOpError("expects a scalar float or integer value");
  return success();
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  if (!getType().hasStaticShape())
    return {};
  if (auto f = llvm::dyn_cast<FloatAttr>(getValue()))
    return DenseElementsAttr::get(getType(), f.getValue());
  if (auto i = llvm::dyn_cast<IntegerAttr>(getValue()))
    return DenseElementsAttr::get(getType(), i.getValue());
  return {};
}

//===----------------------------------------------------------------------===//
// RangeOp
//===----------------------------------------------------------------------===//

/// The number of range elements, or nullopt if the operands are unknown.
static std::optional<int64_t> rangeLength(Value start, Value limit,
                                          Value delta) {
  auto s = getConstantFloats(start), l = getConstantFloats(limit),
       d = getConstantFloats(delta);
  double sv, lv, dv;
  if (s && l && d && s->size() == 1 && l->size() == 1 && d->size() == 1) {
    sv = (*s)[0], lv = (*l)[0], dv = (*d)[0];
  } else {
    auto si = getConstantInts(start), li = getConstantInts(limit),
         di = getConstantInts(delta);
    if (!si || !li || !di || si->size() != 1 || li->size() != 1 ||
        di->size() != 1)
      return std::nullopt;
    int64_t a = (*si)[0], b = (*li)[0], c = (*di)[0];
    if (c == 0)
      return std::nullopt;
    int64_t n = c > 0 ? (b - a + c - 1) / c : (a - b + (-c) - 1) / (-c);
    return std::max<int64_t>(n, 0);
  }
  if (dv == 0)
    return std::nullopt;
  return std::max<int64_t>(static_cast<int64_t>(std::ceil((lv - sv) / dv)), 0);
}

LogicalResult RangeOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                        RangeOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  std::optional<int64_t> n =
      rangeLength(adaptor.getStart(), adaptor.getLimit(), adaptor.getDelta());
  results.push_back(RankedTensorType::get(
      {n ? *n : kDynamic}, rankedType(adaptor.getStart()).getElementType()));
  return success();
}

LogicalResult RangeOp::verify() {
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    auto type = rankedType(v);
    if (type.getElementType() != getType().getElementType())
      return emitOpError("expects start, limit and delta of the result type");
    if (type.hasStaticShape() && type.getNumElements() != 1)
      return emitOpError("expects scalar start, limit and delta");
  }
  return success();
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstantValues> s = readConstant(adaptor.getStart());
  std::optional<ConstantValues> d = readConstant(adaptor.getDelta());
  if (!s || !d || !getType().hasStaticShape())
    return {};
  int64_t n = getType().getDimSize(0);
  if (n > kMaxFoldElements)
    return {};
  if (s->isFloat) {
    std::vector<double> values(n);
    for (int64_t i = 0; i < n; ++i)
      values[i] = s->floatAt(0) + i * d->floatAt(0);
    return writeConstant(getType(), ArrayRef<double>(values));
  }
  std::vector<int64_t> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = s->intAt(0) + i * d->intAt(0);
  return writeConstant(getType(), ArrayRef<int64_t>(values));
}

//===----------------------------------------------------------------------===//
// OneHotOp, TriluOp, EyeLikeOp
//===----------------------------------------------------------------------===//

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         OneHotOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto indices = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > indices.getRank())
    return inferenceError(loc, "one_hot axis out of range");
  std::optional<int64_t> depth;
  if (auto f = getConstantFloats(adaptor.getDepth()); f && f->size() == 1)
    depth = static_cast<int64_t>((*f)[0]);
  else
    depth = getConstantScalarInt(adaptor.getDepth());
  Shape shape(indices.getShape());
  shape.insert(shape.begin() + axis, depth ? *depth : kDynamic);
  results.push_back(RankedTensorType::get(
      shape, rankedType(adaptor.getValues()).getElementType()));
  return success();
}

LogicalResult OneHotOp::verify() {
  auto values = getValues().getType();
  if (values.getRank() != 1 ||
      (!values.isDynamicDim(0) && values.getDimSize(0) != 2))
    return emitOpError("expects values to hold [off, on]");
  return success();
}

LogicalResult TriluOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                        TriluOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult TriluOp::verify() {
  if (getInput().getType().getRank() < 2)
    return emitOpError("expects an input of rank >= 2");
  return success();
}

LogicalResult EyeLikeOp::verify() {
  if (getInput().getType().getRank() != 2)
    return emitOpError("expects a 2-D input");
  return success();
}

//===----------------------------------------------------------------------===//
// DepthToSpaceOp and SpaceToDepthOp
//===----------------------------------------------------------------------===//

LogicalResult DepthToSpaceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, DepthToSpaceOp::Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t b = adaptor.getBlocksize();
  if (input.getRank() != 4 || b < 1 || b > (int64_t(1) << 20))
    return inferenceError(loc, "expects a 4-D input and 1 <= blocksize <= 2^20");
  auto scale = [](int64_t d, int64_t f) {
    return ShapedType::isDynamic(d) ? kDynamic : d * f;
  };
  int64_t c = input.getDimSize(1);
  if (!ShapedType::isDynamic(c) && c % (b * b) != 0)
    return inferenceError(loc, "channels not divisible by blocksize^2");
  results.push_back(RankedTensorType::get(
      {input.getDimSize(0), ShapedType::isDynamic(c) ? kDynamic : c / (b * b),
       scale(input.getDimSize(2), b), scale(input.getDimSize(3), b)},
      input.getElementType()));
  return success();
}

LogicalResult DepthToSpaceOp::verify() { return success(); }

LogicalResult SpaceToDepthOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, SpaceToDepthOp::Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t b = adaptor.getBlocksize();
  if (input.getRank() != 4 || b < 1 || b > (int64_t(1) << 20))
    return inferenceError(loc, "expects a 4-D input and 1 <= blocksize <= 2^20");
  Shape shape{input.getDimSize(0), kDynamic, kDynamic, kDynamic};
  if (!input.isDynamicDim(1))
    shape[1] = input.getDimSize(1) * b * b;
  for (int d = 2; d < 4; ++d) {
    int64_t size = input.getDimSize(d);
    if (ShapedType::isDynamic(size))
      continue;
    if (size % b != 0)
      return inferenceError(loc, "spatial extent not divisible by blocksize");
    shape[d] = size / b;
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SpaceToDepthOp::verify() { return success(); }

//===----------------------------------------------------------------------===//
// ReverseSequenceOp, CompressOp, NonZeroOp
//===----------------------------------------------------------------------===//

LogicalResult ReverseSequenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ReverseSequenceOp::Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult ReverseSequenceOp::verify() {
  int64_t rank = getInput().getType().getRank();
  int64_t b = getBatchAxis(), t = getTimeAxis();
  if (rank < 2 || b < 0 || t < 0 || b >= rank || t >= rank || b == t ||
      (b > 1 || t > 1))
    return emitOpError("expects distinct batch and time axes among the first two");
  return success();
}

LogicalResult CompressOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           CompressOp::Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t count = kDynamic;
  if (auto condition = getConstantInts(adaptor.getCondition()))
    count = llvm::count_if(*condition, [](int64_t c) { return c != 0; });
  Shape shape;
  if (auto axisAttr = adaptor.getAxisAttr()) {
    int64_t axis = axisAttr.getInt();
    if (axis < 0 || axis >= input.getRank())
      return inferenceError(loc, "compress axis out of range");
    shape.assign(input.getShape().begin(), input.getShape().end());
    shape[axis] = count;
  } else {
    shape.push_back(count);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult CompressOp::verify() {
  if (getCondition().getType().getRank() != 1)
    return emitOpError("expects a 1-D condition");
  return success();
}

LogicalResult NonZeroOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          NonZeroOp::Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  std::optional<ConstantValues> values;
  DenseElementsAttr attr;
  int64_t count = kDynamic;
  if (matchPattern(adaptor.getInput(), m_Constant(&attr)) &&
      (values = readConstant(attr))) {
    count = 0;
    for (int64_t i = 0, e = shapeProduct(input.getShape()); i < e; ++i)
      count += values->isFloat ? values->floatAt(i) != 0 : values->intAt(i) != 0;
  }
  results.push_back(RankedTensorType::get({input.getRank(), count},
                                          IntegerType::get(context, 64)));
  return success();
}

OpFoldResult NonZeroOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstantValues> in = readConstant(adaptor.getInput());
  if (!in || !getType().hasStaticShape())
    return {};
  ArrayRef<int64_t> shape = in->type.getShape();
  int64_t total = shapeProduct(shape), rank = shape.size();
  SmallVector<SmallVector<int64_t>> coords;
  SmallVector<int64_t> index(rank, 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    bool nonzero = in->isFloat ? in->floatAt(flat) != 0 : in->intAt(flat) != 0;
    if (nonzero)
      coords.push_back(index);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  std::vector<int64_t> values;
  for (int64_t d = 0; d < rank; ++d)
    for (const auto &c : coords)
      values.push_back(c[d]);
  return writeConstant(getType(), ArrayRef<int64_t>(values));
}

//===----------------------------------------------------------------------===//
// UniqueOp
//===----------------------------------------------------------------------===//

LogicalResult UniqueOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         UniqueOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  Type i64 = IntegerType::get(context, 64);
  if (auto axisAttr = adaptor.getAxisAttr()) {
    int64_t axis = axisAttr.getValue().getSExtValue();
    if (axis < 0 || axis >= input.getRank())
      return inferenceError(loc, "unique axis out of range");
    Shape shape(input.getShape());
    shape[axis] = kDynamic;
    results.push_back(RankedTensorType::get(shape, input.getElementType()));
    results.push_back(RankedTensorType::get({kDynamic}, i64));
    results.push_back(RankedTensorType::get({input.getDimSize(axis)}, i64));
  } else {
    results.push_back(RankedTensorType::get({kDynamic}, input.getElementType()));
    results.push_back(RankedTensorType::get({kDynamic}, i64));
    results.push_back(
        RankedTensorType::get({shapeProduct(input.getShape())}, i64));
  }
  results.push_back(RankedTensorType::get({kDynamic}, i64));
  return success();
}

LogicalResult UniqueOp::verify() { return success(); }
