//===- GraphImporter.h - walking ONNX graphs into kiln ops ----------------===//

#ifndef KILN_LIB_IMPORT_GRAPHIMPORTER_H
#define KILN_LIB_IMPORT_GRAPHIMPORTER_H

#include "lib/Import/NodeImporter.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <vector>

namespace mlir::kiln::import {

/// Imports the nodes of a graph (and its subgraphs and expanded function
/// bodies) into the current insertion point, keeping a scope of ONNX value
/// names per graph.
class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, mlir::OpBuilder &builder,
                llvm::StringRef modelPath, const HandlerRegistry &handlers);

  /// Opens a scope for `graph`: its value_info types and, once imported, its
  /// values. Names of enclosing scopes stay visible.
  void pushScope(const onnx::GraphProto *graph, bool withTypes = true);
  void popScope();

  mlir::Value lookup(llvm::StringRef name) const;
  void bind(llvm::StringRef name, mlir::Value value);
  /// The type ONNX shape inference recorded for `name`, or null.
  mlir::RankedTensorType onnxType(llvm::StringRef name) const;

  /// Imports initializers as constants into the current scope.
  mlir::LogicalResult importInitializers(const onnx::GraphProto &graph);
  /// Imports every node of `graph` (already topologically sorted).
  mlir::LogicalResult importNodes(const onnx::GraphProto &graph, int64_t opset,
                                  llvm::StringRef namePrefix = "");
  /// Imports a subgraph (an If branch, a Loop body) into a new block of
  /// `region` whose arguments, of `argTypes`, are the subgraph's inputs; the
  /// block ends in `kiln.yield` of the subgraph's outputs.
  /// Loop bodies pass `trustTypes = false`: ONNX infers their value types
  /// for the first iteration only.
  mlir::LogicalResult importRegion(const onnx::GraphProto &graph,
                                   mlir::Region &region,
                                   mlir::TypeRange argTypes, int64_t opset,
                                   bool trustTypes = true);

  /// The constant `value` is, or folds to without changing the IR (small
  /// shape-like values only).
  mlir::Attribute evaluate(mlir::Value value);
  /// A constant op holding what `value` evaluates to (new, at the insertion
  /// point, unless `value` already is one), or null.
  mlir::Value constantFor(mlir::Value value);

  mlir::MLIRContext &context;
  mlir::OpBuilder &builder;

private:
  mlir::LogicalResult importNode(const onnx::NodeProto &node, int index,
                                 int64_t opset, llvm::StringRef namePrefix);
  mlir::LogicalResult expandFunction(const onnx::NodeProto &node,
                                     int64_t opset, mlir::Location loc,
                                     llvm::StringRef namePrefix);

  struct Scope {
    const onnx::GraphProto *graph = nullptr;
    llvm::StringMap<mlir::Value> values;
    llvm::StringMap<const onnx::TypeProto *> types;
  };
  std::vector<Scope> scopes;
  std::string modelPath;
  const HandlerRegistry &handlers;
  llvm::DenseMap<mlir::Value, mlir::Attribute> evaluated;
  unsigned expansionCounter = 0;
};

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_GRAPHIMPORTER_H
