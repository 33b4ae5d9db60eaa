//===- OutlineWeights.cpp - large constants into one weights blob ---------===//
//
// After this pass `@main` reads its weights through views of one buffer it
// receives, so the same code runs on weights embedded in the library or
// mapped from a side file.
//
//===----------------------------------------------------------------------===//

#include "codegen/Library/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/MapVector.h"

#include <cstring>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNOUTLINEWEIGHTS
#include "codegen/Library/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The bytes of a dense, non-splat constant in memory order, or nothing if
/// the constant is not stored that way (splats, sub-byte element types).
std::optional<ArrayRef<char>> rawBytes(Attribute value) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  Type element = elements.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(value))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

struct KilnOutlineWeightsPass
    : public mlir::kiln::impl::KilnOutlineWeightsBase<KilnOutlineWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("expected a function @main with a body");
      return signalPassFailure();
    }
    if (module->hasAttr(kWeightsAttrName)) {
      module.emitError("the weights of this module are already outlined");
      return signalPassFailure();
    }
    MLIRContext *context = &getContext();

    // The library never writes into its callers' input buffers.
    for (unsigned i = 0, e = main.getNumArguments(); i < e; ++i)
      if (llvm::isa<TensorType>(main.getArgument(i).getType()))
        main.setArgAttr(i, "bufferization.writable", BoolAttr::get(context, false));

    // Lay out every large constant, once per distinct value.
    llvm::MapVector<Attribute, int64_t> offsets;
    SmallVector<arith::ConstantOp> outlined;
    int64_t size = 0;
    main.walk([&](arith::ConstantOp op) {
      std::optional<ArrayRef<char>> bytes = rawBytes(op.getValue());
      if (!bytes || static_cast<int64_t>(bytes->size()) < minBytes)
        return;
      outlined.push_back(op);
      auto [it, inserted] = offsets.try_emplace(op.getValue(), size);
      if (inserted)
        size = llvm::alignTo(size + bytes->size(), kWeightsAlignment);
    });

    auto blobType = MemRefType::get({size}, IntegerType::get(context, 8));
    unsigned blobIndex = main.getNumArguments();
    if (failed(main.insertArgument(
            blobIndex, blobType,
            DictionaryAttr::get(context,
                                {NamedAttribute(StringAttr::get(context, "kiln.weights_blob"),
                                                UnitAttr::get(context))}),
            main.getLoc())))
      return signalPassFailure();
    Value blobArg = main.getArgument(blobIndex);
    if (size == 0)
      return;

    // One read-only view per distinct constant, at the top of @main.
    OpBuilder builder = OpBuilder::atBlockBegin(&main.getBody().front());
    llvm::DenseMap<Attribute, Value> views;
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
        static_cast<size_t>(size), kWeightsAlignment, /*dataIsMutable=*/true);
    MutableArrayRef<char> data = blob.getMutableData();
    std::memset(data.data(), 0, data.size());
    for (auto &[value, offset] : offsets) {
      ArrayRef<char> bytes = *rawBytes(value);
      std::memcpy(data.data() + offset, bytes.data(), bytes.size());
      auto type = llvm::cast<RankedTensorType>(llvm::cast<TypedAttr>(value).getType());
      Location loc = main.getLoc();
      Value byteShift = arith::ConstantIndexOp::create(builder, loc, offset);
      Value view = memref::ViewOp::create(
          builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
          blobArg, byteShift, ValueRange{});
      views[value] = bufferization::ToTensorOp::create(
          builder, loc, type, view, /*restrict=*/true, /*writable=*/false);
    }
    for (arith::ConstantOp op : outlined) {
      op.replaceAllUsesWith(views[op.getValue()]);
      op.erase();
    }
    module->setAttr(kWeightsAttrName,
                    DenseResourceElementsAttr::get(
                        RankedTensorType::get({size}, IntegerType::get(context, 8)),
                        "kiln_weights", std::move(blob)));
  }
};

} // namespace
