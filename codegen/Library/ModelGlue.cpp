//===- ModelGlue.cpp - the C ABI around a compiled model ------------------===//
//
// The structs built here mirror the C declarations in include/kiln/kiln.h
// and `kiln_model_impl` in lib/Runtime/Runtime.c (x86-64 SysV layout).
//
//===----------------------------------------------------------------------===//

#include "codegen/Library/ModelGlue.h"
#include "codegen/Library/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

extern const unsigned char kiln_runtime_bitcode[];
extern const size_t kiln_runtime_bitcode_size;

using namespace mlir;
using namespace mlir::kiln;
using llvm::Constant;
using llvm::ConstantInt;
using llvm::ConstantStruct;

uint64_t mlir::kiln::weightsHash(llvm::ArrayRef<char> weights) {
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(weights.data()), weights.size()));
}

std::vector<char> mlir::kiln::takeWeights(ModuleOp module) {
  std::vector<char> bytes;
  auto attr = module->getAttrOfType<DenseResourceElementsAttr>(kWeightsAttrName);
  if (attr)
    if (AsmResourceBlob *blob = attr.getRawHandle().getBlob())
      bytes.assign(blob->getData().begin(), blob->getData().end());
  module->removeAttr(kWeightsAttrName);
  // Argument and result attributes of kiln's own mean nothing to LLVM.
  module.walk([&](FunctionOpInterface function) {
    auto strip = [](DictionaryAttr attrs) {
      SmallVector<NamedAttribute> kept;
      for (NamedAttribute attr : attrs)
        if (!attr.getName().getValue().starts_with("kiln."))
          kept.push_back(attr);
      return DictionaryAttr::get(attrs.getContext(), kept);
    };
    for (unsigned i = 0, e = function.getNumArguments(); i < e; ++i)
      function.setArgAttrs(i, strip(function.getArgAttrDict(i)
                                        ? function.getArgAttrDict(i)
                                        : DictionaryAttr::get(module.getContext())));
    for (unsigned i = 0, e = function.getNumResults(); i < e; ++i)
      function.setResultAttrs(i, strip(function.getResultAttrDict(i)
                                           ? function.getResultAttrDict(i)
                                           : DictionaryAttr::get(module.getContext())));
  });
  return bytes;
}

void mlir::kiln::writeWeightsFile(llvm::raw_ostream &os,
                                  llvm::ArrayRef<char> weights) {
  char header[kWeightsHeaderBytes] = {};
  std::memcpy(header, kWeightsMagic, sizeof kWeightsMagic);
  uint64_t hash = weightsHash(weights);
  std::memcpy(header + 8, &hash, sizeof hash);
  os.write(header, sizeof header);
  os.write(weights.data(), weights.size());
}

bool mlir::kiln::isValidLibraryName(llvm::StringRef name) {
  if (name.empty() || name.size() > 64 || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Builds the constant data of the glue in one module.
class GlueBuilder {
public:
  GlueBuilder(llvm::Module &module)
      : module(module), context(module.getContext()),
        ptr(llvm::PointerType::getUnqual(context)),
        i32(llvm::Type::getInt32Ty(context)),
        i64(llvm::Type::getInt64Ty(context)) {
    infoType = llvm::StructType::create(context, {ptr, i32, i32, ptr, i64, i64},
                                        "kiln_tensor_info");
    modelType = llvm::StructType::create(
        context, {i32, ptr, i64, i64, ptr, ptr, ptr, ptr, ptr, ptr}, "kiln_model");
    implType = llvm::StructType::create(context, {modelType, ptr, ptr, i64, i64, ptr, i64},
                                        "kiln_model_impl");
  }

  /// A private constant global.
  llvm::GlobalVariable *global(Constant *init, const llvm::Twine &name,
                               unsigned alignment = 0) {
    auto *gv = new llvm::GlobalVariable(module, init->getType(), /*isConstant=*/true,
                                        llvm::GlobalValue::PrivateLinkage, init, name);
    gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    if (alignment)
      gv->setAlignment(llvm::Align(alignment));
    return gv;
  }

  Constant *string(llvm::StringRef text, const llvm::Twine &name) {
    return global(llvm::ConstantDataArray::getString(context, text), name);
  }

  /// A kiln_tensor_info array (a null pointer when empty).
  Constant *infos(const std::vector<TensorSignature> &tensors, llvm::StringRef kind) {
    if (tensors.empty())
      return llvm::ConstantPointerNull::get(ptr);
    std::vector<Constant *> entries;
    for (auto [i, sig] : llvm::enumerate(tensors)) {
      std::string prefix = ("__kiln_" + kind + "_" + llvm::Twine(i)).str();
      std::vector<uint64_t> dims(sig.shape.begin(), sig.shape.end());
      Constant *shape = dims.empty()
                            ? static_cast<Constant *>(llvm::ConstantPointerNull::get(ptr))
                            : global(llvm::ConstantDataArray::get(context, dims),
                                     prefix + "_shape");
      entries.push_back(ConstantStruct::get(
          infoType, {string(sig.name, prefix + "_name"),
                     ConstantInt::get(i32, sig.dtype),
                     ConstantInt::get(i32, sig.shape.size()), shape,
                     ConstantInt::get(i64, sig.numElements()),
                     ConstantInt::get(i64, sig.sizeBytes())}));
    }
    return global(llvm::ConstantArray::get(
                      llvm::ArrayType::get(infoType, entries.size()), entries),
                  "__kiln_" + kind);
  }

  /// A function with external linkage and default visibility.
  llvm::Function *exported(llvm::StringRef name, llvm::Type *result,
                           llvm::ArrayRef<llvm::Type *> params) {
    auto *f = llvm::Function::Create(llvm::FunctionType::get(result, params, false),
                                     llvm::GlobalValue::ExternalLinkage, name, module);
    f->setVisibility(llvm::GlobalValue::DefaultVisibility);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    return f;
  }

  /// Defines `f` as a tail call of the runtime function `callee` with
  /// `leading` arguments first and then all of f's arguments.
  void forward(llvm::Function *f, llvm::StringRef callee,
               llvm::ArrayRef<llvm::Value *> leading = {}) {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", f));
    std::vector<llvm::Value *> args(leading.begin(), leading.end());
    std::vector<llvm::Type *> types;
    for (llvm::Value *v : leading)
      types.push_back(v->getType());
    for (llvm::Argument &arg : f->args()) {
      args.push_back(&arg);
      types.push_back(arg.getType());
    }
    llvm::FunctionCallee target = module.getOrInsertFunction(
        callee, llvm::FunctionType::get(f->getReturnType(), types, false));
    llvm::CallInst *call = b.CreateCall(target, args);
    call->setTailCall();
    if (f->getReturnType()->isVoidTy())
      b.CreateRetVoid();
    else
      b.CreateRet(call);
  }

  llvm::Module &module;
  llvm::LLVMContext &context;
  llvm::PointerType *ptr;
  llvm::IntegerType *i32, *i64;
  llvm::StructType *infoType, *modelType, *implType;
};

} // namespace

llvm::Error mlir::kiln::addModelGlue(llvm::Module &module,
                                     const ModelSignature &signature,
                                     llvm::ArrayRef<char> weights,
                                     const LibraryConfig &config) {
  if (!isValidLibraryName(config.name))
    return error("'" + config.name + "' is not a valid library name (a C identifier)");
  llvm::Function *main = module.getFunction("main");
  size_t numInputs = signature.inputs.size(), numOutputs = signature.outputs.size();

  // main's buffers in order (inputs, weights, outputs; none for tensors
  // without elements), each passed as a strided memref descriptor expanded
  // into arguments: allocated and aligned pointer, offset, sizes, strides.
  struct Buffer {
    size_t slot; // in the runtime's buffer array
    std::vector<int64_t> shape;
  };
  std::vector<Buffer> buffers;
  for (size_t i = 0; i < numInputs; ++i)
    if (signature.inputs[i].numElements() > 0)
      buffers.push_back({i, signature.inputs[i].shape});
  buffers.push_back({numInputs + numOutputs, {static_cast<int64_t>(weights.size())}});
  for (size_t i = 0; i < numOutputs; ++i)
    if (signature.outputs[i].numElements() > 0)
      buffers.push_back({numInputs + i, signature.outputs[i].shape});
  size_t mainArgs = 0;
  for (const Buffer &buffer : buffers)
    mainArgs += 3 + 2 * buffer.shape.size();
  // A last pointer argument, if any, is the context (for the kernels).
  bool takesContext = main && main->arg_size() == mainArgs + 1 &&
                      main->getArg(mainArgs)->getType()->isPointerTy();
  if (!main || (main->arg_size() != mainArgs && !takesContext))
    return error("the lowered model does not have the expected entry point "
                 "main(inputs, weights, outputs[, context])");
  main->setName("__kiln_main");
  main->setLinkage(llvm::GlobalValue::InternalLinkage);

  GlueBuilder g(module);
  llvm::LLVMContext &context = module.getContext();

  // invoke(buffers, context): buffers holds inputs, outputs, then the
  // weights base.
  auto *invoke = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {g.ptr, g.ptr}, false),
      llvm::GlobalValue::InternalLinkage, "__kiln_invoke", module);
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", invoke));
    std::vector<llvm::Value *> args;
    for (const Buffer &buffer : buffers) {
      llvm::Value *slot =
          b.CreateConstInBoundsGEP1_64(g.ptr, invoke->getArg(0), buffer.slot);
      llvm::Value *data = b.CreateLoad(g.ptr, slot);
      args.push_back(data);
      args.push_back(data);
      args.push_back(ConstantInt::get(g.i64, 0));
      for (int64_t size : buffer.shape)
        args.push_back(ConstantInt::get(g.i64, size));
      std::vector<int64_t> strides(buffer.shape.size(), 1);
      for (int d = static_cast<int>(buffer.shape.size()) - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * buffer.shape[d + 1];
      for (int64_t stride : strides)
        args.push_back(ConstantInt::get(g.i64, stride));
    }
    if (takesContext)
      args.push_back(invoke->getArg(1));
    b.CreateCall(main, args);
    b.CreateRetVoid();
  }

  Constant *weightsData = llvm::ConstantPointerNull::get(g.ptr);
  if (!config.externalWeights && !weights.empty())
    weightsData = g.global(llvm::ConstantDataArray::getRaw(
                               llvm::StringRef(weights.data(), weights.size()),
                               weights.size(), llvm::Type::getInt8Ty(context)),
                           "__kiln_weights", /*alignment=*/64);

  // The exported functions; the model table points at them.
  llvm::Type *status = g.i32;
  llvm::Function *create = g.exported(config.name + "_create", status, {g.ptr, g.ptr});
  llvm::Function *destroy =
      g.exported(config.name + "_destroy", llvm::Type::getVoidTy(context), {g.ptr});
  llvm::Function *run =
      g.exported(config.name + "_run", status, {g.ptr, g.ptr, g.ptr, g.ptr, g.ptr});
  llvm::Function *errorMessage =
      g.exported(config.name + "_error_message", g.ptr, {g.ptr});
  llvm::Function *modelFn = g.exported(config.name + "_model", g.ptr, {});
  llvm::Function *getModel = g.exported("kiln_get_model", g.ptr, {g.i32});

  Constant *model = ConstantStruct::get(
      g.modelType,
      {ConstantInt::get(g.i32, 1), g.string(config.name, "__kiln_name"),
       ConstantInt::get(g.i64, numInputs), ConstantInt::get(g.i64, numOutputs),
       g.infos(signature.inputs, "inputs"), g.infos(signature.outputs, "outputs"),
       create, destroy, run, errorMessage});
  llvm::GlobalVariable *impl = g.global(
      ConstantStruct::get(
          g.implType,
          {model, invoke, weightsData, ConstantInt::get(g.i64, weights.size()),
           ConstantInt::get(g.i64, weightsHash(weights)),
           g.string(config.name + ".weights", "__kiln_weights_file"),
           ConstantInt::get(g.i64, config.arenaBytes)}),
      "__kiln_model", /*alignment=*/16);
  // dladdr on the model finds the library's path: keep it a real symbol.
  impl->setLinkage(llvm::GlobalValue::InternalLinkage);
  impl->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::None);

  g.forward(create, "kiln_rt_create", {impl});
  g.forward(destroy, "kiln_rt_destroy");
  g.forward(run, "kiln_rt_run");
  g.forward(errorMessage, "kiln_rt_error_message");
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", modelFn));
    b.CreateRet(impl);
  }
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", getModel));
    llvm::Value *matches = b.CreateICmpEQ(getModel->getArg(0), ConstantInt::get(g.i32, 1));
    b.CreateRet(b.CreateSelect(matches, impl, llvm::ConstantPointerNull::get(g.ptr)));
  }

  // Link the runtime.
  auto buffer = llvm::MemoryBuffer::getMemBuffer(
      llvm::StringRef(reinterpret_cast<const char *>(kiln_runtime_bitcode),
                      kiln_runtime_bitcode_size),
      "Runtime.bc", /*RequiresNullTerminator=*/false);
  llvm::Expected<std::unique_ptr<llvm::Module>> runtime =
      llvm::parseBitcodeFile(buffer->getMemBufferRef(), context);
  if (!runtime)
    return runtime.takeError();
  (*runtime)->setTargetTriple(module.getTargetTriple());
  (*runtime)->setDataLayout(module.getDataLayout());
  if (llvm::Linker::linkModules(module, std::move(*runtime)))
    return error("linking the library runtime failed");

  // Only the API is exported. The conversions the code generator may call
  // (they exist only once instructions are selected) stay defined, hidden.
  llvm::StringSet<> api, libcalls;
  for (llvm::Function *f : {create, destroy, run, errorMessage, modelFn, getModel})
    api.insert(f->getName());
  for (const char *name : {"__extendhfsf2", "__truncsfhf2", "__truncdfhf2",
                           "__truncsfbf2", "__truncdfbf2"})
    libcalls.insert(name);
  for (llvm::GlobalValue &value : module.global_values()) {
    if (value.isDeclaration() || api.contains(value.getName()))
      continue;
    if (libcalls.contains(value.getName())) {
      value.setVisibility(llvm::GlobalValue::HiddenVisibility);
      continue;
    }
    value.setLinkage(llvm::GlobalValue::InternalLinkage);
  }
  return llvm::Error::success();
}
