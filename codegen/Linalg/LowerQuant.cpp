//===- LowerQuant.cpp - quantized types to their integer storage ----------===//
//
// kiln-lower-quant: the last step of quantization before lowering to
// linalg. Values of `!quant.uniform` tensor types become tensors of their
// storage type (ui8 for unsigned storage, i8 for signed), and the ops that
// give the types meaning become kiln's integer ops:
//
//   quant.qcast          kiln.quantize_linear with constant scale and zero
//                        point (per tensor or per axis)
//   quant.dcast          kiln.dequantize_linear
//   quant.scast          nothing (storage and quantized values are the same
//                        bits)
//   kiln.quantized_conv  kiln.conv_integer (i32), then in f32 the product of
//                        the scales per output channel, the bias, the clamp
//                        and, for a quantized result, kiln.quantize_linear
//
// Ops that only move data (transposes, reshapes, concats of quantized
// values) keep their bits and take the storage type. The result is exact
// integer arithmetic with ONNX's rounding; targets with integer kernels
// rewrite quantized_conv first (kiln-cpu-microkernels) and this pass lowers
// what remains.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/Passes.h"
#include "dialects/Kiln/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNLOWERQUANT
#include "codegen/Linalg/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The kiln element type holding a quantized type's bits: ui8 / i8 (and
/// wider) as its storage is unsigned or signed.
Type storageElement(quant::QuantizedType q) {
  return IntegerType::get(q.getContext(), q.getStorageTypeIntegralWidth(),
                          q.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
}

/// `type` with a quantized element type replaced by its storage; other
/// types unchanged.
Type storageType(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return type;
  auto q = llvm::dyn_cast<quant::QuantizedType>(tensor.getElementType());
  return q ? tensor.clone(storageElement(q)) : type;
}

quant::QuantizedType quantizedElement(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor ? llvm::dyn_cast<quant::QuantizedType>(tensor.getElementType()) : nullptr;
}

/// Scales and zero points of a quantized type as constants for
/// kiln.quantize_linear / dequantize_linear, and the axis.
struct QuantParams {
  Value scale, zeroPoint;
  int64_t axis = 1;
};

FailureOr<QuantParams> paramsOf(OpBuilder &b, Location loc, quant::QuantizedType q) {
  if (!q)
    return failure();
  MLIRContext *ctx = b.getContext();
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  QuantParams params;
  bool perAxis = false;
  if (auto u = llvm::dyn_cast<quant::UniformQuantizedType>(q)) {
    scales.push_back(u.getScale());
    zeroPoints.push_back(u.getZeroPoint());
  } else if (auto a = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    scales.assign(a.getScales().begin(), a.getScales().end());
    zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    params.axis = a.getQuantizedDimension();
    perAxis = true;
  } else {
    return failure();
  }
  Type zpElement = storageElement(q);
  SmallVector<int64_t> shape;
  if (perAxis)
    shape.push_back(static_cast<int64_t>(scales.size()));
  SmallVector<float> scaleValues(scales.begin(), scales.end());
  auto scaleType = RankedTensorType::get(shape, Float32Type::get(ctx));
  params.scale = ConstantOp::create(
      b, loc, DenseElementsAttr::get(scaleType, llvm::ArrayRef<float>(scaleValues)));
  auto zpType = RankedTensorType::get(shape, zpElement);
  SmallVector<APInt> zps;
  for (int64_t z : zeroPoints)
    zps.push_back(APInt(q.getStorageTypeIntegralWidth(), static_cast<uint64_t>(z),
                        q.isSigned()));
  params.zeroPoint = ConstantOp::create(b, loc, DenseElementsAttr::get(zpType, zps));
  return params;
}

/// A constant f32 tensor of shape [1, M, 1, ...] (rank `rank`) from values
/// per output channel.
Value channelConstant(OpBuilder &b, Location loc, ArrayRef<float> values, int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = static_cast<int64_t>(values.size());
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

/// The runtime's kernel: y = saturate(round(x / scale) + zp), u8.
Value quantizeKernel(OpBuilder &b, Location loc, Value input, RankedTensorType storage,
                     float scale, int64_t zeroPoint) {
  Value init = tensor::EmptyOp::create(b, loc, storage.getShape(), storage.getElementType());
  auto kernel = MicrokernelOp::create(
      b, loc, TypeRange{storage}, b.getStringAttr("quantize_u8"),
      b.getStringAttr("avx512vnni"), ValueRange{input}, ValueRange{init},
      b.getDenseI64ArrayAttr({storage.getNumElements(), zeroPoint}),
      b.getDenseF32ArrayAttr({scale}));
  return kernel.getResult(0);
}

/// kiln.quantize_linear per tensor from static f32 to ui8 with constant
/// parameters as the runtime's kernel (a pre-quantized model's
/// quantizations that float ops read); false when it is not one.
bool quantizeLinearAsKernel(QuantizeLinearOp op) {
  auto inType = llvm::cast<RankedTensorType>(op.getInput().getType());
  auto outType = llvm::cast<RankedTensorType>(op.getType());
  ElementsAttr scale, zp;
  if (!inType.hasStaticShape() || !inType.getElementType().isF32() ||
      !outType.getElementType().isUnsignedInteger(8) ||
      !matchPattern(op.getScale(), m_Constant(&scale)) || scale.getNumElements() != 1 ||
      !scale.getElementType().isF32() ||
      (op.getZeroPoint() && (!matchPattern(op.getZeroPoint(), m_Constant(&zp)) ||
                             zp.getNumElements() != 1)))
    return false;
  float s = *scale.getValues<float>().begin();
  if (!(s > 0.0f) || !std::isfinite(s))
    return false;
  int64_t z = zp ? static_cast<int64_t>((*zp.getValues<APInt>().begin()).getZExtValue()) : 0;
  OpBuilder b(op);
  op.replaceAllUsesWith(quantizeKernel(b, op.getLoc(), op.getInput(), outType, s, z));
  op.erase();
  return true;
}

/// quantized_conv as integer convolution and a float epilogue.
LogicalResult lowerConv(QuantizedConvOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto inQ = llvm::cast<quant::UniformQuantizedType>(op.getInput().getType().getElementType());
  RankedTensorType filterType = op.getFilter().getType();
  int64_t m = filterType.getDimSize(0);
  SmallVector<double> wScales = op.getFilterScales();
  Value x = quant::StorageCastOp::create(b, loc, storageType(op.getInput().getType()),
                                         op.getInput());
  Value w = quant::StorageCastOp::create(b, loc, storageType(filterType), op.getFilter());
  Type xzpType = RankedTensorType::get({}, storageElement(inQ));
  Value xzp = ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(llvm::cast<ShapedType>(xzpType),
                             APInt(8, static_cast<uint64_t>(inQ.getZeroPoint()),
                                   inQ.isSigned())));
  auto outType = op.getOutput().getType();
  auto accType = outType.clone(b.getI32Type());
  Value acc = ConvIntegerOp::create(b, loc, accType, x, w, xzp, /*filter_zero_point=*/Value(),
                                    op.getStridesAttr(), op.getDilationsAttr(),
                                    op.getPadsAttr(), op.getGroupAttr());
  auto f32Type = outType.clone(b.getF32Type());
  Value f = CastOp::create(b, loc, f32Type, acc);
  SmallVector<float> scales;
  for (double s : wScales)
    scales.push_back(static_cast<float>(inQ.getScale() * s));
  int64_t rank = outType.getRank();
  f = MulOp::create(b, loc, f32Type, f, channelConstant(b, loc, scales, rank));
  if (Value bias = op.getBias()) {
    SmallVector<int64_t> shape(rank, 1);
    shape[1] = m;
    f = AddOp::create(b, loc, f32Type, f, createReshape(b, loc, bias, shape));
  }
  if (op.getClampMin() || op.getClampMax())
    f = ClipOp::create(b, loc, f32Type, f,
                       op.getClampMinAttr() ? TypedAttr(op.getClampMinAttr()) : TypedAttr(),
                       op.getClampMaxAttr() ? TypedAttr(op.getClampMaxAttr()) : TypedAttr());
  Value result = f;
  if (quant::QuantizedType outQ = quantizedElement(outType)) {
    FailureOr<QuantParams> params = paramsOf(b, loc, outQ);
    if (failed(params))
      return op.emitOpError("has a result type kiln-lower-quant does not know");
    Value q = QuantizeLinearOp::create(b, loc, storageType(outType), f, params->scale,
                                       params->zeroPoint, b.getI64IntegerAttr(params->axis));
    result = quant::StorageCastOp::create(b, loc, outType, q);
  }
  op.replaceAllUsesWith(result);
  op.erase();
  return success();
}

struct KilnLowerQuantPass
    : public mlir::kiln::impl::KilnLowerQuantBase<KilnLowerQuantPass> {
  using Base::Base;

  void runOnOperation() override {
    // First: every op that gives a quantized type meaning is replaced by
    // integer ops between storage casts, while the types are still known.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (llvm::isa<quant::QuantizeCastOp, quant::DequantizeCastOp, QuantizedConvOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (auto conv = llvm::dyn_cast<QuantizedConvOp>(op)) {
        if (failed(lowerConv(conv)))
          return signalPassFailure();
        continue;
      }
      bool quantize = llvm::isa<quant::QuantizeCastOp>(op);
      Type qtype = quantize ? op->getResult(0).getType() : op->getOperand(0).getType();
      FailureOr<QuantParams> params = paramsOf(b, loc, quantizedElement(qtype));
      if (failed(params)) {
        op->emitOpError("has a quantized type kiln-lower-quant does not know (only "
                        "!quant.uniform, per tensor or per axis)");
        return signalPassFailure();
      }
      Value replacement;
      auto inputType = llvm::cast<RankedTensorType>(op->getOperand(0).getType());
      auto uniform = llvm::dyn_cast<quant::UniformQuantizedType>(quantizedElement(qtype));
      if (quantize && kernelIsa == "avx512vnni" && uniform && !uniform.isSigned() &&
          uniform.getStorageTypeIntegralWidth() == 8 && inputType.hasStaticShape() &&
          inputType.getElementType().isF32()) {
        Value q = quantizeKernel(b, loc, op->getOperand(0),
                                 llvm::cast<RankedTensorType>(storageType(qtype)),
                                 static_cast<float>(uniform.getScale()),
                                 uniform.getZeroPoint());
        replacement = quant::StorageCastOp::create(b, loc, qtype, q);
      } else if (quantize) {
        Value q = QuantizeLinearOp::create(b, loc, storageType(qtype), op->getOperand(0),
                                           params->scale, params->zeroPoint,
                                           b.getI64IntegerAttr(params->axis));
        replacement = quant::StorageCastOp::create(b, loc, qtype, q);
      } else {
        Value s = quant::StorageCastOp::create(b, loc, storageType(qtype), op->getOperand(0));
        replacement = DequantizeLinearOp::create(b, loc, op->getResult(0).getType(), s,
                                                 params->scale, params->zeroPoint,
                                                 b.getI64IntegerAttr(params->axis));
      }
      op->getResult(0).replaceAllUsesWith(replacement);
      op->erase();
    }
    if (kernelIsa == "avx512vnni") {
      SmallVector<QuantizeLinearOp> quantizes;
      getOperation()->walk([&](QuantizeLinearOp op) { quantizes.push_back(op); });
      for (QuantizeLinearOp op : quantizes)
        quantizeLinearAsKernel(op);
    }
    // Then every remaining quantized type (results of storage casts and of
    // ops that move quantized data) becomes its storage type, after which
    // the storage casts are identities.
    bool bad = false;
    getOperation()->walk([&](Operation *op) {
      for (Value result : op->getResults())
        result.setType(storageType(result.getType()));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            arg.setType(storageType(arg.getType()));
      if (auto func = llvm::dyn_cast<func::FuncOp>(op))
        if (llvm::any_of(func.getFunctionType().getInputs(), quantizedElement) ||
            llvm::any_of(func.getFunctionType().getResults(), quantizedElement)) {
          func.emitOpError("takes or returns quantized tensors; a library's inputs and "
                           "outputs are plain numbers");
          bad = true;
        }
    });
    if (bad)
      return signalPassFailure();
    SmallVector<quant::StorageCastOp> casts;
    getOperation()->walk([&](quant::StorageCastOp op) { casts.push_back(op); });
    for (quant::StorageCastOp op : casts) {
      op.getResult().replaceAllUsesWith(op.getInput());
      op.erase();
    }
  }
};

} // namespace
