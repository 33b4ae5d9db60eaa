//===- KilnDialect.cpp - dialect registration and dialect-wide rewrites ---===//

#include "dialects/Kiln/KilnDialect.h"

#include "dialects/Kiln/ShapeUtils.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::kiln;

#include "dialects/Kiln/KilnDialect.cpp.inc"
#include "dialects/Kiln/KilnEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/Kiln/KilnAttrs.cpp.inc"

void KilnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Kiln/KilnElementwiseOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnNNOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnReductionOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnTensorOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnQuantOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnRecurrentOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnControlFlowOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialects/Kiln/KilnKernelOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Kiln/KilnAttrs.cpp.inc"
      >();
}

Operation *KilnDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements)
    return nullptr;
  auto constant = ConstantOp::create(builder, loc, elements.getType(), elements);
  if (constant.getType() == type)
    return constant;
  // Folding may know a more static shape than the op it replaces declared;
  // the cast keeps the old type for users that insist on it.
  if (!tensor::CastOp::areCastCompatible(constant.getType(), type))
    return nullptr;
  return tensor::CastOp::create(builder, loc, type, constant.getResult());
}

//===----------------------------------------------------------------------===//
// Result-type compatibility
//===----------------------------------------------------------------------===//

bool mlir::kiln::areCompatibleElementTypes(Type inferred, Type actual) {
  if (inferred == actual)
    return true;
  auto qi = llvm::dyn_cast<quant::QuantizedType>(inferred);
  auto qa = llvm::dyn_cast<quant::QuantizedType>(actual);
  return qi && qa && qi.getStorageType() == qa.getStorageType() &&
         qi.getExpressedType() == qa.getExpressedType();
}

bool mlir::kiln::areCompatibleReturnTypes(TypeRange inferred,
                                          TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [i, a] : llvm::zip(inferred, actual)) {
    auto ti = llvm::dyn_cast<RankedTensorType>(i);
    auto ta = llvm::dyn_cast<RankedTensorType>(a);
    if (!ti || !ta) {
      if (i != a)
        return false;
      continue;
    }
    if (!areCompatibleElementTypes(ti.getElementType(), ta.getElementType()) ||
        failed(joinShapes(ti.getShape(), ta.getShape())))
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Result-type refinement
//===----------------------------------------------------------------------===//

/// The join of the current and the inferred result types, when it is strictly
/// more static for some result.
static LogicalResult inferRefinedTypes(Operation *op,
                                       SmallVectorImpl<Type> &refined) {
  SmallVector<Type> inferred;
  if (auto infer = llvm::dyn_cast<InferTypeOpInterface>(op)) {
    if (failed(infer.inferReturnTypes(
            op->getContext(), /*location=*/std::nullopt, op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), inferred)))
      return failure();
  } else if (op->hasTrait<mlir::OpTrait::SameOperandsAndResultShape>()) {
    auto operandType =
        llvm::dyn_cast<RankedTensorType>(op->getOperand(0).getType());
    if (!operandType)
      return failure();
    for (Type t : op->getResultTypes())
      inferred.push_back(operandType.clone(
          llvm::cast<RankedTensorType>(t).getElementType()));
  } else {
    return failure();
  }
  if (inferred.size() != op->getNumResults())
    return failure();
  bool moreStatic = false;
  for (auto [current, candidate] : llvm::zip(op->getResultTypes(), inferred)) {
    auto c = llvm::dyn_cast<RankedTensorType>(current);
    auto n = llvm::dyn_cast<RankedTensorType>(candidate);
    if (!c || !n || c.getRank() != n.getRank()) {
      refined.push_back(current);
      continue;
    }
    FailureOr<Shape> joined = joinShapes(c.getShape(), n.getShape());
    if (failed(joined))
      return failure();
    auto type = c.clone(*joined);
    moreStatic |= type != c;
    refined.push_back(type);
  }
  return success(moreStatic);
}

bool mlir::kiln::refineResultTypes(Operation *op, RewriterBase &rewriter) {
  if (!llvm::isa<KilnDialect>(op->getDialect()) || op->getNumResults() == 0)
    return false;
  SmallVector<Type> refined;
  if (failed(inferRefinedTypes(op, refined)))
    return false;
  bool changed = false;
  for (unsigned i = 0, e = op->getNumResults(); i < e; ++i) {
    Value result = op->getResult(i);
    Type type = refined[i];
    if (result.getType() == type)
      continue;
    Type oldType = result.getType();
    SmallVector<OpOperand *> foreignUses;
    for (OpOperand &use : result.getUses()) {
      Operation *user = use.getOwner();
      if (!llvm::isa<KilnDialect>(user->getDialect()) ||
          user->hasTrait<mlir::OpTrait::IsTerminator>())
        foreignUses.push_back(&use);
    }
    if (!foreignUses.empty()) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointAfter(op);
      Value cast = tensor::CastOp::create(rewriter, op->getLoc(), oldType, result);
      for (OpOperand *use : foreignUses)
        rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(cast); });
    }
    rewriter.modifyOpInPlace(op, [&] { result.setType(type); });
    changed = true;
  }
  return changed;
}

//===----------------------------------------------------------------------===//
// Dialect-wide canonicalization
//===----------------------------------------------------------------------===//

namespace {
/// Replaces an operand produced by a `tensor.cast` from a more static type
/// with the cast's source: kiln ops accept any compatible operand type.
struct AbsorbStaticCastOperand : public RewritePattern {
  AbsorbStaticCastOperand(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::isa<KilnDialect>(op->getDialect()) ||
        op->hasTrait<mlir::OpTrait::IsTerminator>())
      return failure();
    bool changed = false;
    for (OpOperand &operand : op->getOpOperands()) {
      auto cast = operand.get().getDefiningOp<tensor::CastOp>();
      if (!cast)
        continue;
      auto source = llvm::dyn_cast<RankedTensorType>(cast.getSource().getType());
      auto dest = llvm::dyn_cast<RankedTensorType>(cast.getType());
      if (!source || !dest || source.getRank() != dest.getRank() ||
          source.getNumDynamicDims() >= dest.getNumDynamicDims())
        continue;
      rewriter.modifyOpInPlace(op, [&] { operand.set(cast.getSource()); });
      changed = true;
    }
    return success(changed);
  }
};

/// Refines result types to what the op infers when that is more static.
struct RefineResultTypes : public RewritePattern {
  RefineResultTypes(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    return success(refineResultTypes(op, rewriter));
  }
};
} // namespace

void KilnDialect::getCanonicalizationPatterns(
    RewritePatternSet &results) const {
  results.add<AbsorbStaticCastOperand, RefineResultTypes>(getContext());
}
