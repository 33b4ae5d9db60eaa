//===- TensorConversion.cpp - ONNX tensors and types as MLIR --------------===//

#include "lib/Import/TensorConversion.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;

namespace mlir::kiln::import {

Type elementTypeOf(int32_t dataType, MLIRContext *context) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT: return b.getF32Type();
  case onnx::TensorProto::DOUBLE: return b.getF64Type();
  case onnx::TensorProto::FLOAT16: return b.getF16Type();
  case onnx::TensorProto::BFLOAT16: return b.getBF16Type();
  case onnx::TensorProto::BOOL: return b.getI1Type();
  case onnx::TensorProto::INT8: return b.getIntegerType(8);
  case onnx::TensorProto::INT16: return b.getIntegerType(16);
  case onnx::TensorProto::INT32: return b.getIntegerType(32);
  case onnx::TensorProto::INT64: return b.getIntegerType(64);
  case onnx::TensorProto::UINT8: return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16: return b.getIntegerType(16, false);
  case onnx::TensorProto::UINT32: return b.getIntegerType(32, false);
  case onnx::TensorProto::UINT64: return b.getIntegerType(64, false);
  default: return {};
  }
}

std::string dataTypeName(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT: return "float";
  case onnx::TensorProto::DOUBLE: return "double";
  case onnx::TensorProto::FLOAT16: return "float16";
  case onnx::TensorProto::BFLOAT16: return "bfloat16";
  case onnx::TensorProto::BOOL: return "bool";
  case onnx::TensorProto::INT8: return "int8";
  case onnx::TensorProto::INT16: return "int16";
  case onnx::TensorProto::INT32: return "int32";
  case onnx::TensorProto::INT64: return "int64";
  case onnx::TensorProto::UINT8: return "uint8";
  case onnx::TensorProto::UINT16: return "uint16";
  case onnx::TensorProto::UINT32: return "uint32";
  case onnx::TensorProto::UINT64: return "uint64";
  case onnx::TensorProto::STRING: return "string";
  case onnx::TensorProto::COMPLEX64: return "complex64";
  case onnx::TensorProto::COMPLEX128: return "complex128";
  default: return "type #" + std::to_string(dataType);
  }
}

int32_t dataTypeOf(Type t) {
  if (t.isF32()) return onnx::TensorProto::FLOAT;
  if (t.isF64()) return onnx::TensorProto::DOUBLE;
  if (t.isF16()) return onnx::TensorProto::FLOAT16;
  if (t.isBF16()) return onnx::TensorProto::BFLOAT16;
  auto i = llvm::dyn_cast<IntegerType>(t);
  if (!i)
    return 0;
  bool u = i.isUnsigned();
  switch (i.getWidth()) {
  case 1: return onnx::TensorProto::BOOL;
  case 8: return u ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8;
  case 16: return u ? onnx::TensorProto::UINT16 : onnx::TensorProto::INT16;
  case 32: return u ? onnx::TensorProto::UINT32 : onnx::TensorProto::INT32;
  case 64: return u ? onnx::TensorProto::UINT64 : onnx::TensorProto::INT64;
  default: return 0;
  }
}

RankedTensorType tensorTypeOf(const onnx::TypeProto &type, MLIRContext *context) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return {};
  Type element = elementTypeOf(type.tensor_type().elem_type(), context);
  if (!element)
    return {};
  SmallVector<int64_t> shape;
  for (const auto &dim : type.tensor_type().shape().dim())
    shape.push_back(dim.has_dim_value() ? dim.dim_value() : ShapedType::kDynamic);
  return RankedTensorType::get(shape, element);
}

onnx::TypeProto typeProtoOf(RankedTensorType type) {
  onnx::TypeProto proto;
  auto *tensor = proto.mutable_tensor_type();
  tensor->set_elem_type(dataTypeOf(type.getElementType()));
  auto *shape = tensor->mutable_shape();
  for (int64_t d : type.getShape()) {
    auto *dim = shape->add_dim();
    if (!ShapedType::isDynamic(d))
      dim->set_dim_value(d);
  }
  return proto;
}

namespace {
/// Bytes per element of the raw (little-endian) encoding.
int64_t rawElementSize(Type element) {
  if (element.isInteger(1))
    return 1;
  return (element.getIntOrFloatBitWidth() + 7) / 8;
}
} // namespace

DenseElementsAttr tensorToAttr(const onnx::TensorProto &tensor,
                               MLIRContext *context, Location loc) {
  std::string name = tensor.name().empty() ? "a constant" : "'" + tensor.name() + "'";
  Type element = elementTypeOf(tensor.data_type(), context);
  if (!element) {
    emitError(loc) << "tensor " << name << " has element type "
                   << dataTypeName(tensor.data_type())
                   << ", which Kiln does not support";
    return {};
  }
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || __builtin_mul_overflow(count, d, &count) ||
        count > (int64_t(1) << 40)) {
      emitError(loc) << "tensor " << name << " has an absurd shape";
      return {};
    }
    shape.push_back(d);
  }
  auto type = RankedTensorType::get(shape, element);
  auto mismatch = [&](int64_t have) {
    emitError(loc) << "tensor " << name << " of shape [" << shape << "] holds "
                   << have << " values instead of " << count;
    return DenseElementsAttr();
  };
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    int64_t size = rawElementSize(element);
    if (static_cast<int64_t>(raw.size()) != count * size)
      return mismatch(static_cast<int64_t>(raw.size()) / size);
    if (element.isInteger(1)) {
      SmallVector<bool> bits(count);
      for (int64_t i = 0; i < count; ++i)
        bits[i] = raw[i] != 0;
      return DenseElementsAttr::get(type, bits);
    }
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(raw.data(), raw.size()));
  }
  auto fromInts = [&](auto values) -> DenseElementsAttr {
    if (static_cast<int64_t>(values.size()) != count)
      return mismatch(values.size());
    if (auto f = llvm::dyn_cast<FloatType>(element)) {
      // 16-bit floats are stored as their bit patterns in int32_data.
      SmallVector<APFloat> floats;
      for (auto v : values)
        floats.push_back(APFloat(f.getFloatSemantics(),
                                 APInt(f.getWidth(), static_cast<uint64_t>(v))));
      return DenseElementsAttr::get(type, floats);
    }
    unsigned width = element.getIntOrFloatBitWidth();
    if (width == 1) {
      SmallVector<bool> bits;
      for (auto v : values)
        bits.push_back(v != 0);
      return DenseElementsAttr::get(type, bits);
    }
    SmallVector<APInt> ints;
    for (auto v : values)
      ints.push_back(APInt(width, static_cast<uint64_t>(v), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, ints);
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT: {
    if (tensor.float_data_size() != count)
      return mismatch(tensor.float_data_size());
    return DenseElementsAttr::get(
        type, ArrayRef<float>(tensor.float_data().data(), count));
  }
  case onnx::TensorProto::DOUBLE: {
    if (tensor.double_data_size() != count)
      return mismatch(tensor.double_data_size());
    return DenseElementsAttr::get(
        type, ArrayRef<double>(tensor.double_data().data(), count));
  }
  case onnx::TensorProto::INT64:
    return fromInts(tensor.int64_data());
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    return fromInts(tensor.uint64_data());
  default:
    return fromInts(tensor.int32_data());
  }
}

} // namespace mlir::kiln::import
