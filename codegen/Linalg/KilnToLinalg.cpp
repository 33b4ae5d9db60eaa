//===- KilnToLinalg.cpp - the kiln-to-linalg pass -------------------------===//
//
// Checks that the whole module can be lowered (static shapes, a lowering for
// every op type), then runs one dialect conversion with the patterns of
// every op area. Unsigned element types become signless on the way.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"
#include "codegen/Linalg/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNTOLINALG
#include "codegen/Linalg/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

bool isKilnOp(Operation *op) {
  return llvm::isa_and_nonnull<KilnDialect>(op->getDialect());
}

/// Rebuilds a kernel call or a non-kiln op (tensor.cast and the like, left
/// by graph passes)
/// with converted operand and result types.
struct ConvertOperandTypes : public ConversionPattern {
  ConvertOperandTypes(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/0,
                          context) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if ((isKilnOp(op) && !llvm::isa<MicrokernelOp>(op)) || op->getNumRegions() != 0 ||
        llvm::isa<func::FuncOp, func::ReturnOp, func::CallOp>(op))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    Operation *clone = rewriter.clone(*op);
    rewriter.modifyOpInPlace(clone, [&] {
      clone->setOperands(operands);
      for (auto [result, type] : llvm::zip(clone->getResults(), resultTypes))
        result.setType(type);
    });
    rewriter.replaceOp(op, clone->getResults());
    return success();
  }
};

/// Marks function arguments and results whose element type is unsigned.
void markUnsignedSignature(func::FuncOp func) {
  auto isUnsignedTensor = [](Type type) {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    return tensor && tensor.getElementType().isUnsignedInteger();
  };
  UnitAttr unit = UnitAttr::get(func.getContext());
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
    if (isUnsignedTensor(type))
      func.setArgAttr(i, kUnsignedAttrName, unit);
  for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
    if (isUnsignedTensor(type))
      func.setResultAttr(i, kUnsignedAttrName, unit);
}

struct KilnToLinalgPass
    : public mlir::kiln::impl::KilnToLinalgBase<KilnToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    KilnTypeConverter converter;

    RewritePatternSet patterns(context);
    populateElementwiseToLinalgPatterns(converter, patterns);
    populateNNToLinalgPatterns(converter, patterns);
    populateReductionToLinalgPatterns(converter, patterns);
    populateTensorToLinalgPatterns(converter, patterns);
    populateControlFlowToSCFPatterns(converter, patterns);
    populateIndexingToLinalgPatterns(converter, patterns);
    populateQuantToLinalgPatterns(converter, patterns);
    populateRecurrentToLinalgPatterns(converter, patterns);
    patterns.add<ConvertOperandTypes>(converter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    FrozenRewritePatternSet frozen(std::move(patterns));

    if (failed(checkLowerable(module, frozen)))
      return signalPassFailure();

    module.walk([](func::FuncOp func) { markUnsignedSignature(func); });

    ConversionTarget target(*context);
    target.addIllegalDialect<KilnDialect>();
    // Kernel calls stay as they are until after bufferization (only their
    // types change: u8 data becomes signless).
    auto typesLegal = [&](Operation *op) { return converter.isLegal(op); };
    target.addDynamicallyLegalOp<MicrokernelOp>(typesLegal);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           bufferization::BufferizationDialect>();
    target.addDynamicallyLegalDialect<tensor::TensorDialect>(typesLegal);
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(typesLegal);
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    // A pattern that rejects an op says why; the driver's generic "failed
    // to legalize" that follows would only repeat it.
    bool explained = false;
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      if (StringRef(diag.str()).starts_with("failed to legalize"))
        return success(explained);
      explained = true;
      return failure();
    });
    if (failed(applyPartialConversion(module, target, frozen)))
      signalPassFailure();
  }

  /// Reports every op that cannot be lowered, all at once: kiln ops on
  /// dynamic shapes, and op types that no pattern lowers (with a count and
  /// the first location of each).
  LogicalResult checkLowerable(ModuleOp module,
                               const FrozenRewritePatternSet &patterns) {
    const auto &byName = patterns.getOpSpecificNativePatterns();
    llvm::MapVector<OperationName, std::pair<Operation *, unsigned>> missing;
    bool dynamic = false;
    module.walk([&](Operation *op) {
      if (!isKilnOp(op) || llvm::isa<MicrokernelOp>(op))
        return;
      if (failed(requireStaticShapes(op))) {
        dynamic = true;
        return;
      }
      bool lowerable = byName.count(op->getName()) ||
                       op->hasTrait<mlir::kiln::OpTrait::KilnElementwise>();
      if (!lowerable) {
        auto &entry = missing[op->getName()];
        if (!entry.first)
          entry.first = op;
        ++entry.second;
      }
    });
    for (auto &[name, entry] : missing)
      entry.first->emitError()
          << "'" << name << "' has no CPU lowering yet (" << entry.second
          << (entry.second == 1 ? " op" : " ops") << " in the model)";
    return failure(dynamic || !missing.empty());
  }
};

} // namespace
