//===- LowerMicrokernels.cpp - kiln.microkernel on buffers as calls -------===//

#include "codegen/CPU/Passes.h"
#include "dialects/Kiln/KilnDialect.h"

#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNLOWERMICROKERNELS
#include "codegen/CPU/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// How a kernel's operands map to its C arguments: after the context come
/// `slots` pointers, the first `required` of them always present, the
/// others present when `params[presence + i]` is non-zero; then the
/// outputs' pointers, `intParams` i64 values (the first params) and the
/// fparams as f32; with `weightType`, last, the element type of slot 1
/// (the weights) as an i64: 0 f32, 1 bf16, 2 f16 (KILN_W_* in
/// lib/Runtime/Kernels.h). Every other slot's floats are f32.
struct KernelSignature {
  int64_t slots, required, presence, intParams, floatParams;
  bool weightType = false;
};

/// The kernels' code for a weight element type; nullopt for types they
/// cannot read.
std::optional<int64_t> weightTypeCode(Type type) {
  if (type.isF32())
    return 0;
  if (type.isBF16())
    return 1;
  if (type.isF16())
    return 2;
  return std::nullopt;
}

std::optional<KernelSignature> signatureOf(llvm::StringRef kernel) {
  // x, w, [bias], [residual]; 17 ints (the last is the group count), and
  // for conv2d_f32 an 18th (the output's channel shuffle); alpha, beta (the
  // activation's), post scale and shift; the weights' type
  if (kernel == "conv2d_f32")
    return KernelSignature{4, 2, 18, 18, 4, true};
  if (kernel == "dwconv2d_f32")
    return KernelSignature{4, 2, 17, 17, 4};
  if (kernel == "col2im_f32") // cols, [bias]; 15 ints; 4 floats as above
    return KernelSignature{2, 1, 15, 15, 4};
  // a, w, [bias]; M, N, K, act; alpha, beta; the weights' type
  if (kernel == "dense_f32")
    return KernelSignature{3, 2, 4, 4, 2, true};
  if (kernel == "pool2d_f32" || kernel == "pool2d_nhwc_f32") // x; 17 ints
    return KernelSignature{1, 1, 17, 17, 0};
  // x, [residual]; planes, H, W, the two factors
  if (kernel == "resize_nearest_f32")
    return KernelSignature{2, 1, 5, 5, 0};
  // x, w, [bias], [residual]; 20 ints (cb and the pixel strides last);
  // 4 floats as conv2d_f32's; the weights' type
  if (kernel == "conv2d_nhwc_f32")
    return KernelSignature{4, 2, 20, 20, 4, true};
  // x (u8), w (i8), scale, bias, [residual]; 24 ints (has_res at 16, the
  // pixel strides at 18-20, then the zero points and whether y is u8); 4
  // floats as above and the result's inverse scale
  if (kernel == "conv2d_nhwc_u8s8")
    return KernelSignature{5, 4, 16, 24, 5};
  // x; the element count and the zero point; the scale
  if (kernel == "quantize_u8")
    return KernelSignature{1, 1, 2, 2, 1};
  // x (f32 NCHW); N, C, H*W, the zero point; the scale
  if (kernel == "quantize_pack4_u8")
    return KernelSignature{1, 1, 4, 4, 1};
  // x (packed u8), w (i8), scale, bias, [residual]; N, C, H*W, M, act,
  // has_res; 4 floats as conv2d_f32's
  if (kernel == "conv1x1_nchw_u8s8")
    return KernelSignature{5, 4, 5, 6, 4};
  // x (f32 NCHW); N, C, H, W, top and left pads, padded H and W, the zero
  // point; the scale
  if (kernel == "quantize_pack4_pad_u8")
    return KernelSignature{1, 1, 9, 9, 1};
  // x (packed, padded u8), w (i8), scale, bias, [residual]; N, C, padded H
  // and W, M, OH, OW, KH, KW, act, has_res; 4 floats as conv2d_f32's
  if (kernel == "convkxk_nchw_u8s8")
    return KernelSignature{5, 4, 10, 11, 4};
  return std::nullopt;
}

/// For a kernel that takes a pixel stride per tensor (it reads or writes a
/// channel slice of a channels-last tensor): the int parameter that holds
/// the stride of slot `slot` (the outputs follow the input slots).
std::optional<int64_t> pixelStrideParam(llvm::StringRef kernel, int64_t slot) {
  if (kernel == "conv2d_nhwc_f32") {
    switch (slot) {
    case 0: return 17; // x
    case 3: return 19; // the residual
    case 4: return 18; // y
    }
  }
  if (kernel == "conv2d_nhwc_u8s8") {
    switch (slot) {
    case 0: return 18; // x
    case 4: return 20; // the residual
    case 5: return 19; // y
    }
  }
  return std::nullopt;
}

/// The pixel stride of a static [N][H][W][C] buffer whose pixels are
/// `stride` >= C floats apart and whose rows and images are dense in
/// pixels (a channel slice of a larger channels-last tensor); nullopt for
/// any other layout.
std::optional<int64_t> channelSliceStride(MemRefType type) {
  if (type.getRank() != 4 || !type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides[3] != 1)
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t pixel = strides[2];
  if (ShapedType::isDynamic(pixel) || pixel < shape[3] || strides[1] != shape[2] * pixel ||
      (shape[0] > 1 && strides[0] != shape[1] * shape[2] * pixel))
    return std::nullopt;
  return pixel;
}

/// The address of the first element of `buffer` as an !llvm.ptr.
Value pointerTo(OpBuilder &b, Location loc, Value buffer) {
  auto type = llvm::cast<MemRefType>(buffer.getType());
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  int64_t bytes = type.getElementTypeBitWidth() / 8;
  Value offset = arith::MulIOp::create(
      b, loc, metadata.getOffset(), arith::ConstantIndexOp::create(b, loc, bytes));
  Value address = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                             arith::AddIOp::create(b, loc, base, offset));
  return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
}

struct KilnLowerMicrokernelsPass
    : public mlir::kiln::impl::KilnLowerMicrokernelsBase<KilnLowerMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<MicrokernelOp> kernels;
    module.walk([&](MicrokernelOp op) { kernels.push_back(op); });
    if (kernels.empty())
      return;
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      kernels.front().emitOpError("needs the library's @main to get the context from");
      return signalPassFailure();
    }
    auto ptrType = LLVM::LLVMPointerType::get(&getContext());
    unsigned contextIndex = main.getNumArguments();
    NamedAttrList attrs;
    attrs.set("kiln.context", UnitAttr::get(&getContext()));
    if (failed(main.insertArgument(contextIndex, ptrType,
                                   DictionaryAttr::get(&getContext(), attrs), main.getLoc())))
      return signalPassFailure();
    Value context = main.getArgument(contextIndex);
    for (MicrokernelOp op : kernels)
      if (failed(lower(op, main, context)))
        return signalPassFailure();
  }

  LogicalResult lower(MicrokernelOp op, func::FuncOp main, Value context) {
    if (op->getParentOfType<func::FuncOp>() != main)
      return op.emitOpError("is outside @main");
    if (!op.getResults().empty())
      return op.emitOpError("is not bufferized");
    std::optional<KernelSignature> sig = signatureOf(op.getKernel());
    if (!sig)
      return op.emitOpError() << "calls an unknown kernel '" << op.getKernel() << "'";
    SmallVector<int64_t> params(op.getParams());
    ArrayRef<float> fparams = op.getFparams();
    if (static_cast<int64_t>(params.size()) < sig->intParams ||
        static_cast<int64_t>(params.size()) < sig->presence + sig->slots - sig->required ||
        static_cast<int64_t>(fparams.size()) != sig->floatParams)
      return op.emitOpError("has the wrong number of parameters for its kernel");

    // The weights (input 1, always present) of a kernel that takes their
    // element type.
    std::optional<int64_t> wtype;
    if (sig->weightType && op.getInputs().size() > 1) {
      Type element = llvm::cast<MemRefType>(op.getInputs()[1].getType()).getElementType();
      if (!(wtype = weightTypeCode(element)))
        return op.emitOpError() << "has weights of type " << element
                                << "; the kernel reads f32, bf16 or f16";
    }
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    SmallVector<Value> temporaries;
    SmallVector<std::pair<Value, Value>> copyBack;
    // A buffer the kernel can take for slot `slot`: `v` itself when it is
    // contiguous row-major, or a channel slice whose pixel stride the
    // kernel takes (set in its parameter); else a contiguous temporary.
    auto passable = [&](Value v, int64_t slot, bool isOutput) -> Value {
      auto type = llvm::cast<MemRefType>(v.getType());
      if (memref::isStaticShapeAndContiguousRowMajor(type))
        return v;
      if (std::optional<int64_t> param = pixelStrideParam(op.getKernel(), slot))
        if (std::optional<int64_t> stride = channelSliceStride(type)) {
          params[*param] = *stride;
          return v;
        }
      auto plain = MemRefType::get(type.getShape(), type.getElementType());
      Value tmp = memref::AllocOp::create(b, loc, plain);
      temporaries.push_back(tmp);
      if (isOutput)
        copyBack.push_back({tmp, v});
      else
        memref::CopyOp::create(b, loc, v, tmp);
      return tmp;
    };

    SmallVector<Value> args{context};
    auto inputs = op.getInputs();
    size_t next = 0;
    for (int64_t slot = 0; slot < sig->slots; ++slot) {
      bool present = slot < sig->required || params[sig->presence + slot - sig->required] != 0;
      if (!present) {
        args.push_back(LLVM::ZeroOp::create(b, loc, ptrType));
        continue;
      }
      if (next >= inputs.size())
        return op.emitOpError("has fewer inputs than its parameters say");
      args.push_back(pointerTo(b, loc, passable(inputs[next++], slot, false)));
    }
    if (next != inputs.size())
      return op.emitOpError("has more inputs than its parameters say");
    for (auto [i, out] : llvm::enumerate(op.getOutputs()))
      args.push_back(pointerTo(b, loc, passable(out, sig->slots + i, true)));
    for (int64_t i = 0; i < sig->intParams; ++i)
      args.push_back(arith::ConstantIntOp::create(b, loc, b.getI64Type(), params[i]));
    for (float f : fparams)
      args.push_back(arith::ConstantFloatOp::create(b, loc, b.getF32Type(), llvm::APFloat(f)));
    if (wtype)
      args.push_back(arith::ConstantIntOp::create(b, loc, b.getI64Type(), *wtype));

    std::string name = ("kiln_uk_" + op.getKernel() + "_" + op.getIsa()).str();
    auto module = op->getParentOfType<ModuleOp>();
    auto callee = module.lookupSymbol<func::FuncOp>(name);
    auto type = b.getFunctionType(ValueRange(args).getTypes(), {});
    if (!callee) {
      OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
      callee = func::FuncOp::create(mb, loc, name, type);
      callee.setPrivate();
    } else if (callee.getFunctionType() != type) {
      return op.emitOpError() << "calls '" << name << "' with another signature than before";
    }
    func::CallOp::create(b, loc, callee, args);
    for (auto [tmp, out] : copyBack)
      memref::CopyOp::create(b, loc, tmp, out);
    for (Value tmp : temporaries)
      memref::DeallocOp::create(b, loc, tmp);
    op.erase();
    return success();
  }
};

} // namespace
