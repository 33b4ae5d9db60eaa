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

/// The filter [M][...] quantized per output channel, symmetric, to i8 in
/// [-127, 127]: the i8 constant cast to its quantized type.
Value quantizeFilter(OpBuilder &b, Location loc, ElementsAttr filter) {
  auto type = llvm::cast<RankedTensorType>(filter.getType());
  int64_t m = type.getDimSize(0), per = type.getNumElements() / m;
  std::vector<float> values(filter.getValues<float>().begin(), filter.getValues<float>().end());
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

/// Copies the discardable attributes a rewrite keeps (the layer name).
void keepAttrs(Operation *from, Operation *to) {
  if (Attribute layer = from->getAttr(kLayerAttr))
    to->setAttr(kLayerAttr, layer);
}

/// `conv` as kiln.quantized_conv on `inputType`, with an f32 result.
void rewriteConv(ConvOp conv, quant::UniformQuantizedType inputType) {
  OpBuilder b(conv);
  Location loc = conv.getLoc();
  ElementsAttr filter;
  matchPattern(conv.getFilter(), m_Constant(&filter));
  auto inType = conv.getInput().getType();
  Value x = quant::QuantizeCastOp::create(b, loc, inType.clone(inputType), conv.getInput());
  Value w = quantizeFilter(b, loc, filter);
  auto q = QuantizedConvOp::create(b, loc, conv.getType(), x, w, conv.getBias(),
                                   conv.getStridesAttr(), conv.getDilationsAttr(),
                                   conv.getPadsAttr(), conv.getGroupAttr(), FloatAttr(),
                                   FloatAttr());
  keepAttrs(conv, q);
  conv.replaceAllUsesWith(q.getResult());
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
  auto filterType = RankedTensorType::get({n, k, 1, 1}, b.getF32Type());
  Value w = quantizeFilter(
      b, loc, llvm::cast<ElementsAttr>(
                  DenseElementsAttr::get(filterType, llvm::ArrayRef<float>(filter))));
  Value a = createReshape(b, loc, gemm.getA(), {m, k, 1, 1});
  auto imageType = llvm::cast<RankedTensorType>(a.getType());
  Value x = quant::QuantizeCastOp::create(b, loc, imageType.clone(inputType), a);
  auto outType = RankedTensorType::get({m, n, 1, 1}, b.getF32Type());
  auto q = QuantizedConvOp::create(b, loc, outType, x, w, gemm.getC(),
                                   b.getDenseI64ArrayAttr({1, 1}),
                                   b.getDenseI64ArrayAttr({1, 1}),
                                   b.getDenseI64ArrayAttr({0, 0, 0, 0}),
                                   b.getI64IntegerAttr(1), FloatAttr(), FloatAttr());
  keepAttrs(gemm, q);
  gemm.replaceAllUsesWith(createReshape(b, loc, q.getResult(), {m, n}));
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

/// A requantizing epilogue: when every use of the result (or of the ReLU or
/// Clip that is its only use) converts it to one quantized type, the op
/// produces that type and the conversions go.
void requantizeResult(QuantizedConvOp conv) {
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
