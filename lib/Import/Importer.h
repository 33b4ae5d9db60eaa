//===- Importer.h - ONNX model to kiln dialect ----------------------------===//

#ifndef KILN_LIB_IMPORT_IMPORTER_H
#define KILN_LIB_IMPORT_IMPORTER_H

#include "lib/Import/OnnxLoader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::kiln::import {

/// The name of the argument and result attribute holding ONNX value names.
constexpr const char *kNameAttr = "kiln.name";

/// Loads the model `options` describe and imports it as a module with one
/// `func.func @main` whose arguments and results are the graph's inputs and
/// outputs (named by `kiln.name`). Errors (an unsupported-op report,
/// malformed input, shape conflicts) are emitted as diagnostics; the result
/// is null then. Warnings are emitted as diagnostic warnings.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context,
                                                  const LoadOptions &options);

/// Registers the dialects an imported module uses.
void loadImportDialects(mlir::MLIRContext &context);

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_IMPORTER_H
