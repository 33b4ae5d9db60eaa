//===- KernelOps.cpp - calls of the library runtime's compute kernels -----===//

#include "dialects/Kiln/KilnDialect.h"

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnKernelOps.cpp.inc"

LogicalResult MicrokernelOp::verify() {
  if (getOutputs().empty())
    return emitOpError("expects at least one output");
  bool tensors = llvm::isa<RankedTensorType>(getOutputs().front().getType());
  for (Value v : llvm::concat<Value>(getInputs(), getOutputs()))
    if (llvm::isa<RankedTensorType>(v.getType()) != tensors ||
        !(llvm::isa<RankedTensorType>(v.getType()) || llvm::isa<MemRefType>(v.getType())))
      return emitOpError("expects ranked tensor operands only, or memref operands only");
  if (!tensors && !getResults().empty())
    return emitOpError("on memrefs has no results");
  if (tensors && getResults().size() != getOutputs().size())
    return emitOpError("expects one result per output");
  for (auto [out, result] : llvm::zip(getOutputs(), getResults()))
    if (out.getType() != result.getType())
      return emitOpError("expects each result of its output's type");
  return success();
}

void MicrokernelOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  for (OpOperand &operand : getInputsMutable())
    if (llvm::isa<MemRefType>(operand.get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  for (OpOperand &operand : getOutputsMutable())
    if (llvm::isa<MemRefType>(operand.get().getType()))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
}
