//===- LoweringUtils.cpp - helpers for lowering kiln to linalg ------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::kiln;

Type mlir::kiln::signlessElement(Type element) {
  if (auto i = llvm::dyn_cast<IntegerType>(element); i && !i.isSignless())
    return IntegerType::get(i.getContext(), i.getWidth());
  return element;
}

KilnTypeConverter::KilnTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type { return signlessElement(type); });
  addConversion([](RankedTensorType type) -> Type {
    return type.clone(signlessElement(type.getElementType()));
  });
  auto castMaterialization = [](OpBuilder &b, Type type, ValueRange inputs,
                                Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(castMaterialization);
  addTargetMaterialization(castMaterialization);
}

Value mlir::kiln::emptyTensor(OpBuilder &b, Location loc,
                              ArrayRef<int64_t> shape, Type element) {
  return tensor::EmptyOp::create(b, loc, shape, signlessElement(element));
}

Value mlir::kiln::scalarConstant(OpBuilder &b, Location loc, Type element,
                                 double value) {
  Type type = signlessElement(element);
  if (auto f = llvm::dyn_cast<FloatType>(type)) {
    APFloat v(value);
    bool lost;
    v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  if (llvm::isa<IndexType>(type))
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  return arith::ConstantOp::create(
      b, loc, type,
      b.getIntegerAttr(type, APInt(type.getIntOrFloatBitWidth(),
                                   static_cast<uint64_t>(static_cast<int64_t>(value)),
                                   /*isSigned=*/true, /*implicitTrunc=*/true)));
}

Value mlir::kiln::lowestValue(OpBuilder &b, Location loc, Type element,
                              bool highest) {
  Type type = signlessElement(element);
  if (auto f = llvm::dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, type,
        b.getFloatAttr(type, APFloat::getInf(f.getFloatSemantics(), !highest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned(element)
                    ? (highest ? APInt::getMaxValue(width) : APInt::getMinValue(width))
                    : (highest ? APInt::getSignedMaxValue(width)
                               : APInt::getSignedMinValue(width));
  if (width == 1)
    value = APInt(1, highest ? 1 : 0);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, value));
}

Value mlir::kiln::convertScalar(OpBuilder &b, Location loc, Value value,
                                Type from, Type to) {
  Type target = signlessElement(to);
  if (from == to)
    return value;
  bool fromFloat = llvm::isa<FloatType>(from);
  bool toFloat = llvm::isa<FloatType>(target);
  // Anything to bool: non-zero.
  if (target.isInteger(1) && !from.isInteger(1)) {
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   scalarConstant(b, loc, from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                 scalarConstant(b, loc, from, 0));
  }
  if (fromFloat && toFloat) {
    unsigned fw = from.getIntOrFloatBitWidth(), tw = target.getIntOrFloatBitWidth();
    if (fw < tw)
      return arith::ExtFOp::create(b, loc, target, value);
    if (fw > tw || from != target)
      return arith::TruncFOp::create(b, loc, target, value);
    return value;
  }
  if (fromFloat)
    return isUnsigned(to) ? Value(arith::FPToUIOp::create(b, loc, target, value))
                          : Value(arith::FPToSIOp::create(b, loc, target, value));
  bool fromUnsigned = isUnsigned(from) || from.isInteger(1);
  if (toFloat)
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, target, value))
                        : Value(arith::SIToFPOp::create(b, loc, target, value));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = target.getIntOrFloatBitWidth();
  if (fw < tw)
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, target, value))
                        : Value(arith::ExtSIOp::create(b, loc, target, value));
  if (fw > tw)
    return arith::TruncIOp::create(b, loc, target, value);
  return value;
}

AffineMap mlir::kiln::broadcastMap(MLIRContext *context,
                                   ArrayRef<int64_t> operandShape,
                                   ArrayRef<int64_t> resultShape) {
  size_t rank = resultShape.size();
  size_t offset = rank - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (size_t i = 0; i < operandShape.size(); ++i) {
    bool broadcast = operandShape[i] == 1 && resultShape[i + offset] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, context)
                              : getAffineDimExpr(i + offset, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

Value mlir::kiln::buildBroadcastGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(context, rankedType(input).getShape(), shape));
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, shape, resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

LogicalResult mlir::kiln::requireStaticShapes(Operation *op, TypeRange types) {
  for (Type type : types) {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return op->emitOpError()
             << "needs static shapes for code generation, got " << type
             << " (give dynamic input dimensions with --input-shape)";
  }
  return success();
}

LogicalResult mlir::kiln::requireStaticShapes(Operation *op) {
  if (failed(requireStaticShapes(op, op->getOperandTypes())))
    return failure();
  return requireStaticShapes(op, op->getResultTypes());
}

SmallVector<Value> mlir::kiln::buildGeneric(
    OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
    ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body) {
  auto generic = linalg::GenericOp::create(
      b, loc, ValueRange(inits).getTypes(), inputs, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
      });
  return SmallVector<Value>(generic.getResults());
}

Value mlir::kiln::filledTensor(OpBuilder &b, Location loc,
                               ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value mlir::kiln::padTensor(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                            Value value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = rankedType(input);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    shape.push_back(type.getDimSize(i) + low[i] + high[i]);
  auto resultType = type.clone(shape);
  return tensor::PadOp::create(b, loc, resultType, input,
                               getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high),
                               value);
}

Value mlir::kiln::extractSlice(OpBuilder &b, Location loc, Value input,
                               ArrayRef<int64_t> offsets,
                               ArrayRef<int64_t> sizes,
                               ArrayRef<int64_t> strides) {
  auto type = rankedType(input).clone(sizes);
  // An empty slice may start anywhere (even past the end): it reads nothing.
  if (type.getNumElements() == 0)
    return tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, type, input, ValueRange{},
                                        ValueRange{}, ValueRange{}, offsets,
                                        sizes, strides);
}

Value mlir::kiln::reshapeTensor(OpBuilder &b, Location loc, Value input,
                                ArrayRef<int64_t> shape) {
  auto type = rankedType(input);
  if (type.getShape() == shape)
    return input;
  auto shapeType = RankedTensorType::get({static_cast<int64_t>(shape.size())},
                                         b.getI64Type());
  Value target = arith::ConstantOp::create(
      b, loc, shapeType, DenseIntElementsAttr::get(shapeType, shape));
  return tensor::ReshapeOp::create(b, loc, type.clone(shape), input, target);
}

Value mlir::kiln::reduceTensor(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = rankedType(input);
  int64_t rank = type.getRank();
  SmallVector<int64_t> kept;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(axes, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      kept.push_back(type.getDimSize(i));
      outExprs.push_back(b.getAffineDimExpr(i));
    }
  }
  Value acc = filledTensor(b, loc, kept, init);
  SmallVector<AffineMap> maps{
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, outExprs, b.getContext())};
  return buildGeneric(b, loc, input, acc, maps, iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return SmallVector<Value>{combine(nb, nl, args[1], args[0])};
                      })[0];
}

Value mlir::kiln::idx(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value mlir::kiln::clampIndex(OpBuilder &b, Location loc, Value v, int64_t size) {
  Value lo = arith::MaxSIOp::create(b, loc, v, idx(b, loc, 0));
  return arith::MinSIOp::create(b, loc, lo, idx(b, loc, std::max<int64_t>(size - 1, 0)));
}

Value mlir::kiln::toIndex(OpBuilder &b, Location loc, Value v, Type element) {
  Value wide = convertScalar(b, loc, v, element, b.getI64Type());
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), wide);
}
