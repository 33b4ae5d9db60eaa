//===- Passes.h - shaping a model into a library's calling convention -----===//

#ifndef KILN_CODEGEN_LIBRARY_PASSES_H
#define KILN_CODEGEN_LIBRARY_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "codegen/Library/Passes.h.inc"

/// The module attribute holding the outlined weights blob.
inline constexpr llvm::StringLiteral kWeightsAttrName = "kiln.weights";

/// The alignment of every constant in the weights blob (and of the blob).
inline constexpr int64_t kWeightsAlignment = 64;

#define GEN_PASS_REGISTRATION
#include "codegen/Library/Passes.h.inc"

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LIBRARY_PASSES_H
