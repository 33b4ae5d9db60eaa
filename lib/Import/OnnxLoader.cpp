//===- OnnxLoader.cpp - reading, validating and normalizing ONNX models ---===//
//
// Compiled with exceptions: libonnx throws on malformed input, and every
// entry point here catches so that callers see an error string instead.
//
//===----------------------------------------------------------------------===//

#include "lib/Import/OnnxLoader.h"

#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <queue>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mlir::kiln::import {
namespace {

using onnx::GraphProto;
using onnx::ModelProto;
using onnx::NodeProto;
using onnx::TensorProto;

/// Largest element count Kiln accepts for one tensor (2^40).
constexpr int64_t kMaxElements = int64_t(1) << 40;

bool readFile(const std::string &path, std::string &bytes, std::string &error) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    error = "cannot open '" + path + "': no such file";
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    error = "'" + path + "' is a directory, not a file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "' for reading";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  bytes = buffer.str();
  return true;
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string realPath(const std::string &path) {
  char *resolved = ::realpath(path.c_str(), nullptr);
  if (!resolved)
    return "";
  std::string result(resolved);
  std::free(resolved);
  return result;
}

int64_t defaultOpset(const ModelProto &model) {
  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      return opset.version();
  return 0;
}

//===----------------------------------------------------------------------===//
// External data
//===----------------------------------------------------------------------===//

/// Replaces an external tensor's reference by its bytes, reading only files
/// inside `directory` (the model's own folder).
bool loadExternalData(TensorProto &tensor, const std::string &directory,
                      std::string &error) {
  if (tensor.data_location() != TensorProto::EXTERNAL)
    return true;
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    const std::string &key = entry.key(), &value = entry.value();
    char *end = nullptr;
    if (key == "location") {
      location = value;
    } else if (key == "offset" || key == "length") {
      long long parsed = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || parsed < 0) {
        error = "tensor '" + tensor.name() + "' has an invalid external " + key +
                " '" + value + "'";
        return false;
      }
      (key == "offset" ? offset : length) = parsed;
    }
  }
  if (location.empty()) {
    error = "tensor '" + tensor.name() + "' is external but names no location";
    return false;
  }
  std::string baseReal = realPath(directory);
  std::string fileReal = location.front() == '/' ? "" : realPath(directory + "/" + location);
  if (location.front() == '/' || fileReal.empty() || baseReal.empty() ||
      fileReal.compare(0, baseReal.size() + 1, baseReal + "/") != 0) {
    error = "tensor '" + tensor.name() + "' refers to external data '" +
            location + "' outside the model's directory (or missing); only "
            "files inside '" + directory + "' are read";
    return false;
  }
  std::ifstream in(fileReal, std::ios::binary | std::ios::ate);
  if (!in) {
    error = "cannot read external data file '" + fileReal + "'";
    return false;
  }
  int64_t size = static_cast<int64_t>(in.tellg());
  if (length < 0)
    length = size - offset;
  if (offset > size || length > size - offset) {
    error = "external data of tensor '" + tensor.name() + "' (offset " +
            std::to_string(offset) + ", length " + std::to_string(length) +
            ") lies beyond the end of '" + location + "' (" +
            std::to_string(size) + " bytes)";
    return false;
  }
  std::string bytes(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  tensor.set_raw_data(std::move(bytes));
  tensor.clear_external_data();
  tensor.set_data_location(TensorProto::DEFAULT);
  return true;
}

/// Applies `fn` to every tensor stored in `graph` and its subgraphs:
/// initializers and tensor-valued attributes.
template <typename Fn>
bool forEachTensor(GraphProto &graph, Fn &&fn) {
  for (auto &tensor : *graph.mutable_initializer())
    if (!fn(tensor))
      return false;
  for (auto &node : *graph.mutable_node())
    for (auto &attr : *node.mutable_attribute()) {
      if (attr.has_t() && !fn(*attr.mutable_t()))
        return false;
      for (auto &t : *attr.mutable_tensors())
        if (!fn(t))
          return false;
      if (attr.has_g() && !forEachTensor(*attr.mutable_g(), fn))
        return false;
      for (auto &g : *attr.mutable_graphs())
        if (!forEachTensor(g, fn))
          return false;
    }
  return true;
}

//===----------------------------------------------------------------------===//
// Structural validation
//===----------------------------------------------------------------------===//

std::string nodeLabel(const NodeProto &node, int index) {
  std::string name = node.name().empty() ? "#" + std::to_string(index) : node.name();
  return "node '" + name + "' (" + node.op_type() + ")";
}

/// Names a subgraph reads from enclosing scopes.
void collectCaptures(const GraphProto &graph, std::set<std::string> &captures) {
  std::set<std::string> local;
  for (const auto &input : graph.input())
    local.insert(input.name());
  for (const auto &init : graph.initializer())
    local.insert(init.name());
  for (const auto &node : graph.node())
    for (const auto &out : node.output())
      local.insert(out);
  for (const auto &node : graph.node()) {
    for (const auto &in : node.input())
      if (!in.empty() && !local.count(in))
        captures.insert(in);
    for (const auto &attr : node.attribute()) {
      std::set<std::string> inner;
      if (attr.has_g())
        collectCaptures(attr.g(), inner);
      for (const auto &g : attr.graphs())
        collectCaptures(g, inner);
      for (const auto &name : inner)
        if (!local.count(name))
          captures.insert(name);
    }
  }
  for (const auto &out : graph.output())
    if (!local.count(out.name()))
      captures.insert(out.name());
}

bool checkDims(const onnx::TypeProto &type, const std::string &what,
               std::string &error) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return true;
  int64_t count = 1;
  for (const auto &dim : type.tensor_type().shape().dim()) {
    if (!dim.has_dim_value())
      continue;
    if (dim.dim_value() < 0) {
      error = what + " has a negative dimension (" +
              std::to_string(dim.dim_value()) + ")";
      return false;
    }
    if (__builtin_mul_overflow(count, dim.dim_value(), &count) ||
        count > kMaxElements) {
      error = what + " has an absurd shape (more than 2^40 elements)";
      return false;
    }
  }
  return true;
}

/// Checks that every value is defined once and before use, and sorts the
/// nodes topologically (ONNX requires it; some exporters do not comply).
bool validateGraph(GraphProto &graph, const std::set<std::string> &outer,
                   std::string &error) {
  std::set<std::string> defined(outer);
  for (const auto &input : graph.input()) {
    if (!checkDims(input.type(), "graph input '" + input.name() + "'", error))
      return false;
    defined.insert(input.name());
  }
  for (const auto &init : graph.initializer()) {
    int64_t count = 1;
    for (int64_t d : init.dims()) {
      if (d < 0 || __builtin_mul_overflow(count, d, &count) ||
          count > kMaxElements) {
        error = "initializer '" + init.name() + "' has an absurd shape";
        return false;
      }
    }
    defined.insert(init.name());
  }
  for (const auto &vi : graph.value_info())
    if (!checkDims(vi.type(), "value '" + vi.name() + "'", error))
      return false;

  int n = graph.node_size();
  std::map<std::string, int> producer;
  for (int i = 0; i < n; ++i)
    for (const auto &out : graph.node(i).output()) {
      if (out.empty())
        continue;
      if (producer.count(out) || (defined.count(out) && !outer.count(out))) {
        error = nodeLabel(graph.node(i), i) + " redefines '" + out + "'";
        return false;
      }
      producer[out] = i;
    }
  std::vector<std::vector<int>> users(n);
  std::vector<int> pending(n, 0);
  for (int i = 0; i < n; ++i) {
    const NodeProto &node = graph.node(i);
    std::set<std::string> reads(node.input().begin(), node.input().end());
    for (const auto &attr : node.attribute()) {
      if (attr.has_g())
        collectCaptures(attr.g(), reads);
      for (const auto &g : attr.graphs())
        collectCaptures(g, reads);
    }
    for (const auto &in : reads) {
      if (in.empty())
        continue;
      auto it = producer.find(in);
      if (it != producer.end()) {
        users[it->second].push_back(i);
        ++pending[i];
      } else if (!defined.count(in)) {
        error = nodeLabel(node, i) + " reads '" + in +
                "', which no node, graph input or initializer defines";
        return false;
      }
    }
  }
  // Kahn's algorithm, preferring the stored order.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (pending[i] > 0) {
        error = "the graph has a cycle through " + nodeLabel(graph.node(i), i);
        return false;
      }
  }
  bool sorted = std::is_sorted(order.begin(), order.end());
  if (!sorted) {
    std::vector<NodeProto> nodes;
    for (int i : order)
      nodes.push_back(graph.node(i));
    graph.clear_node();
    for (auto &node : nodes)
      *graph.add_node() = std::move(node);
  }
  std::set<std::string> visible(defined);
  for (const auto &[name, index] : producer)
    visible.insert(name);
  if (graph.output_size() == 0) {
    error = "the graph has no outputs";
    return false;
  }
  for (const auto &out : graph.output()) {
    if (!visible.count(out.name())) {
      error = "graph output '" + out.name() + "' is not computed by any node";
      return false;
    }
    if (!checkDims(out.type(), "graph output '" + out.name() + "'", error))
      return false;
  }
  for (auto &node : *graph.mutable_node())
    for (auto &attr : *node.mutable_attribute()) {
      if (attr.has_g() && !validateGraph(*attr.mutable_g(), visible, error))
        return false;
      for (auto &g : *attr.mutable_graphs())
        if (!validateGraph(g, visible, error))
          return false;
    }
  return true;
}

//===----------------------------------------------------------------------===//
// Unsupported-op report
//===----------------------------------------------------------------------===//

struct Unsupported {
  int count = 0;
  std::string firstNode;
};

/// Checks a default-domain node against its ONNX schema (input and output
/// counts, required and known attributes), as ONNX's checker does, so that
/// handlers can rely on required inputs being there.
bool verifyAgainstSchema(const NodeProto &node, int64_t opset, int index,
                         std::string &error) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return true;
  const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
      node.op_type(), static_cast<int>(opset), "");
  if (!schema)
    return true; // reported as unsupported
  try {
    schema->Verify(node);
  } catch (const std::exception &e) {
    error = nodeLabel(node, index) + " does not match its ONNX definition: " +
            e.what();
    return false;
  }
  // ONNX's check lets an empty name stand for a required or variadic input.
  const auto &formals = schema->inputs();
  for (int i = 0; i < node.input_size() && !formals.empty(); ++i) {
    const auto &formal = formals[std::min<size_t>(i, formals.size() - 1)];
    if (node.input(i).empty() &&
        formal.GetOption() != onnx::OpSchema::FormalParameterOption::Optional) {
      error = nodeLabel(node, index) + " leaves its required input " +
              std::to_string(i) + " ('" + formal.GetName() + "') empty";
      return false;
    }
  }
  return true;
}

void collectUnsupported(const GraphProto &graph, int64_t opset,
                        const SupportCheck &supported,
                        std::map<std::string, Unsupported> &found,
                        int &index, std::string &invalid) {
  for (const auto &node : graph.node()) {
    int current = index++;
    if (invalid.empty())
      verifyAgainstSchema(node, opset, current, invalid);
    std::string reason = supported(node, opset);
    if (!reason.empty() && (node.domain().empty() || node.domain() == "ai.onnx") &&
        hasFunctionBody(node.op_type(), opset)) {
      // Ops ONNX defines as functions are expanded into their bodies; the
      // body's ops are checked when (and if) it is built.
      reason.clear();
    }
    if (!reason.empty()) {
      Unsupported &entry = found[reason];
      if (entry.count++ == 0)
        entry.firstNode = node.name().empty()
                              ? "#" + std::to_string(current) + " (unnamed)"
                              : "'" + node.name() + "'";
    }
    for (const auto &attr : node.attribute()) {
      if (attr.has_g())
        collectUnsupported(attr.g(), opset, supported, found, index, invalid);
      for (const auto &g : attr.graphs())
        collectUnsupported(g, opset, supported, found, index, invalid);
    }
  }
}

//===----------------------------------------------------------------------===//
// Specialization
//===----------------------------------------------------------------------===//

bool freezeInputs(ModelProto &model, const LoadOptions &options,
                  std::string &error) {
  GraphProto &graph = *model.mutable_graph();
  for (const auto &[name, file] : options.constantInputs) {
    auto it = std::find_if(graph.input().begin(), graph.input().end(),
                           [&](const auto &vi) { return vi.name() == name; });
    if (it == graph.input().end()) {
      error = "--constant-input names '" + name + "', which is not a graph input";
      return false;
    }
    TensorProto tensor;
    if (!readTensorFile(file, tensor, error))
      return false;
    int declared = it->type().tensor_type().elem_type();
    if (declared != 0 && tensor.data_type() != declared) {
      error = "--constant-input '" + name + "': '" + file +
              "' holds element type " + std::to_string(tensor.data_type()) +
              " but the input is declared with type " + std::to_string(declared);
      return false;
    }
    tensor.set_name(name);
    graph.mutable_input()->erase(it);
    auto init = std::find_if(graph.mutable_initializer()->begin(),
                             graph.mutable_initializer()->end(),
                             [&](const auto &t) { return t.name() == name; });
    if (init != graph.mutable_initializer()->end())
      *init = tensor;
    else
      *graph.add_initializer() = tensor;
  }
  return true;
}

bool specializeInputs(ModelProto &model, const LoadOptions &options,
                      std::string &error) {
  GraphProto &graph = *model.mutable_graph();
  std::set<std::string> initializers;
  for (const auto &init : graph.initializer())
    initializers.insert(init.name());
  for (const auto &spec : options.inputShapes) {
    auto it = std::find_if(graph.mutable_input()->begin(),
                           graph.mutable_input()->end(),
                           [&](const auto &vi) { return vi.name() == spec.name; });
    if (it == graph.mutable_input()->end() || initializers.count(spec.name)) {
      std::string names;
      for (const auto &vi : graph.input())
        if (!initializers.count(vi.name()))
          names += (names.empty() ? "" : ", ") + vi.name();
      error = "--input-shape names '" + spec.name +
              "', which is not a graph input (inputs: " + names + ")";
      return false;
    }
    auto *tensorType = it->mutable_type()->mutable_tensor_type();
    auto *shape = tensorType->mutable_shape();
    if (tensorType->has_shape() && shape->dim_size() != 0 &&
        shape->dim_size() != static_cast<int>(spec.dims.size())) {
      error = "--input-shape gives " + std::to_string(spec.dims.size()) +
              " dimensions for '" + spec.name + "', which has rank " +
              std::to_string(shape->dim_size());
      return false;
    }
    if (shape->dim_size() == 0)
      for (size_t i = 0; i < spec.dims.size(); ++i)
        shape->add_dim();
    for (size_t i = 0; i < spec.dims.size(); ++i) {
      auto *dim = shape->mutable_dim(i);
      if (dim->has_dim_value() && dim->dim_value() != spec.dims[i]) {
        error = "--input-shape sets dimension " + std::to_string(i) + " of '" +
                spec.name + "' to " + std::to_string(spec.dims[i]) +
                ", but the model fixes it at " + std::to_string(dim->dim_value());
        return false;
      }
      dim->clear_dim_param();
      dim->set_dim_value(spec.dims[i]);
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Opset normalization
//===----------------------------------------------------------------------===//

/// ONNX shape inference with data propagation; node-level errors are
/// tolerated (Kiln infers shapes itself), others throw.
void inferShapes(ModelProto &model) {
  onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0,
                                      /*enable_data_propagation=*/true);
  onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                     options);
}

int rankOf(const std::map<std::string, const onnx::TypeProto *> &types,
           const std::string &name) {
  auto it = types.find(name);
  if (it == types.end() || !it->second->has_tensor_type() ||
      !it->second->tensor_type().has_shape())
    return -1;
  return it->second->tensor_type().shape().dim_size();
}

/// Before opset 13, Softmax, LogSoftmax and Hardmax work on a 2-D view of
/// the input; the version converter needs the input rank to translate them
/// and fails when shape inference cannot tell it. Such nodes are rewritten
/// to their definition (flatten, 2-D op, reshape back), which converts
/// without knowing the rank.
void rewriteLegacySoftmax(ModelProto &model, int64_t opset) {
  if (opset >= 13)
    return;
  ModelProto inferred = model;
  try {
    inferShapes(inferred);
  } catch (...) {
  }
  std::map<std::string, const onnx::TypeProto *> types;
  const GraphProto &g = inferred.graph();
  for (const auto &vi : g.input())
    types[vi.name()] = &vi.type();
  for (const auto &vi : g.value_info())
    types[vi.name()] = &vi.type();
  for (const auto &vi : g.output())
    types[vi.name()] = &vi.type();
  GraphProto &graph = *model.mutable_graph();
  std::vector<NodeProto> nodes;
  bool changed = false;
  for (const auto &node : graph.node()) {
    const std::string &op = node.op_type();
    bool legacy = (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") &&
                  (node.domain().empty() || node.domain() == "ai.onnx") &&
                  node.input_size() == 1 && rankOf(types, node.input(0)) < 0;
    if (!legacy) {
      nodes.push_back(node);
      continue;
    }
    changed = true;
    int64_t axis = 1;
    for (const auto &attr : node.attribute())
      if (attr.name() == "axis")
        axis = attr.i();
    const std::string &x = node.input(0), &y = node.output(0);
    std::string flat = y + "__kiln_flat", soft = y + "__kiln_2d",
                shape = y + "__kiln_shape";
    NodeProto flatten;
    flatten.set_op_type("Flatten");
    flatten.set_name(node.name() + "/flatten");
    flatten.add_input(x);
    flatten.add_output(flat);
    auto *a = flatten.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(axis);
    NodeProto core = node;
    core.set_input(0, flat);
    core.set_output(0, soft);
    core.clear_attribute();
    auto *b = core.add_attribute();
    b->set_name("axis");
    b->set_type(onnx::AttributeProto::INT);
    b->set_i(1);
    NodeProto shapeOf;
    shapeOf.set_op_type("Shape");
    shapeOf.set_name(node.name() + "/shape");
    shapeOf.add_input(x);
    shapeOf.add_output(shape);
    NodeProto reshape;
    reshape.set_op_type("Reshape");
    reshape.set_name(node.name());
    reshape.add_input(soft);
    reshape.add_input(shape);
    reshape.add_output(y);
    nodes.insert(nodes.end(), {flatten, core, shapeOf, reshape});
    // The flattened value is 2-D whatever the input; telling the converter so
    // is all it needs.
    auto *vi = graph.add_value_info();
    vi->set_name(flat);
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    auto it = types.find(x);
    tt->set_elem_type(it != types.end() && it->second->has_tensor_type()
                          ? it->second->tensor_type().elem_type()
                          : TensorProto::FLOAT);
    // Symbolic dimensions: the converter ignores a shape whose dimensions
    // carry neither a value nor a name.
    tt->mutable_shape()->add_dim()->set_dim_param(flat + "_rows");
    tt->mutable_shape()->add_dim()->set_dim_param(flat + "_cols");
  }
  if (changed) {
    graph.clear_node();
    for (auto &node : nodes)
      *graph.add_node() = std::move(node);
  }
}

/// Upsample (opsets 7-9) and Resize-10 scale with "asymmetric" coordinates
/// and, for nearest neighbours, floor rounding. libonnx's converter turns
/// them into Resize-11+ without saying so (Resize-11's defaults are
/// half_pixel and round_prefer_floor), so their outputs are recorded before
/// conversion and the attributes restored after.
std::set<std::string> legacyResizeOutputs(const ModelProto &model, int64_t opset) {
  std::set<std::string> outputs;
  if (opset > 10)
    return outputs;
  for (const auto &node : model.graph().node())
    if ((node.op_type() == "Upsample" || node.op_type() == "Resize") &&
        (node.domain().empty() || node.domain() == "ai.onnx") &&
        node.output_size() > 0)
      outputs.insert(node.output(0));
  return outputs;
}

void restoreLegacyResizeSemantics(ModelProto &model,
                                  const std::set<std::string> &outputs) {
  for (auto &node : *model.mutable_graph()->mutable_node()) {
    if (node.op_type() != "Resize" || node.output_size() == 0 ||
        !outputs.count(node.output(0)))
      continue;
    auto set = [&](const char *name, const char *value) {
      for (auto &attr : *node.mutable_attribute())
        if (attr.name() == name) {
          attr.set_s(value);
          return;
        }
      auto *attr = node.add_attribute();
      attr->set_name(name);
      attr->set_type(onnx::AttributeProto::STRING);
      attr->set_s(value);
    };
    set("coordinate_transformation_mode", "asymmetric");
    set("nearest_mode", "floor");
  }
}

//===----------------------------------------------------------------------===//
// Isolation
//===----------------------------------------------------------------------===//

bool writeAll(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

/// Runs `normalize` on `model` in a forked child process and replaces
/// `model` with the child's result. libonnx's shape inference and version
/// converter index shapes without checking them and can crash (or divide by
/// zero) on malformed models; in a child, that becomes an error message.
/// `normalize` returns an error message ("" on success) and may append
/// warnings.
bool runIsolated(ModelProto &model, const std::string &what,
                 const std::function<std::string(ModelProto &,
                                                 std::vector<std::string> &)>
                     &normalize,
                 std::vector<std::string> &warnings, std::string &error) {
  int fds[2];
  if (::pipe(fds) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    error = std::string("cannot fork: ") + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    // Child: normalize, then send back the status, the warnings and the
    // model. It never returns into the caller.
    ::close(fds[0]);
    ::alarm(600); // libonnx must not hang the compiler either
    std::vector<std::string> childWarnings;
    std::string message;
    try {
      message = normalize(model, childWarnings);
    } catch (const std::exception &e) {
      message = e.what();
    } catch (...) {
      message = "unknown error";
    }
    std::string payload;
    ModelProto reply;
    if (message.empty()) {
      reply = std::move(model);
    }
    // The reply's doc_string carries the message; metadata the warnings.
    reply.set_doc_string(message);
    for (const std::string &warning : childWarnings) {
      auto *entry = reply.add_metadata_props();
      entry->set_key("kiln.warning");
      entry->set_value(warning);
    }
    bool ok = reply.SerializeToString(&payload) &&
              writeAll(fds[1], payload.data(), payload.size());
    ::close(fds[1]);
    ::_exit(ok ? 0 : 3);
  }
  ::close(fds[1]);
  std::string payload;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    payload.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    error = what + " crashed (" + ::strsignal(WTERMSIG(status)) +
            "): the model is malformed in a way ONNX does not check";
    return false;
  }
  ModelProto reply;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !reply.ParseFromString(payload)) {
    error = what + " failed to report back";
    return false;
  }
  for (const auto &entry : reply.metadata_props())
    if (entry.key() == "kiln.warning")
      warnings.push_back(entry.value());
  if (!reply.doc_string().empty()) {
    error = reply.doc_string();
    return false;
  }
  reply.clear_metadata_props();
  for (const auto &entry : model.metadata_props())
    *reply.add_metadata_props() = entry;
  reply.set_doc_string(model.doc_string());
  model = std::move(reply);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

bool readTensorFile(const std::string &path, TensorProto &tensor,
                    std::string &error) {
  std::string bytes;
  if (!readFile(path, bytes, error))
    return false;
  if (!tensor.ParseFromString(bytes)) {
    error = "'" + path + "' is not a valid serialized TensorProto (truncated or corrupt)";
    return false;
  }
  return true;
}

bool hasFunctionBody(const std::string &opType, int64_t opset) {
  const onnx::OpSchema *schema =
      onnx::OpSchemaRegistry::Schema(opType, static_cast<int>(opset), "");
  return schema && (schema->HasFunction() || schema->HasContextDependentFunction());
}

std::optional<onnx::FunctionProto>
expandFunction(const NodeProto &node, int64_t opset,
               const std::vector<onnx::TypeProto> &inputTypes,
               std::string &error) {
  try {
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
        node.op_type(), static_cast<int>(opset), node.domain());
    if (!schema)
      return std::nullopt;
    onnx::FunctionProto body;
    if (schema->HasFunction() && schema->GetFunction()) {
      body = *schema->GetFunction();
    } else if (schema->HasContextDependentFunction()) {
      onnx::FunctionBodyBuildContextImpl context(node, inputTypes);
      if (!schema->BuildContextDependentFunction(context, body)) {
        error = "ONNX could not build the function body of " + node.op_type() +
                " for this node";
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
    // Resolve attribute references: the node's value, else the schema's
    // default; an unset optional attribute is dropped.
    std::map<std::string, const onnx::AttributeProto *> given;
    for (const auto &attr : node.attribute())
      given[attr.name()] = &attr;
    const auto &declared = schema->attributes();
    for (auto &bodyNode : *body.mutable_node()) {
      google::protobuf::RepeatedPtrField<onnx::AttributeProto> resolved;
      for (const auto &attr : bodyNode.attribute()) {
        if (attr.ref_attr_name().empty()) {
          *resolved.Add() = attr;
          continue;
        }
        const onnx::AttributeProto *value = nullptr;
        auto it = given.find(attr.ref_attr_name());
        if (it != given.end()) {
          value = it->second;
        } else {
          auto d = declared.find(attr.ref_attr_name());
          if (d != declared.end() && d->second.default_value.has_type())
            value = &d->second.default_value;
        }
        if (!value)
          continue;
        onnx::AttributeProto bound = *value;
        bound.set_name(attr.name());
        *resolved.Add() = bound;
      }
      *bodyNode.mutable_attribute() = resolved;
    }
    return body;
  } catch (const std::exception &e) {
    error = std::string("ONNX failed to build the function body of ") +
            node.op_type() + ": " + e.what();
  }
  return std::nullopt;
}

std::optional<LoadResult> loadModel(const LoadOptions &options,
                                    const SupportCheck &supported,
                                    std::string &error) {
  try {
    LoadResult result;
    ModelProto &model = result.model;
    std::string bytes;
    if (!readFile(options.path, bytes, error))
      return std::nullopt;
    if (options.textFormat) {
      onnx::OnnxParser parser(bytes.c_str());
      auto status = parser.Parse(model);
      if (!status.IsOK()) {
        error = "'" + options.path + "' is not valid ONNX text: " +
                status.ErrorMessage();
        return std::nullopt;
      }
    } else if (!model.ParseFromString(bytes)) {
      error = "'" + options.path +
              "' is not a valid ONNX model: the protobuf is truncated or corrupt";
      return std::nullopt;
    }
    if (!model.has_graph() || model.ir_version() <= 0) {
      error = "'" + options.path + "' is not an ONNX model (no graph or IR version)";
      return std::nullopt;
    }
    result.originalOpset = defaultOpset(model);
    if (result.originalOpset <= 0) {
      if (model.ir_version() >= 3) {
        error = "'" + options.path + "' imports no opset of the default ONNX domain";
        return std::nullopt;
      }
      result.originalOpset = 1;
    }
    if (result.originalOpset > kTargetOpset) {
      error = "'" + options.path + "' uses opset " +
              std::to_string(result.originalOpset) + "; Kiln (built on ONNX 1.12) "
              "understands opsets up to " + std::to_string(kTargetOpset);
      return std::nullopt;
    }
    std::string directory = directoryOf(options.path);
    if (!forEachTensor(*model.mutable_graph(), [&](TensorProto &t) {
          return loadExternalData(t, directory, error);
        }))
      return std::nullopt;
    if (!freezeInputs(model, options, error) ||
        !specializeInputs(model, options, error))
      return std::nullopt;
    if (!validateGraph(*model.mutable_graph(), {}, error))
      return std::nullopt;

    std::map<std::string, Unsupported> unsupported;
    int index = 0;
    std::string invalid;
    collectUnsupported(model.graph(), result.originalOpset, supported,
                       unsupported, index, invalid);
    if (!unsupported.empty()) {
      std::ostringstream os;
      int total = 0;
      for (const auto &[label, entry] : unsupported)
        total += entry.count;
      os << "'" << options.path << "' uses " << unsupported.size()
         << " operator type" << (unsupported.size() == 1 ? "" : "s")
         << " Kiln does not support (" << total << " node"
         << (total == 1 ? "" : "s") << "):";
      for (const auto &[label, entry] : unsupported)
        os << "\n  " << label << ": " << entry.count << " node"
           << (entry.count == 1 ? "" : "s") << " (first: node "
           << entry.firstNode << ")";
      error = os.str();
      return std::nullopt;
    }
    if (!invalid.empty()) {
      error = invalid;
      return std::nullopt;
    }

    int64_t opset = result.originalOpset;
    std::string path = options.path;
    auto normalize = [opset, path](ModelProto &m,
                                   std::vector<std::string> &notes) -> std::string {
      if (opset != kTargetOpset) {
        rewriteLegacySoftmax(m, opset);
        std::set<std::string> legacyResizes = legacyResizeOutputs(m, opset);
        try {
          // The converter's adapters read shapes from value_info.
          inferShapes(m);
          m = onnx::version_conversion::ConvertVersion(m, kTargetOpset);
          restoreLegacyResizeSemantics(m, legacyResizes);
        } catch (const std::exception &e) {
          return "cannot convert '" + path + "' from opset " +
                 std::to_string(opset) + " to " + std::to_string(kTargetOpset) +
                 ": " + e.what();
        }
      }
      try {
        inferShapes(m);
      } catch (const std::exception &e) {
        notes.push_back(std::string("ONNX shape inference gave up (") +
                        e.what() + "); Kiln infers shapes on its own");
      }
      return "";
    };
    if (!runIsolated(model, "ONNX shape inference or opset conversion",
                     normalize, result.warnings, error))
      return std::nullopt;
    return result;
  } catch (const std::exception &e) {
    error = "'" + options.path + "': " + e.what();
  } catch (...) {
    error = "'" + options.path + "': unknown error while loading the model";
  }
  return std::nullopt;
}

} // namespace mlir::kiln::import
