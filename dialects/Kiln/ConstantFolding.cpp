//===- ConstantFolding.cpp - evaluating kiln ops on constant tensors ------===//

#include "dialects/Kiln/ConstantFolding.h"

#include "dialects/Kiln/ShapeUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::kiln;

std::optional<ConstantValues> mlir::kiln::readConstant(Attribute attr) {
  auto dense = llvm::dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  auto type = llvm::dyn_cast<RankedTensorType>(dense.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  ConstantValues values;
  values.type = type;
  values.isSplat = dense.isSplat();
  int64_t count = values.isSplat ? 1 : dense.getNumElements();
  if (!values.isSplat && count > kMaxFoldElements)
    return std::nullopt;
  if (auto floatType = llvm::dyn_cast<FloatType>(element)) {
    values.isFloat = true;
    values.floats.reserve(count);
    if (floatType.isF32()) {
      if (values.isSplat)
        values.floats.push_back(dense.getSplatValue<float>());
      else
        for (float v : dense.getValues<float>())
          values.floats.push_back(v);
    } else if (floatType.isF64()) {
      if (values.isSplat)
        values.floats.push_back(dense.getSplatValue<double>());
      else
        for (double v : dense.getValues<double>())
          values.floats.push_back(v);
    } else {
      if (values.isSplat)
        values.floats.push_back(
            dense.getSplatValue<APFloat>().convertToDouble());
      else
        for (const APFloat &v : dense.getValues<APFloat>())
          values.floats.push_back(v.convertToDouble());
    }
    return values;
  }
  auto intType = llvm::dyn_cast<IntegerType>(element);
  if (!intType)
    return std::nullopt;
  values.isUnsigned = intType.isUnsigned();
  values.ints.reserve(count);
  if (intType.getWidth() == 1) {
    if (values.isSplat)
      values.ints.push_back(dense.getSplatValue<bool>());
    else
      for (bool v : dense.getValues<bool>())
        values.ints.push_back(v);
    return values;
  }
  auto push = [&](const APInt &v) {
    values.ints.push_back(values.isUnsigned
                              ? static_cast<int64_t>(v.getZExtValue())
                              : v.getSExtValue());
  };
  if (values.isSplat)
    push(dense.getSplatValue<APInt>());
  else
    for (const APInt &v : dense.getValues<APInt>())
      push(v);
  return values;
}

std::optional<double> mlir::kiln::scalarFloatConstant(Value v) {
  Attribute attr;
  auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() != 1 ||
      !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  std::optional<ConstantValues> values = readConstant(attr);
  if (!values || !values->isFloat)
    return std::nullopt;
  return values->floatAt(0);
}

namespace {
/// Writes raw little-endian integer bytes of the element width.
template <typename T>
void appendRaw(std::vector<char> &buffer, T value, unsigned bytes) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  buffer.insert(buffer.end(), raw, raw + bytes);
}

DenseElementsAttr writeInts(RankedTensorType type, size_t count,
                            llvm::function_ref<int64_t(size_t)> at) {
  auto intType = llvm::cast<IntegerType>(type.getElementType());
  unsigned width = intType.getWidth();
  if (count == 1 && type.getNumElements() != 1) {
    APInt value(width, static_cast<uint64_t>(at(0)), /*isSigned=*/true,
                /*implicitTrunc=*/true);
    if (width == 1)
      return DenseElementsAttr::get(type, at(0) != 0);
    return DenseElementsAttr::get(type, value);
  }
  if (width == 1) {
    llvm::SmallVector<bool> bits(count);
    for (size_t i = 0; i < count; ++i)
      bits[i] = at(i) != 0;
    return DenseElementsAttr::get(type, bits);
  }
  unsigned bytes = (width + 7) / 8;
  std::vector<char> buffer;
  buffer.reserve(count * bytes);
  for (size_t i = 0; i < count; ++i)
    appendRaw<int64_t>(buffer, at(i), bytes);
  return DenseElementsAttr::getFromRawBuffer(type, buffer);
}

DenseElementsAttr writeFloats(RankedTensorType type, size_t count,
                              llvm::function_ref<double(size_t)> at) {
  auto floatType = llvm::cast<FloatType>(type.getElementType());
  bool splat = count == 1 && type.getNumElements() != 1;
  if (floatType.isF32()) {
    if (splat)
      return DenseElementsAttr::get(type, static_cast<float>(at(0)));
    std::vector<float> data(count);
    for (size_t i = 0; i < count; ++i)
      data[i] = static_cast<float>(at(i));
    return DenseElementsAttr::get(type, llvm::ArrayRef<float>(data));
  }
  if (floatType.isF64()) {
    if (splat)
      return DenseElementsAttr::get(type, at(0));
    std::vector<double> data(count);
    for (size_t i = 0; i < count; ++i)
      data[i] = at(i);
    return DenseElementsAttr::get(type, llvm::ArrayRef<double>(data));
  }
  auto convert = [&](double v) {
    bool losesInfo = false;
    APFloat value(v);
    value.convert(floatType.getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &losesInfo);
    return value;
  };
  if (splat)
    return DenseElementsAttr::get(type, convert(at(0)));
  unsigned bytes = (floatType.getWidth() + 7) / 8;
  std::vector<char> buffer;
  buffer.reserve(count * bytes);
  for (size_t i = 0; i < count; ++i)
    appendRaw<uint64_t>(buffer,
                        convert(at(i)).bitcastToAPInt().getZExtValue(), bytes);
  return DenseElementsAttr::getFromRawBuffer(type, buffer);
}

int64_t truncateToInt(double v) {
  if (std::isnan(v))
    return 0;
  if (v >= 9.2233720368547758e18)
    return std::numeric_limits<int64_t>::max();
  if (v <= -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}
} // namespace

DenseElementsAttr mlir::kiln::writeConstant(RankedTensorType type,
                                            ArrayRef<double> values) {
  if (llvm::isa<FloatType>(type.getElementType()))
    return writeFloats(type, values.size(),
                       [&](size_t i) { return values[i]; });
  if (!llvm::isa<IntegerType>(type.getElementType()))
    return {};
  auto intType = llvm::cast<IntegerType>(type.getElementType());
  return writeInts(type, values.size(), [&](size_t i) -> int64_t {
    if (intType.getWidth() == 1)
      return values[i] != 0;
    double v = values[i];
    // Unsigned 64-bit values above INT64_MAX keep their bit pattern.
    if (intType.isUnsigned() && v >= 9.2233720368547758e18 &&
        v < 1.8446744073709552e19)
      return static_cast<int64_t>(static_cast<uint64_t>(v));
    return truncateToInt(v);
  });
}

DenseElementsAttr mlir::kiln::writeConstant(RankedTensorType type,
                                            ArrayRef<int64_t> values) {
  if (llvm::isa<FloatType>(type.getElementType()))
    return writeFloats(type, values.size(), [&](size_t i) {
      return static_cast<double>(values[i]);
    });
  if (!llvm::isa<IntegerType>(type.getElementType()))
    return {};
  return writeInts(type, values.size(), [&](size_t i) { return values[i]; });
}

DenseElementsAttr mlir::kiln::writeConstant(RankedTensorType type,
                                            const ConstantValues &from) {
  if (from.isFloat)
    return writeConstant(type, ArrayRef<double>(from.floats));
  if (from.isUnsigned && llvm::isa<FloatType>(type.getElementType()))
    return writeFloats(type, from.ints.size(), [&](size_t i) {
      return static_cast<double>(static_cast<uint64_t>(from.ints[i]));
    });
  return writeConstant(type, ArrayRef<int64_t>(from.ints));
}

llvm::SmallVector<int64_t>
mlir::kiln::rowMajorStrides(ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::vector<int64_t>
mlir::kiln::broadcastIndexMap(ArrayRef<int64_t> operandShape,
                              ArrayRef<int64_t> resultShape) {
  size_t rank = resultShape.size();
  size_t offset = rank - operandShape.size();
  llvm::SmallVector<int64_t> operandStrides = rowMajorStrides(operandShape);
  // Stride of each result dimension in the operand (0 where broadcast).
  llvm::SmallVector<int64_t> strides(rank, 0);
  for (size_t i = offset; i < rank; ++i)
    if (operandShape[i - offset] != 1)
      strides[i] = operandStrides[i - offset];
  int64_t total = shapeProduct(resultShape);
  std::vector<int64_t> map(total);
  llvm::SmallVector<int64_t> index(rank, 0);
  int64_t source = 0;
  for (int64_t flat = 0; flat < total; ++flat) {
    map[flat] = source;
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < resultShape[d]) {
        source += strides[d];
        break;
      }
      source -= strides[d] * (resultShape[d] - 1);
      index[d] = 0;
    }
  }
  return map;
}

DenseElementsAttr mlir::kiln::gatherConstant(const ConstantValues &from,
                                             RankedTensorType type,
                                             ArrayRef<int64_t> indices) {
  if (from.isSplat) {
    if (from.isFloat)
      return writeConstant(type, ArrayRef<double>(from.floats));
    return writeConstant(type, ArrayRef<int64_t>(from.ints));
  }
  if (from.isFloat) {
    std::vector<double> out(indices.size());
    for (size_t i = 0; i < indices.size(); ++i)
      out[i] = from.floats[indices[i]];
    return writeConstant(type, ArrayRef<double>(out));
  }
  std::vector<int64_t> out(indices.size());
  for (size_t i = 0; i < indices.size(); ++i)
    out[i] = from.ints[indices[i]];
  return writeConstant(type, ArrayRef<int64_t>(out));
}

Attribute mlir::kiln::foldUnary(Attribute operand, Type resultElement,
                                FloatFn1 floatFn, IntFn1 intFn) {
  std::optional<ConstantValues> in = readConstant(operand);
  if (!in)
    return {};
  auto resultType = RankedTensorType::get(in->type.getShape(), resultElement);
  int64_t count = in->size();
  if (in->isFloat) {
    if (!floatFn)
      return {};
    std::vector<double> out(count);
    for (int64_t i = 0; i < count; ++i)
      out[i] = floatFn(in->floats[i]);
    return writeConstant(resultType, ArrayRef<double>(out));
  }
  if (!intFn)
    return {};
  std::vector<int64_t> out(count);
  for (int64_t i = 0; i < count; ++i) {
    std::optional<int64_t> v = intFn(in->ints[i], in->isUnsigned);
    if (!v)
      return {};
    out[i] = *v;
  }
  return writeConstant(resultType, ArrayRef<int64_t>(out));
}

Attribute mlir::kiln::foldBinary(Attribute lhs, Attribute rhs,
                                 Type resultElement, FloatFn2 floatFn,
                                 IntFn2 intFn) {
  std::optional<ConstantValues> a = readConstant(lhs);
  if (!a)
    return {};
  std::optional<ConstantValues> b = readConstant(rhs);
  if (!b || a->isFloat != b->isFloat)
    return {};
  FailureOr<Shape> shape =
      broadcastShapes(a->type.getShape(), b->type.getShape());
  if (failed(shape))
    return {};
  auto resultType = RankedTensorType::get(*shape, resultElement);
  bool splat = a->isSplat && b->isSplat;
  int64_t count = splat ? 1 : shapeProduct(*shape);
  if (count > kMaxFoldElements)
    return {};
  std::vector<int64_t> mapA, mapB;
  if (!splat) {
    if (!a->isSplat)
      mapA = broadcastIndexMap(a->type.getShape(), *shape);
    if (!b->isSplat)
      mapB = broadcastIndexMap(b->type.getShape(), *shape);
  }
  auto indexA = [&](int64_t i) { return mapA.empty() ? 0 : mapA[i]; };
  auto indexB = [&](int64_t i) { return mapB.empty() ? 0 : mapB[i]; };
  if (a->isFloat) {
    if (!floatFn)
      return {};
    std::vector<double> out(count);
    for (int64_t i = 0; i < count; ++i)
      out[i] = floatFn(a->floatAt(indexA(i)), b->floatAt(indexB(i)));
    return writeConstant(resultType, ArrayRef<double>(out));
  }
  if (!intFn)
    return {};
  bool isUnsigned = a->isUnsigned;
  std::vector<int64_t> out(count);
  for (int64_t i = 0; i < count; ++i) {
    std::optional<int64_t> v =
        intFn(a->intAt(indexA(i)), b->intAt(indexB(i)), isUnsigned);
    if (!v)
      return {};
    out[i] = *v;
  }
  return writeConstant(resultType, ArrayRef<int64_t>(out));
}

Attribute mlir::kiln::foldSelect(Attribute condition, Attribute x,
                                 Attribute y) {
  std::optional<ConstantValues> c = readConstant(condition);
  std::optional<ConstantValues> a = readConstant(x);
  std::optional<ConstantValues> b = readConstant(y);
  if (!c || !a || !b || a->isFloat != b->isFloat)
    return {};
  FailureOr<Shape> shape =
      broadcastShapes(c->type.getShape(), a->type.getShape());
  if (succeeded(shape))
    shape = broadcastShapes(*shape, b->type.getShape());
  if (failed(shape))
    return {};
  auto resultType = RankedTensorType::get(*shape, a->type.getElementType());
  int64_t count = shapeProduct(*shape);
  if (count > kMaxFoldElements)
    return {};
  std::vector<int64_t> mapC = broadcastIndexMap(c->type.getShape(), *shape);
  std::vector<int64_t> mapA = broadcastIndexMap(a->type.getShape(), *shape);
  std::vector<int64_t> mapB = broadcastIndexMap(b->type.getShape(), *shape);
  if (a->isFloat) {
    std::vector<double> out(count);
    for (int64_t i = 0; i < count; ++i)
      out[i] = c->intAt(mapC[i]) ? a->floatAt(mapA[i]) : b->floatAt(mapB[i]);
    return writeConstant(resultType, ArrayRef<double>(out));
  }
  std::vector<int64_t> out(count);
  for (int64_t i = 0; i < count; ++i)
    out[i] = c->intAt(mapC[i]) ? a->intAt(mapA[i]) : b->intAt(mapB[i]);
  return writeConstant(resultType, ArrayRef<int64_t>(out));
}
