//===- Microkernels.cpp - graph ops as calls of the runtime's kernels -----===//
//
// kiln-cpu-microkernels: convolutions with constant weights, and the
// residual add and activation that follow them, become kiln.microkernel
// ops with weights packed for the kernel's register tile, in NCHW or
// between transposes in channels-last (NHWC) layout. Also the
// bufferization model of kiln.microkernel.
//
//===----------------------------------------------------------------------===//

#include "codegen/CPU/Passes.h"
#include "dialects/Kiln/ConstantFolding.h"
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

/// The output channels of a weight panel of the channels-last convolution
/// (lib/Runtime/Nhwc.inc: HV vectors of VL floats).
static int64_t nhwcPanelWidth(llvm::StringRef isa) { return isa == "avx512" ? 64 : 16; }

namespace {

/// Floats in the kernels' per-thread scratch buffer (KILN_SCRATCH_FLOATS in
/// lib/Runtime/Runtime.h) and the tallest window of the channels-last
/// convolution (KILN_NHWC_MAX_KH in lib/Runtime/Kernels.h).
constexpr int64_t kScratchFloats = 256 * 384;
/// Floats of the stage where kernels widen narrow weights
/// (KILN_STAGE_FLOATS in lib/Runtime/Runtime.h).
constexpr int64_t kStageFloats = 32 * 1024;
constexpr int64_t kNhwcMaxKH = 16;
/// The bytes of weights one input-channel chunk of the channels-last
/// convolution may take: they stay in L1 while the chunk sweeps its rows.
constexpr int64_t kNhwcChunkBytes = 36 * 1024;

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

/// ShuffleNet's channel shuffle of `v` (type [N][G*M][H][W]) into G groups:
/// its only user reshapes it to [N][G][M][H][W], transposes that to
/// [N][M][G][H][W] and reshapes back, which moves channel m of group g to
/// channel m * G + g. The three ops, or none.
SmallVector<Operation *, 3> channelShuffleAfter(Value v, int64_t groups) {
  auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
  auto split = llvm::dyn_cast_or_null<ReshapeOp>(soleUser(v));
  if (!type || !type.hasStaticShape() || type.getRank() != 4 || groups < 2 || !split ||
      type.getDimSize(1) % groups != 0)
    return {};
  auto has = [](Value value, ArrayRef<int64_t> shape) {
    auto t = llvm::dyn_cast<RankedTensorType>(value.getType());
    return t && t.hasStaticShape() && t.getShape() == shape;
  };
  int64_t n = type.getDimSize(0), m = type.getDimSize(1) / groups, h = type.getDimSize(2),
          w = type.getDimSize(3);
  auto swap = llvm::dyn_cast_or_null<TransposeOp>(soleUser(split.getResult()));
  if (!has(split.getResult(), {n, groups, m, h, w}) || !swap ||
      swap.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3, 4})
    return {};
  auto merge = llvm::dyn_cast_or_null<ReshapeOp>(soleUser(swap.getResult()));
  if (!merge || merge.getType() != type)
    return {};
  return {split, swap, merge};
}

/// An activation a kernel applies in its epilogue: its code and
/// parameters, and the ops it replaces (none for no activation).
struct FusedActivation {
  int64_t act = kNone;
  float alpha = 0, beta = 0;
  /// A multiplication and/or addition by one-element constants after the
  /// activation (PaddleOCR's learnable affine), and the ops they were.
  float scale = 1, shift = 0;
  SmallVector<Operation *, 3> ops;
  /// The last op folded (the activation or the affine), null for none.
  Operation *last() const { return ops.empty() ? nullptr : ops.back(); }
  /// The kernels' float parameters: the activation's, then the affine.
  SmallVector<float> fparams() const { return {alpha, beta, scale, shift}; }
};

/// `op` (a kiln.mul or kiln.add with result type `type`) applied to `v` and
/// a one-element constant: that constant.
template <typename OpTy> std::optional<float> scalarOperandOf(Operation *op, Value v, Type type) {
  auto binary = llvm::dyn_cast_or_null<OpTy>(op);
  if (!binary || binary.getType() != type)
    return std::nullopt;
  Value other = binary.getLhs() == v ? binary.getRhs() : binary.getLhs();
  if (other == v || !getElementTypeOrSelf(other.getType()).isF32())
    return std::nullopt;
  std::optional<double> value = scalarFloatConstant(other);
  return value ? std::optional<float>(static_cast<float>(*value)) : std::nullopt;
}

/// The add that is the only user of `v` (of type `type`) and adds it to
/// another tensor of that type (no broadcast), with that tensor in
/// `residual`; null otherwise.
AddOp residualAddAfter(Value v, Type type, Value &residual) {
  auto add = llvm::dyn_cast_or_null<AddOp>(soleUser(v));
  if (!add || add.getLhs() == add.getRhs() || add.getType() != type)
    return nullptr;
  Value other = add.getLhs() == v ? add.getRhs() : add.getLhs();
  if (other.getType() != type)
    return nullptr;
  residual = other;
  return add;
}

/// The activation that is the only user of `v`, when its result has the
/// type `type` (no broadcast); none otherwise.
FusedActivation activationAfter(Value v, Type type, bool affine = true) {
  FusedActivation f;
  Operation *user = soleUser(v);
  auto a = user ? activationOf(user) : std::nullopt;
  if (!a || user->getResult(0).getType() != type)
    return f;
  std::tie(f.act, f.alpha, f.beta) = *a;
  f.ops.push_back(user);
  if (!affine)
    return f;
  // Then v * s, v + t or (v * s) + t.
  Value out = user->getResult(0);
  Operation *next = soleUser(out);
  if (auto s = scalarOperandOf<MulOp>(next, out, type)) {
    f.scale = *s;
    f.ops.push_back(next);
    out = next->getResult(0);
    next = soleUser(out);
  }
  if (auto t = scalarOperandOf<AddOp>(next, out, type)) {
    f.shift = *t;
    f.ops.push_back(next);
  }
  return f;
}

/// What a convolution kernel's epilogue takes over from `op`: a residual
/// add that is its only use, then an activation (residualAddAfter,
/// activationAfter), for results of type `type`.
struct FusedEpilogue {
  /// The last op taken over (`op` itself when none), whose result the
  /// kernel's replaces.
  Operation *last;
  /// `op` and the ops taken over, in order.
  SmallVector<Operation *> ops;
  Value residual;
  FusedActivation activation;

  /// Gives the last op's users `y` and erases the ops, last first (each
  /// one's only user is gone by then).
  void replaceWith(Value y) {
    last->getResult(0).replaceAllUsesWith(y);
    for (Operation *op : llvm::reverse(ops))
      op->erase();
  }
};

/// `op`'s epilogue with nothing taken over.
FusedEpilogue noEpilogue(Operation *op) { return FusedEpilogue{op, {op}, Value(), {}}; }

FusedEpilogue epilogueAfter(Operation *op, Type type) {
  FusedEpilogue e = noEpilogue(op);
  Value result = op->getResult(0);
  if (AddOp add = residualAddAfter(result, type, e.residual)) {
    e.last = add;
    e.ops.push_back(add);
    result = add.getResult();
  }
  e.activation = activationAfter(result, type);
  if (e.activation.last()) {
    e.last = e.activation.last();
    e.ops.append(e.activation.ops.begin(), e.activation.ops.end());
  }
  return e;
}

/// Whether `bias` is absent or an f32 tensor.
bool isF32BiasOrNone(Value bias) {
  return !bias || llvm::cast<RankedTensorType>(bias.getType()).getElementType().isF32();
}

/// The values of an f32 constant, times `scale`.
std::vector<float> floatValues(ElementsAttr attr, float scale = 1.0f) {
  std::vector<float> values;
  values.reserve(static_cast<size_t>(attr.getNumElements()));
  for (float v : attr.getValues<float>())
    values.push_back(v * scale);
  return values;
}

/// A row-major [rows][cols] matrix transposed to [cols][rows].
std::vector<float> transposed(const std::vector<float> &values, int64_t rows, int64_t cols) {
  std::vector<float> out(values.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[c * rows + r] = values[r * cols + c];
  return out;
}

/// Packs filter [G*M][K] (row-major, K = C/G*KH*KW; M rows per group) into
/// panels of `mr` rows per group: [G][ceil(M/mr)][K][mr], zeros past row M
/// of each group.
std::vector<float> packFilter(ElementsAttr filter, int64_t groups, int64_t m, int64_t k,
                              int64_t mr) {
  int64_t panels = (m + mr - 1) / mr;
  std::vector<float> packed(static_cast<size_t>(groups * panels * k * mr), 0.0f);
  std::vector<float> values = floatValues(filter);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t row = 0; row < m; ++row) {
      int64_t p = row / mr, i = row % mr;
      const float *src = values.data() + (g * m + row) * k;
      float *dst = packed.data() + ((g * panels + p) * k) * mr + i;
      for (int64_t kk = 0; kk < k; ++kk)
        dst[kk * mr] = src[kk];
    }
  return packed;
}

/// Packs filter [M][C][KH][KW] for the channels-last kernel: panels of `nw`
/// output channels, each cut into chunks of `cb` input channels laid out
/// [KH][KW][cb][nw] (the last chunk has C mod cb channels), zeros past
/// channel M: [ceil(M/nw)][C*KH*KW][nw] in all.
std::vector<float> packFilterNhwc(ElementsAttr filter, int64_t m, int64_t c, int64_t kh,
                                  int64_t kw, int64_t nw, int64_t cb) {
  int64_t panels = (m + nw - 1) / nw, k = c * kh * kw;
  std::vector<float> packed(static_cast<size_t>(panels * k * nw), 0.0f);
  std::vector<float> values = floatValues(filter);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t c0 = 0; c0 < c; c0 += cb) {
      int64_t cc = std::min(cb, c - c0);
      float *chunk = packed.data() + (p * k + c0 * kh * kw) * nw;
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          for (int64_t ci = 0; ci < cc; ++ci)
            for (int64_t q = 0; q < nw && p * nw + q < m; ++q)
              chunk[((i * kw + j) * cc + ci) * nw + q] =
                  values[(((p * nw + q) * c + c0 + ci) * kh + i) * kw + j];
    }
  return packed;
}

/// Whether f32 `v` is exactly a bf16: its low 16 bits are zero.
bool exactInBF16(float v) { return (llvm::bit_cast<uint32_t>(v) & 0xffff) == 0; }

/// Whether f32 `v` is exactly an f16 (infinities included, NaNs not).
bool exactInF16(float v) {
  uint32_t mag = llvm::bit_cast<uint32_t>(v) & 0x7fffffff;
  if (mag == 0 || mag == 0x7f800000)
    return true;
  if (mag > 0x7f800000)
    return false;
  int e = static_cast<int>(mag >> 23) - 127;
  uint32_t frac = mag & 0x7fffff;
  if (e > 15 || e < -24)
    return false;
  // Normal f16s keep 10 fraction bits; subnormals (multiples of 2^-24)
  // keep e + 24 of them.
  int kept = e >= -14 ? 10 : e + 24;
  return (frac & ((1u << (23 - kept)) - 1)) == 0;
}

/// The f16 bits of a `v` that exactInF16 accepts.
uint16_t f16Bits(float v) {
  uint32_t u = llvm::bit_cast<uint32_t>(v), mag = u & 0x7fffffff;
  uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000);
  if (mag == 0)
    return sign;
  if (mag == 0x7f800000)
    return sign | 0x7c00;
  int e = static_cast<int>(mag >> 23) - 127;
  uint32_t frac = mag & 0x7fffff;
  if (e >= -14)
    return sign | static_cast<uint16_t>((e + 15) << 10) | static_cast<uint16_t>(frac >> 13);
  return sign | static_cast<uint16_t>((0x800000 | frac) >> (23 - (e + 24)));
}

/// `values` (f32 weights as a kernel reads them) as a constant of `shape`
/// (1-D when empty) and of the narrowest type that holds every value
/// exactly when `narrow`: f16, else bf16 (each half the bytes), else f32.
DenseElementsAttr weightsAttr(MLIRContext *ctx, ArrayRef<float> values, bool narrow,
                              ArrayRef<int64_t> shape = {}) {
  int64_t n = static_cast<int64_t>(values.size());
  SmallVector<int64_t> dims(shape.empty() ? ArrayRef<int64_t>{n} : shape);
  if (narrow && n > 0) {
    bool f16 = llvm::all_of(values, exactInF16);
    if (f16 || llvm::all_of(values, exactInBF16)) {
      std::vector<uint16_t> bits(values.size());
      for (size_t i = 0; i < values.size(); ++i)
        bits[i] = f16 ? f16Bits(values[i])
                      : static_cast<uint16_t>(llvm::bit_cast<uint32_t>(values[i]) >> 16);
      Type element = f16 ? Type(Float16Type::get(ctx)) : Type(BFloat16Type::get(ctx));
      return DenseElementsAttr::getFromRawBuffer(
          RankedTensorType::get(dims, element),
          ArrayRef<char>(reinterpret_cast<const char *>(bits.data()), bits.size() * 2));
    }
  }
  return DenseElementsAttr::get(RankedTensorType::get(dims, Float32Type::get(ctx)), values);
}

/// `type` with its dimensions permuted: dimension i is type's perm[i].
RankedTensorType permutedType(Type type, ArrayRef<int64_t> perm) {
  auto ranked = llvm::cast<RankedTensorType>(type);
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(ranked.getDimSize(d));
  return RankedTensorType::get(shape, ranked.getElementType());
}

/// `v` transposed by `perm`.
Value permuted(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  return TransposeOp::create(b, loc, permutedType(v.getType(), perm), v,
                             b.getDenseI64ArrayAttr(perm));
}

constexpr int64_t kToNhwc[] = {0, 2, 3, 1};
constexpr int64_t kToNchw[] = {0, 3, 1, 2};

/// Whether `t` is a static, non-empty, rank-`rank` f32 tensor type.
bool isStaticF32(Type t, int64_t rank) {
  auto type = llvm::dyn_cast<RankedTensorType>(t);
  return type && type.getRank() == rank && type.hasStaticShape() &&
         type.getElementType().isF32() && type.getNumElements() > 0;
}

/// Packs an i8 filter [M][C][KH][KW] for the integer kernels: panels of
/// `width` output channels, each tap's channels in groups of four
/// interleaved per output channel (the operand of vpdpbusd), with
/// G = ceil(C/4) groups and zeros past M and C. conv2d_nhwc_u8s8 takes
/// taps outermost, [ceil(M/64)][KH][KW][G][64][4]; the NCHW kernels
/// (conv1x1_nchw_u8s8, convkxk_nchw_u8s8) groups outermost,
/// [ceil(M/6)][G][KH][KW][6][4]. Returns the packed bytes as a 1-D i8
/// constant.
Value packInt8(OpBuilder &b, Location loc, ArrayRef<int8_t> values, int64_t m, int64_t c,
               int64_t kh, int64_t kw, int64_t width, bool tapsOutermost) {
  int64_t groups = (c + 3) / 4, panels = (m + width - 1) / width;
  std::vector<int8_t> packed(static_cast<size_t>(panels * groups * kh * kw * width * 4), 0);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          int64_t p = o / width, g = ci / 4;
          int64_t vector = tapsOutermost ? ((p * kh + i) * kw + j) * groups + g
                                         : ((p * groups + g) * kh + i) * kw + j;
          packed[(vector * width + o % width) * 4 + ci % 4] =
              values[((o * c + ci) * kh + i) * kw + j];
        }
  auto type = RankedTensorType::get({static_cast<int64_t>(packed.size())}, b.getI8Type());
  return ConstantOp::create(b, loc,
                            DenseElementsAttr::get(type, llvm::ArrayRef<int8_t>(packed)));
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
    if (layout != "nchw" && layout != "nhwc" && layout != "auto") {
      getOperation().emitError() << "kiln-cpu-microkernels: unknown layout '" << layout
                                 << "' (nchw, nhwc or auto)";
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    bool nchwOnly = false;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<ConvOp, ConvTransposeOp, MaxPoolOp, AvgPoolOp, GemmOp, MatMulOp,
                    ResizeOp, QuantizedConvOp>(op))
        ops.push_back(op);
      if (auto conv = llvm::dyn_cast<ConvOp>(op); conv && conv.getGroup() != 1)
        nchwOnly = true;
      if (llvm::isa<ConvTransposeOp>(op))
        nchwOnly = true;
    });
    // auto: channels-last unless some convolution has only an NCHW kernel
    // (grouped, depthwise, transposed), whose transposes would not cancel.
    nhwc = layout == "nhwc" || (layout == "auto" && !nchwOnly);
    for (Operation *op : ops) {
      if (auto conv = llvm::dyn_cast<ConvOp>(op))
        rewriteConv(conv, mr);
      else if (auto convT = llvm::dyn_cast<ConvTransposeOp>(op))
        rewriteConvTranspose(convT, mr);
      else if (auto gemm = llvm::dyn_cast<GemmOp>(op))
        rewriteGemm(gemm);
      else if (auto matmul = llvm::dyn_cast<MatMulOp>(op))
        rewriteMatMul(matmul);
      else if (auto pool = llvm::dyn_cast<MaxPoolOp>(op))
        rewritePool(pool, /*kind=*/0);
      else if (auto pool = llvm::dyn_cast<AvgPoolOp>(op))
        rewritePool(pool, pool.getCountIncludePad() ? 2 : 1);
      else if (auto resize = llvm::dyn_cast<ResizeOp>(op))
        rewriteResize(resize);
      else if (auto qconv = llvm::dyn_cast<QuantizedConvOp>(op); qconv && int8)
        rewriteQuantizedConv(qconv);
    }
  }

  /// A quantized 2-D convolution with one group, u8 input storage and
  /// constant weights (and bias) as "conv2d_nhwc_u8s8", channels-last
  /// between transposes. With an f32 result, a residual add and an
  /// activation after it are fused as for float convolutions; the op's own
  /// clamp is the kernel's activation.
  void rewriteQuantizedConv(QuantizedConvOp conv) {
    auto inType = conv.getInput().getType();
    auto wType = conv.getFilter().getType();
    auto outType = conv.getOutput().getType();
    auto inQ = llvm::dyn_cast<quant::UniformQuantizedType>(inType.getElementType());
    // The filter: i8 constants cast to their quantized type.
    auto storage = conv.getFilter().getDefiningOp<quant::StorageCastOp>();
    ElementsAttr filter, biasAttr;
    if (!inQ || inQ.isSigned() || conv.getGroup() != 1 || inType.getRank() != 4 ||
        !inType.hasStaticShape() || !outType.hasStaticShape() || !storage ||
        !matchPattern(storage.getInput(), m_Constant(&filter)) ||
        (conv.getBias() && !matchPattern(conv.getBias(), m_Constant(&biasAttr))))
      return;
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), h = inType.getDimSize(2),
            w = inType.getDimSize(3), m = wType.getDimSize(0), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3), oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    if (kh > kNhwcMaxKH)
      return;
    SmallVector<double> wScales = conv.getFilterScales();
    auto outQ = llvm::dyn_cast<quant::UniformQuantizedType>(outType.getElementType());
    if (outQ && outQ.isSigned())
      return;

    // The epilogue: the op's clamp, or with an f32 result and no clamp a
    // residual add and then an activation.
    bool clamped = conv.getClampMin() || conv.getClampMax();
    FusedEpilogue epilogue =
        clamped || outQ ? noEpilogue(conv) : epilogueAfter(conv, outType);
    Value residual = epilogue.residual;
    FusedActivation &activation = epilogue.activation;
    if (clamped) {
      activation.act = kClip;
      activation.alpha = conv.getClampMin() ? conv.getClampMin()->convertToFloat()
                                            : -std::numeric_limits<float>::infinity();
      activation.beta = conv.getClampMax() ? conv.getClampMax()->convertToFloat()
                                           : std::numeric_limits<float>::infinity();
    }

    // Per output channel the scale sx * sw[m] and the bias less the input
    // zero point's share, sx * sw[m] * zx * sum(w[m]).
    int64_t c4 = (c + 3) / 4 * 4;
    std::vector<int8_t> values;
    for (APInt v : filter.getValues<APInt>())
      values.push_back(static_cast<int8_t>(v.getSExtValue()));
    std::vector<int64_t> sums(static_cast<size_t>(m), 0);
    for (int64_t o = 0; o < m; ++o)
      for (int64_t k = 0; k < c * kh * kw; ++k)
        sums[o] += values[o * c * kh * kw + k];
    std::vector<float> scale(static_cast<size_t>(m)), bias(static_cast<size_t>(m), 0.0f);
    std::vector<float> given = biasAttr ? floatValues(biasAttr) : std::vector<float>();
    for (int64_t o = 0; o < m; ++o) {
      double s = inQ.getScale() * wScales[o];
      scale[o] = static_cast<float>(s);
      bias[o] = static_cast<float>((given.empty() ? 0.0 : given[o]) -
                                   s * static_cast<double>(inQ.getZeroPoint()) *
                                       static_cast<double>(sums[o]));
    }

    ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations(),
                      pads = conv.getPads();
    OpBuilder b(epilogue.last);
    Location loc = conv.getLoc();
    MLIRContext *ctx = b.getContext();
    auto vecType = RankedTensorType::get({m}, b.getF32Type());
    Value scaleV = ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, llvm::ArrayRef<float>(scale)));
    Value biasV = ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, llvm::ArrayRef<float>(bias)));

    // In NCHW, a convolution at stride and dilation 1 with an f32 result
    // whose input is quantized from f32 right before needs no transposes:
    // the input is quantized into pixels of four channels,
    // [N][C4/4][H][W][4], and the kernel (6 output channels x 64 pixels per
    // tile, weights [ceil(M/6)][C4/4][KH][KW][6][4]) writes NCHW f32. A 1x1
    // convolution without padding reads the pixels as they are
    // ("quantize_pack4_u8", "conv1x1_nchw_u8s8"); others read each tap as
    // a shift of planes with a border of the zero point
    // ("quantize_pack4_pad_u8", "convkxk_nchw_u8s8").
    auto qcast = conv.getInput().getDefiningOp<quant::QuantizeCastOp>();
    bool unitSteps = strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 &&
                     dilations[1] == 1;
    if (!nhwc && !outQ && qcast && unitSteps &&
        llvm::cast<RankedTensorType>(qcast.getInput().getType()).getElementType().isF32()) {
      bool pointwise =
          kh == 1 && kw == 1 && llvm::all_of(pads, [](int64_t p) { return p == 0; });
      int64_t hp = h + pads[0] + pads[2], wp = w + pads[1] + pads[3], zp = inQ.getZeroPoint();
      Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
      SmallVector<int64_t> packedShape =
          pointwise ? SmallVector<int64_t>{n, c4 / 4, h * w, 4}
                    : SmallVector<int64_t>{n, c4 / 4, hp, wp, 4};
      SmallVector<int64_t> packParams =
          pointwise ? SmallVector<int64_t>{n, c, h * w, zp}
                    : SmallVector<int64_t>{n, c, h, w, pads[0], pads[1], hp, wp, zp};
      auto packedType = RankedTensorType::get(packedShape, u8);
      Value packedInit = tensor::EmptyOp::create(b, loc, packedShape, u8);
      Value packedX =
          MicrokernelOp::create(
              b, loc, TypeRange{packedType},
              b.getStringAttr(pointwise ? "quantize_pack4_u8" : "quantize_pack4_pad_u8"),
              b.getStringAttr("avx512vnni"), ValueRange{qcast.getInput()},
              ValueRange{packedInit}, b.getDenseI64ArrayAttr(packParams),
              b.getDenseF32ArrayAttr({static_cast<float>(inQ.getScale())}))
              .getResult(0);
      Value wk = packInt8(b, loc, values, m, c, kh, kw, 6, /*tapsOutermost=*/false);
      SmallVector<Value> inputs{packedX, wk, scaleV, biasV};
      if (residual)
        inputs.push_back(residual);
      int64_t act = activation.act, res = residual ? 1 : 0;
      SmallVector<int64_t> params =
          pointwise ? SmallVector<int64_t>{n, c, h * w, m, act, res}
                    : SmallVector<int64_t>{n, c, hp, wp, m, oh, ow, kh, kw, act, res};
      Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), b.getF32Type());
      auto kernel = MicrokernelOp::create(
          b, loc, TypeRange{outType},
          b.getStringAttr(pointwise ? "conv1x1_nchw_u8s8" : "convkxk_nchw_u8s8"),
          b.getStringAttr("avx512vnni"), inputs, ValueRange{init},
          b.getDenseI64ArrayAttr(params), b.getDenseF32ArrayAttr(activation.fparams()));
      epilogue.replaceWith(kernel.getResult(0));
      return;
    }

    // Activations keep their quantized types (kiln-lower-quant makes them
    // u8 storage); the weights are plain i8.
    Value x = permuted(b, loc, conv.getInput(), kToNhwc);
    Value weights = packInt8(b, loc, values, m, c, kh, kw, 64, /*tapsOutermost=*/true);
    SmallVector<Value> inputs{x, weights, scaleV, biasV};
    if (residual)
      inputs.push_back(permuted(b, loc, residual, kToNhwc));
    RankedTensorType type = permutedType(outType, kToNhwc);
    SmallVector<int64_t> params{n, c, h, w, m, oh, ow, kh, kw, strides[0], strides[1],
                                dilations[0], dilations[1], pads[0], pads[1], activation.act,
                                residual ? 1 : 0, c4, c, m, m, inQ.getZeroPoint(),
                                outQ ? outQ.getZeroPoint() : 0, outQ ? 1 : 0};
    SmallVector<float> fparams = activation.fparams();
    fparams.push_back(outQ ? static_cast<float>(1.0 / outQ.getScale()) : 1.0f);
    Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{type}, b.getStringAttr("conv2d_nhwc_u8s8"),
        b.getStringAttr("avx512vnni"), inputs, ValueRange{init},
        b.getDenseI64ArrayAttr(params), b.getDenseF32ArrayAttr(fparams));
    epilogue.replaceWith(permuted(b, loc, kernel.getResult(0), kToNchw));
  }

  /// Nearest-neighbour resize of an f32 [N][C][H][W] tensor by whole
  /// factors fh, fw of H and W (N and C kept), when every output pixel
  /// takes input pixel (oy / fh, ox / fw): the asymmetric transform with
  /// floor, or half_pixel with either rounding (its sample points
  /// (o + 0.5) / f - 0.5 lie within half a pixel of o / f's floor). The
  /// scales, when given, must be exactly those factors. A following add of
  /// a tensor of the result's type is fused. The kernel
  /// "resize_nearest_f32", params [N*C, H, W, fh, fw, hasRes].
  void rewriteResize(ResizeOp op) {
    if (!isStaticF32(op.getInput().getType(), 4) || !isStaticF32(op.getType(), 4) ||
        op.getMode() != ResizeMode::nearest)
      return;
    auto inType = llvm::cast<RankedTensorType>(op.getInput().getType());
    auto outType = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape();
    if (in[0] != out[0] || in[1] != out[1] || out[2] % in[2] != 0 || out[3] % in[3] != 0)
      return;
    int64_t fh = out[2] / in[2], fw = out[3] / in[3];
    CoordinateTransform transform = op.getCoordinateTransformationMode();
    NearestMode rounding = op.getNearestMode();
    bool floorOfQuotient =
        (transform == CoordinateTransform::asymmetric && rounding == NearestMode::floor) ||
        (transform == CoordinateTransform::half_pixel &&
         (rounding == NearestMode::round_prefer_floor ||
          rounding == NearestMode::round_prefer_ceil));
    if (!floorOfQuotient)
      return;
    if (Value scales = op.getScales()) {
      ElementsAttr values;
      if (!matchPattern(scales, m_Constant(&values)))
        return;
      std::vector<float> s = floatValues(values);
      if (s.size() != 4 || s[0] != 1.0f || s[1] != 1.0f || s[2] != float(fh) ||
          s[3] != float(fw))
        return;
    }
    SmallVector<Operation *> fused{op};
    Value res;
    if (AddOp add = residualAddAfter(op.getResult(), outType, res))
      fused.push_back(add);
    OpBuilder b(fused.back());
    Location loc = op.getLoc();
    SmallVector<int64_t> params{in[0] * in[1], in[2], in[3], fh, fw, res ? 1 : 0};
    SmallVector<Value> inputs{op.getInput()};
    if (res)
      inputs.push_back(res);
    Value init = tensor::EmptyOp::create(b, loc, out, outType.getElementType());
    auto kernel = MicrokernelOp::create(b, loc, TypeRange{outType},
                                        b.getStringAttr("resize_nearest_f32"),
                                        b.getStringAttr(isa), inputs, ValueRange{init},
                                        b.getDenseI64ArrayAttr(params), b.getDenseF32ArrayAttr({}));
    fused.back()->getResult(0).replaceAllUsesWith(kernel.getResult(0));
    for (Operation *dead : llvm::reverse(fused))
      dead->erase();
  }

  /// Whether convolutions and pooling use the channels-last kernels.
  bool nhwc = false;

  /// A 2-D float32 transposed convolution with one group and constant
  /// weights [C][M][KH][KW] as a matrix product and a scatter: the kernel
  /// "conv2d_f32" (1 x 1) computes cols [N][M*KH*KW][H][W] with the filter
  /// transposed to [M*KH*KW][C] and packed, then "col2im_f32" adds each
  /// column plane into the output, with the bias and a following
  /// activation. col2im params: [N, M, H, W, OH, OW, KH, KW, SH, SW, DH,
  /// DW, PT, PL, act, hasBias].
  void rewriteConvTranspose(ConvTransposeOp op, int64_t mr) {
    ElementsAttr filter;
    Value bias = op.getBias();
    if (!isStaticF32(op.getInput().getType(), 4) || !isStaticF32(op.getFilter().getType(), 4) ||
        !isStaticF32(op.getType(), 4) || op.getGroup() != 1 ||
        !matchPattern(op.getFilter(), m_Constant(&filter)) || !isF32BiasOrNone(bias))
      return;
    auto inType = llvm::cast<RankedTensorType>(op.getInput().getType());
    auto wType = llvm::cast<RankedTensorType>(op.getFilter().getType());
    auto outType = llvm::cast<RankedTensorType>(op.getType());
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), h = inType.getDimSize(2),
            w = inType.getDimSize(3), m = wType.getDimSize(1), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3), rows = m * kh * kw;

    FusedActivation activation = activationAfter(op.getResult(), outType);
    Operation *last = activation.last() ? activation.last() : op.getOperation();

    // [C][M*KH*KW] -> [M*KH*KW][C]
    std::vector<float> weights = transposed(floatValues(filter), c, rows);
    auto tType = RankedTensorType::get({rows, c}, Float32Type::get(op.getContext()));
    auto tAttr = DenseElementsAttr::get(tType, llvm::ArrayRef<float>(weights));

    OpBuilder b(last);
    Location loc = op.getLoc();
    Value packed = ConstantOp::create(
        b, loc, weightsAttr(b.getContext(), packFilter(tAttr, 1, rows, c, mr), narrowWeights));
    auto colsType = RankedTensorType::get({n, rows, h, w}, outType.getElementType());
    Value colsInit = tensor::EmptyOp::create(b, loc, colsType.getShape(), colsType.getElementType());
    SmallVector<int64_t> gemm{n, c, h, w, rows, h, w, 1, 1, 1, 1, 1, 1, 0, 0, kNone, 1, 0, 0, 0};
    auto cols = MicrokernelOp::create(
        b, loc, TypeRange{colsType}, b.getStringAttr("conv2d_f32"), b.getStringAttr(isa),
        ValueRange{op.getInput(), packed}, ValueRange{colsInit}, b.getDenseI64ArrayAttr(gemm),
        b.getDenseF32ArrayAttr({0.0f, 0.0f, 1.0f, 0.0f}));
    SmallVector<Value> inputs{cols.getResult(0)};
    if (bias)
      inputs.push_back(bias);
    ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations(), p = op.getPads();
    SmallVector<int64_t> params{n, m, h, w, outType.getDimSize(2), outType.getDimSize(3),
                                kh, kw, s[0], s[1], d[0], d[1], p[0], p[1], activation.act,
                                bias ? 1 : 0};
    Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), outType.getElementType());
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{outType}, b.getStringAttr("col2im_f32"), b.getStringAttr(isa), inputs,
        ValueRange{init}, b.getDenseI64ArrayAttr(params),
        b.getDenseF32ArrayAttr(activation.fparams()));
    last->getResult(0).replaceAllUsesWith(kernel.getResult(0));
    for (Operation *fused : llvm::reverse(activation.ops))
      fused->erase();
    op.erase();
  }

  /// The kernel "dense_f32": y [M][N] = act(a [M][K] * w [N][K]^T + bias),
  /// params [M, N, K, act, hasBias], fparams the activation's. `weights` is
  /// [N][K] row-major; `bias` null or N floats. Replaces `last` (the
  /// product or the activation fused after it) and erases `fused`.
  void emitDense(Operation *last, ArrayRef<Operation *> fused, Value a,
                 ArrayRef<float> weights, Value bias, int64_t m, int64_t n, int64_t k,
                 RankedTensorType outType) {
    SmallVector<Operation *> erased(fused.begin(), fused.end());
    // dense_f32 has no affine after its activation.
    FusedActivation activation = activationAfter(last->getResult(0), outType, false);
    if (activation.last()) {
      last = activation.last();
      erased.push_back(activation.last());
    }
    OpBuilder b(last);
    Location loc = fused.front()->getLoc();
    Value w =
        ConstantOp::create(b, loc, weightsAttr(b.getContext(), weights, narrowWeights, {n, k}));
    SmallVector<Value> inputs{a, w};
    if (bias)
      inputs.push_back(bias);
    Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), outType.getElementType());
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{outType}, b.getStringAttr("dense_f32"), b.getStringAttr(isa), inputs,
        ValueRange{init}, b.getDenseI64ArrayAttr({m, n, k, activation.act, bias ? 1 : 0}),
        b.getDenseF32ArrayAttr({activation.alpha, activation.beta}));
    last->getResult(0).replaceAllUsesWith(kernel.getResult(0));
    for (Operation *op : llvm::reverse(erased))
      op->erase();
  }

  /// A constant bias of N floats from a tensor of shape [N], [1, N] or a
  /// scalar shape, times `scale`; null if `v` is none of these.
  Value constantBias(OpBuilder &b, Location loc, Value v, int64_t n, float scale) {
    ElementsAttr values;
    auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.getElementType().isF32() || !matchPattern(v, m_Constant(&values)))
      return {};
    int64_t count = type.getNumElements();
    bool vector = count == n && (type.getRank() == 1 ||
                                 (type.getRank() == 2 && type.getDimSize(0) == 1));
    if (!vector && count != 1)
      return {};
    std::vector<float> out;
    for (float f : values.getValues<float>())
      out.push_back(f * scale);
    if (count == 1)
      out.assign(static_cast<size_t>(n), out.front());
    auto t = RankedTensorType::get({n}, Float32Type::get(b.getContext()));
    return ConstantOp::create(b, loc, DenseElementsAttr::get(t, llvm::ArrayRef<float>(out)));
  }

  /// kiln.gemm with constant B (and A not transposed, unless it is one
  /// row): alpha goes into the weights, beta * C into the bias when C is a
  /// constant row or scalar, or C is the bias as it is when it has N
  /// elements and beta is 1.
  void rewriteGemm(GemmOp gemm) {
    if (!isStaticF32(gemm.getA().getType(), 2) || !isStaticF32(gemm.getB().getType(), 2) ||
        !isStaticF32(gemm.getType(), 2))
      return;
    ElementsAttr bValues;
    if (!matchPattern(gemm.getB(), m_Constant(&bValues)))
      return;
    auto outType = llvm::cast<RankedTensorType>(gemm.getType());
    auto bType = llvm::cast<RankedTensorType>(gemm.getB().getType());
    int64_t m = outType.getDimSize(0), n = outType.getDimSize(1);
    int64_t k = gemm.getTransB() ? bType.getDimSize(1) : bType.getDimSize(0);
    if (gemm.getTransA() && m != 1)
      return;
    float alpha = gemm.getAlpha().convertToFloat(), beta = gemm.getBeta().convertToFloat();
    Value bias;
    if (Value c = gemm.getC()) {
      OpBuilder b(gemm);
      bias = constantBias(b, gemm.getLoc(), c, n, beta);
      if (!bias) {
        auto cType = llvm::dyn_cast<RankedTensorType>(c.getType());
        if (beta != 1.0f || !cType || !cType.hasStaticShape() ||
            !cType.getElementType().isF32() || cType.getNumElements() != n ||
            (cType.getRank() == 2 && cType.getDimSize(0) != 1) || cType.getRank() > 2)
          return;
        bias = c;
      }
    }
    std::vector<float> weights = floatValues(bValues, alpha);
    if (!gemm.getTransB())
      weights = transposed(weights, k, n);
    emitDense(gemm, {gemm.getOperation()}, gemm.getA(), weights, bias, m, n, k, outType);
  }

  /// kiln.matmul of an f32 [..., M, K] tensor by a constant [K, N] matrix
  /// (the leading dimensions are more rows), with a following add of a
  /// constant [N] row as the bias.
  void rewriteMatMul(MatMulOp matmul) {
    auto lhsType = llvm::dyn_cast<RankedTensorType>(matmul.getLhs().getType());
    if (!lhsType || lhsType.getRank() < 2 ||
        !isStaticF32(matmul.getLhs().getType(), lhsType.getRank()) ||
        !isStaticF32(matmul.getRhs().getType(), 2) ||
        !isStaticF32(matmul.getType(), lhsType.getRank()))
      return;
    ElementsAttr rhs;
    if (!matchPattern(matmul.getRhs(), m_Constant(&rhs)))
      return;
    auto outType = llvm::cast<RankedTensorType>(matmul.getType());
    auto rhsType = llvm::cast<RankedTensorType>(matmul.getRhs().getType());
    int64_t k = rhsType.getDimSize(0), n = rhsType.getDimSize(1);
    int64_t m = lhsType.getNumElements() / k;
    std::vector<float> weights = transposed(floatValues(rhs), k, n);
    SmallVector<Operation *> fused{matmul};
    Operation *last = matmul;
    Value bias;
    if (auto add = llvm::dyn_cast_or_null<AddOp>(soleUser(matmul.getResult()))) {
      Value other = add.getLhs() == matmul.getResult() ? add.getRhs() : add.getLhs();
      OpBuilder b(matmul);
      if (add.getType() == outType && add.getLhs() != add.getRhs())
        if (auto otherType = llvm::dyn_cast<RankedTensorType>(other.getType());
            otherType && otherType.getNumElements() == n &&
            otherType.getShape().back() == n)
          if ((bias = constantBias(b, matmul.getLoc(), other, n, 1.0f))) {
            fused.push_back(add);
            last = add;
          }
    }
    emitDense(last, fused, matmul.getLhs(), weights, bias, m, n, k, outType);
  }

  /// 2-D float32 max and average pooling: the kernel "pool2d_f32", params
  /// [N, C, H, W, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, kind].
  template <typename PoolOp> void rewritePool(PoolOp pool, int64_t kind) {
    if (!isStaticF32(pool.getInput().getType(), 4) || !isStaticF32(pool.getType(), 4))
      return;
    auto inType = llvm::cast<RankedTensorType>(pool.getInput().getType());
    auto outType = llvm::cast<RankedTensorType>(pool.getType());
    ArrayRef<int64_t> k = pool.getKernelShape(), s = pool.getStrides(),
                      d = pool.getDilations(), p = pool.getPads();
    SmallVector<int64_t> params{inType.getDimSize(0), inType.getDimSize(1),
                                inType.getDimSize(2), inType.getDimSize(3),
                                outType.getDimSize(2), outType.getDimSize(3),
                                k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1], p[2], p[3],
                                kind};
    OpBuilder b(pool);
    Location loc = pool.getLoc();
    Value input = pool.getInput();
    RankedTensorType resultType = outType;
    if (nhwc) { // "pool2d_nhwc_f32": the same parameters
      input = permuted(b, loc, input, kToNhwc);
      resultType = permutedType(outType, kToNhwc);
    }
    Value init =
        tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{resultType},
        b.getStringAttr(nhwc ? "pool2d_nhwc_f32" : "pool2d_f32"), b.getStringAttr(isa),
        ValueRange{input}, ValueRange{init}, b.getDenseI64ArrayAttr(params),
        b.getDenseF32ArrayAttr({}));
    Value result = kernel.getResult(0);
    if (nhwc)
      result = permuted(b, loc, result, kToNchw);
    pool.getResult().replaceAllUsesWith(result);
    pool.erase();
  }

  /// The input-channel chunk of the channels-last convolution's packed
  /// weights: its KH x KW x chunk x panel floats fit kNhwcChunkBytes, and a
  /// zero-padded copy of the chunk of one output row's input rows fits the
  /// scratch buffer; 0 when the kernel cannot take the convolution.
  int64_t nhwcChunk(int64_t c, int64_t kh, int64_t kw, int64_t ow, int64_t sw,
                    ArrayRef<int64_t> dilations) const {
    if (kh > kNhwcMaxKH)
      return 0;
    int64_t cb = std::clamp<int64_t>(
        kNhwcChunkBytes / (kh * kw * nhwcPanelWidth(isa) * 4), 1, c);
    int64_t wp = (ow - 1) * sw + (kw - 1) * dilations[1] + 1;
    return std::min(cb, kScratchFloats / (((kh - 1) * dilations[0] + 1) * wp));
  }

  void rewriteConv(ConvOp conv, int64_t mr) {
    int64_t groups = conv.getGroup();
    ElementsAttr filter;
    Value bias = conv.getBias();
    if (!isStaticF32(conv.getInput().getType(), 4) ||
        !isStaticF32(conv.getFilter().getType(), 4) || !isStaticF32(conv.getType(), 4) ||
        groups < 1 || !matchPattern(conv.getFilter(), m_Constant(&filter)) ||
        !isF32BiasOrNone(bias))
      return;
    auto inType = llvm::cast<RankedTensorType>(conv.getInput().getType());
    auto wType = llvm::cast<RankedTensorType>(conv.getFilter().getType());
    auto outType = llvm::cast<RankedTensorType>(conv.getType());

    // The epilogue: a residual add, then an activation.
    FusedEpilogue epilogue = epilogueAfter(conv, outType);
    Value residual = epilogue.residual;
    int64_t act = epilogue.activation.act;

    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), h = inType.getDimSize(2),
            w = inType.getDimSize(3), m = wType.getDimSize(0), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3), oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations(),
                      pads = conv.getPads();
    OpBuilder b(epilogue.last);
    Location loc = conv.getLoc();
    SmallVector<int64_t> params{n, c, h, w, m, oh, ow, kh, kw, strides[0], strides[1],
                                dilations[0], dilations[1], pads[0], pads[1], act};
    Value input = conv.getInput(), weights;
    RankedTensorType type = outType;
    llvm::StringRef kernelName;
    int64_t cb = nhwc && groups == 1 ? nhwcChunk(c, kh, kw, ow, strides[1], dilations) : 0;
    if (cb >= 1) {
      // "conv2d_nhwc_f32": x, the residual and y channels-last, between
      // transposes; params then [cb, ldx, ldy, ldr, hasBias, hasRes].
      kernelName = "conv2d_nhwc_f32";
      input = permuted(b, loc, input, kToNhwc);
      if (residual)
        residual = permuted(b, loc, residual, kToNhwc);
      // Narrow weights are widened a chunk at a time into the stage.
      int64_t nw = nhwcPanelWidth(isa);
      weights = ConstantOp::create(
          b, loc,
          weightsAttr(b.getContext(), packFilterNhwc(filter, m, c, kh, kw, nw, cb),
                      narrowWeights && kh * kw * cb * nw <= kStageFloats));
      type = permutedType(outType, kToNhwc);
      params.append({cb, c, m, m});
    } else {
      // Depthwise (one input and one output channel per group): the direct
      // kernel, on the filter as it is. Otherwise a matrix product per
      // group. params then [groups, hasBias, hasRes].
      bool depthwise = groups == c && groups == m;
      kernelName = depthwise ? "dwconv2d_f32" : "conv2d_f32";
      weights = depthwise ? conv.getFilter()
                          : Value(ConstantOp::create(
                                b, loc,
                                weightsAttr(b.getContext(),
                                            packFilter(filter, groups, m / groups,
                                                       c / groups * kh * kw, mr),
                                            narrowWeights)));
      params.push_back(groups);
      if (!depthwise) {
        // A channel shuffle of the result into as many groups: the kernel
        // writes each group's channels interleaved ([..., shuffle]).
        SmallVector<Operation *, 3> shuffle =
            residual ? SmallVector<Operation *, 3>{}
                     : channelShuffleAfter(epilogue.last->getResult(0), groups);
        params.push_back(shuffle.empty() ? 0 : 1);
        if (!shuffle.empty()) {
          epilogue.last = shuffle.back();
          epilogue.ops.append(shuffle.begin(), shuffle.end());
        }
      }
    }
    params.append({bias ? 1 : 0, residual ? 1 : 0});
    SmallVector<Value> inputs{input, weights};
    if (bias)
      inputs.push_back(bias);
    if (residual)
      inputs.push_back(residual);
    Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    auto kernel = MicrokernelOp::create(
        b, loc, TypeRange{type}, b.getStringAttr(kernelName), b.getStringAttr(isa), inputs,
        ValueRange{init}, b.getDenseI64ArrayAttr(params),
        b.getDenseF32ArrayAttr(epilogue.activation.fparams()));
    Value y = kernel.getResult(0);
    if (cb >= 1)
      y = permuted(b, loc, y, kToNchw);
    epilogue.replaceWith(y);
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
