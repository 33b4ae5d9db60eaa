//===- ConstantFolding.h - evaluating kiln ops on constant tensors --------===//
//
// Folding reads constants into a numeric view (floats as double, integers as
// int64 sign- or zero-extended by signedness), computes, and writes a dense
// attribute of the result type. Splat operands stay splat, so the light
// models' ConstantOfShape weights never expand.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_KILN_CONSTANTFOLDING_H
#define KILN_DIALECTS_KILN_CONSTANTFOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>
#include <vector>

namespace mlir::kiln {

/// Folding gives up on results larger than this many elements (splats are
/// always folded).
constexpr int64_t kMaxFoldElements = int64_t(1) << 26;

/// A constant tensor decoded for arithmetic.
struct ConstantValues {
  RankedTensorType type;
  bool isFloat = false;
  bool isUnsigned = false;
  bool isSplat = false;
  std::vector<double> floats;  // when isFloat
  std::vector<int64_t> ints;   // otherwise (i1 as 0/1)

  int64_t size() const {
    return static_cast<int64_t>(isFloat ? floats.size() : ints.size());
  }
  double floatAt(int64_t i) const { return floats[isSplat ? 0 : i]; }
  int64_t intAt(int64_t i) const { return ints[isSplat ? 0 : i]; }
};

/// Decodes a dense int or float attribute; nullopt for anything else
/// (quantized, resource-backed or too large).
std::optional<ConstantValues> readConstant(Attribute attr);

/// The value of `v` when it is a float constant with exactly one element
/// (a static shape of any rank); nullopt otherwise.
std::optional<double> scalarFloatConstant(Value v);

/// Encodes values into a dense attribute of `type` (static shape). Float
/// values are rounded to the element type; for integer element types they
/// are truncated toward zero. Integers wrap to the element width; i1 is
/// "non-zero". A single value makes a splat.
DenseElementsAttr writeConstant(RankedTensorType type, ArrayRef<double> values);
DenseElementsAttr writeConstant(RankedTensorType type, ArrayRef<int64_t> values);
/// Encodes `values` (float or int, as `from` holds them) into `type`.
DenseElementsAttr writeConstant(RankedTensorType type, const ConstantValues &from);

/// Scalar functions for elementwise folding. An int function returns
/// nullopt where the op is undefined (division by zero), which stops folding.
using FloatFn1 = llvm::function_ref<double(double)>;
using IntFn1 = llvm::function_ref<std::optional<int64_t>(int64_t, bool isUnsigned)>;
using FloatFn2 = llvm::function_ref<double(double, double)>;
using IntFn2 =
    llvm::function_ref<std::optional<int64_t>(int64_t, int64_t, bool isUnsigned)>;

/// Folds a unary elementwise op; either function may be null when the op is
/// not defined on that domain. `resultElement` may differ from the operand's
/// (predicates yield i1).
Attribute foldUnary(Attribute operand, Type resultElement, FloatFn1 floatFn,
                    IntFn1 intFn);

/// Folds a broadcasting binary elementwise op. Operands must both be float
/// or both be integer.
Attribute foldBinary(Attribute lhs, Attribute rhs, Type resultElement,
                     FloatFn2 floatFn, IntFn2 intFn);

/// Folds `kiln.where`.
Attribute foldSelect(Attribute condition, Attribute x, Attribute y);

/// Row-major strides of a static shape.
llvm::SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape);

/// Maps each flat index of `resultShape` to the flat index of an operand of
/// `operandShape` broadcast to it.
std::vector<int64_t> broadcastIndexMap(ArrayRef<int64_t> operandShape,
                                       ArrayRef<int64_t> resultShape);

/// Gathers elements of `from` at `indices` into a constant of `type`.
DenseElementsAttr gatherConstant(const ConstantValues &from,
                                 RankedTensorType type,
                                 ArrayRef<int64_t> indices);

} // namespace mlir::kiln

#endif // KILN_DIALECTS_KILN_CONSTANTFOLDING_H
