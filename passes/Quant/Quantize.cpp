//===- Quantize.cpp - ops onto quantized types ----------------------------===//

#include "passes/Quant/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNQUANTIZE
#include "passes/Quant/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// A filter of type `type` ([M][...], f32) with row-major `values`,
/// quantized per output channel, symmetric, to i8 in [-127, 127]: the i8
/// constant cast to its quantized type.
Value quantizeFilter(OpBuilder &b, Location loc, RankedTensorType type, ArrayRef<float> values) {
  int64_t m = type.getDimSize(0), per = type.getNumElements() / m;
  SmallVector<double> scales(m);
  SmallVector<int64_t> zeroPoints(m, 0);
  std::vector<int8_t> q(values.size());
  for (int64_t o = 0; o < m; ++o) {
    float amax = 0;
    for (int64_t k = 0; k < per; ++k)
      amax = std::max(amax, std::fabs(values[o * per + k]));
    double scale = amax > 0 ? static_cast<double>(amax) / 127.0 : 1.0;
    scales[o] = scale;
    for (int64_t k = 0; k < per; ++k) {
      double v = std::nearbyint(static_cast<double>(values[o * per + k]) / scale);
      q[o * per + k] = static_cast<int8_t>(std::clamp(v, -127.0, 127.0));
    }
  }
  MLIRContext *ctx = b.getContext();
  Type i8 = IntegerType::get(ctx, 8);
  auto storageType = type.clone(i8);
  Value storage = ConstantOp::create(
      b, loc, DenseElementsAttr::get(storageType, llvm::ArrayRef<int8_t>(q)));
  auto qtype = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, i8, Float32Type::get(ctx), scales, zeroPoints,
      /*quantizedDimension=*/0, -127, 127);
  return quant::StorageCastOp::create(b, loc, type.clone(qtype), storage);
}

/// The f32 `input` converted to `inputType`.
Value quantizeInput(OpBuilder &b, Location loc, Value input,
                    quant::UniformQuantizedType inputType) {
  auto type = llvm::cast<RankedTensorType>(input.getType());
  return quant::QuantizeCastOp::create(b, loc, type.clone(inputType), input);
}

/// kiln.quantized_conv of the quantized `x` by the quantized filter `w`,
/// with an f32 result of type `type`, carrying the layer name of `from`,
/// the op it replaces.
Value createQuantizedConv(OpBuilder &b, Operation *from, Value x, Value w, Value bias,
                          RankedTensorType type, DenseI64ArrayAttr strides,
                          DenseI64ArrayAttr dilations, DenseI64ArrayAttr pads,
                          IntegerAttr group) {
  auto q = QuantizedConvOp::create(b, from->getLoc(), type, x, w, bias, strides, dilations,
                                   pads, group, FloatAttr(), FloatAttr());
  if (Attribute layer = from->getAttr(kLayerAttr))
    q->setAttr(kLayerAttr, layer);
  return q.getResult();
}

/// `conv` as kiln.quantized_conv on `inputType`, with an f32 result.
void rewriteConv(ConvOp conv, quant::UniformQuantizedType inputType) {
  OpBuilder b(conv);
  ElementsAttr filter;
  matchPattern(conv.getFilter(), m_Constant(&filter));
  std::vector<float> values(filter.getValues<float>().begin(), filter.getValues<float>().end());
  Value x = quantizeInput(b, conv.getLoc(), conv.getInput(), inputType);
  Value w = quantizeFilter(b, conv.getLoc(), conv.getFilter().getType(), values);
  conv.replaceAllUsesWith(createQuantizedConv(
      b, conv, x, w, conv.getBias(), conv.getType(),
      conv.getStridesAttr(), conv.getDilationsAttr(), conv.getPadsAttr(), conv.getGroupAttr()));
  conv.erase();
}

/// `gemm` (A [M][K] times constant B, plus a constant C [N]) as a 1x1
/// kiln.quantized_conv of M one-pixel images, with an f32 result.
void rewriteGemm(GemmOp gemm, quant::UniformQuantizedType inputType) {
  OpBuilder b(gemm);
  Location loc = gemm.getLoc();
  ElementsAttr bAttr;
  matchPattern(gemm.getB(), m_Constant(&bAttr));
  auto aType = gemm.getA().getType();
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1);
  int64_t n = llvm::cast<RankedTensorType>(gemm.getType()).getDimSize(1);
  // The filter [N][K][1][1] from B ([N][K] when transposed, else [K][N]).
  std::vector<float> values(bAttr.getValues<float>().begin(), bAttr.getValues<float>().end());
  std::vector<float> filter(values.size());
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < k; ++col)
      filter[row * k + col] = gemm.getTransB() ? values[row * k + col] : values[col * n + row];
  Value x = quantizeInput(b, loc, createReshape(b, loc, gemm.getA(), {m, k, 1, 1}), inputType);
  Value w = quantizeFilter(b, loc, RankedTensorType::get({n, k, 1, 1}, b.getF32Type()), filter);
  Value y = createQuantizedConv(
      b, gemm, x, w, gemm.getC(),
      RankedTensorType::get({m, n, 1, 1}, b.getF32Type()), b.getDenseI64ArrayAttr({1, 1}),
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      b.getI64IntegerAttr(1));
  gemm.replaceAllUsesWith(createReshape(b, loc, y, {m, n}));
  gemm.erase();
}

/// The bounds of a ReLU or a Clip with constant float bounds.
std::optional<std::pair<FloatAttr, FloatAttr>> clampOf(Operation *op) {
  Builder b(op->getContext());
  if (llvm::isa<ReluOp>(op))
    return std::make_pair(b.getF32FloatAttr(0.0f), FloatAttr());
  if (auto clip = llvm::dyn_cast<ClipOp>(op)) {
    auto lo = llvm::dyn_cast_or_null<FloatAttr>(clip.getMinAttr());
    auto hi = llvm::dyn_cast_or_null<FloatAttr>(clip.getMaxAttr());
    if ((clip.getMinAttr() && !lo) || (clip.getMaxAttr() && !hi))
      return std::nullopt;
    auto f32 = [&](FloatAttr a) {
      return a ? b.getF32FloatAttr(static_cast<float>(a.getValueAsDouble())) : FloatAttr();
    };
    return std::make_pair(f32(lo), f32(hi));
  }
  return std::nullopt;
}

} // namespace

void mlir::kiln::requantizeResult(QuantizedConvOp conv) {
  Value out = conv.getResult();
  Operation *clamp = nullptr;
  std::optional<std::pair<FloatAttr, FloatAttr>> bounds;
  if (out.hasOneUse() && (bounds = clampOf(*out.getUsers().begin()))) {
    clamp = *out.getUsers().begin();
    out = clamp->getResult(0);
    if (out.getType() != conv.getType())
      return;
  }
  Type target;
  SmallVector<Operation *> casts;
  for (Operation *user : out.getUsers()) {
    auto cast = llvm::dyn_cast<quant::QuantizeCastOp>(user);
    if (!cast || (target && cast.getType() != target))
      return;
    target = cast.getType();
    casts.push_back(cast);
  }
  auto q = llvm::dyn_cast_or_null<quant::UniformQuantizedType>(
      target ? getElementTypeOrSelf(target) : Type());
  if (!q || q.getStorageTypeIntegralWidth() != 8)
    return;
  conv.getResult().setType(llvm::cast<RankedTensorType>(target));
  if (clamp) {
    conv.setClampMinAttr(bounds->first);
    conv.setClampMaxAttr(bounds->second);
  }
  for (Operation *cast : casts) {
    cast->getResult(0).replaceAllUsesWith(conv.getResult());
    cast->erase();
  }
  if (clamp)
    clamp->erase();
}

namespace {

struct KilnQuantizePass : public mlir::kiln::impl::KilnQuantizeBase<KilnQuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<Operation *, quant::UniformQuantizedType>> convs;
    bool bad = false;
    getOperation().walk([&](Operation *op) {
      Attribute attr = op->getAttr(kInputQTypeAttr);
      if (!attr)
        return;
      auto typeAttr = llvm::dyn_cast<TypeAttr>(attr);
      auto qtype = typeAttr ? llvm::dyn_cast<quant::UniformQuantizedType>(typeAttr.getValue())
                            : nullptr;
      if (!qtype || !qtype.getExpressedType().isF32() ||
          qtype.getStorageTypeIntegralWidth() != 8) {
        op->emitOpError() << "has a " << kInputQTypeAttr
                          << " that is not a per-tensor 8-bit !quant.uniform type of f32";
        bad = true;
        return;
      }
      if (!isQuantizable(op)) {
        op->emitOpError() << "has a " << kInputQTypeAttr
                          << " but cannot be quantized (a 2-D f32 conv with one group, or "
                             "a gemm, with constant weights)";
        bad = true;
        return;
      }
      convs.push_back({op, qtype});
    });
    if (bad)
      return signalPassFailure();
    for (auto [op, qtype] : convs) {
      if (auto conv = llvm::dyn_cast<ConvOp>(op))
        rewriteConv(conv, qtype);
      else
        rewriteGemm(llvm::cast<GemmOp>(op), qtype);
    }
    // Requantizing epilogues once every consumer converts its input.
    if (!requantize)
      return;
    SmallVector<QuantizedConvOp> quantized;
    getOperation().walk([&](QuantizedConvOp op) { quantized.push_back(op); });
    for (QuantizedConvOp op : quantized)
      requantizeResult(op);
  }
};

} // namespace
