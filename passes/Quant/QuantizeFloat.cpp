//===- QuantizeFloat.cpp - weights rounded to bf16 or f16 -----------------===//
//
// kiln-quantize-float: the cheaper trade than int8. The constant weights of
// convolutions and matrix products are rounded to bf16 or f16 (to nearest,
// ties to even) and stay f32 tensors; activations and accumulation stay
// f32. Code generation stores weights that are exact in a 16-bit type in
// that type (codegen/CPU/Microkernels.cpp), so the library computes
// exactly what this IR does, with half the weight bytes.
//
//===----------------------------------------------------------------------===//

#include "passes/Quant/Passes.h"

#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNQUANTIZEFLOAT
#include "passes/Quant/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The weights operand of an op whose weights the pass rounds, or null
/// with the reason in `whyNot` (for the ops it never rounds). Only weights
/// that the CPU kernels can read narrow are taken: the filters of
/// convolutions (but depthwise ones, whose kernel reads f32 and whose
/// weights are few), transposed convolutions of one group, gemms with
/// alpha 1 and matmuls by a matrix.
Value weightsOf(Operation *op, std::string &whyNot) {
  if (auto conv = llvm::dyn_cast<ConvOp>(op)) {
    auto in = llvm::dyn_cast<RankedTensorType>(conv.getInput().getType());
    auto w = llvm::dyn_cast<RankedTensorType>(conv.getFilter().getType());
    if (!in || !w || in.getRank() != 4 || w.getRank() != 4) {
      whyNot = "not a 2-D convolution";
      return {};
    }
    int64_t g = conv.getGroup();
    if (g > 1 && g == in.getDimSize(1) && g == w.getDimSize(0)) {
      whyNot = "depthwise: its kernel reads f32 weights (they are few)";
      return {};
    }
    return conv.getFilter();
  }
  if (auto conv = llvm::dyn_cast<ConvTransposeOp>(op)) {
    if (conv.getGroup() == 1)
      return conv.getFilter();
    whyNot = "grouped transposed convolution: its lowering reads f32 weights";
    return {};
  }
  if (auto gemm = llvm::dyn_cast<GemmOp>(op)) {
    if (gemm.getAlpha().convertToFloat() == 1.0f)
      return gemm.getB();
    whyNot = "gemm with alpha != 1: its kernel's weights are scaled by alpha";
    return {};
  }
  if (auto matmul = llvm::dyn_cast<MatMulOp>(op)) {
    auto rhs = llvm::dyn_cast<RankedTensorType>(matmul.getRhs().getType());
    if (rhs && rhs.getRank() == 2)
      return matmul.getRhs();
    whyNot = "batched matmul: its lowering reads f32 weights";
    return {};
  }
  return {};
}

struct KilnQuantizeFloatPass
    : public mlir::kiln::impl::KilnQuantizeFloatBase<KilnQuantizeFloatPass> {
  using Base::Base;

  void runOnOperation() override {
    const llvm::fltSemantics *semantics = type == "bf16"  ? &llvm::APFloat::BFloat()
                                          : type == "f16" ? &llvm::APFloat::IEEEhalf()
                                                          : nullptr;
    if (!semantics) {
      getOperation().emitError() << "kiln-quantize-float: type must be bf16 or f16, not '"
                                 << type << "'";
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    getOperation().walk([&](Operation *op) {
      std::string whyNot;
      Value weights = weightsOf(op, whyNot);
      if (!whyNot.empty()) {
        op->setAttr(kPrecisionReasonAttr, StringAttr::get(ctx, whyNot));
        if (explain)
          op->emitRemark() << "stays f32: " << whyNot;
        return;
      }
      ElementsAttr values;
      auto wType = weights ? llvm::dyn_cast<RankedTensorType>(weights.getType()) : nullptr;
      if (!wType || !wType.hasStaticShape() || !wType.getElementType().isF32() ||
          !matchPattern(weights, m_Constant(&values)))
        return;
      if (auto precision = op->getAttrOfType<StringAttr>(kPrecisionAttr);
          precision && precision.getValue() == "f32")
        return;
      std::vector<float> rounded;
      rounded.reserve(static_cast<size_t>(wType.getNumElements()));
      bool overflow = false;
      for (float v : values.getValues<float>()) {
        llvm::APFloat f(v);
        bool lost;
        f.convert(*semantics, llvm::APFloat::rmNearestTiesToEven, &lost);
        overflow |= f.isInfinity() && !std::isinf(v);
        f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven, &lost);
        rounded.push_back(f.convertToFloat());
      }
      if (overflow) {
        op->setAttr(kPrecisionAttr, StringAttr::get(ctx, "f32"));
        op->setAttr(kPrecisionReasonAttr,
                    StringAttr::get(ctx, "weights past " + type + "'s largest value"));
        if (explain)
          op->emitRemark() << "stays f32: its weights exceed " << type << "'s range";
        return;
      }
      OpBuilder b(op);
      Value narrow = ConstantOp::create(
          b, weights.getLoc(), DenseElementsAttr::get(wType, llvm::ArrayRef<float>(rounded)));
      op->replaceUsesOfWith(weights, narrow);
      op->setAttr(kPrecisionAttr, StringAttr::get(ctx, type));
    });
  }
};

} // namespace
