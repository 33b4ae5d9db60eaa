//===- Passes.h - lowering kiln to upstream MLIR dialects -----------------===//

#ifndef KILN_CODEGEN_LINALG_PASSES_H
#define KILN_CODEGEN_LINALG_PASSES_H

#include "dialects/Kiln/KilnDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "codegen/Linalg/Passes.h.inc"

/// The attribute marking a function argument or result whose kiln element
/// type was unsigned before lowering made it signless.
inline constexpr llvm::StringLiteral kUnsignedAttrName = "kiln.unsigned";

#define GEN_PASS_REGISTRATION
#include "codegen/Linalg/Passes.h.inc"

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LINALG_PASSES_H
