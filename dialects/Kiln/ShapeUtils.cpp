//===- ShapeUtils.cpp - shape arithmetic shared by kiln ops and passes ----===//

#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Operation.h"

using namespace mlir;
using namespace mlir::kiln;

LogicalResult mlir::kiln::inferenceError(std::optional<Location> loc,
                                         const llvm::Twine &message) {
  if (loc)
    emitError(*loc) << message;
  return failure();
}

FailureOr<Shape> mlir::kiln::broadcastShapes(ArrayRef<int64_t> a,
                                             ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x == 1) {
      result[i] = y;
    } else if (y == 1) {
      result[i] = x;
    } else if (ShapedType::isDynamic(x)) {
      result[i] = y;
    } else if (ShapedType::isDynamic(y) || x == y) {
      result[i] = x;
    } else {
      return failure();
    }
  }
  return result;
}

FailureOr<Shape> mlir::kiln::broadcastShapes(TypeRange types,
                                             std::optional<Location> loc) {
  Shape result;
  for (Type type : types) {
    auto ranked = llvm::dyn_cast<RankedTensorType>(type);
    if (!ranked)
      return inferenceError(loc, "expected ranked tensor operands");
    FailureOr<Shape> next = broadcastShapes(result, ranked.getShape());
    if (failed(next)) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "operand shapes do not broadcast:";
      for (Type t : types)
        os << " " << t;
      return inferenceError(loc, os.str());
    }
    result = *next;
  }
  return result;
}

FailureOr<Shape> mlir::kiln::joinShapes(ArrayRef<int64_t> a,
                                        ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return failure();
  Shape result(a.begin(), a.end());
  for (size_t i = 0; i < a.size(); ++i) {
    if (ShapedType::isDynamic(a[i]))
      result[i] = b[i];
    else if (!ShapedType::isDynamic(b[i]) && a[i] != b[i])
      return failure();
  }
  return result;
}

FailureOr<int64_t> mlir::kiln::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return failure();
  return axis < 0 ? axis + rank : axis;
}

int64_t mlir::kiln::shapeProduct(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d) || __builtin_mul_overflow(product, d, &product))
      return ShapedType::kDynamic;
  }
  return product;
}

bool mlir::kiln::isSaneShape(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    if (d < 0 || __builtin_mul_overflow(product, d, &product) ||
        product > kMaxTensorElements)
      return false;
  }
  return true;
}

int64_t mlir::kiln::windowOutputSize(int64_t size, int64_t kernel,
                                     int64_t stride, int64_t dilation,
                                     int64_t padBegin, int64_t padEnd,
                                     bool ceilMode) {
  if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t room = size + padBegin + padEnd - span;
  if (room < 0)
    return 0;
  int64_t out = room / stride + 1;
  if (ceilMode && room % stride != 0) {
    ++out;
    // A last window that would start in the end padding is dropped, as
    // PyTorch and ONNX Runtime do.
    if ((out - 1) * stride >= size + padBegin)
      --out;
  }
  return out;
}

LogicalResult mlir::kiln::verifyWindowAttrs(
    Operation *op, int64_t spatialRank, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
    std::optional<ArrayRef<int64_t>> kernel) {
  auto expectSize = [&](ArrayRef<int64_t> values, int64_t size,
                        StringRef name) -> LogicalResult {
    if (static_cast<int64_t>(values.size()) != size)
      return op->emitOpError() << "expects " << size << " " << name
                               << " values for " << spatialRank
                               << " spatial dimensions, got " << values.size();
    return success();
  };
  if (failed(expectSize(strides, spatialRank, "strides")) ||
      failed(expectSize(dilations, spatialRank, "dilations")) ||
      failed(expectSize(pads, 2 * spatialRank, "pads")))
    return failure();
  if (kernel && failed(expectSize(*kernel, spatialRank, "kernel_shape")))
    return failure();
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }))
    return op->emitOpError("expects strides >= 1");
  if (llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return op->emitOpError("expects dilations >= 1");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError("expects non-negative pads");
  if (kernel && llvm::any_of(*kernel, [](int64_t k) { return k < 1; }))
    return op->emitOpError("expects kernel_shape >= 1");
  return success();
}

std::optional<llvm::SmallVector<int64_t>>
mlir::kiln::getConstantInts(Value value) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  llvm::SmallVector<int64_t> result;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  result.reserve(attr.getNumElements());
  for (const APInt &v : attr.getValues<APInt>())
    result.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                : v.getSExtValue());
  return result;
}

std::optional<llvm::SmallVector<double>>
mlir::kiln::getConstantFloats(Value value) {
  DenseFPElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  llvm::SmallVector<double> result;
  result.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    result.push_back(v.convertToDouble());
  return result;
}

std::optional<int64_t> mlir::kiln::getConstantScalarInt(Value value) {
  auto values = getConstantInts(value);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}
