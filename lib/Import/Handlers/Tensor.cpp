//===- Tensor.cpp - handlers for constants, shapes and data movement ------===//

#include "lib/Import/NodeImporter.h"
#include "lib/Import/TensorConversion.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

std::string checkConstant(const onnx::NodeProto &node, int64_t) {
  for (const auto &attr : node.attribute())
    if (attr.name() == "sparse_value" || attr.name() == "value_string" ||
        attr.name() == "value_strings")
      return "Constant[" + attr.name() + "]";
  return "";
}

LogicalResult importConstant(NodeImporter &n) {
  DenseElementsAttr value;
  Builder &b = n.builder;
  if (const auto *a = n.attr("value")) {
    value = tensorToAttr(a->t(), n.context, n.loc);
  } else if (const auto *a = n.attr("value_float")) {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()), a->f());
  } else if (const auto *a = n.attr("value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(v.size())}, b.getF32Type()),
        ArrayRef<float>(v));
  } else if (const auto *a = n.attr("value_int")) {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()), a->i());
  } else if (const auto *a = n.attr("value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(v.size())}, b.getI64Type()),
        ArrayRef<int64_t>(v));
  } else {
    return n.emitError() << "has no value attribute Kiln can read";
  }
  if (!value)
    return failure();
  return n.setResults(n.constant(value));
}

LogicalResult importShape(NodeImporter &n) {
  SmallVector<NamedAttribute> attrs{n.i64Attr("start", n.getInt("start", 0))};
  if (n.hasAttr("end"))
    attrs.push_back(n.i64Attr("end", n.getInt("end", 0)));
  auto y = n.value<ShapeOp>({n.input(0)}, attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importReshape(NodeImporter &n) {
  Value shape = n.input(1);
  if (!shape) // opset < 5 kept the shape as an attribute
    shape = n.i64Constant(n.getInts("shape"));
  auto y = n.value<ReshapeOp>({n.input(0), shape},
                              {n.boolAttr("allowzero", n.getInt("allowzero", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importFlatten(NodeImporter &n) {
  int64_t rank = n.inputType(0).getRank();
  int64_t axis = n.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return n.emitError() << "axis " << axis << " is out of range for rank " << rank;
  auto y = n.value<FlattenOp>({n.input(0)}, {n.i64Attr("axis", axis < 0 ? axis + rank : axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

/// Axes from the `axes` attribute (old opsets) or the constant input 1.
FailureOr<SmallVector<int64_t>> readAxes(NodeImporter &n, bool &present) {
  present = true;
  if (n.hasAttr("axes"))
    return n.getInts("axes");
  if (n.hasInput(1)) {
    auto values = n.constantInts(1);
    if (!values)
      return n.unsupported("axes that are not constants"), failure();
    return *values;
  }
  present = false;
  return SmallVector<int64_t>();
}

LogicalResult importSqueeze(NodeImporter &n) {
  RankedTensorType type = n.inputType(0);
  bool present;
  auto axes = readAxes(n, present);
  if (failed(axes))
    return failure();
  if (!present) {
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (type.isDynamicDim(i))
        return n.emitError() << "squeezing all unit dimensions needs a static "
                                "input shape; give it with --input-shape";
      if (type.getDimSize(i) == 1)
        axes->push_back(i);
    }
  }
  for (int64_t &axis : *axes) {
    auto a = n.normalizedAxis(axis, type.getRank());
    if (failed(a))
      return failure();
    axis = *a;
  }
  llvm::sort(*axes);
  auto y = n.value<SqueezeOp>({n.input(0)}, {n.i64ArrayAttr("axes", *axes)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  bool present;
  auto axes = readAxes(n, present);
  if (failed(axes))
    return failure();
  int64_t rank = n.inputType(0).getRank() + axes->size();
  for (int64_t &axis : *axes) {
    auto a = n.normalizedAxis(axis, rank);
    if (failed(a))
      return failure();
    axis = *a;
  }
  llvm::sort(*axes);
  auto y = n.value<UnsqueezeOp>({n.input(0)}, {n.i64ArrayAttr("axes", *axes)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importTranspose(NodeImporter &n) {
  SmallVector<int64_t> perm = n.getInts("perm");
  if (perm.empty())
    for (int64_t i = n.inputType(0).getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  auto y = n.value<TransposeOp>({n.input(0)}, {n.i64ArrayAttr("perm", perm)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importConcat(NodeImporter &n) {
  SmallVector<Value> inputs = n.inputsFrom(0);
  if (inputs.empty())
    return n.emitError() << "expects at least one input";
  auto axis = n.normalizedAxis(n.getInt("axis", 0), n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  auto y = n.value<ConcatOp>(inputs, {n.i64Attr("axis", *axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importSplit(NodeImporter &n) {
  RankedTensorType type = n.inputType(0);
  auto axis = n.normalizedAxis(n.getInt("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes = n.getInts("split");
  if (sizes.empty() && n.hasInput(1)) {
    auto values = n.constantInts(1);
    if (!values)
      return n.unsupported("split sizes that are not constants");
    sizes.assign(values->begin(), values->end());
  }
  int64_t outputs = n.numOutputs();
  if (sizes.empty()) {
    int64_t extent = type.getDimSize(*axis);
    if (ShapedType::isDynamic(extent))
      return n.emitError() << "an even split needs a static extent along the axis";
    if (outputs == 0 || extent % outputs != 0)
      return n.emitError() << "cannot split " << extent << " evenly into "
                           << outputs << " outputs";
    sizes.assign(outputs, extent / outputs);
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return n.emitError() << "has " << sizes.size() << " split sizes for "
                         << outputs << " outputs";
  auto op = n.create<SplitOp>({n.input(0)}, {n.i64Attr("axis", *axis),
                                             n.i64ArrayAttr("sizes", sizes)});
  return failed(op) ? failure() : n.setResults(op->getResults());
}

LogicalResult importSlice(NodeImporter &n) {
  Value starts = n.input(1), ends = n.input(2), axes = n.input(3), steps = n.input(4);
  if (!starts) { // opset < 10: attributes
    starts = n.i64Constant(n.getInts("starts"));
    ends = n.i64Constant(n.getInts("ends"));
    if (n.hasAttr("axes"))
      axes = n.i64Constant(n.getInts("axes"));
  }
  auto y = n.value<SliceOp>({n.input(0), starts, ends, axes, steps});
  return failed(y) ? failure() : n.setResults(*y);
}

template <typename OpTy>
LogicalResult gatherLike(NodeImporter &n) {
  auto axis = n.normalizedAxis(n.getInt("axis", 0), n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  auto y = n.value<OpTy>({n.input(0), n.input(1)}, {n.i64Attr("axis", *axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importGatherND(NodeImporter &n) {
  auto y = n.value<GatherNDOp>({n.input(0), n.input(1)},
                               {n.i64Attr("batch_dims", n.getInt("batch_dims", 0))});
  return failed(y) ? failure() : n.setResults(*y);
}

FailureOr<ScatterReductionAttr> scatterReduction(NodeImporter &n) {
  std::string text = n.getString("reduction", "none");
  std::optional<ScatterReduction> r = symbolizeScatterReduction(text);
  if (!r)
    return n.unsupported("scatter reduction '" + text + "'"), failure();
  return ScatterReductionAttr::get(n.context, *r);
}

LogicalResult importScatterElements(NodeImporter &n) {
  auto axis = n.normalizedAxis(n.getInt("axis", 0), n.inputType(0).getRank());
  auto reduction = scatterReduction(n);
  if (failed(axis) || failed(reduction))
    return failure();
  auto y = n.value<ScatterElementsOp>({n.input(0), n.input(1), n.input(2)},
                                      {n.i64Attr("axis", *axis),
                                       n.namedAttr("reduction", *reduction)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importScatterND(NodeImporter &n) {
  auto reduction = scatterReduction(n);
  if (failed(reduction))
    return failure();
  auto y = n.value<ScatterNDOp>({n.input(0), n.input(1), n.input(2)},
                                {n.namedAttr("reduction", *reduction)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importPad(NodeImporter &n) {
  std::string mode = n.getString("mode", "constant");
  std::optional<PadMode> m = symbolizePadMode(mode);
  if (!m)
    return n.unsupported("pad mode '" + mode + "'");
  Value pads = n.input(1), value = n.input(2);
  if (!pads) { // opset < 11: attributes
    pads = n.i64Constant(n.getInts("pads"));
    if (n.hasAttr("value"))
      value = n.scalarConstant(n.inputType(0).getElementType(), n.getFloat("value", 0));
  }
  if (n.hasInput(3))
    return n.unsupported("Pad with axes");
  auto y = n.value<PadOp>({n.input(0), pads, value},
                          {n.namedAttr("mode", PadModeAttr::get(n.context, *m))});
  return failed(y) ? failure() : n.setResults(*y);
}

/// An optional tensor input that old exporters pass as an empty constant.
Value nonEmptyInput(NodeImporter &n, unsigned i) {
  Value v = n.input(i);
  if (v && llvm::cast<RankedTensorType>(v.getType()).getNumElements() == 0 &&
      llvm::cast<RankedTensorType>(v.getType()).hasStaticShape())
    return {};
  return v;
}

FailureOr<SmallVector<NamedAttribute>>
resizeAttrs(NodeImporter &n, StringRef mode, StringRef transform,
            StringRef nearest) {
  std::optional<ResizeMode> m = symbolizeResizeMode(mode);
  std::optional<CoordinateTransform> t = symbolizeCoordinateTransform(transform);
  std::optional<NearestMode> nm = symbolizeNearestMode(nearest);
  if (!m || !t || !nm)
    return n.unsupported("resize with mode '" + mode + "', transform '" +
                         transform + "', nearest mode '" + nearest + "'"),
           failure();
  return SmallVector<NamedAttribute>{
      n.namedAttr("mode", ResizeModeAttr::get(n.context, *m)),
      n.namedAttr("coordinate_transformation_mode",
                  CoordinateTransformAttr::get(n.context, *t)),
      n.namedAttr("nearest_mode", NearestModeAttr::get(n.context, *nm)),
      n.f32Attr("cubic_coeff_a", n.getFloat("cubic_coeff_a", -0.75f)),
      n.boolAttr("exclude_outside", n.getInt("exclude_outside", 0) != 0),
      n.f32Attr("extrapolation_value", n.getFloat("extrapolation_value", 0.0f))};
}

LogicalResult importResize(NodeImporter &n) {
  auto attrs = resizeAttrs(n, n.getString("mode", "nearest"),
                           n.getString("coordinate_transformation_mode", "half_pixel"),
                           n.getString("nearest_mode", "round_prefer_floor"));
  if (failed(attrs))
    return failure();
  if (n.hasAttr("antialias") || n.hasAttr("axes") ||
      n.hasAttr("keep_aspect_ratio_policy"))
    return n.unsupported("Resize with opset-18 attributes");
  Value roi = nonEmptyInput(n, 1), scales = nonEmptyInput(n, 2),
        sizes = nonEmptyInput(n, 3);
  if (n.getString("coordinate_transformation_mode", "") != "tf_crop_and_resize")
    roi = Value();
  auto y = n.value<ResizeOp>({n.input(0), roi, scales, sizes}, *attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importUpsample(NodeImporter &n) {
  std::string mode = n.getString("mode", "nearest");
  auto attrs = resizeAttrs(n, mode, "asymmetric", "floor");
  if (failed(attrs))
    return failure();
  Value scales = n.input(1);
  if (!scales) { // opset 7: attribute
    SmallVector<float> values = n.getFloats("scales");
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      n.builder.getF32Type());
    scales = n.constant(DenseElementsAttr::get(type, ArrayRef<float>(values)));
  }
  auto y = n.value<ResizeOp>({n.input(0), Value(), scales, Value()}, *attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importConstantOfShape(NodeImporter &n) {
  Attribute value = n.builder.getF32FloatAttr(0.0f);
  if (const auto *a = n.attr("value")) {
    DenseElementsAttr tensor = tensorToAttr(a->t(), n.context, n.loc);
    if (!tensor)
      return failure();
    if (tensor.getNumElements() != 1)
      return n.emitError() << "expects a one-element value";
    Type element = tensor.getElementType();
    if (llvm::isa<FloatType>(element))
      value = FloatAttr::get(element, *tensor.getValues<APFloat>().begin());
    else
      value = IntegerAttr::get(element, *tensor.getValues<APInt>().begin());
  }
  auto y = n.value<ConstantOfShapeOp>({n.input(0)}, {n.namedAttr("value", value)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importOneHot(NodeImporter &n) {
  int64_t rank = n.inputType(0).getRank() + 1;
  auto axis = n.normalizedAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  auto y = n.value<OneHotOp>({n.input(0), n.input(1), n.input(2)},
                             {n.i64Attr("axis", *axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importTrilu(NodeImporter &n) {
  auto y = n.value<TriluOp>({n.input(0), n.input(1)},
                            {n.boolAttr("upper", n.getInt("upper", 1) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importEyeLike(NodeImporter &n) {
  Type element = n.inputType(0).getElementType();
  if (n.hasAttr("dtype")) {
    element = elementTypeOf(static_cast<int32_t>(n.getInt("dtype", 0)), n.context);
    if (!element)
      return n.unsupported("EyeLike of that dtype");
  }
  auto op = n.createWithTypes<EyeLikeOp>(n.inputType(0).clone(element), {n.input(0)},
                                         {n.i64Attr("k", n.getInt("k", 0))});
  return failed(op) ? failure() : n.setResults(op->getResult());
}

LogicalResult importReverseSequence(NodeImporter &n) {
  auto y = n.value<ReverseSequenceOp>(
      {n.input(0), n.input(1)}, {n.i64Attr("batch_axis", n.getInt("batch_axis", 1)),
                                 n.i64Attr("time_axis", n.getInt("time_axis", 0))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importCompress(NodeImporter &n) {
  SmallVector<NamedAttribute> attrs;
  if (n.hasAttr("axis")) {
    auto axis = n.normalizedAxis(n.getInt("axis", 0), n.inputType(0).getRank());
    if (failed(axis))
      return failure();
    attrs.push_back(n.i64Attr("axis", *axis));
  }
  auto y = n.value<CompressOp>({n.input(0), n.input(1)}, attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importUnique(NodeImporter &n) {
  SmallVector<NamedAttribute> attrs{n.boolAttr("sorted", n.getInt("sorted", 1) != 0)};
  if (n.hasAttr("axis")) {
    auto axis = n.normalizedAxis(n.getInt("axis", 0), n.inputType(0).getRank());
    if (failed(axis))
      return failure();
    attrs.push_back(n.i64Attr("axis", *axis));
  }
  auto op = n.create<UniqueOp>({n.input(0)}, attrs);
  return failed(op) ? failure() : n.setResults(op->getResults());
}

} // namespace

void registerTensorHandlers(HandlerRegistry &r) {
  r.add("Constant", importConstant, checkConstant);
  r.add("Shape", importShape);
  r.add("Size", importOneToOne<SizeOp>);
  r.add("Reshape", importReshape);
  r.add("Flatten", importFlatten);
  r.add("Squeeze", importSqueeze);
  r.add("Unsqueeze", importUnsqueeze);
  r.add("Transpose", importTranspose);
  r.add("Concat", importConcat);
  r.add("Split", importSplit);
  r.add("Slice", importSlice);
  r.add("Gather", gatherLike<GatherOp>);
  r.add("GatherElements", gatherLike<GatherElementsOp>);
  r.add("GatherND", importGatherND);
  r.add("Scatter", importScatterElements);
  r.add("ScatterElements", importScatterElements);
  r.add("ScatterND", importScatterND);
  r.add("Pad", importPad);
  r.add("Resize", importResize);
  r.add("Upsample", importUpsample);
  r.add("Expand", importOneToOne<ExpandOp>);
  r.add("Tile", importOneToOne<TileOp>);
  r.add("ConstantOfShape", importConstantOfShape);
  r.add("Range", importOneToOne<RangeOp>);
  r.add("OneHot", importOneHot);
  r.add("Trilu", importTrilu);
  r.add("EyeLike", importEyeLike);
  r.add("ReverseSequence", importReverseSequence);
  r.add("Compress", importCompress);
  r.add("NonZero", importOneToOne<NonZeroOp>);
  r.add("Unique", importUnique);
}

} // namespace mlir::kiln::import
