//===- LoweringUtils.h - helpers for lowering kiln to linalg --------------===//
//
// Kiln tensors may hold unsigned integers (ui8..ui64); upstream arith works
// on signless integers only. The type converter makes them signless, and the
// helpers here take the original (kiln) element type to pick signed or
// unsigned arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_LINALG_LOWERINGUTILS_H
#define KILN_CODEGEN_LINALG_LOWERINGUTILS_H

#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::kiln {

/// Converts unsigned integer element types (and tensors of them) to
/// signless ones; everything else stays.
class KilnTypeConverter : public TypeConverter {
public:
  KilnTypeConverter();
};

/// The signless form of a kiln element type.
Type signlessElement(Type element);

/// Whether a kiln element type is an unsigned integer.
inline bool isUnsigned(Type element) { return element.isUnsignedInteger(); }

/// A tensor.empty of `shape` with the signless form of `element`.
Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type element);

/// A scalar arith constant of the signless form of `element`.
Value scalarConstant(OpBuilder &b, Location loc, Type element, double value);

/// The identity value of a reduction: the lowest or highest value of
/// `element` (with `highest`), as floats use -inf and +inf.
Value lowestValue(OpBuilder &b, Location loc, Type element, bool highest);

/// Converts a scalar between kiln element types with ONNX Cast semantics
/// (truncation toward zero, wrapping, `!= 0` for bool).
Value convertScalar(OpBuilder &b, Location loc, Value value, Type from,
                    Type to);

/// The indexing map that reads an operand of `operandShape` broadcast (numpy
/// style) to `resultShape` from the iteration space of the result.
AffineMap broadcastMap(MLIRContext *context, ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape);

/// Builds a linalg.generic over the (static) result shape of `resultType`
/// whose inputs are broadcast to it; `body` computes the result scalar from
/// the input scalars. Returns the result tensor.
Value buildBroadcastGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Fails with a diagnostic unless every type in `types` is a statically
/// shaped ranked tensor (code generation needs static shapes).
LogicalResult requireStaticShapes(Operation *op, TypeRange types);

/// The same for all of `op`'s operand types, then all of its result types.
LogicalResult requireStaticShapes(Operation *op);

/// Builds a linalg.generic; `body` gets the scalars of inputs then inits and
/// returns the values to yield.
SmallVector<Value> buildGeneric(
    OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
    ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body);

/// A tensor of `shape` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value);

/// Pads `input` with `value`, `low` and `high` elements per dimension
/// (returns `input` when nothing is padded).
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value value);

/// A static tensor.extract_slice.
Value extractSlice(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                   ArrayRef<int64_t> strides);

/// Reshapes a static tensor to `shape` (same element count).
Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> shape);

/// Reduces `input` over `axes` with `combine` starting from `init`, and
/// returns the result with the reduced dimensions dropped.
Value reduceTensor(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> axes, Value init,
                   function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// Registers patterns lowering each area of kiln ops.
void populateElementwiseToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);
void populateNNToLinalgPatterns(const TypeConverter &converter,
                                RewritePatternSet &patterns);
void populateReductionToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);
void populateTensorToLinalgPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns);
void populateControlFlowToSCFPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);
void populateIndexingToLinalgPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);
void populateQuantToLinalgPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateRecurrentToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);

/// An index constant.
Value idx(OpBuilder &b, Location loc, int64_t value);

/// clamp(v, 0, size - 1) on index values.
Value clampIndex(OpBuilder &b, Location loc, Value v, int64_t size);

/// An index scalar from any integer scalar of the kiln element type.
Value toIndex(OpBuilder &b, Location loc, Value v, Type element);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LINALG_LOWERINGUTILS_H
