//===- NodeImporter.h - what an ONNX op handler sees ----------------------===//
//
// One handler per ONNX op type turns a node into kiln ops. Handlers read the
// node's inputs and typed attributes, build ops through `create` (which
// infers, checks and verifies instead of crashing on bad input) and bind the
// node's outputs with `setResults`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORT_NODEIMPORTER_H
#define KILN_LIB_IMPORT_NODEIMPORTER_H

#include "dialects/Kiln/KilnDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace mlir::kiln::import {

class GraphImporter;

class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
               int64_t opset, mlir::Location loc);

  const onnx::NodeProto &node;
  /// The opset of the node's domain (the target opset after conversion, or
  /// a function body's own opset).
  const int64_t opset;
  const mlir::Location loc;
  mlir::OpBuilder &builder;
  mlir::MLIRContext *context;

  //===--------------------------------------------------------------------===//
  // Inputs
  //===--------------------------------------------------------------------===//

  unsigned numInputs() const { return node.input_size(); }
  /// The value of input `i`, or null if the input is absent or empty.
  mlir::Value input(unsigned i) const;
  bool hasInput(unsigned i) const { return static_cast<bool>(input(i)); }
  mlir::RankedTensorType inputType(unsigned i) const;
  /// Inputs from `from` on, absent ones skipped.
  llvm::SmallVector<mlir::Value> inputsFrom(unsigned from) const;

  /// The values of input `i` if it is (or folds to) a constant.
  std::optional<llvm::SmallVector<int64_t>> constantInts(unsigned i) const;
  std::optional<llvm::SmallVector<double>> constantFloats(unsigned i) const;

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(llvm::StringRef name, int64_t otherwise) const;
  float getFloat(llvm::StringRef name, float otherwise) const;
  std::string getString(llvm::StringRef name, llvm::StringRef otherwise) const;
  llvm::SmallVector<int64_t> getInts(llvm::StringRef name) const;
  llvm::SmallVector<float> getFloats(llvm::StringRef name) const;
  llvm::SmallVector<std::string> getStrings(llvm::StringRef name) const;

  mlir::NamedAttribute i64Attr(llvm::StringRef name, int64_t value) const;
  mlir::NamedAttribute f32Attr(llvm::StringRef name, float value) const;
  mlir::NamedAttribute boolAttr(llvm::StringRef name, bool value) const;
  mlir::NamedAttribute i64ArrayAttr(llvm::StringRef name,
                                    llvm::ArrayRef<int64_t> values) const;
  mlir::NamedAttribute namedAttr(llvm::StringRef name, mlir::Attribute value) const;

  //===--------------------------------------------------------------------===//
  // Building
  //===--------------------------------------------------------------------===//

  /// Creates an op that infers its result types. Null operands stand for
  /// absent optional operands. Fails (with a diagnostic) where inference or
  /// verification fails.
  template <typename OpTy>
  mlir::FailureOr<OpTy> create(llvm::ArrayRef<mlir::Value> operands,
                               llvm::ArrayRef<mlir::NamedAttribute> attrs = {});

  /// Creates an op whose result types the handler states.
  template <typename OpTy>
  mlir::FailureOr<OpTy>
  createWithTypes(mlir::TypeRange types, llvm::ArrayRef<mlir::Value> operands,
                  llvm::ArrayRef<mlir::NamedAttribute> attrs = {});

  /// `create` for single-result ops, yielding the result.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value> value(llvm::ArrayRef<mlir::Value> operands,
                                     llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    auto op = create<OpTy>(operands, attrs);
    if (mlir::failed(op))
      return mlir::failure();
    return (*op)->getResult(0);
  }

  mlir::Value constant(mlir::DenseElementsAttr value);
  /// A 1-D i64 constant (or a rank-0 one with `scalar`).
  mlir::Value i64Constant(llvm::ArrayRef<int64_t> values, bool scalar = false);
  /// A rank-0 constant of `elementType` holding `value`.
  mlir::Value scalarConstant(mlir::Type elementType, double value);

  //===--------------------------------------------------------------------===//
  // Results and errors
  //===--------------------------------------------------------------------===//

  /// Binds output `i` (no-op for an empty output name), refining the value's
  /// type with what ONNX shape inference knows.
  mlir::LogicalResult setResult(unsigned i, mlir::Value value);
  /// Binds outputs 0..n-1 to `values`; extra outputs must be absent.
  mlir::LogicalResult setResults(mlir::ValueRange values);
  unsigned numOutputs() const { return node.output_size(); }
  bool hasOutput(unsigned i) const {
    return static_cast<int>(i) < node.output_size() && !node.output(i).empty();
  }

  mlir::InFlightDiagnostic emitError() const;
  /// Reports that this use of the op is not supported.
  mlir::LogicalResult unsupported(const llvm::Twine &what) const;

  /// `axis` (ONNX: in [-rank, rank)) normalized to [0, rank), or an error.
  mlir::FailureOr<int64_t> normalizedAxis(int64_t axis, int64_t rank) const;
  /// The axis attribute `name` (default `otherwise`), normalized.
  mlir::FailureOr<int64_t> axisAttr(llvm::StringRef name, int64_t otherwise,
                                    int64_t rank) const {
    return normalizedAxis(getInt(name, otherwise), rank);
  }

  GraphImporter &graph;

private:
  mlir::LogicalResult finish(mlir::Operation *op);
  /// Checks and converts attributes into an op's properties, defaults filled.
  template <typename OpTy>
  mlir::LogicalResult readProperties(mlir::DictionaryAttr dict,
                                     typename OpTy::Properties &properties) {
    if (mlir::failed(OpTy::setPropertiesFromAttr(properties, dict,
                                                 [&] { return emitError(); })))
      return mlir::failure();
    OpTy::populateDefaultProperties(
        mlir::OperationName(OpTy::getOperationName(), context), properties);
    return mlir::success();
  }
  mlir::Value constantFor(mlir::Value value);
  mlir::DictionaryAttr attributes(llvm::ArrayRef<mlir::NamedAttribute> attrs,
                                  llvm::ArrayRef<int32_t> segments,
                                  bool hasSegments) const;
};

template <typename OpTy>
mlir::FailureOr<OpTy>
NodeImporter::create(llvm::ArrayRef<mlir::Value> operandsWithNulls,
                     llvm::ArrayRef<mlir::NamedAttribute> attrs) {
  llvm::SmallVector<mlir::Value> operands;
  llvm::SmallVector<int32_t> segments;
  for (mlir::Value v : operandsWithNulls) {
    segments.push_back(v ? 1 : 0);
    if (v)
      operands.push_back(v);
  }
  constexpr bool hasSegments =
      OpTy::template hasTrait<mlir::OpTrait::AttrSizedOperandSegments>();
  mlir::DictionaryAttr dict = attributes(attrs, segments, hasSegments);
  typename OpTy::Properties properties;
  if (mlir::failed(readProperties<OpTy>(dict, properties)))
    return mlir::failure();
  // Inference sees shape operands the graph computes as the constants they
  // evaluate to, so result types are static where ONNX's are; the op itself
  // keeps its operands (folding them is the passes' job).
  llvm::SmallVector<mlir::Value> inferenceOperands(operands);
  llvm::SmallVector<mlir::Operation *> temporaries;
  for (mlir::Value &operand : inferenceOperands)
    if (mlir::Value constant = constantFor(operand); constant && constant != operand) {
      temporaries.push_back(constant.getDefiningOp());
      operand = constant;
    }
  typename OpTy::Adaptor adaptor(inferenceOperands, dict, properties);
  llvm::SmallVector<mlir::Type> types;
  mlir::LogicalResult inferred =
      OpTy::inferReturnTypes(context, loc, adaptor, types);
  for (mlir::Operation *temporary : temporaries)
    temporary->erase();
  if (mlir::failed(inferred))
    return mlir::failure();
  auto op = OpTy::create(builder, loc, types, operands, properties);
  if (mlir::failed(finish(op)))
    return mlir::failure();
  return op;
}

template <typename OpTy>
mlir::FailureOr<OpTy>
NodeImporter::createWithTypes(mlir::TypeRange types,
                              llvm::ArrayRef<mlir::Value> operandsWithNulls,
                              llvm::ArrayRef<mlir::NamedAttribute> attrs) {
  llvm::SmallVector<mlir::Value> operands;
  for (mlir::Value v : operandsWithNulls)
    if (v)
      operands.push_back(v);
  typename OpTy::Properties properties;
  if (mlir::failed(readProperties<OpTy>(attributes(attrs, {}, false), properties)))
    return mlir::failure();
  auto op = OpTy::create(builder, loc, types, operands, properties);
  if (mlir::failed(finish(op)))
    return mlir::failure();
  return op;
}

/// The handler of ops that map one to one: every input, no attributes.
template <typename OpTy>
mlir::LogicalResult importOneToOne(NodeImporter &n) {
  auto y = n.value<OpTy>(n.inputsFrom(0));
  return mlir::failed(y) ? mlir::failure() : n.setResults(*y);
}

/// A handler imports one node; `check`, when given, says why a particular
/// node is not supported (an empty string when it is).
struct OpHandler {
  mlir::LogicalResult (*import)(NodeImporter &) = nullptr;
  std::string (*check)(const onnx::NodeProto &, int64_t opset) = nullptr;
};

class HandlerRegistry {
public:
  void add(llvm::StringRef opType, mlir::LogicalResult (*import)(NodeImporter &),
           std::string (*check)(const onnx::NodeProto &, int64_t) = nullptr);
  const OpHandler *lookup(llvm::StringRef opType) const;

private:
  llvm::StringMap<OpHandler> handlers;
};

/// The registry of every handler, built on first use.
const HandlerRegistry &handlerRegistry();

// Each area registers its handlers (lib/Import/Handlers/*.cpp).
void registerElementwiseHandlers(HandlerRegistry &registry);
void registerNNHandlers(HandlerRegistry &registry);
void registerReductionHandlers(HandlerRegistry &registry);
void registerTensorHandlers(HandlerRegistry &registry);
void registerQuantHandlers(HandlerRegistry &registry);
void registerRecurrentHandlers(HandlerRegistry &registry);
void registerControlFlowHandlers(HandlerRegistry &registry);

/// Reads an ONNX attribute value of a node's `name` as a typed ONNX enum.
std::string lowercase(llvm::StringRef text);

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_NODEIMPORTER_H
