//===- KilnDialect.h - the kiln dialect, its attributes and ops ----------===//
//
// The one header users of the dialect include.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_KILN_KILNDIALECT_H
#define KILN_DIALECTS_KILN_KILNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::tensor {
class TensorDialect;
} // namespace mlir::tensor
namespace mlir::quant {
class QuantDialect;
} // namespace mlir::quant

#include "dialects/Kiln/KilnDialect.h.inc"
#include "dialects/Kiln/KilnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Kiln/KilnAttrs.h.inc"

namespace mlir::kiln {

/// The result-type rule shared by every kiln op: an op's result types must
/// have the inferred element types and ranks, and each dimension must equal
/// the inferred one unless either is dynamic. Quantized element types only
/// need the same storage and expressed types (scales may differ).
bool areCompatibleReturnTypes(TypeRange inferred, TypeRange actual);

/// Element types that may meet in one op: equal, or quantized types with the
/// same storage and expressed types.
bool areCompatibleElementTypes(Type a, Type b);

/// Refines `op`'s result types to the more static types it infers from its
/// operands (no-op for ops that infer nothing better). Users outside the kiln
/// dialect, and terminators, keep the old type through a `tensor.cast`.
/// Returns whether anything changed.
bool refineResultTypes(Operation *op, RewriterBase &rewriter);

/// Creates a `kiln.reshape` of `input` to the static `shape`, with the shape
/// operand as a new constant.
Value createReshape(OpBuilder &builder, Location loc, Value input,
                    ArrayRef<int64_t> shape);

/// Creates a 1-D i64 `kiln.constant` holding `values`.
Value createI64Constant(OpBuilder &builder, Location loc,
                        ArrayRef<int64_t> values);

namespace OpTrait {
/// Marks ops that apply a scalar function element by element.
template <typename ConcreteType>
class KilnElementwise
    : public mlir::OpTrait::TraitBase<ConcreteType, KilnElementwise> {};
} // namespace OpTrait

} // namespace mlir::kiln

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnNNOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnReductionOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnTensorOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnQuantOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnRecurrentOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnControlFlowOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Kiln/KilnKernelOps.h.inc"

#endif // KILN_DIALECTS_KILN_KILNDIALECT_H
