//===- FoldBatchNorm.cpp - fold batch norm into a preceding linear op -----===//

#include "passes/Graph/Passes.h"

#include "dialects/Kiln/ConstantFolding.h"
#include "dialects/Kiln/ShapeUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <functional>
#include <type_traits>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNFOLDBATCHNORM
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {
/// A batch norm as y = x * scale[c] + shift[c].
struct ChannelAffine {
  std::vector<double> scale, shift;
};

std::optional<ConstantValues> constantOf(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  std::optional<ConstantValues> values = readConstant(attr);
  if (!values || !values->isFloat)
    return std::nullopt;
  return values;
}

std::optional<ChannelAffine> readBatchNorm(BatchNormOp bn, int64_t channels) {
  auto scale = constantOf(bn.getScale()), bias = constantOf(bn.getBias()),
       mean = constantOf(bn.getMean()), var = constantOf(bn.getVar());
  if (!scale || !bias || !mean || !var)
    return std::nullopt;
  double epsilon = bn.getEpsilon().convertToDouble();
  ChannelAffine affine;
  for (int64_t c = 0; c < channels; ++c) {
    double s = scale->floatAt(c) / std::sqrt(var->floatAt(c) + epsilon);
    affine.scale.push_back(s);
    affine.shift.push_back(bias->floatAt(c) - mean->floatAt(c) * s);
  }
  return affine;
}

Value createConstant(PatternRewriter &rewriter, Location loc,
                     RankedTensorType type, ArrayRef<double> values) {
  DenseElementsAttr attr = writeConstant(type, values);
  return ConstantOp::create(rewriter, loc, type, attr);
}

/// The folded bias: bias * scale + shift (bias absent means 0).
std::vector<double> foldedBias(const std::optional<ConstantValues> &bias,
                               const ChannelAffine &affine) {
  std::vector<double> result(affine.scale.size());
  for (size_t c = 0; c < result.size(); ++c)
    result[c] = (bias ? bias->floatAt(c) : 0.0) * affine.scale[c] +
                affine.shift[c];
  return result;
}

/// Common preconditions: float batch norm whose input is the only use of a
/// producer of type OpTy, with a static channel count.
template <typename OpTy>
OpTy matchProducer(BatchNormOp bn, int64_t &channels) {
  auto producer = bn.getInput().template getDefiningOp<OpTy>();
  if (!producer || !producer->hasOneUse())
    return {};
  channels = bn.getInput().getType().getDimSize(1);
  if (ShapedType::isDynamic(channels))
    return {};
  return producer;
}

/// A conv filter (M x C/group x K...) scaled per output channel.
std::vector<double> scaleFilter(ConvOp, const ConstantValues &filter,
                                RankedTensorType type, ArrayRef<double> scale) {
  int64_t inner = type.getNumElements() / type.getDimSize(0);
  std::vector<double> weights(type.getNumElements());
  for (int64_t i = 0, e = weights.size(); i < e; ++i)
    weights[i] = filter.floatAt(i) * scale[i / inner];
  return weights;
}

/// A transposed conv filter (C x M/group x K...) scaled per output channel:
/// entry (c, m) feeds output channel group_of(c) * M/group + m.
std::vector<double> scaleFilter(ConvTransposeOp conv, const ConstantValues &filter,
                                RankedTensorType type, ArrayRef<double> scale) {
  int64_t inChannels = type.getDimSize(0), perGroup = type.getDimSize(1);
  int64_t perInputGroup = inChannels / conv.getGroup();
  int64_t kernel = type.getNumElements() / (inChannels * perGroup);
  std::vector<double> weights(type.getNumElements());
  for (int64_t i = 0, e = weights.size(); i < e; ++i) {
    int64_t c = i / (perGroup * kernel), m = (i / kernel) % perGroup;
    weights[i] = filter.floatAt(i) * scale[(c / perInputGroup) * perGroup + m];
  }
  return weights;
}

/// Replaces `consumer` (an affine of the conv's only use) with the conv on
/// weights and bias that include the affine: conv(x, W * s, b * s + t).
template <typename ConvLikeOp>
LogicalResult foldAffineIntoConv(PatternRewriter &rewriter, ConvLikeOp conv,
                                 Operation *consumer, int64_t channels,
                                 const std::function<std::optional<ChannelAffine>()> &read) {
  auto filterType = conv.getFilter().getType();
  auto filter = constantOf(conv.getFilter());
  std::optional<ConstantValues> bias;
  if (conv.getBias() && !(bias = constantOf(conv.getBias())))
    return failure();
  std::optional<ChannelAffine> affine;
  if (!filter || !filterType.hasStaticShape() || !(affine = read()))
    return failure();
  Location loc = consumer->getLoc();
  Value newFilter = createConstant(rewriter, loc, filterType,
                                   scaleFilter(conv, *filter, filterType, affine->scale));
  auto biasType = RankedTensorType::get({channels}, filterType.getElementType());
  Value newBias = createConstant(rewriter, loc, biasType, foldedBias(bias, *affine));
  // The same op with the new filter and bias (the last, optional operand).
  Operation *folded = rewriter.clone(*conv);
  rewriter.modifyOpInPlace(folded, [&] {
    folded->setOperand(1, newFilter);
    if (conv.getBias())
      folded->setOperand(2, newBias);
    else
      folded->insertOperands(2, newBias);
    folded->getResult(0).setType(consumer->getResult(0).getType());
  });
  rewriter.replaceOp(consumer, folded->getResults());
  rewriter.eraseOp(conv);
  return success();
}

/// batch_norm(conv(x, W, b)) -> conv(x, W', b') for conv and conv_transpose.
template <typename ConvLikeOp>
struct FoldIntoConvLike : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    int64_t channels;
    auto conv = matchProducer<ConvLikeOp>(bn, channels);
    if (!conv)
      return failure();
    return foldAffineIntoConv(rewriter, conv, bn, channels,
                              [&] { return readBatchNorm(bn, channels); });
  }
};

/// The values of a float constant that broadcasts along the channels
/// (dimension 1) of a result of type `type` and nothing else: one per
/// channel (shape [C,1,1], [1,C,1,1], ...) or one for all; nullopt for any
/// other value.
std::optional<std::vector<double>> perChannelConstant(Value value, RankedTensorType type) {
  auto valueType = llvm::dyn_cast<RankedTensorType>(value.getType());
  std::optional<ConstantValues> values = constantOf(value);
  int64_t rank = type.getRank(), channels = type.getDimSize(1);
  if (!valueType || !values || !valueType.hasStaticShape() || valueType.getRank() > rank ||
      ShapedType::isDynamic(channels))
    return std::nullopt;
  bool perChannel = false;
  for (int64_t d = 0, r = valueType.getRank(); d < r; ++d) {
    int64_t size = valueType.getDimSize(d), at = d + rank - r;
    if (size == 1)
      continue;
    if (at != 1 || size != channels)
      return std::nullopt;
    perChannel = true;
  }
  std::vector<double> result(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c)
    result[c] = values->floatAt(perChannel ? c : 0);
  return result;
}

/// conv(x, W, b) * s or + t, with s or t a float constant that is one value
/// or one per channel, and the product or sum of the conv's type (no
/// broadcast of the conv): the same fold, as an affine of the channels. A
/// conv without a bias followed by the add of one (ConvTranspose in
/// PaddleOCR's detector) gets it this way.
template <typename ConvLikeOp, typename ChannelOp>
struct FoldChannelAffineIntoConvLike : public OpRewritePattern<ChannelOp> {
  using OpRewritePattern<ChannelOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ChannelOp op, PatternRewriter &rewriter) const override {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    auto conv = lhs.template getDefiningOp<ConvLikeOp>();
    Value other = rhs;
    if (!conv) {
      conv = rhs.template getDefiningOp<ConvLikeOp>();
      other = lhs;
    }
    if (!conv || !conv->hasOneUse() || op.getType() != conv.getType() ||
        conv.getType().getRank() < 2)
      return failure();
    int64_t channels = conv.getType().getDimSize(1);
    std::optional<std::vector<double>> values = perChannelConstant(other, conv.getType());
    if (!values)
      return failure();
    bool scale = std::is_same_v<ChannelOp, MulOp>;
    return foldAffineIntoConv(rewriter, conv, op, channels, [&] {
      ChannelAffine affine;
      affine.scale.assign(static_cast<size_t>(channels), 1.0);
      affine.shift.assign(static_cast<size_t>(channels), 0.0);
      (scale ? affine.scale : affine.shift) = *values;
      return std::optional<ChannelAffine>(affine);
    });
  }
};

struct FoldIntoGemm : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    int64_t channels;
    auto gemm = matchProducer<GemmOp>(bn, channels);
    if (!gemm || bn.getInput().getType().getRank() != 2)
      return failure();
    auto bType = gemm.getB().getType();
    auto b = constantOf(gemm.getB());
    std::optional<ConstantValues> c;
    if (gemm.getC() && !(c = constantOf(gemm.getC())))
      return failure();
    std::optional<ChannelAffine> affine;
    if (!b || !bType.hasStaticShape() || !(affine = readBatchNorm(bn, channels)))
      return failure();
    // Scale B's output-channel (N) dimension.
    bool transB = gemm.getTransB();
    std::vector<double> weights(bType.getNumElements());
    int64_t cols = bType.getDimSize(1);
    for (int64_t i = 0, e = weights.size(); i < e; ++i)
      weights[i] = b->floatAt(i) * affine->scale[transB ? i / cols : i % cols];
    // C'' = beta * C * s + shift over broadcast(C, [N]); beta becomes 1.
    Shape cShape{channels};
    std::vector<int64_t> cMap(channels, 0);
    if (c) {
      FailureOr<Shape> shape = broadcastShapes(c->type.getShape(), cShape);
      if (failed(shape))
        return failure();
      cShape = *shape;
      cMap = broadcastIndexMap(c->type.getShape(), cShape);
    }
    double beta = gemm.getBeta().convertToDouble();
    std::vector<double> bias(shapeProduct(cShape));
    for (int64_t i = 0, e = bias.size(); i < e; ++i) {
      int64_t n = i % channels;
      bias[i] = (c ? beta * c->floatAt(cMap[i]) : 0.0) * affine->scale[n] +
                affine->shift[n];
    }
    Location loc = bn.getLoc();
    Type element = bType.getElementType();
    Value newB = createConstant(rewriter, loc, bType, weights);
    Value newC = createConstant(rewriter, loc,
                                RankedTensorType::get(cShape, element), bias);
    auto folded = GemmOp::create(
        rewriter, loc, bn.getType(), gemm.getA(), newB, newC,
        gemm.getAlphaAttr(), rewriter.getF32FloatAttr(1.0f),
        gemm.getTransAAttr(), gemm.getTransBAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(gemm);
    return success();
  }
};

struct FoldIntoMatMul : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    int64_t channels;
    auto matmul = matchProducer<MatMulOp>(bn, channels);
    // The batch-norm channel (dim 1) is the matmul's column dimension only
    // for 2-D products.
    if (!matmul || bn.getInput().getType().getRank() != 2 ||
        matmul.getRhs().getType().getRank() != 2)
      return failure();
    auto wType = matmul.getRhs().getType();
    auto w = constantOf(matmul.getRhs());
    std::optional<ChannelAffine> affine;
    if (!w || !wType.hasStaticShape() || !(affine = readBatchNorm(bn, channels)))
      return failure();
    std::vector<double> weights(wType.getNumElements());
    for (int64_t i = 0, e = weights.size(); i < e; ++i)
      weights[i] = w->floatAt(i) * affine->scale[i % channels];
    Location loc = bn.getLoc();
    Value newW = createConstant(rewriter, loc, wType, weights);
    Value shift = createConstant(
        rewriter, loc, RankedTensorType::get({channels}, wType.getElementType()),
        affine->shift);
    Value product = MatMulOp::create(rewriter, loc, matmul.getType(),
                                     matmul.getLhs(), newW);
    rewriter.replaceOpWithNewOp<AddOp>(bn, bn.getType(), product, shift);
    rewriter.eraseOp(matmul);
    return success();
  }
};

/// Why `bn` cannot be folded (for remarks).
std::string whyNotFolded(BatchNormOp bn) {
  Operation *producer = bn.getInput().getDefiningOp();
  if (!producer || !llvm::isa<ConvOp, ConvTransposeOp, GemmOp, MatMulOp>(producer))
    return "its input is not produced by a conv, conv_transpose, gemm or matmul";
  if (!producer->hasOneUse())
    return "its producer has other users";
  if (ShapedType::isDynamic(bn.getInput().getType().getDimSize(1)))
    return "the channel count is dynamic";
  for (Value param : {bn.getScale(), bn.getBias(), bn.getMean(), bn.getVar()})
    if (!constantOf(param))
      return "its parameters are not constants";
  if (llvm::isa<MatMulOp, GemmOp>(producer) && bn.getInput().getType().getRank() != 2)
    return "the product is not 2-D";
  return "the producer's weights or bias are not constants";
}

struct KilnFoldBatchNormPass
    : public mlir::kiln::impl::KilnFoldBatchNormBase<KilnFoldBatchNormPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    // Only this pass's rewrites: folding is canonicalization's job.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    if (remarks)
      getOperation()->walk([](BatchNormOp bn) {
        bn.emitRemark() << "batch norm not folded: " << whyNotFolded(bn);
      });
  }
};
} // namespace

void mlir::kiln::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldIntoConvLike<ConvOp>, FoldIntoConvLike<ConvTransposeOp>,
               FoldIntoGemm, FoldIntoMatMul, FoldChannelAffineIntoConvLike<ConvOp, MulOp>,
               FoldChannelAffineIntoConvLike<ConvOp, AddOp>,
               FoldChannelAffineIntoConvLike<ConvTransposeOp, MulOp>,
               FoldChannelAffineIntoConvLike<ConvTransposeOp, AddOp>>(patterns.getContext());
}
