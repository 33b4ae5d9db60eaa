//===- PlanMemory.cpp - @main's temporaries in one arena per context ------===//
//
// kiln-plan-memory: the static buffers @main allocates and frees at its top
// level share one arena, at offsets chosen at compile time so that buffers
// alive at the same time never overlap. The arena belongs to the library
// context (kiln_arena in the runtime) and is allocated once, so a run does
// no allocation for them, touches no fresh pages, and the peak temporary
// memory of the model is known when it is compiled.
//
//===----------------------------------------------------------------------===//

#include "codegen/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNPLANMEMORY
#include "codegen/CPU/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t begin, end; // positions of alloc and dealloc in the block
  int64_t bytes;
  int64_t offset = -1;
};

/// Bytes of a static, identity-layout memref of whole-byte elements; -1 if
/// the buffer is not one the arena can hold.
int64_t arenaBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace() || !type.getElementType().isIntOrFloat())
    return -1;
  unsigned bits = type.getElementTypeBitWidth();
  if (bits % 8 != 0)
    return -1;
  int64_t bytes = type.getNumElements() * (bits / 8);
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// Greedy placement, largest first: each buffer goes to the lowest offset
/// where it overlaps no placed buffer that is alive at the same time.
/// Returns the arena size.
int64_t place(std::vector<Buffer> &buffers) {
  std::vector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  std::stable_sort(order.begin(), order.end(),
                   [](const Buffer *a, const Buffer *b) { return a->bytes > b->bytes; });
  std::vector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *b : order) {
    std::vector<std::pair<int64_t, int64_t>> busy; // address ranges in use
    for (Buffer *p : placed)
      if (p->begin < b->end && b->begin < p->end)
        busy.push_back({p->offset, p->offset + p->bytes});
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + b->bytes <= lo)
        break;
      offset = std::max(offset, hi);
    }
    b->offset = offset;
    total = std::max(total, offset + b->bytes);
    placed.push_back(b);
  }
  return total;
}

struct KilnPlanMemoryPass
    : public mlir::kiln::impl::KilnPlanMemoryBase<KilnPlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("kiln-plan-memory: the module has no @main to plan");
      return signalPassFailure();
    }
    Block &entry = main.getBody().front();
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t index = 0;
    for (Operation &op : entry)
      position[&op] = index++;

    std::vector<Buffer> buffers;
    for (Operation &op : entry) {
      auto alloc = llvm::dyn_cast<memref::AllocOp>(&op);
      if (!alloc || !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty())
        continue;
      int64_t bytes = arenaBytes(alloc.getType());
      if (bytes <= 0)
        continue;
      // Exactly one dealloc, at the top level after the alloc.
      memref::DeallocOp dealloc;
      bool ok = true;
      for (Operation *user : alloc->getUsers())
        if (auto d = llvm::dyn_cast<memref::DeallocOp>(user)) {
          if (dealloc || d->getBlock() != &entry)
            ok = false;
          dealloc = d;
        }
      if (!ok || !dealloc)
        continue;
      buffers.push_back({alloc, dealloc, position[alloc], position[dealloc], bytes});
    }
    if (buffers.empty())
      return;
    int64_t total = place(buffers);

    // The context argument (added here when no kernel added it).
    OpBuilder b(&getContext());
    auto ptrType = LLVM::LLVMPointerType::get(&getContext());
    Value context;
    for (unsigned i = 0; i < main.getNumArguments(); ++i)
      if (main.getArgAttr(i, "kiln.context"))
        context = main.getArgument(i);
    if (!context) {
      unsigned at = main.getNumArguments();
      NamedAttrList attrs;
      attrs.set("kiln.context", b.getUnitAttr());
      if (failed(main.insertArgument(at, ptrType, b.getDictionaryAttr(attrs), main.getLoc())))
        return signalPassFailure();
      context = main.getArgument(at);
    }

    // %arena = kiln_arena(context), as a memref<total x i8>.
    Location loc = main.getLoc();
    auto arenaFn = module.lookupSymbol<func::FuncOp>("kiln_arena");
    auto fnType = b.getFunctionType({ptrType}, {ptrType});
    if (!arenaFn) {
      b.setInsertionPointToEnd(module.getBody());
      arenaFn = func::FuncOp::create(b, loc, "kiln_arena", fnType);
      arenaFn.setPrivate();
    }
    b.setInsertionPointToStart(&entry);
    Value size = LLVM::ConstantOp::create(b, loc, b.getI64Type(), b.getI64IntegerAttr(total));
    Value base = func::CallOp::create(b, loc, arenaFn, ValueRange{context}).getResult(0);
    auto i64 = b.getI64Type();
    auto array = LLVM::LLVMArrayType::get(i64, 1);
    auto descType = LLVM::LLVMStructType::getLiteral(&getContext(),
                                                     {ptrType, ptrType, i64, array, array});
    Value desc = LLVM::PoisonOp::create(b, loc, descType);
    Value zero = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(0));
    Value one = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
    desc = LLVM::InsertValueOp::create(b, loc, desc, base, ArrayRef<int64_t>{0});
    desc = LLVM::InsertValueOp::create(b, loc, desc, base, ArrayRef<int64_t>{1});
    desc = LLVM::InsertValueOp::create(b, loc, desc, zero, ArrayRef<int64_t>{2});
    desc = LLVM::InsertValueOp::create(b, loc, desc, size, ArrayRef<int64_t>{3, 0});
    desc = LLVM::InsertValueOp::create(b, loc, desc, one, ArrayRef<int64_t>{4, 0});
    auto arenaType = MemRefType::get({total}, b.getI8Type());
    Value arena =
        UnrealizedConversionCastOp::create(b, loc, TypeRange{arenaType}, ValueRange{desc})
            .getResult(0);

    for (Buffer &buffer : buffers) {
      b.setInsertionPoint(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(b, buffer.alloc.getLoc(), buffer.offset);
      Value view = memref::ViewOp::create(b, buffer.alloc.getLoc(), buffer.alloc.getType(),
                                          arena, offset, ValueRange{});
      buffer.alloc.getResult().replaceAllUsesWith(view);
      buffer.dealloc.erase();
      buffer.alloc.erase();
    }
    main->setAttr("kiln.arena_bytes", b.getI64IntegerAttr(total));
  }
};

} // namespace
