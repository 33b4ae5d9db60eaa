//===- TensorConversion.h - ONNX tensors and types as MLIR ----------------===//

#ifndef KILN_LIB_IMPORT_TENSORCONVERSION_H
#define KILN_LIB_IMPORT_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "onnx/onnx_pb.h"

namespace mlir::kiln::import {

/// The MLIR element type of an ONNX TensorProto data type, or null for types
/// Kiln does not support (strings, complex numbers).
mlir::Type elementTypeOf(int32_t dataType, mlir::MLIRContext *context);

/// ONNX's name of a data type ("float", "int64", ...), for messages.
std::string dataTypeName(int32_t dataType);

/// The ONNX data type of an MLIR element type (0 if none).
int32_t dataTypeOf(mlir::Type elementType);

/// The ranked tensor type of a value_info type; null if it is not a tensor,
/// has no known rank, or has an unsupported element type. Unknown and
/// symbolic dimensions are dynamic.
mlir::RankedTensorType tensorTypeOf(const onnx::TypeProto &type,
                                    mlir::MLIRContext *context);

/// The value_info form of a tensor type (for function-body construction).
onnx::TypeProto typeProtoOf(mlir::RankedTensorType type);

/// Decodes a tensor (raw or typed fields) as a dense attribute, checking its
/// size against its shape. Emits an error at `loc` and returns null on
/// failure.
mlir::DenseElementsAttr tensorToAttr(const onnx::TensorProto &tensor,
                                     mlir::MLIRContext *context,
                                     mlir::Location loc);

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_TENSORCONVERSION_H
