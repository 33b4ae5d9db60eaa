//===- Elementwise.cpp - handlers for elementwise ONNX ops ----------------===//

#include "lib/Import/NodeImporter.h"
#include "lib/Import/TensorConversion.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

template <typename OpTy>
LogicalResult unary(NodeImporter &n) {
  auto y = n.value<OpTy>({n.input(0)});
  return failed(y) ? failure() : n.setResults(*y);
}

/// A unary op with float attributes read from the node (with ONNX defaults).
template <typename OpTy>
LogicalResult unaryWithFloats(NodeImporter &n,
                              std::initializer_list<std::pair<const char *, float>> attrs) {
  SmallVector<NamedAttribute> named;
  for (auto [name, value] : attrs)
    named.push_back(n.f32Attr(name, n.getFloat(name, value)));
  auto y = n.value<OpTy>({n.input(0)}, named);
  return failed(y) ? failure() : n.setResults(*y);
}

template <typename OpTy>
LogicalResult binary(NodeImporter &n) {
  auto y = n.value<OpTy>({n.input(0), n.input(1)});
  return failed(y) ? failure() : n.setResults(*y);
}

/// Sum, Max, Min: a left fold of the binary op over all inputs.
template <typename OpTy>
FailureOr<Value> foldInputs(NodeImporter &n) {
  SmallVector<Value> inputs = n.inputsFrom(0);
  if (inputs.empty())
    return n.emitError() << "expects at least one input";
  Value acc = inputs.front();
  for (Value next : ArrayRef<Value>(inputs).drop_front()) {
    auto y = n.value<OpTy>({acc, next});
    if (failed(y))
      return failure();
    acc = *y;
  }
  return acc;
}

template <typename OpTy>
LogicalResult variadic(NodeImporter &n) {
  FailureOr<Value> y = foldInputs<OpTy>(n);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importMean(NodeImporter &n) {
  FailureOr<Value> sum = foldInputs<AddOp>(n);
  if (failed(sum))
    return failure();
  Type element = llvm::cast<RankedTensorType>(sum->getType()).getElementType();
  Value count = n.scalarConstant(element, static_cast<double>(n.inputsFrom(0).size()));
  auto mean = n.value<DivOp>({*sum, count});
  return failed(mean) ? failure() : n.setResults(*mean);
}

LogicalResult importMod(NodeImporter &n) {
  auto y = n.value<ModOp>({n.input(0), n.input(1)},
                          {n.boolAttr("fmod", n.getInt("fmod", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importBitShift(NodeImporter &n) {
  std::string direction = n.getString("direction", "");
  BitShiftDirection value;
  if (direction == "LEFT")
    value = BitShiftDirection::left;
  else if (direction == "RIGHT")
    value = BitShiftDirection::right;
  else
    return n.emitError() << "direction must be LEFT or RIGHT, got '" << direction << "'";
  auto y = n.value<BitShiftOp>(
      {n.input(0), n.input(1)},
      {n.namedAttr("direction", BitShiftDirectionAttr::get(n.context, value))});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importIsInf(NodeImporter &n) {
  auto y = n.value<IsInfOp>(
      {n.input(0)},
      {n.boolAttr("detect_negative", n.getInt("detect_negative", 1) != 0),
       n.boolAttr("detect_positive", n.getInt("detect_positive", 1) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importShrink(NodeImporter &n) {
  return unaryWithFloats<ShrinkOp>(n, {{"bias", 0.0f}, {"lambd", 0.5f}});
}

/// A scalar attribute of `element` holding `value` (a clip bound).
TypedAttr boundAttr(Type element, double value) {
  if (auto f = llvm::dyn_cast<FloatType>(element))
    return FloatAttr::get(f, value);
  return IntegerAttr::get(element, APInt(element.getIntOrFloatBitWidth(),
                                         static_cast<uint64_t>(static_cast<int64_t>(value)),
                                         /*isSigned=*/true, /*implicitTrunc=*/true));
}

LogicalResult importClip(NodeImporter &n) {
  Value x = n.input(0);
  Type element = n.inputType(0).getElementType();
  SmallVector<NamedAttribute> attrs;
  // Bounds that are not constants become max/min ops.
  SmallVector<std::pair<Value, bool>> dynamicBounds;
  for (auto [index, name, isMax] : {std::tuple{1u, "min", false},
                                    std::tuple{2u, "max", true}}) {
    if (!n.hasInput(index)) {
      if (n.hasAttr(name)) // opset < 11
        attrs.push_back(n.namedAttr(name, boundAttr(element, n.getFloat(name, 0))));
      continue;
    }
    std::optional<double> bound;
    if (llvm::isa<FloatType>(element)) {
      if (auto v = n.constantFloats(index); v && v->size() == 1)
        bound = (*v)[0];
    } else if (auto v = n.constantInts(index); v && v->size() == 1) {
      bound = static_cast<double>((*v)[0]);
    }
    if (bound) {
      if (!llvm::isa<FloatType>(element)) {
        auto v = *n.constantInts(index);
        attrs.push_back(n.namedAttr(
            name, IntegerAttr::get(element, APInt(element.getIntOrFloatBitWidth(),
                                                  static_cast<uint64_t>(v[0]),
                                                  true, true))));
      } else {
        attrs.push_back(n.namedAttr(name, boundAttr(element, *bound)));
      }
    } else {
      dynamicBounds.push_back({n.input(index), isMax});
    }
  }
  Value y = x;
  if (!attrs.empty() || dynamicBounds.empty()) {
    auto clipped = n.value<ClipOp>({x}, attrs);
    if (failed(clipped))
      return failure();
    y = *clipped;
  }
  // min(max(x, lo), hi): the lower bound first.
  llvm::sort(dynamicBounds, [](auto a, auto b) { return !a.second && b.second; });
  for (auto [bound, isMax] : dynamicBounds) {
    auto next = isMax ? n.value<MinOp>({y, bound}) : n.value<MaxOp>({y, bound});
    if (failed(next))
      return failure();
    y = *next;
  }
  return n.setResults(y);
}

LogicalResult castTo(NodeImporter &n, Type element) {
  auto type = n.inputType(0).clone(element);
  auto op = n.createWithTypes<CastOp>(type, {n.input(0)});
  return failed(op) ? failure() : n.setResults(op->getResult());
}

LogicalResult importCast(NodeImporter &n) {
  int64_t to = n.getInt("to", 0);
  Type element = elementTypeOf(static_cast<int32_t>(to), n.context);
  if (!element)
    return n.unsupported("a cast to " + dataTypeName(static_cast<int32_t>(to)));
  return castTo(n, element);
}

LogicalResult importCastLike(NodeImporter &n) {
  return castTo(n, n.inputType(1).getElementType());
}

std::string checkDropout(const onnx::NodeProto &node, int64_t) {
  for (const auto &attr : node.attribute())
    if (attr.name() == "is_test" && attr.i() == 0)
      return "Dropout[is_test=0]";
  return "";
}

LogicalResult importDropout(NodeImporter &n) {
  Value x = n.input(0);
  float ratio = n.getFloat("ratio", 0.5f);
  if (n.hasInput(1)) {
    auto r = n.constantFloats(1);
    if (!r || r->size() != 1)
      return n.unsupported("a dropout ratio that is not a constant");
    ratio = static_cast<float>((*r)[0]);
  }
  if (n.hasInput(2)) {
    auto training = n.constantInts(2);
    if (!training || training->size() != 1)
      return n.unsupported("a training mode that is not a constant");
    // Training-mode dropout is random unless it drops nothing.
    if ((*training)[0] != 0 && ratio != 0.0f)
      return n.unsupported("training-mode Dropout with a non-zero ratio (random)");
  }
  auto y = n.value<DropoutOp>({x}, {n.f32Attr("ratio", ratio)});
  if (failed(y) || failed(n.setResult(0, *y)))
    return failure();
  if (n.hasOutput(1)) {
    // The mask keeps every element.
    auto shape = n.value<ShapeOp>({x});
    if (failed(shape))
      return failure();
    auto mask = n.value<ConstantOfShapeOp>(
        {*shape}, {n.namedAttr("value", n.builder.getBoolAttr(true))});
    if (failed(mask))
      return failure();
    return n.setResult(1, *mask);
  }
  return success();
}

LogicalResult importWhere(NodeImporter &n) {
  auto y = n.value<WhereOp>({n.input(0), n.input(1), n.input(2)});
  return failed(y) ? failure() : n.setResults(*y);
}

} // namespace

void registerElementwiseHandlers(HandlerRegistry &r) {
  r.add("Abs", unary<AbsOp>);
  r.add("Neg", unary<NegOp>);
  r.add("Sign", unary<SignOp>);
  r.add("Exp", unary<ExpOp>);
  r.add("Log", unary<LogOp>);
  r.add("Sqrt", unary<SqrtOp>);
  r.add("Reciprocal", unary<ReciprocalOp>);
  r.add("Floor", unary<FloorOp>);
  r.add("Ceil", unary<CeilOp>);
  r.add("Round", unary<RoundOp>);
  r.add("Sin", unary<SinOp>);
  r.add("Cos", unary<CosOp>);
  r.add("Tan", unary<TanOp>);
  r.add("Asin", unary<AsinOp>);
  r.add("Acos", unary<AcosOp>);
  r.add("Atan", unary<AtanOp>);
  r.add("Sinh", unary<SinhOp>);
  r.add("Cosh", unary<CoshOp>);
  r.add("Asinh", unary<AsinhOp>);
  r.add("Acosh", unary<AcoshOp>);
  r.add("Atanh", unary<AtanhOp>);
  r.add("Tanh", unary<TanhOp>);
  r.add("Sigmoid", unary<SigmoidOp>);
  r.add("Erf", unary<ErfOp>);
  r.add("Softplus", unary<SoftplusOp>);
  r.add("Softsign", unary<SoftsignOp>);
  r.add("Relu", unary<ReluOp>);
  r.add("HardSwish", unary<HardSwishOp>);
  r.add("Not", unary<NotOp>);
  r.add("IsNaN", unary<IsNaNOp>);
  r.add("Identity", unary<IdentityOp>);
  r.add("LeakyRelu", [](NodeImporter &n) {
    return unaryWithFloats<LeakyReluOp>(n, {{"alpha", 0.01f}});
  });
  r.add("Elu", [](NodeImporter &n) {
    return unaryWithFloats<EluOp>(n, {{"alpha", 1.0f}});
  });
  r.add("Selu", [](NodeImporter &n) {
    return unaryWithFloats<SeluOp>(
        n, {{"alpha", 1.67326319217681884765625f}, {"gamma", 1.05070102214813232421875f}});
  });
  r.add("Celu", [](NodeImporter &n) {
    return unaryWithFloats<CeluOp>(n, {{"alpha", 1.0f}});
  });
  r.add("HardSigmoid", [](NodeImporter &n) {
    return unaryWithFloats<HardSigmoidOp>(n, {{"alpha", 0.2f}, {"beta", 0.5f}});
  });
  r.add("ThresholdedRelu", [](NodeImporter &n) {
    return unaryWithFloats<ThresholdedReluOp>(n, {{"alpha", 1.0f}});
  });
  r.add("Shrink", importShrink);
  r.add("IsInf", importIsInf);
  r.add("Clip", importClip);
  r.add("Cast", importCast);
  r.add("CastLike", importCastLike);
  r.add("Dropout", importDropout, checkDropout);
  r.add("Add", binary<AddOp>);
  r.add("Sub", binary<SubOp>);
  r.add("Mul", binary<MulOp>);
  r.add("Div", binary<DivOp>);
  r.add("Pow", binary<PowOp>);
  r.add("PRelu", binary<PReluOp>);
  r.add("And", binary<AndOp>);
  r.add("Or", binary<OrOp>);
  r.add("Xor", binary<XorOp>);
  r.add("Equal", binary<EqualOp>);
  r.add("Less", binary<LessOp>);
  r.add("LessOrEqual", binary<LessEqualOp>);
  r.add("Greater", binary<GreaterOp>);
  r.add("GreaterOrEqual", binary<GreaterEqualOp>);
  r.add("Mod", importMod);
  r.add("BitShift", importBitShift);
  r.add("Sum", variadic<AddOp>);
  r.add("Max", variadic<MaxOp>);
  r.add("Min", variadic<MinOp>);
  r.add("Mean", importMean);
  r.add("Where", importWhere);
}

} // namespace mlir::kiln::import
