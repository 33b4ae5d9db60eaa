//===- Signature.h - the inputs and outputs of a compiled model -----------===//

#ifndef KILN_CODEGEN_LIBRARY_SIGNATURE_H
#define KILN_CODEGEN_LIBRARY_SIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mlir::kiln {

/// One input or output of a generated library, as its C ABI describes it.
struct TensorSignature {
  std::string name;
  /// The kiln_dtype code (ONNX's TensorProto.DataType numbering).
  int dtype = 0;
  /// The C name of the element type ("float", "int64_t", ...), for headers.
  std::string cType;
  std::vector<int64_t> shape;
  int64_t elementBytes = 0;

  int64_t numElements() const;
  int64_t sizeBytes() const { return numElements() * elementBytes; }
  /// "float32[1,3,224,224]".
  std::string describe() const;
};

struct ModelSignature {
  std::vector<TensorSignature> inputs;
  std::vector<TensorSignature> outputs;
};

/// Reads the signature of `@main` at the tensor level (after kiln-to-linalg,
/// before bufferization): statically shaped tensors of ABI element types,
/// named by their `kiln.name` attributes, signedness from `kiln.unsigned`.
/// Emits an error and fails on anything a library cannot pass.
FailureOr<ModelSignature> readModelSignature(ModuleOp module);

/// The name of a kiln_dtype code ("float32", "uint8", ...).
const char *dtypeName(int dtype);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LIBRARY_SIGNATURE_H
