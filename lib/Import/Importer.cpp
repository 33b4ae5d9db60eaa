//===- Importer.cpp - ONNX model to kiln dialect --------------------------===//

#include "lib/Import/Importer.h"

#include "lib/Import/GraphImporter.h"
#include "lib/Import/TensorConversion.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace mlir::kiln::import {

//===----------------------------------------------------------------------===//
// Handler registry
//===----------------------------------------------------------------------===//

void HandlerRegistry::add(StringRef opType, LogicalResult (*import)(NodeImporter &),
                          std::string (*check)(const onnx::NodeProto &, int64_t)) {
  handlers[opType] = OpHandler{import, check};
}

const OpHandler *HandlerRegistry::lookup(StringRef opType) const {
  auto it = handlers.find(opType);
  return it == handlers.end() ? nullptr : &it->second;
}

const HandlerRegistry &handlerRegistry() {
  static const HandlerRegistry registry = [] {
    HandlerRegistry r;
    registerElementwiseHandlers(r);
    registerNNHandlers(r);
    registerReductionHandlers(r);
    registerTensorHandlers(r);
    registerQuantHandlers(r);
    registerRecurrentHandlers(r);
    registerControlFlowHandlers(r);
    return r;
  }();
  return registry;
}

std::string lowercase(StringRef text) { return text.lower(); }

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext &context, OpBuilder &builder,
                             StringRef modelPath, const HandlerRegistry &handlers)
    : context(context), builder(builder), modelPath(modelPath.str()),
      handlers(handlers) {}

void GraphImporter::pushScope(const onnx::GraphProto *graph, bool withTypes) {
  Scope scope;
  scope.graph = graph;
  if (graph && withTypes) {
    for (const auto &vi : graph->value_info())
      scope.types[vi.name()] = &vi.type();
    for (const auto &vi : graph->output())
      scope.types[vi.name()] = &vi.type();
  }
  scopes.push_back(std::move(scope));
}

void GraphImporter::popScope() { scopes.pop_back(); }

Value GraphImporter::lookup(StringRef name) const {
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    auto found = it->values.find(name);
    if (found != it->values.end())
      return found->second;
  }
  return {};
}

void GraphImporter::bind(StringRef name, Value value) {
  scopes.back().values[name] = value;
}

RankedTensorType GraphImporter::onnxType(StringRef name) const {
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    auto found = it->types.find(name);
    if (found != it->types.end())
      return tensorTypeOf(*found->second, &context);
  }
  return {};
}

/// Shape computations are small: only values of rank <= 1 with at most this
/// many elements (or an unknown count) are evaluated at import.
static constexpr int64_t kMaxEvaluatedElements = 4096;

Attribute GraphImporter::evaluate(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attr;
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() > 1 ||
      (type.hasStaticShape() && type.getNumElements() > kMaxEvaluatedElements))
    return {};
  auto it = evaluated.find(value);
  if (it != evaluated.end())
    return it->second;
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumRegions() != 0 ||
      !llvm::isa<kiln::KilnDialect>(op->getDialect()))
    return {};
  evaluated[value] = Attribute(); // guards against revisiting
  // Operands that do not evaluate stay null: many folds (shape, size) only
  // need the operand's type.
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands())
    operands.push_back(evaluate(operand));
  SmallVector<OpFoldResult> results;
  Attribute result;
  if (succeeded(op->fold(operands, results)) && results.size() == op->getNumResults()) {
    OpFoldResult folded = results[llvm::cast<OpResult>(value).getResultNumber()];
    if (auto a = llvm::dyn_cast<Attribute>(folded))
      result = a;
    else if (llvm::cast<Value>(folded) != value)
      result = evaluate(llvm::cast<Value>(folded));
  }
  return evaluated[value] = result;
}

Value GraphImporter::constantFor(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return value;
  auto elements = llvm::dyn_cast_or_null<ElementsAttr>(evaluate(value));
  if (!elements)
    return {};
  return kiln::ConstantOp::create(builder, value.getLoc(), elements.getType(),
                                  elements);
}

LogicalResult GraphImporter::importInitializers(const onnx::GraphProto &graph) {
  for (const auto &tensor : graph.initializer()) {
    Location loc = NameLoc::get(StringAttr::get(&context, tensor.name()),
                                FileLineColLoc::get(&context, modelPath, 0, 0));
    DenseElementsAttr value = tensorToAttr(tensor, &context, loc);
    if (!value)
      return failure();
    bind(tensor.name(),
         kiln::ConstantOp::create(builder, loc, value.getType(), value));
  }
  return success();
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph,
                                         int64_t opset, StringRef namePrefix) {
  int index = 0;
  for (const auto &node : graph.node())
    if (failed(importNode(node, index++, opset, namePrefix)))
      return failure();
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index,
                                        int64_t opset, StringRef namePrefix) {
  std::string name = node.name().empty()
                         ? node.op_type() + "#" + std::to_string(index)
                         : node.name();
  if (!namePrefix.empty())
    name = namePrefix.str() + "/" + name;
  Location loc = NameLoc::get(StringAttr::get(&context, name),
                              FileLineColLoc::get(&context, modelPath, 0, 0));
  for (const auto &input : node.input())
    if (!input.empty() && !lookup(input))
      return emitError(loc) << node.op_type() << " reads '" << input
                            << "', which is not defined";
  const OpHandler *handler = handlers.lookup(node.op_type());
  if (handler) {
    if (handler->check) {
      std::string reason = handler->check(node, opset);
      if (!reason.empty())
        return emitError(loc) << reason << " is not supported";
    }
    NodeImporter importer(*this, node, opset, loc);
    return handler->import(importer);
  }
  if (hasFunctionBody(node.op_type(), opset))
    return expandFunction(node, opset, loc, name);
  return emitError(loc) << "operator " << node.op_type()
                        << " is not supported";
}

LogicalResult GraphImporter::expandFunction(const onnx::NodeProto &node,
                                            int64_t opset, Location loc,
                                            StringRef name) {
  std::vector<onnx::TypeProto> inputTypes;
  for (const auto &input : node.input()) {
    Value value = input.empty() ? Value() : lookup(input);
    inputTypes.push_back(value ? typeProtoOf(llvm::cast<RankedTensorType>(
                                     value.getType()))
                               : onnx::TypeProto());
  }
  std::string error;
  std::optional<onnx::FunctionProto> body =
      import::expandFunction(node, opset, inputTypes, error);
  if (!body)
    return emitError(loc) << (error.empty() ? "operator " + node.op_type() +
                                                  " has no function body"
                                            : error);
  int64_t bodyOpset = opset;
  for (const auto &import : body->opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      bodyOpset = import.version();
  // Rename the body's values apart and bind its formal inputs to the
  // node's actual ones in a fresh scope.
  std::string prefix = "__kiln_fn" + std::to_string(expansionCounter++) + "_";
  auto rename = [&](const std::string &formal) {
    return formal.empty() ? formal : prefix + formal;
  };
  onnx::GraphProto graph;
  for (auto &bodyNode : body->node()) {
    onnx::NodeProto copy = bodyNode;
    for (auto &in : *copy.mutable_input())
      in = rename(in);
    for (auto &out : *copy.mutable_output())
      out = rename(out);
    *graph.add_node() = std::move(copy);
  }
  pushScope(nullptr);
  for (int i = 0; i < body->input_size(); ++i) {
    Value actual = i < node.input_size() && !node.input(i).empty()
                       ? lookup(node.input(i))
                       : Value();
    if (actual)
      bind(rename(body->input(i)), actual);
  }
  LogicalResult result = importNodes(graph, bodyOpset, name);
  SmallVector<Value> outputs;
  if (succeeded(result))
    for (int i = 0; i < node.output_size(); ++i) {
      Value v = i < body->output_size() ? lookup(rename(body->output(i))) : Value();
      if (!node.output(i).empty() && !v) {
        result = emitError(loc) << "the function body of " << node.op_type()
                                << " does not compute output " << i;
        break;
      }
      outputs.push_back(v);
    }
  popScope();
  if (failed(result))
    return failure();
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      bind(node.output(i), outputs[i]);
  return success();
}

LogicalResult GraphImporter::importRegion(const onnx::GraphProto &graph,
                                          Region &region, TypeRange argTypes,
                                          int64_t opset, bool trustTypes) {
  if (graph.input_size() != static_cast<int>(argTypes.size()))
    return emitError(builder.getUnknownLoc())
           << "subgraph '" << graph.name() << "' takes " << graph.input_size()
           << " inputs, expected " << argTypes.size();
  Block *block = new Block();
  region.push_back(block);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(block);
  pushScope(&graph, trustTypes);
  for (auto [input, type] : llvm::zip(graph.input(), argTypes))
    bind(input.name(), block->addArgument(type, builder.getUnknownLoc()));
  LogicalResult result = importInitializers(graph);
  if (succeeded(result))
    result = importNodes(graph, opset);
  SmallVector<Value> outputs;
  if (succeeded(result))
    for (const auto &out : graph.output()) {
      Value v = lookup(out.name());
      if (!v) {
        result = emitError(builder.getUnknownLoc())
                 << "subgraph output '" << out.name() << "' is not computed";
        break;
      }
      outputs.push_back(v);
    }
  popScope();
  if (failed(result))
    return failure();
  kiln::YieldOp::create(builder, builder.getUnknownLoc(), outputs);
  return success();
}

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
                           int64_t opset, Location loc)
    : node(node), opset(opset), loc(loc), builder(graph.builder),
      context(&graph.context), graph(graph) {}

Value NodeImporter::input(unsigned i) const {
  if (static_cast<int>(i) >= node.input_size() || node.input(i).empty())
    return {};
  return graph.lookup(node.input(i));
}

RankedTensorType NodeImporter::inputType(unsigned i) const {
  Value v = input(i);
  return v ? llvm::cast<RankedTensorType>(v.getType()) : RankedTensorType();
}

SmallVector<Value> NodeImporter::inputsFrom(unsigned from) const {
  SmallVector<Value> values;
  for (unsigned i = from; i < numInputs(); ++i)
    if (Value v = input(i))
      values.push_back(v);
  return values;
}

std::optional<SmallVector<int64_t>> NodeImporter::constantInts(unsigned i) const {
  Value v = input(i);
  if (!v)
    return std::nullopt;
  auto attr = llvm::dyn_cast_or_null<DenseIntElementsAttr>(graph.evaluate(v));
  if (!attr)
    return std::nullopt;
  SmallVector<int64_t> values;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  for (const APInt &x : attr.getValues<APInt>())
    values.push_back(isUnsigned ? static_cast<int64_t>(x.getZExtValue())
                                : x.getSExtValue());
  return values;
}

std::optional<SmallVector<double>> NodeImporter::constantFloats(unsigned i) const {
  Value v = input(i);
  if (!v)
    return std::nullopt;
  auto attr = llvm::dyn_cast_or_null<DenseFPElementsAttr>(graph.evaluate(v));
  if (!attr)
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &x : attr.getValues<APFloat>())
    values.push_back(x.convertToDouble());
  return values;
}

const onnx::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::getInt(StringRef name, int64_t otherwise) const {
  const auto *a = attr(name);
  return a ? a->i() : otherwise;
}

float NodeImporter::getFloat(StringRef name, float otherwise) const {
  const auto *a = attr(name);
  return a ? a->f() : otherwise;
}

std::string NodeImporter::getString(StringRef name, StringRef otherwise) const {
  const auto *a = attr(name);
  return a ? a->s() : otherwise.str();
}

SmallVector<int64_t> NodeImporter::getInts(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<int64_t>(a->ints().begin(), a->ints().end())
           : SmallVector<int64_t>();
}

SmallVector<float> NodeImporter::getFloats(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<float>(a->floats().begin(), a->floats().end())
           : SmallVector<float>();
}

SmallVector<std::string> NodeImporter::getStrings(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<std::string>(a->strings().begin(), a->strings().end())
           : SmallVector<std::string>();
}

NamedAttribute NodeImporter::i64Attr(StringRef name, int64_t value) const {
  return builder.getNamedAttr(name, builder.getI64IntegerAttr(value));
}

NamedAttribute NodeImporter::f32Attr(StringRef name, float value) const {
  return builder.getNamedAttr(name, builder.getF32FloatAttr(value));
}

NamedAttribute NodeImporter::boolAttr(StringRef name, bool value) const {
  return builder.getNamedAttr(name, builder.getBoolAttr(value));
}

NamedAttribute NodeImporter::i64ArrayAttr(StringRef name,
                                          ArrayRef<int64_t> values) const {
  return builder.getNamedAttr(name, builder.getDenseI64ArrayAttr(values));
}

NamedAttribute NodeImporter::namedAttr(StringRef name, Attribute value) const {
  return builder.getNamedAttr(name, value);
}

DictionaryAttr NodeImporter::attributes(ArrayRef<NamedAttribute> attrs,
                                        ArrayRef<int32_t> segments,
                                        bool hasSegments) const {
  NamedAttrList list(attrs);
  if (hasSegments)
    list.set("operandSegmentSizes", builder.getDenseI32ArrayAttr(segments));
  return list.getDictionary(context);
}

Value NodeImporter::constantFor(Value value) { return graph.constantFor(value); }

LogicalResult NodeImporter::finish(Operation *op) {
  for (Type type : op->getResultTypes())
    if (auto tensor = llvm::dyn_cast<RankedTensorType>(type);
        tensor && !kiln::isSaneShape(tensor.getShape())) {
      emitError() << "would produce a tensor of absurd shape " << type;
      op->erase();
      return failure();
    }
  if (succeeded(mlir::verify(op)))
    return success();
  op->erase();
  return failure();
}

Value NodeImporter::constant(DenseElementsAttr value) {
  return kiln::ConstantOp::create(builder, loc, value.getType(), value);
}

Value NodeImporter::i64Constant(ArrayRef<int64_t> values, bool scalar) {
  auto type = scalar ? RankedTensorType::get({}, builder.getI64Type())
                     : RankedTensorType::get({static_cast<int64_t>(values.size())},
                                             builder.getI64Type());
  return constant(DenseIntElementsAttr::get(type, values));
}

Value NodeImporter::scalarConstant(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (auto f = llvm::dyn_cast<FloatType>(elementType)) {
    APFloat v(value);
    bool lost;
    v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    return constant(DenseElementsAttr::get(type, v));
  }
  return constant(DenseElementsAttr::get(
      type, APInt(elementType.getIntOrFloatBitWidth(),
                  static_cast<uint64_t>(static_cast<int64_t>(value)),
                  /*isSigned=*/true, /*implicitTrunc=*/true)));
}

LogicalResult NodeImporter::setResult(unsigned i, Value value) {
  if (!hasOutput(i))
    return success();
  const std::string &name = node.output(i);
  if (RankedTensorType known = graph.onnxType(name)) {
    auto current = llvm::cast<RankedTensorType>(value.getType());
    if (known.getElementType() != current.getElementType() ||
        known.getRank() != current.getRank() ||
        failed(kiln::joinShapes(known.getShape(), current.getShape())))
      return emitError() << "output '" << name << "' computes " << current
                         << ", but the model's type information says " << known;
    auto joined = current.clone(*kiln::joinShapes(known.getShape(),
                                                  current.getShape()));
    if (joined != current) {
      // Refining is only sound for results of ops just built here (no
      // users yet); anything else keeps its type.
      auto result = llvm::dyn_cast<OpResult>(value);
      if (result && value.use_empty() &&
          llvm::isa<kiln::KilnDialect>(result.getOwner()->getDialect())) {
        value.setType(joined);
        if (failed(mlir::verify(result.getOwner())))
          return failure();
      }
    }
  }
  graph.bind(name, value);
  return success();
}

LogicalResult NodeImporter::setResults(ValueRange values) {
  for (unsigned i = values.size(); i < numOutputs(); ++i)
    if (hasOutput(i))
      return emitError() << "output " << i << " of " << node.op_type()
                         << " is not supported";
  for (auto [i, v] : llvm::enumerate(values))
    if (failed(setResult(i, v)))
      return failure();
  return success();
}

InFlightDiagnostic NodeImporter::emitError() const {
  return mlir::emitError(loc) << node.op_type() << ": ";
}

FailureOr<int64_t> NodeImporter::normalizedAxis(int64_t axis, int64_t rank) const {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return emitError() << "axis " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult NodeImporter::unsupported(const llvm::Twine &what) const {
  return emitError() << what << " is not supported";
}

//===----------------------------------------------------------------------===//
// Model import
//===----------------------------------------------------------------------===//

void loadImportDialects(MLIRContext &context) {
  context.loadDialect<kiln::KilnDialect, func::FuncDialect,
                      tensor::TensorDialect, quant::QuantDialect>();
}

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &context,
                                      const LoadOptions &options) {
  loadImportDialects(context);
  Location fileLoc = FileLineColLoc::get(&context, options.path, 0, 0);
  const HandlerRegistry &handlers = handlerRegistry();
  SupportCheck supported = [&](const onnx::NodeProto &node, int64_t opset) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (!defaultDomain)
      return node.domain() + "::" + node.op_type();
    const OpHandler *handler = handlers.lookup(node.op_type());
    if (!handler)
      return node.op_type();
    return handler->check ? handler->check(node, opset) : std::string();
  };
  std::string error;
  std::optional<LoadResult> loaded = loadModel(options, supported, error);
  if (!loaded) {
    emitError(fileLoc) << error;
    return nullptr;
  }
  for (const std::string &warning : loaded->warnings)
    emitWarning(fileLoc) << warning;

  const onnx::GraphProto &graph = loaded->model.graph();
  OpBuilder builder(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());

  std::set<std::string> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &input : graph.input()) {
    if (initializerNames.count(input.name()))
      continue; // IR < 4: initializers are listed as inputs too
    RankedTensorType type = tensorTypeOf(input.type(), &context);
    if (!type) {
      if (input.type().has_tensor_type() && input.type().tensor_type().has_shape())
        emitError(fileLoc) << "graph input '" << input.name() << "' has element type "
                           << dataTypeName(input.type().tensor_type().elem_type())
                           << ", which Kiln does not support";
      else if (input.type().has_tensor_type())
        emitError(fileLoc) << "graph input '" << input.name()
                           << "' has no known rank; give it with --input-shape";
      else
        emitError(fileLoc) << "graph input '" << input.name()
                           << "' is not a tensor; Kiln imports tensor graphs only";
      return nullptr;
    }
    argTypes.push_back(type);
    argNames.push_back(input.name());
  }
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);

  GraphImporter importer(context, builder, options.path, handlers);
  importer.pushScope(&graph);
  for (auto [i, name] : llvm::enumerate(argNames)) {
    importer.bind(name, entry->getArgument(i));
    func.setArgAttr(i, kNameAttr, builder.getStringAttr(name));
  }
  if (failed(importer.importInitializers(graph)) ||
      failed(importer.importNodes(graph, kTargetOpset)))
    return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &output : graph.output()) {
    Value value = importer.lookup(output.name());
    if (!value) {
      emitError(fileLoc) << "graph output '" << output.name() << "' is not computed";
      return nullptr;
    }
    // The declared output type, when as static as what Kiln computed or
    // more, is the function's result type.
    Type type = value.getType();
    RankedTensorType declared = tensorTypeOf(output.type(), &context);
    auto actual = llvm::cast<RankedTensorType>(type);
    if (declared) {
      if (declared.getElementType() != actual.getElementType() ||
          declared.getRank() != actual.getRank() ||
          failed(kiln::joinShapes(declared.getShape(), actual.getShape()))) {
        emitError(fileLoc) << "graph output '" << output.name()
                           << "' is declared " << declared << " but computes "
                           << actual;
        return nullptr;
      }
      type = actual.clone(*kiln::joinShapes(declared.getShape(), actual.getShape()));
    }
    if (type != value.getType())
      value = tensor::CastOp::create(builder, fileLoc, type, value);
    results.push_back(value);
    resultTypes.push_back(type);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kNameAttr, builder.getStringAttr(output.name()));
  importer.popScope();
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace mlir::kiln::import
