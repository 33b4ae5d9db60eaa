//===- OnnxLoader.h - reading, validating and normalizing ONNX models -----===//
//
// Everything that touches libonnx (parsing, the checker-like structural
// validation, external data, opset conversion, shape inference, function
// bodies) happens behind this interface. libonnx reports errors by throwing;
// no exception leaves these functions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORT_ONNXLOADER_H
#define KILN_LIB_IMPORT_ONNXLOADER_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir::kiln::import {

/// The default-domain opset every model is converted to before import.
constexpr int64_t kTargetOpset = 17;

struct InputShape {
  std::string name;
  std::vector<int64_t> dims;
};

struct LoadOptions {
  std::string path;
  /// Parse ONNX's textual syntax instead of a binary protobuf.
  bool textFormat = false;
  /// Replace dynamic dimensions of these graph inputs.
  std::vector<InputShape> inputShapes;
  /// Freeze these graph inputs to the tensors in the given .pb files.
  std::vector<std::pair<std::string, std::string>> constantInputs;
};

/// Why a node cannot be imported ("" if it can). Keyed by a short label such
/// as the op type, or "BatchNormalization[training_mode=1]".
using SupportCheck =
    std::function<std::string(const onnx::NodeProto &node, int64_t opset)>;

struct LoadResult {
  onnx::ModelProto model;
  /// The default-domain opset of the model as stored.
  int64_t originalOpset = 0;
  /// Notes for the user that do not stop the import.
  std::vector<std::string> warnings;
};

/// Loads `options.path`, validates it, reports every unsupported op at once
/// (through `supported`), then specializes inputs, converts to
/// `kTargetOpset` and runs ONNX shape inference. On failure, `error` holds a
/// message meant for the user and the result is nullopt.
std::optional<LoadResult> loadModel(const LoadOptions &options,
                                    const SupportCheck &supported,
                                    std::string &error);

/// Parses a serialized TensorProto file (an ONNX test-data .pb).
bool readTensorFile(const std::string &path, onnx::TensorProto &tensor,
                    std::string &error);

/// The body of a function-defined op (an ONNX "function") for `node`, with
/// `inputTypes` describing its inputs; nullopt if the op has no body.
std::optional<onnx::FunctionProto>
expandFunction(const onnx::NodeProto &node, int64_t opset,
               const std::vector<onnx::TypeProto> &inputTypes,
               std::string &error);

/// Whether the default schema registry defines a function body for the op.
bool hasFunctionBody(const std::string &opType, int64_t opset);

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_ONNXLOADER_H
