//===- QuantOps.cpp - ONNX-level quantization ops -------------------------===//

#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnQuantOps.cpp.inc"

/// Scales and zero points are scalars (per tensor) or 1-D of the extent of
/// `axis` (per channel), and agree with each other.
static LogicalResult verifyQuantParams(Operation *op, RankedTensorType input,
                                       Value scale, Value zeroPoint,
                                       int64_t axis) {
  auto scaleType = rankedType(scale);
  if (scaleType.getRank() > 1)
    return op->emitOpError("expects a scalar or 1-D scale");
  if (scaleType.getRank() == 1 && !scaleType.isDynamicDim(0) &&
      scaleType.getDimSize(0) != 1) {
    FailureOr<int64_t> a = normalizeAxis(axis, input.getRank());
    if (failed(a))
      return op->emitOpError("per-channel axis out of range");
    int64_t extent = input.getDimSize(*a);
    if (!ShapedType::isDynamic(extent) && extent != scaleType.getDimSize(0))
      return op->emitOpError() << "expects " << extent
                               << " per-channel scales, got "
                               << scaleType.getDimSize(0);
  }
  if (zeroPoint && failed(joinShapes(scaleType.getShape(),
                                     rankedType(zeroPoint).getShape())))
    return op->emitOpError("expects zero point and scale of one shape");
  return success();
}

LogicalResult QuantizeLinearOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location>,
    QuantizeLinearOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  Type element = adaptor.getZeroPoint()
                     ? rankedType(adaptor.getZeroPoint()).getElementType()
                     : IntegerType::get(context, 8, IntegerType::Unsigned);
  results.push_back(rankedType(adaptor.getInput()).clone(element));
  return success();
}

LogicalResult QuantizeLinearOp::verify() {
  return verifyQuantParams(*this, getInput().getType(), getScale(),
                           getZeroPoint(), getAxis());
}

LogicalResult DequantizeLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, DequantizeLinearOp::Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  results.push_back(rankedType(adaptor.getInput())
                        .clone(rankedType(adaptor.getScale()).getElementType()));
  return success();
}

LogicalResult DequantizeLinearOp::verify() {
  if (getZeroPoint() && rankedType(getZeroPoint()).getElementType() !=
                            getInput().getType().getElementType())
    return emitOpError("expects a zero point of the input's element type");
  return verifyQuantParams(*this, getInput().getType(), getScale(),
                           getZeroPoint(), getAxis());
}

LogicalResult DynamicQuantizeLinearOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location>,
    DynamicQuantizeLinearOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  Type u8 = IntegerType::get(context, 8, IntegerType::Unsigned);
  results.push_back(input.clone(u8));
  results.push_back(RankedTensorType::get({}, input.getElementType()));
  results.push_back(RankedTensorType::get({}, u8));
  return success();
}

LogicalResult MatMulIntegerOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc,
    MatMulIntegerOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  // Shapes follow kiln.matmul; the product accumulates in i32.
  SmallVector<Type> matmul;
  MatMulOp::Adaptor shapeOnly({adaptor.getLhs(), adaptor.getRhs()});
  if (failed(MatMulOp::inferReturnTypes(context, loc, shapeOnly, matmul)))
    return failure();
  results.push_back(
      llvm::cast<RankedTensorType>(matmul[0]).clone(IntegerType::get(context, 32)));
  return success();
}

LogicalResult MatMulIntegerOp::verify() {
  for (Value zp : {getLhsZeroPoint(), getRhsZeroPoint()})
    if (zp && rankedType(zp).getRank() > 1)
      return emitOpError("expects scalar or 1-D zero points");
  return success();
}

/// The shape kiln.conv gives `input` and `filter` under `adaptor`'s window
/// attributes, with the result element type `element`.
template <typename Adaptor>
static LogicalResult inferConvLike(MLIRContext *context,
                                   std::optional<Location> loc, Adaptor adaptor,
                                   Type element, SmallVectorImpl<Type> &results) {
  SmallVector<Type> conv;
  ConvOp::Properties props;
  props.strides = adaptor.getStridesAttr();
  props.dilations = adaptor.getDilationsAttr();
  props.pads = adaptor.getPadsAttr();
  props.group = adaptor.getGroupAttr();
  ConvOp::Adaptor shapeOnly({adaptor.getInput(), adaptor.getFilter()},
                            nullptr, props);
  if (failed(ConvOp::inferReturnTypes(context, loc, shapeOnly, conv)))
    return failure();
  results.push_back(llvm::cast<RankedTensorType>(conv[0]).clone(element));
  return success();
}

LogicalResult ConvIntegerOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              ConvIntegerOp::Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  return inferConvLike(context, loc, adaptor, IntegerType::get(context, 32),
                       results);
}

LogicalResult ConvIntegerOp::verify() {
  return verifyWindowAttrs(*this, getInput().getType().getRank() - 2,
                           getStrides(), getDilations(), getPads());
}

LogicalResult QLinearMatMulOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc,
    QLinearMatMulOp::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  SmallVector<Type> matmul;
  MatMulOp::Adaptor shapeOnly({adaptor.getLhs(), adaptor.getRhs()});
  if (failed(MatMulOp::inferReturnTypes(context, loc, shapeOnly, matmul)))
    return failure();
  results.push_back(llvm::cast<RankedTensorType>(matmul[0]).clone(
      rankedType(adaptor.getOutputZeroPoint()).getElementType()));
  return success();
}

LogicalResult QLinearMatMulOp::verify() {
  if (getLhsZeroPoint().getType().getElementType() !=
          getLhs().getType().getElementType() ||
      getRhsZeroPoint().getType().getElementType() !=
          getRhs().getType().getElementType())
    return emitOpError("expects zero points of their operand's element type");
  return success();
}

LogicalResult QLinearConvOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              QLinearConvOp::Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  return inferConvLike(context, loc, adaptor,
                       rankedType(adaptor.getOutputZeroPoint()).getElementType(),
                       results);
}

LogicalResult QLinearConvOp::verify() {
  if (failed(verifyWindowAttrs(*this, getInput().getType().getRank() - 2,
                               getStrides(), getDilations(), getPads())))
    return failure();
  return verifyQuantParams(*this, getFilter().getType(), getFilterScale(),
                           getFilterZeroPoint(), 0);
}

//===----------------------------------------------------------------------===//
// QuantizedConvOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizedConvOp::verify() {
  auto input = getInput().getType();
  auto filter = getFilter().getType();
  if (failed(verifyWindowAttrs(*this, input.getRank() - 2, getStrides(), getDilations(),
                               getPads())))
    return failure();
  auto in = llvm::dyn_cast<quant::UniformQuantizedType>(input.getElementType());
  if (!in || !in.getExpressedType().isF32() || in.getStorageTypeIntegralWidth() != 8)
    return emitOpError("expects an input of a per-tensor !quant.uniform type of 8-bit "
                       "storage and f32 expressed type");
  Type w = filter.getElementType();
  auto wTensor = llvm::dyn_cast<quant::UniformQuantizedType>(w);
  auto wAxis = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(w);
  if (!(wTensor || wAxis) || !llvm::cast<quant::QuantizedType>(w).isSigned() ||
      llvm::cast<quant::QuantizedType>(w).getStorageTypeIntegralWidth() != 8 ||
      !llvm::cast<quant::QuantizedType>(w).getExpressedType().isF32())
    return emitOpError("expects a filter of a !quant.uniform type of i8 storage and f32 "
                       "expressed type");
  if (wTensor && wTensor.getZeroPoint() != 0)
    return emitOpError("expects a symmetric filter (zero point 0)");
  if (wAxis) {
    if (wAxis.getQuantizedDimension() != 0)
      return emitOpError("expects filter scales along the output channels (axis 0)");
    if (llvm::any_of(wAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return emitOpError("expects a symmetric filter (zero points 0)");
    if (!filter.isDynamicDim(0) &&
        static_cast<int64_t>(wAxis.getScales().size()) != filter.getDimSize(0))
      return emitOpError() << "expects " << filter.getDimSize(0) << " filter scales, got "
                           << wAxis.getScales().size();
  }
  Type out = getOutput().getType().getElementType();
  auto outQ = llvm::dyn_cast<quant::UniformQuantizedType>(out);
  if (!out.isF32() && !(outQ && outQ.getExpressedType().isF32() &&
                        outQ.getStorageTypeIntegralWidth() == 8))
    return emitOpError("expects an f32 result or a per-tensor !quant.uniform result of "
                       "8-bit storage");
  if (getClampMin() && getClampMax() && *getClampMin() > *getClampMax())
    return emitOpError("expects clamp_min <= clamp_max");
  if (failed(verifyConvOperands(*this, input, filter, getBias(), getGroup(),
                                /*transposed=*/false)))
    return failure();
  SmallVector<Type> inferred;
  ConvOp::Properties props;
  props.strides = getStridesAttr();
  props.dilations = getDilationsAttr();
  props.pads = getPadsAttr();
  props.group = getGroupAttr();
  ConvOp::Adaptor shapeOnly({getInput(), getFilter()}, nullptr, props);
  if (failed(ConvOp::inferReturnTypes(getContext(), getLoc(), shapeOnly, inferred)))
    return failure();
  if (failed(joinShapes(llvm::cast<RankedTensorType>(inferred[0]).getShape(),
                        getOutput().getType().getShape())))
    return emitOpError() << "expects a result of shape "
                         << llvm::cast<RankedTensorType>(inferred[0]) << "'s";
  return success();
}

SmallVector<double> QuantizedConvOp::getFilterScales() {
  RankedTensorType filter = getFilter().getType();
  if (auto a = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(filter.getElementType()))
    return SmallVector<double>(a.getScales().begin(), a.getScales().end());
  return SmallVector<double>(
      filter.getDimSize(0),
      llvm::cast<quant::UniformQuantizedType>(filter.getElementType()).getScale());
}
