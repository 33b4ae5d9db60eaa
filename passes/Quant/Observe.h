//===- Observe.h - running a model on data sets while it compiles ---------===//
//
// Calibration and the accuracy report need the values a model computes on
// real inputs. They compile a copy of the model whose main also returns the
// values they watch, load it in this process and run it on data sets in the
// ONNX test-data layout.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_QUANT_OBSERVE_H
#define KILN_PASSES_QUANT_OBSERVE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::kiln {

/// One set of model inputs, in main's argument order, as raw bytes.
struct DataSet {
  /// The folder (or file prefix) it came from, for messages.
  std::string path;
  std::vector<std::vector<char>> inputs;
};

/// The data sets under `dir`: `set_K/input_J.pb` or `test_data_set_K/input_J.pb`
/// (K in numeric order), or `input_J.pb` in `dir` itself. Every set must
/// hold one file per input of `main`, each of the input's element type and
/// shape. Errors (missing folder, no sets, a misshaped tensor) are
/// emitted at `main`, naming the file and saying what was expected;
/// `purpose` ("calibration", "validation") starts the message.
FailureOr<std::vector<DataSet>> loadDataSets(func::FuncOp main, llvm::StringRef dir,
                                             llvm::StringRef purpose);

/// A copy of a model compiled for this CPU with extra outputs, loaded.
class Observer {
public:
  /// Compiles a copy of `module` (kiln IR after the graph pipeline) whose
  /// main also returns `values` (values of `module`'s main; quantized ones
  /// dequantized) as f32.
  static FailureOr<std::unique_ptr<Observer>> create(ModuleOp module,
                                                     llvm::ArrayRef<Value> values);
  ~Observer();

  /// Runs one data set. `outputs[i]` gets model output i when it is f32
  /// (empty otherwise), `observed[j]` the j-th value.
  LogicalResult run(const DataSet &set, std::vector<std::vector<float>> &outputs,
                    std::vector<std::vector<float>> &observed);

  size_t numOutputs() const { return modelOutputs; }

private:
  struct Impl;
  explicit Observer(std::unique_ptr<Impl> impl, size_t modelOutputs);
  std::unique_ptr<Impl> impl;
  size_t modelOutputs;
};

} // namespace mlir::kiln

#endif // KILN_PASSES_QUANT_OBSERVE_H
