//===- NN.cpp - handlers for convolution, matrix, pooling, normalization --===//

#include "lib/Import/Handlers/WindowAttrs.h"
#include "lib/Import/NodeImporter.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

SmallVector<int64_t> spatialKernel(RankedTensorType filter) {
  return SmallVector<int64_t>(
      filter.getShape().drop_front(std::min<int64_t>(2, filter.getRank())));
}

LogicalResult importConv(NodeImporter &n) {
  RankedTensorType x = n.inputType(0), w = n.inputType(1);
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return n.emitError() << "expects input and weights of one rank >= 3, got "
                         << x << " and " << w;
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if (kernel.empty())
    kernel = spatialKernel(w);
  auto window = readWindowAttrs(n, x, kernel);
  if (failed(window))
    return failure();
  auto y = n.value<ConvOp>({n.input(0), n.input(1), n.input(2)},
                           convAttrs(n, *window, n.getInt("group", 1)));
  return failed(y) ? failure() : n.setResults(*y);
}

/// Python's floor division, which ONNX's padding formulas assume.
int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

LogicalResult importConvTranspose(NodeImporter &n) {
  RankedTensorType x = n.inputType(0), w = n.inputType(1);
  int64_t spatial = x.getRank() - 2;
  if (spatial < 1 || w.getRank() != x.getRank())
    return n.emitError() << "expects input and filter of one rank >= 3";
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if (kernel.empty())
    kernel = spatialKernel(w);
  SmallVector<int64_t> strides = n.getInts("strides"), dilations = n.getInts("dilations"),
                       outputPadding = n.getInts("output_padding"),
                       outputShape = n.getInts("output_shape"),
                       pads = n.getInts("pads");
  if (strides.empty()) strides.assign(spatial, 1);
  if (dilations.empty()) dilations.assign(spatial, 1);
  if (outputPadding.empty()) outputPadding.assign(spatial, 0);
  if (pads.empty()) pads.assign(2 * spatial, 0);
  if (static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outputPadding.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return n.emitError() << "window attributes do not match " << spatial
                         << " spatial dimensions";
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  // output_shape (or SAME auto-padding) fixes the output extent; the pads
  // follow from it as ONNX's formula says.
  if (!outputShape.empty() || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    if (outputShape.size() > static_cast<size_t>(spatial))
      outputShape.erase(outputShape.begin(), outputShape.end() - spatial);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t size = x.getDimSize(i + 2);
      if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel[i]))
        return n.emitError() << "output_shape and SAME padding need static "
                                "spatial dimensions";
      int64_t out = outputShape.empty() ? size * strides[i] : outputShape[i];
      int64_t total = strides[i] * (size - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - out;
      int64_t half = floorDiv(total, 2);
      if (autoPad == "SAME_UPPER") {
        pads[i] = half;
        pads[i + spatial] = total - half;
      } else {
        pads[i] = total - half;
        pads[i + spatial] = half;
      }
      // A negative end pad extends the output: that is output padding.
      if (pads[i + spatial] < 0) {
        outputPadding[i] -= pads[i + spatial];
        pads[i + spatial] = 0;
      }
      if (pads[i] < 0)
        return n.unsupported("an output_shape that needs negative leading padding");
    }
  } else if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (autoPad != "NOTSET") {
    return n.emitError() << "unknown auto_pad '" << autoPad << "'";
  }
  auto y = n.value<ConvTransposeOp>(
      {n.input(0), n.input(1), n.input(2)},
      {n.i64ArrayAttr("strides", strides), n.i64ArrayAttr("dilations", dilations),
       n.i64ArrayAttr("pads", pads), n.i64ArrayAttr("output_padding", outputPadding),
       n.i64Attr("group", n.getInt("group", 1))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importGemm(NodeImporter &n) {
  auto y = n.value<GemmOp>(
      {n.input(0), n.input(1), n.input(2)},
      {n.f32Attr("alpha", n.getFloat("alpha", 1.0f)),
       n.f32Attr("beta", n.getFloat("beta", 1.0f)),
       n.boolAttr("trans_a", n.getInt("transA", 0) != 0),
       n.boolAttr("trans_b", n.getInt("transB", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

SmallVector<NamedAttribute> poolAttrs(NodeImporter &n, const WindowAttrs &w) {
  return {n.i64ArrayAttr("kernel_shape", w.kernel),
          n.i64ArrayAttr("strides", w.strides),
          n.i64ArrayAttr("dilations", w.dilations), n.i64ArrayAttr("pads", w.pads),
          n.boolAttr("ceil_mode", n.getInt("ceil_mode", 0) != 0)};
}

LogicalResult importMaxPool(NodeImporter &n) {
  auto window = readWindowAttrs(n, n.inputType(0), n.getInts("kernel_shape"));
  if (failed(window))
    return failure();
  SmallVector<NamedAttribute> attrs = poolAttrs(n, *window);
  if (n.hasOutput(1)) {
    attrs.push_back(n.i64Attr("storage_order", n.getInt("storage_order", 0)));
    auto op = n.create<MaxPoolWithIndicesOp>({n.input(0)}, attrs);
    return failed(op) ? failure() : n.setResults(op->getResults());
  }
  auto y = n.value<MaxPoolOp>({n.input(0)}, attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importAveragePool(NodeImporter &n) {
  auto window = readWindowAttrs(n, n.inputType(0), n.getInts("kernel_shape"));
  if (failed(window))
    return failure();
  SmallVector<NamedAttribute> attrs = poolAttrs(n, *window);
  attrs.push_back(n.boolAttr("count_include_pad", n.getInt("count_include_pad", 0) != 0));
  auto y = n.value<AvgPoolOp>({n.input(0)}, attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importLpPool(NodeImporter &n) {
  auto window = readWindowAttrs(n, n.inputType(0), n.getInts("kernel_shape"));
  if (failed(window))
    return failure();
  SmallVector<NamedAttribute> attrs = poolAttrs(n, *window);
  attrs.push_back(n.i64Attr("p", n.getInt("p", 2)));
  auto y = n.value<LpPoolOp>({n.input(0)}, attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

SmallVector<int64_t> spatialAxes(RankedTensorType type) {
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < type.getRank(); ++i)
    axes.push_back(i);
  return axes;
}

template <typename ReduceOp>
LogicalResult globalPool(NodeImporter &n) {
  if (n.inputType(0).getRank() < 3)
    return n.emitError() << "expects an input of rank >= 3";
  auto y = n.value<ReduceOp>(
      {n.input(0)}, {n.i64ArrayAttr("axes", spatialAxes(n.inputType(0))),
                     n.boolAttr("keepdims", true)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importGlobalLpPool(NodeImporter &n) {
  int64_t p = n.getInt("p", 2);
  if (p == 2)
    return globalPool<ReduceL2Op>(n);
  if (p == 1)
    return globalPool<ReduceL1Op>(n);
  // (sum |x|^p)^(1/p)
  Type element = n.inputType(0).getElementType();
  auto abs = n.value<AbsOp>({n.input(0)});
  if (failed(abs))
    return failure();
  auto powered = n.value<PowOp>({*abs, n.scalarConstant(element, p)});
  if (failed(powered))
    return failure();
  auto sum = n.value<ReduceSumOp>(
      {*powered}, {n.i64ArrayAttr("axes", spatialAxes(n.inputType(0))),
                   n.boolAttr("keepdims", true)});
  if (failed(sum))
    return failure();
  auto y = n.value<PowOp>({*sum, n.scalarConstant(element, 1.0 / p)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importMaxUnpool(NodeImporter &n) {
  RankedTensorType x = n.inputType(0);
  int64_t spatial = x.getRank() - 2;
  SmallVector<int64_t> kernel = n.getInts("kernel_shape"), strides = n.getInts("strides"),
                       pads = n.getInts("pads");
  if (strides.empty()) strides.assign(std::max<int64_t>(spatial, 0), 1);
  if (pads.empty()) pads.assign(std::max<int64_t>(2 * spatial, 0), 0);
  auto y = n.value<MaxUnpoolOp>({n.input(0), n.input(1), n.input(2)},
                                {n.i64ArrayAttr("kernel_shape", kernel),
                                 n.i64ArrayAttr("strides", strides),
                                 n.i64ArrayAttr("pads", pads)});
  return failed(y) ? failure() : n.setResults(*y);
}

/// Training-mode batch normalization, decomposed: normalize with the batch
/// statistics and update the running statistics with `momentum`.
LogicalResult importTrainingBatchNorm(NodeImporter &n) {
  Value x = n.input(0), scale = n.input(1), bias = n.input(2),
        runningMean = n.input(3), runningVar = n.input(4);
  RankedTensorType type = n.inputType(0);
  Type element = type.getElementType();
  SmallVector<int64_t> axes{0};
  for (int64_t i = 2; i < type.getRank(); ++i)
    axes.push_back(i);
  // Per-channel parameters broadcast as [C, 1, ..., 1].
  SmallVector<int64_t> expandAxes;
  for (int64_t i = 1; i + 1 < type.getRank(); ++i)
    expandAxes.push_back(i);
  auto asChannel = [&](Value v) -> FailureOr<Value> {
    if (expandAxes.empty())
      return v;
    return n.value<UnsqueezeOp>({v}, {n.i64ArrayAttr("axes", expandAxes)});
  };
  auto mean = n.value<ReduceMeanOp>({x}, {n.i64ArrayAttr("axes", axes),
                                          n.boolAttr("keepdims", true)});
  if (failed(mean))
    return failure();
  auto centered = n.value<SubOp>({x, *mean});
  if (failed(centered))
    return failure();
  auto squared = n.value<MulOp>({*centered, *centered});
  if (failed(squared))
    return failure();
  auto var = n.value<ReduceMeanOp>({*squared}, {n.i64ArrayAttr("axes", axes),
                                                n.boolAttr("keepdims", true)});
  if (failed(var))
    return failure();
  auto shifted = n.value<AddOp>(
      {*var, n.scalarConstant(element, n.getFloat("epsilon", 1e-5f))});
  if (failed(shifted))
    return failure();
  auto stddev = n.value<SqrtOp>({*shifted});
  if (failed(stddev))
    return failure();
  auto normalized = n.value<DivOp>({*centered, *stddev});
  auto s = asChannel(scale), b = asChannel(bias);
  if (failed(normalized) || failed(s) || failed(b))
    return failure();
  auto scaled = n.value<MulOp>({*normalized, *s});
  if (failed(scaled))
    return failure();
  auto y = n.value<AddOp>({*scaled, *b});
  if (failed(y) || failed(n.setResult(0, *y)))
    return failure();
  double momentum = n.getFloat("momentum", 0.9f);
  auto update = [&](Value running, Value batch, unsigned output) -> LogicalResult {
    if (!n.hasOutput(output))
      return success();
    auto flat = n.value<ReshapeOp>(
        {batch, n.i64Constant({-1})});
    if (failed(flat))
      return failure();
    auto kept = n.value<MulOp>({running, n.scalarConstant(element, momentum)});
    auto fresh = n.value<MulOp>({*flat, n.scalarConstant(element, 1.0 - momentum)});
    if (failed(kept) || failed(fresh))
      return failure();
    auto sum = n.value<AddOp>({*kept, *fresh});
    return failed(sum) ? failure() : n.setResult(output, *sum);
  };
  return failure(failed(update(runningMean, *mean, 1)) ||
                 failed(update(runningVar, *var, 2)));
}

LogicalResult importBatchNorm(NodeImporter &n) {
  bool training = n.getInt("training_mode", 0) != 0 ||
                  (n.opset < 14 && (n.hasOutput(1) || n.hasOutput(2)));
  if (training)
    return importTrainingBatchNorm(n);
  auto y = n.value<BatchNormOp>(
      {n.input(0), n.input(1), n.input(2), n.input(3), n.input(4)},
      {n.f32Attr("epsilon", n.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importInstanceNorm(NodeImporter &n) {
  auto y = n.value<InstanceNormOp>({n.input(0), n.input(1), n.input(2)},
                                   {n.f32Attr("epsilon", n.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importLayerNorm(NodeImporter &n) {
  auto axis = n.axisAttr("axis", -1, n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  if (n.getInt("stash_type", 1) != 1)
    return n.unsupported("a stash_type other than float");
  auto op = n.create<LayerNormOp>(
      {n.input(0), n.input(1), n.input(2)},
      {n.i64Attr("axis", *axis), n.f32Attr("epsilon", n.getFloat("epsilon", 1e-5f))});
  return failed(op) ? failure() : n.setResults(op->getResults());
}

LogicalResult importLrn(NodeImporter &n) {
  auto y = n.value<LrnOp>({n.input(0)},
                          {n.i64Attr("size", n.getInt("size", 0)),
                           n.f32Attr("alpha", n.getFloat("alpha", 1e-4f)),
                           n.f32Attr("beta", n.getFloat("beta", 0.75f)),
                           n.f32Attr("bias", n.getFloat("bias", 1.0f))});
  return failed(y) ? failure() : n.setResults(*y);
}

template <typename OpTy>
LogicalResult axisNorm(NodeImporter &n) {
  auto axis = n.axisAttr("axis", -1, n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  auto y = n.value<OpTy>({n.input(0)}, {n.i64Attr("axis", *axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

/// Makes an implicit einsum output explicit: the subscripts used once, in
/// alphabetical order, after "..." if any operand has one.
std::string explicitEinsum(StringRef equation) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);
  if (text.find("->") != std::string::npos)
    return text;
  std::map<char, int> counts;
  bool ellipsis = text.find("...") != std::string::npos;
  for (char c : text)
    if (llvm::isAlpha(c))
      ++counts[c];
  std::string output = ellipsis ? "..." : "";
  // Upper-case letters sort before lower-case ones, as in numpy.
  for (auto [c, count] : counts)
    if (count == 1)
      output.push_back(c);
  return text + "->" + output;
}

LogicalResult importEinsum(NodeImporter &n) {
  auto y = n.value<EinsumOp>(
      n.inputsFrom(0),
      {n.namedAttr("equation", n.builder.getStringAttr(
                                   explicitEinsum(n.getString("equation", ""))))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importGridSample(NodeImporter &n) {
  std::string mode = n.getString("mode", "bilinear"),
              padding = n.getString("padding_mode", "zeros");
  std::optional<GridSampleMode> m = symbolizeGridSampleMode(mode);
  std::optional<GridSamplePadding> p = symbolizeGridSamplePadding(padding);
  if (!m || !p)
    return n.emitError() << "unknown mode '" << mode << "' or padding_mode '"
                         << padding << "'";
  auto y = n.value<GridSampleOp>(
      {n.input(0), n.input(1)},
      {n.namedAttr("mode", GridSampleModeAttr::get(n.context, *m)),
       n.namedAttr("padding_mode", GridSamplePaddingAttr::get(n.context, *p)),
       n.boolAttr("align_corners", n.getInt("align_corners", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importRoiAlign(NodeImporter &n) {
  std::optional<RoiPoolingMode> mode =
      symbolizeRoiPoolingMode(n.getString("mode", "avg"));
  if (!mode)
    return n.emitError() << "unknown mode '" << n.getString("mode", "") << "'";
  std::string transform = n.getString(
      "coordinate_transformation_mode", n.opset >= 16 ? "half_pixel" : "output_half_pixel");
  if (transform != "half_pixel" && transform != "output_half_pixel")
    return n.emitError() << "unknown coordinate_transformation_mode '" << transform << "'";
  auto y = n.value<RoiAlignOp>(
      {n.input(0), n.input(1), n.input(2)},
      {n.namedAttr("mode", RoiPoolingModeAttr::get(n.context, *mode)),
       n.i64Attr("output_height", n.getInt("output_height", 1)),
       n.i64Attr("output_width", n.getInt("output_width", 1)),
       n.i64Attr("sampling_ratio", n.getInt("sampling_ratio", 0)),
       n.f32Attr("spatial_scale", n.getFloat("spatial_scale", 1.0f)),
       n.boolAttr("half_pixel", transform == "half_pixel")});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importDepthToSpace(NodeImporter &n) {
  std::string mode = n.getString("mode", "DCR");
  DepthToSpaceMode m;
  if (mode == "DCR")
    m = DepthToSpaceMode::dcr;
  else if (mode == "CRD")
    m = DepthToSpaceMode::crd;
  else
    return n.emitError() << "unknown mode '" << mode << "'";
  auto y = n.value<DepthToSpaceOp>(
      {n.input(0)}, {n.i64Attr("blocksize", n.getInt("blocksize", 0)),
                     n.namedAttr("mode", DepthToSpaceModeAttr::get(n.context, m))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importSpaceToDepth(NodeImporter &n) {
  auto y = n.value<SpaceToDepthOp>({n.input(0)},
                                   {n.i64Attr("blocksize", n.getInt("blocksize", 0))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importNonMaxSuppression(NodeImporter &n) {
  auto y = n.value<NonMaxSuppressionOp>(
      {n.input(0), n.input(1), n.input(2), n.input(3), n.input(4)},
      {n.boolAttr("center_point_box", n.getInt("center_point_box", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

} // namespace

void registerNNHandlers(HandlerRegistry &r) {
  r.add("Conv", importConv);
  r.add("ConvTranspose", importConvTranspose);
  r.add("MatMul", importOneToOne<MatMulOp>);
  r.add("Gemm", importGemm);
  r.add("Einsum", importEinsum);
  r.add("Det", importOneToOne<DetOp>);
  r.add("MaxPool", importMaxPool);
  r.add("AveragePool", importAveragePool);
  r.add("LpPool", importLpPool);
  r.add("GlobalAveragePool", globalPool<ReduceMeanOp>);
  r.add("GlobalMaxPool", globalPool<ReduceMaxOp>);
  r.add("GlobalLpPool", importGlobalLpPool);
  r.add("MaxUnpool", importMaxUnpool);
  r.add("BatchNormalization", importBatchNorm);
  r.add("InstanceNormalization", importInstanceNorm);
  r.add("LayerNormalization", importLayerNorm);
  r.add("LRN", importLrn);
  r.add("Softmax", axisNorm<SoftmaxOp>);
  r.add("LogSoftmax", axisNorm<LogSoftmaxOp>);
  r.add("Hardmax", axisNorm<HardmaxOp>);
  r.add("GridSample", importGridSample);
  r.add("RoiAlign", importRoiAlign);
  r.add("DepthToSpace", importDepthToSpace);
  r.add("SpaceToDepth", importSpaceToDepth);
  r.add("NonMaxSuppression", importNonMaxSuppression);
}

} // namespace mlir::kiln::import
