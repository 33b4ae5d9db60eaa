//===- Microkernels.cpp - graph ops as calls of the runtime's kernels -----===//
//
// kiln-cpu-microkernels: convolutions with constant weights, and the
// residual add and activation that follow them, become kiln.microkernel
// ops with weights packed for the kernel's register tile. Also the
// bufferization model of kiln.microkernel.
//
//===----------------------------------------------------------------------===//

#include "codegen/CPU/Passes.h"
#include "dialects/Kiln/KilnDialect.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/IR/Matchers.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNCPUMICROKERNELS
#include "codegen/CPU/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

std::pair<int64_t, int64_t> mlir::kiln::microkernelTile(llvm::StringRef isa) {
  if (isa == "avx512")
    return {12, 32};
  if (isa == "avx2")
    return {6, 16};
  return {0, 0};
}

namespace {

/// The kernels' activation codes (lib/Runtime/Kernels.h).
enum Activation : int64_t {
  kNone = 0, kRelu = 1, kClip = 2, kLeakyRelu = 3, kHardSigmoid = 4, kHardSwish = 5
};

/// The activation `op` applies, with its two float parameters; nullopt if
/// the kernels have none like it.
std::optional<std::tuple<int64_t, float, float>> activationOf(Operation *op) {
  if (llvm::isa<ReluOp>(op))
    return std::make_tuple(int64_t(kRelu), 0.0f, 0.0f);
  if (auto clip = llvm::dyn_cast<ClipOp>(op)) {
    float lo = -std::numeric_limits<float>::infinity(), hi = -lo;
    auto bound = [](Attribute a, float &out) {
      if (!a)
        return true;
      auto f = llvm::dyn_cast<FloatAttr>(a);
      if (!f)
        return false;
      out = static_cast<float>(f.getValueAsDouble());
      return true;
    };
    if (!bound(clip.getMinAttr(), lo) || !bound(clip.getMaxAttr(), hi))
      return std::nullopt;
    return std::make_tuple(int64_t(kClip), lo, hi);
  }
  if (auto leaky = llvm::dyn_cast<LeakyReluOp>(op))
    return std::make_tuple(int64_t(kLeakyRelu), leaky.getAlpha().convertToFloat(), 0.0f);
  if (auto hs = llvm::dyn_cast<HardSigmoidOp>(op))
    return std::make_tuple(int64_t(kHardSigmoid), hs.getAlpha().convertToFloat(),
                           hs.getBeta().convertToFloat());
  if (llvm::isa<HardSwishOp>(op))
    return std::make_tuple(int64_t(kHardSwish), 0.0f, 0.0f);
  return std::nullopt;
}

/// The only user of `v`, if it has exactly one use.
Operation *soleUser(Value v) { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; }

/// Packs filter [M][K] (row-major, K = C*KH*KW) into panels of `mr` rows:
/// [ceil(M/mr)][K][mr], zeros past row M.
DenseElementsAttr packFilter(ElementsAttr filter, int64_t m, int64_t k, int64_t mr) {
  int64_t panels = (m + mr - 1) / mr;
  std::vector<float> packed(static_cast<size_t>(panels * k * mr), 0.0f);
  std::vector<float> values;
  values.reserve(static_cast<size_t>(m * k));
  for (float v : filter.getValues<float>())
    values.push_back(v);
  for (int64_t row = 0; row < m; ++row) {
    int64_t p = row / mr, i = row % mr;
    const float *src = values.data() + row * k;
    float *dst = packed.data() + p * k * mr + i;
    for (int64_t kk = 0; kk < k; ++kk)
      dst[kk * mr] = src[kk];
  }
  auto type = RankedTensorType::get({panels * k * mr}, Float32Type::get(filter.getContext()));
  return DenseElementsAttr::get(type, llvm::ArrayRef<float>(packed));
}

struct KilnCPUMicrokernelsPass
    : public mlir::kiln::impl::KilnCPUMicrokernelsBase<KilnCPUMicrokernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    auto [mr, nr] = microkernelTile(isa);
    if (isa == "none")
      return;
    if (mr == 0) {
      getOperation().emitError() << "kiln-cpu-microkernels: unknown isa '" << isa
                                 << "' (avx512, avx2 or none)";
      return signalPassFailure();
    }
    SmallVector<ConvOp> convs;
    getOperation().walk([&](ConvOp conv) { convs.push_back(conv); });
    for (ConvOp conv : convs)
      rewriteConv(conv, mr);
  }

  void rewriteConv(ConvOp conv, int64_t mr) {
    auto inType = llvm::dyn_cast<RankedTensorType>(conv.getInput().getType());
    auto wType = llvm::dyn_cast<RankedTensorType>(conv.getFilter().getType());
    auto outType = llvm::dyn_cast<RankedTensorType>(conv.getType());
    if (!inType || !wType || !outType || inType.getRank() != 4 || conv.getGroup() != 1 ||
        !inType.hasStaticShape() || !wType.hasStaticShape() || !outType.hasStaticShape() ||
        !inType.getElementType().isF32() || !wType.getElementType().isF32() ||
        !outType.getElementType().isF32() || outType.getNumElements() == 0 ||
        inType.getNumElements() == 0)
      return;
    ElementsAttr filter;
    if (!matchPattern(conv.getFilter(), m_Constant(&filter)))
      return;
    Value bias = conv.getBias();
    if (bias && !llvm::cast<RankedTensorType>(bias.getType()).getElementType().isF32())
      return;

    // The epilogue: a residual add, then an activation.
    Operation *last = conv;
    SmallVector<Operation *> fused{conv};
    Value result = conv.getResult(), residual;
    if (auto add = llvm::dyn_cast_or_null<AddOp>(soleUser(result))) {
      Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
      if (add.getLhs() != add.getRhs() && other.getType() == outType &&
          add.getType() == outType) {
        residual = other;
        last = add;
        fused.push_back(add);
        result = add.getResult();
      }
    }
    int64_t act = kNone;
    float alpha = 0, beta = 0;
    if (Operation *user = soleUser(result))
      if (auto a = activationOf(user); a && user->getResult(0).getType() == outType) {
        std::tie(act, alpha, beta) = *a;
        last = user;
        fused.push_back(user);
      }

    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), h = inType.getDimSize(2),
            w = inType.getDimSize(3), m = wType.getDimSize(0), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3), oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations(),
                      pads = conv.getPads();
    OpBuilder b(last);
    Location loc = conv.getLoc();
    Value packed = ConstantOp::create(b, loc, packFilter(filter, m, c * kh * kw, mr));
    SmallVector<Value> inputs{conv.getInput(), packed};
    if (bias)
      inputs.push_back(bias);
    if (residual)
      inputs.push_back(residual);
    Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), outType.getElementType());
    SmallVector<int64_t> params{n, c, h, w, m, oh, ow, kh, kw, strides[0], strides[1],
                                dilations[0], dilations[1], pads[0], pads[1], act,
                                bias ? 1 : 0, residual ? 1 : 0};
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{outType}, b.getStringAttr("conv2d_f32"), b.getStringAttr(isa),
        inputs, ValueRange{init}, b.getDenseI64ArrayAttr(params),
        b.getDenseF32ArrayAttr({alpha, beta}));
    last->getResult(0).replaceAllUsesWith(kernel.getResult(0));
    // The fused ops, last first: each one's only user is gone by then.
    for (Operation *op : llvm::reverse(fused))
      op->erase();
  }
};

} // namespace
//===----------------------------------------------------------------------===//
// Bufferization
//===----------------------------------------------------------------------===//

namespace {

/// Inputs are read, outputs written entirely (never read) and tied to the
/// results; on buffers the op is the same kernel without results.
struct MicrokernelBufferization
    : public bufferization::BufferizableOpInterface::ExternalModel<MicrokernelBufferization,
                                                                   MicrokernelOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const bufferization::AnalysisState &) const {
    return !llvm::cast<MicrokernelOp>(op).isDpsInit(&operand);
  }
  bool bufferizesToMemoryWrite(Operation *op, OpOperand &operand,
                               const bufferization::AnalysisState &) const {
    return llvm::cast<MicrokernelOp>(op).isDpsInit(&operand);
  }
  bufferization::AliasingValueList
  getAliasingValues(Operation *op, OpOperand &operand,
                    const bufferization::AnalysisState &) const {
    auto kernel = llvm::cast<MicrokernelOp>(op);
    if (kernel.isDpsInit(&operand))
      return {{kernel.getTiedOpResult(&operand), bufferization::BufferRelation::Equivalent}};
    return {};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    auto kernel = llvm::cast<MicrokernelOp>(op);
    SmallVector<Value> inputs, outputs;
    for (Value v : kernel.getInputs()) {
      FailureOr<Value> buffer = bufferization::getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      inputs.push_back(*buffer);
    }
    for (Value v : kernel.getOutputs()) {
      FailureOr<Value> buffer = bufferization::getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      outputs.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    MicrokernelOp::create(rewriter, op->getLoc(), TypeRange{}, kernel.getKernelAttr(),
                          kernel.getIsaAttr(), inputs, outputs, kernel.getParamsAttr(),
                          kernel.getFparamsAttr());
    bufferization::replaceOpWithBufferizedValues(rewriter, op, outputs);
    return success();
  }
};

} // namespace

void mlir::kiln::registerMicrokernelBufferization(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, KilnDialect *) {
    MicrokernelOp::attachInterface<MicrokernelBufferization>(*context);
  });
}
