//===- Observe.cpp - running a model on data sets while it compiles -------===//

#include "passes/Quant/Observe.h"

#include "codegen/CPU/Compile.h"
#include "codegen/CPU/Target.h"
#include "lib/Import/OnnxLoader.h"
#include "lib/Import/TensorConversion.h"

#include "kiln/kiln.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>

using namespace mlir;
using namespace mlir::kiln;

namespace {

std::string joinPath(llvm::StringRef dir, llvm::StringRef name) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

bool isFile(const std::string &path) { return llvm::sys::fs::is_regular_file(path); }

/// "float[1,3,224,224]" for a tensor type (ONNX's type names).
std::string describe(RankedTensorType type) {
  std::string text = import::dataTypeName(import::dataTypeOf(type.getElementType())) + "[";
  for (auto [i, d] : llvm::enumerate(type.getShape()))
    text += (i ? "," : "") + (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d));
  return text + "]";
}

/// The name of main's input `i` (its kiln.name), for messages.
std::string inputName(func::FuncOp main, unsigned i) {
  if (auto name = main.getArgAttrOfType<StringAttr>(i, "kiln.name"))
    return name.str();
  return "#" + std::to_string(i);
}

/// Reads `path` as main's input `index`: its bytes, when its type is the
/// input's.
LogicalResult readInput(func::FuncOp main, unsigned index, const std::string &path,
                        llvm::StringRef purpose, std::vector<char> &bytes) {
  onnx::TensorProto tensor;
  std::string error;
  if (!import::readTensorFile(path, tensor, error))
    return main.emitError() << purpose << " data: " << error;
  Location loc = FileLineColLoc::get(main.getContext(), path, 0, 0);
  DenseElementsAttr attr = import::tensorToAttr(tensor, main.getContext(), loc);
  if (!attr)
    return failure();
  auto expected = llvm::cast<RankedTensorType>(main.getArgumentTypes()[index]);
  auto actual = llvm::cast<RankedTensorType>(attr.getType());
  if (actual.getElementType() != expected.getElementType() ||
      actual.getShape() != expected.getShape())
    return main.emitError() << purpose << " data: '" << path << "' holds "
                            << describe(actual) << ", but the model's input '"
                            << inputName(main, index) << "' is " << describe(expected);
  if (actual.getElementType().isInteger(1))
    return main.emitError() << purpose << " data: '" << path
                            << "': boolean inputs are not supported";
  int64_t elementBytes = actual.getElementTypeBitWidth() / 8;
  size_t total = static_cast<size_t>(actual.getNumElements() * elementBytes);
  ArrayRef<char> raw = attr.getRawData();
  bytes.resize(total);
  if (attr.isSplat()) {
    for (size_t at = 0; at < total; at += static_cast<size_t>(elementBytes))
      std::memcpy(bytes.data() + at, raw.data(), static_cast<size_t>(elementBytes));
  } else {
    std::memcpy(bytes.data(), raw.data(), total);
  }
  return success();
}

/// The numeric suffix of a set folder's name ("set_12" -> 12), or -1.
int64_t setNumber(llvm::StringRef name) {
  for (llvm::StringRef prefix : {"set_", "test_data_set_"}) {
    int64_t k;
    if (name.starts_with(prefix) && !name.drop_front(prefix.size()).getAsInteger(10, k))
      return k;
  }
  return -1;
}

} // namespace

FailureOr<std::vector<DataSet>> mlir::kiln::loadDataSets(func::FuncOp main, llvm::StringRef dir,
                                                         llvm::StringRef purpose) {
  if (!llvm::sys::fs::is_directory(dir))
    return main.emitError() << purpose << " data: '" << dir
                            << "' is not a folder (it should hold set_K/input_J.pb files, "
                               "or input_J.pb)";
  // The set folders, in numeric order, or `dir` itself.
  std::vector<std::pair<int64_t, std::string>> sets;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    int64_t k = setNumber(name);
    if (k >= 0 && llvm::sys::fs::is_directory(it->path()))
      sets.push_back({k, it->path()});
  }
  if (ec)
    return main.emitError() << purpose << " data: cannot read '" << dir << "': "
                            << ec.message();
  std::sort(sets.begin(), sets.end());
  if (isFile(joinPath(dir, "input_0.pb")))
    sets.insert(sets.begin(), {-1, dir.str()});
  if (sets.empty())
    return main.emitError() << purpose << " data: '" << dir
                            << "' holds no input sets (set_K/input_J.pb or input_J.pb)";
  unsigned numInputs = main.getNumArguments();
  std::vector<DataSet> result;
  for (const auto &[k, path] : sets) {
    DataSet set;
    set.path = path;
    for (unsigned j = 0; j < numInputs; ++j) {
      std::string file = joinPath(path, "input_" + std::to_string(j) + ".pb");
      if (!isFile(file))
        return main.emitError() << purpose << " data: '" << file << "' is missing (the model has "
                                << numInputs << " input" << (numInputs == 1 ? "" : "s")
                                << ")";
      set.inputs.emplace_back();
      if (failed(readInput(main, j, file, purpose, set.inputs.back())))
        return failure();
    }
    std::string extra = joinPath(path, "input_" + std::to_string(numInputs) + ".pb");
    if (isFile(extra))
      return main.emitError() << purpose << " data: '" << extra << "' is one input too many (the model has "
                              << numInputs << ")";
    result.push_back(std::move(set));
  }
  return result;
}

struct Observer::Impl {
  llvm::SmallString<128> dir;
  void *handle = nullptr;
  const kiln_model *model = nullptr;
  kiln_context *context = nullptr;
  Location loc;
  explicit Impl(Location loc) : loc(loc) {}
  ~Impl() {
    if (context)
      model->destroy(context);
    if (handle)
      dlclose(handle);
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }
};

Observer::Observer(std::unique_ptr<Impl> impl, size_t modelOutputs)
    : impl(std::move(impl)), modelOutputs(modelOutputs) {}

Observer::~Observer() = default;

FailureOr<std::unique_ptr<Observer>> Observer::create(ModuleOp module,
                                                      llvm::ArrayRef<Value> values) {
  Location loc = module.getLoc();
  IRMapping mapping;
  OwningOpRef<ModuleOp> copy(llvm::cast<ModuleOp>(module->clone(mapping)));
  auto main = copy->lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal() || !main.getBody().hasOneBlock())
    return emitError(loc, "the model has no @main to run");
  auto ret = llvm::cast<func::ReturnOp>(main.getBody().front().getTerminator());
  size_t modelOutputs = ret.getNumOperands();
  SmallVector<Value> results(ret.getOperands());
  OpBuilder b(ret);
  for (Value v : values) {
    Value mapped = mapping.lookupOrNull(v);
    if (!mapped)
      return emitError(loc, "an observed value is not in the model");
    auto type = llvm::dyn_cast<RankedTensorType>(mapped.getType());
    if (!type || !type.hasStaticShape())
      return emitError(mapped.getLoc(), "cannot observe a value of type ") << mapped.getType();
    if (auto q = llvm::dyn_cast<quant::QuantizedType>(type.getElementType()))
      mapped = quant::DequantizeCastOp::create(b, mapped.getLoc(),
                                               type.clone(q.getExpressedType()), mapped);
    if (!llvm::cast<RankedTensorType>(mapped.getType()).getElementType().isF32())
      return emitError(mapped.getLoc(), "cannot observe a value of type ") << mapped.getType();
    results.push_back(mapped);
  }
  func::ReturnOp::create(b, ret.getLoc(), results);
  ret.erase();
  SmallVector<DictionaryAttr> resultAttrs;
  main.getAllResultAttrs(resultAttrs);
  resultAttrs.resize(modelOutputs);
  for (size_t i = 0; i < values.size(); ++i)
    resultAttrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr("kiln.name", b.getStringAttr("kiln_observed_" + std::to_string(i)))));
  main.setType(b.getFunctionType(main.getArgumentTypes(), ValueRange(results).getTypes()));
  main.setAllResultAttrs(resultAttrs);

  auto machine = createCPUTargetMachine("");
  if (!machine)
    return emitError(loc, "cannot compile for this CPU: ") << llvm::toString(machine.takeError());
  auto impl = std::make_unique<Impl>(loc);
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("kiln-observe", impl->dir))
    return emitError(loc, "cannot create a temporary folder: ") << ec.message();
  std::string library = joinPath(impl->dir, "libobserve.so");
  auto signature = compileToLibrary(*copy, **machine, "kiln_observe", library);
  if (!signature)
    return emitError(loc, "cannot compile the model to run it: ")
           << llvm::toString(signature.takeError());
  impl->handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!impl->handle)
    return emitError(loc, "cannot load the compiled model: ") << dlerror();
  using GetModel = const kiln_model *(*)(uint32_t);
  auto get = reinterpret_cast<GetModel>(dlsym(impl->handle, "kiln_get_model"));
  impl->model = get ? get(KILN_ABI_VERSION) : nullptr;
  if (!impl->model)
    return emitError(loc, "the compiled model has no kiln_get_model");
  kiln_options options{};
  options.struct_size = sizeof(options);
  char message[256] = {0};
  options.error_buffer = message;
  options.error_buffer_size = sizeof(message);
  if (impl->model->create(&options, &impl->context) != KILN_OK)
    return emitError(loc, "cannot create a context of the compiled model: ") << message;
  return std::unique_ptr<Observer>(new Observer(std::move(impl), modelOutputs));
}

LogicalResult Observer::run(const DataSet &set, std::vector<std::vector<float>> &outputs,
                            std::vector<std::vector<float>> &observed) {
  const kiln_model *model = impl->model;
  std::vector<const void *> in;
  std::vector<size_t> inSizes;
  for (const std::vector<char> &bytes : set.inputs) {
    in.push_back(bytes.data());
    inSizes.push_back(bytes.size());
  }
  std::vector<std::vector<char>> buffers(model->num_outputs);
  std::vector<void *> out;
  std::vector<size_t> outSizes;
  for (size_t i = 0; i < model->num_outputs; ++i) {
    buffers[i].resize(model->outputs[i].size_bytes);
    out.push_back(buffers[i].data());
    outSizes.push_back(buffers[i].size());
  }
  if (model->run(impl->context, in.data(), inSizes.data(), out.data(), outSizes.data()) !=
      KILN_OK)
    return emitError(impl->loc, "running the model on '")
           << set.path << "' failed: " << model->error_message(impl->context);
  outputs.assign(modelOutputs, {});
  observed.assign(model->num_outputs - modelOutputs, {});
  for (size_t i = 0; i < model->num_outputs; ++i) {
    if (model->outputs[i].dtype != KILN_FLOAT32)
      continue;
    std::vector<float> &dst = i < modelOutputs ? outputs[i] : observed[i - modelOutputs];
    dst.resize(model->outputs[i].num_elements);
    std::memcpy(dst.data(), buffers[i].data(), buffers[i].size());
  }
  return success();
}
