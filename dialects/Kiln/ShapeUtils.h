//===- ShapeUtils.h - shape arithmetic shared by kiln ops and passes ------===//

#ifndef KILN_DIALECTS_KILN_SHAPEUTILS_H
#define KILN_DIALECTS_KILN_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace mlir::kiln {

using Shape = llvm::SmallVector<int64_t, 6>;

/// Emits `message` at `loc` when a location is given (type inference may run
/// without one) and returns failure.
LogicalResult inferenceError(std::optional<Location> loc, const llvm::Twine &message);

/// numpy broadcasting of two shapes; dynamic dimensions broadcast to dynamic
/// unless the other side is a static extent other than 1. Fails when two
/// static extents differ and neither is 1.
FailureOr<Shape> broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

/// Broadcast of every operand's shape (all must be ranked tensors).
FailureOr<Shape> broadcastShapes(TypeRange types, std::optional<Location> loc);

/// The more static of two compatible shapes, or failure if incompatible.
FailureOr<Shape> joinShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

/// Normalizes an ONNX axis in [-rank, rank) to [0, rank).
FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Product of extents, or dynamic if any is dynamic or the product overflows.
int64_t shapeProduct(ArrayRef<int64_t> shape);

/// The largest element count Kiln accepts for one tensor (2^40).
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;

/// Whether every static extent is non-negative and the static extents
/// multiply to at most kMaxTensorElements.
bool isSaneShape(ArrayRef<int64_t> shape);

/// Output extent of a sliding window (convolution or pooling) over `size`.
int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode = false);

/// Checks strides, dilations, pads (and kernel) have one entry per spatial
/// dimension (pads two) and sane values.
LogicalResult verifyWindowAttrs(Operation *op, int64_t spatialRank,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations,
                                ArrayRef<int64_t> pads,
                                std::optional<ArrayRef<int64_t>> kernel = {});

/// Checks a convolution's (or, with `transposed`, a transposed
/// convolution's) filter, bias and group agree with its input.
LogicalResult verifyConvOperands(Operation *op, RankedTensorType input,
                                 RankedTensorType filter, Value bias, int64_t group,
                                 bool transposed);

/// The integer values of a constant tensor operand (any integer type),
/// if the value is produced by a constant.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(Value value);

/// The float values of a constant tensor operand, if constant.
std::optional<llvm::SmallVector<double>> getConstantFloats(Value value);

/// The single value of a one-element constant tensor, if constant.
std::optional<int64_t> getConstantScalarInt(Value value);

/// A ranked tensor type of `shape` with `elementType`.
inline RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type elementType) {
  return RankedTensorType::get(shape, elementType);
}

/// Shorthands for an operand's ranked type.
inline RankedTensorType rankedType(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

} // namespace mlir::kiln

#endif // KILN_DIALECTS_KILN_SHAPEUTILS_H
