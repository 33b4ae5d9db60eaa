//===- Signature.cpp - the inputs and outputs of a compiled model ---------===//

#include "codegen/Library/Signature.h"
#include "codegen/Linalg/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::kiln;

int64_t TensorSignature::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string TensorSignature::describe() const {
  std::string text = std::string(dtypeName(dtype)) + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

const char *mlir::kiln::dtypeName(int dtype) {
  switch (dtype) {
  case 1: return "float32";
  case 2: return "uint8";
  case 3: return "int8";
  case 4: return "uint16";
  case 5: return "int16";
  case 6: return "int32";
  case 7: return "int64";
  case 9: return "bool";
  case 10: return "float16";
  case 11: return "float64";
  case 12: return "uint32";
  case 13: return "uint64";
  case 16: return "bfloat16";
  }
  return "unknown";
}

namespace {

/// The kiln_dtype code, C type and size of an element type, or failure.
LogicalResult classify(Type element, bool isUnsigned, TensorSignature &sig) {
  auto set = [&](int dtype, const char *cType, int64_t bytes) {
    sig.dtype = dtype;
    sig.cType = cType;
    sig.elementBytes = bytes;
    return success();
  };
  if (element.isF32()) return set(1, "float", 4);
  if (element.isF64()) return set(11, "double", 8);
  if (element.isF16()) return set(10, "uint16_t /* float16 */", 2);
  if (element.isBF16()) return set(16, "uint16_t /* bfloat16 */", 2);
  if (element.isInteger(1)) return set(9, "uint8_t /* bool */", 1);
  auto integer = llvm::dyn_cast<IntegerType>(element);
  if (!integer)
    return failure();
  switch (integer.getWidth()) {
  case 8: return isUnsigned ? set(2, "uint8_t", 1) : set(3, "int8_t", 1);
  case 16: return isUnsigned ? set(4, "uint16_t", 2) : set(5, "int16_t", 2);
  case 32: return isUnsigned ? set(12, "uint32_t", 4) : set(6, "int32_t", 4);
  case 64: return isUnsigned ? set(13, "uint64_t", 8) : set(7, "int64_t", 8);
  }
  return failure();
}

LogicalResult readTensor(func::FuncOp main, Type type, DictionaryAttr attrs,
                         const std::string &fallbackName, TensorSignature &sig) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return main.emitError() << "'" << fallbackName
                            << "' needs a static shape to be compiled, got " << type
                            << " (fix its dimensions with --input-shape)";
  auto name = attrs ? attrs.getAs<StringAttr>("kiln.name") : StringAttr();
  sig.name = name ? name.str() : fallbackName;
  bool isUnsigned = attrs && attrs.get(kUnsignedAttrName);
  if (failed(classify(tensor.getElementType(), isUnsigned, sig)))
    return main.emitError() << "'" << sig.name << "' has element type "
                            << tensor.getElementType()
                            << ", which a library cannot pass";
  sig.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return success();
}

} // namespace

FailureOr<ModelSignature> mlir::kiln::readModelSignature(ModuleOp module) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("expected a function @main"), failure();
  ModelSignature signature;
  for (unsigned i = 0, e = main.getNumArguments(); i < e; ++i) {
    if (!llvm::isa<TensorType>(main.getArgument(i).getType()))
      continue; // the weights blob
    TensorSignature sig;
    if (failed(readTensor(main, main.getArgument(i).getType(),
                          main.getArgAttrDict(i), "input_" + std::to_string(i), sig)))
      return failure();
    signature.inputs.push_back(std::move(sig));
  }
  for (unsigned i = 0, e = main.getNumResults(); i < e; ++i) {
    TensorSignature sig;
    if (failed(readTensor(main, main.getResultTypes()[i], main.getResultAttrDict(i),
                          "output_" + std::to_string(i), sig)))
      return failure();
    signature.outputs.push_back(std::move(sig));
  }
  return signature;
}
