//===- ElementwiseOps.cpp - unary, binary and ternary elementwise ops -----===//

#include "dialects/Kiln/ConstantFolding.h"
#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/IR/Matchers.h"
#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnElementwiseOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Type inference
//===----------------------------------------------------------------------===//

// Unary ops keep their operand's type.
#define KILN_SAME_TYPE(OP)                                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>,   \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    results.push_back(adaptor.getInput().getType());                           \
    return success();                                                          \
  }
KILN_SAME_TYPE(AbsOp)
KILN_SAME_TYPE(NegOp)
KILN_SAME_TYPE(SignOp)
KILN_SAME_TYPE(ExpOp)
KILN_SAME_TYPE(LogOp)
KILN_SAME_TYPE(SqrtOp)
KILN_SAME_TYPE(ReciprocalOp)
KILN_SAME_TYPE(FloorOp)
KILN_SAME_TYPE(CeilOp)
KILN_SAME_TYPE(RoundOp)
KILN_SAME_TYPE(SinOp)
KILN_SAME_TYPE(CosOp)
KILN_SAME_TYPE(TanOp)
KILN_SAME_TYPE(AsinOp)
KILN_SAME_TYPE(AcosOp)
KILN_SAME_TYPE(AtanOp)
KILN_SAME_TYPE(SinhOp)
KILN_SAME_TYPE(CoshOp)
KILN_SAME_TYPE(AsinhOp)
KILN_SAME_TYPE(AcoshOp)
KILN_SAME_TYPE(AtanhOp)
KILN_SAME_TYPE(TanhOp)
KILN_SAME_TYPE(SigmoidOp)
KILN_SAME_TYPE(ErfOp)
KILN_SAME_TYPE(SoftplusOp)
KILN_SAME_TYPE(SoftsignOp)
KILN_SAME_TYPE(ReluOp)
KILN_SAME_TYPE(HardSwishOp)
KILN_SAME_TYPE(LeakyReluOp)
KILN_SAME_TYPE(EluOp)
KILN_SAME_TYPE(SeluOp)
KILN_SAME_TYPE(CeluOp)
KILN_SAME_TYPE(HardSigmoidOp)
KILN_SAME_TYPE(ThresholdedReluOp)
KILN_SAME_TYPE(ShrinkOp)
KILN_SAME_TYPE(GeluOp)
KILN_SAME_TYPE(ClipOp)
KILN_SAME_TYPE(IdentityOp)
KILN_SAME_TYPE(DropoutOp)
KILN_SAME_TYPE(NotOp)
#undef KILN_SAME_TYPE

// Predicates yield i1 of the operand's shape.
#define KILN_PREDICATE_TYPE(OP)                                                \
  LogicalResult OP::inferReturnTypes(MLIRContext *context,                     \
                                     std::optional<Location>,                  \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    results.push_back(rankedType(adaptor.getInput())                           \
                          .clone(IntegerType::get(context, 1)));               \
    return success();                                                          \
  }
KILN_PREDICATE_TYPE(IsNaNOp)
KILN_PREDICATE_TYPE(IsInfOp)
#undef KILN_PREDICATE_TYPE

/// Broadcast shape of all operands with the given result element type.
static LogicalResult inferBroadcast(ValueRange operands, Type element,
                                    std::optional<Location> loc,
                                    SmallVectorImpl<Type> &results) {
  FailureOr<Shape> shape = broadcastShapes(operands.getTypes(), loc);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, element));
  return success();
}

#define KILN_BROADCAST_TYPE(OP, ELEMENT)                                       \
  LogicalResult OP::inferReturnTypes(MLIRContext *context,                     \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &results) {         \
    (void)context;                                                             \
    return inferBroadcast(adaptor.getOperands(), ELEMENT, loc, results);       \
  }
#define LHS_ELEMENT rankedType(adaptor.getLhs()).getElementType()
#define BOOL_ELEMENT IntegerType::get(context, 1)
KILN_BROADCAST_TYPE(AddOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(SubOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(MulOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(DivOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(ModOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(MinOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(MaxOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(PowOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(PReluOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(BitShiftOp, LHS_ELEMENT)
KILN_BROADCAST_TYPE(AndOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(OrOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(XorOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(EqualOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(LessOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(LessEqualOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(GreaterOp, BOOL_ELEMENT)
KILN_BROADCAST_TYPE(GreaterEqualOp, BOOL_ELEMENT)
#undef LHS_ELEMENT
#undef BOOL_ELEMENT
#undef KILN_BROADCAST_TYPE

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        WhereOp::Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  return inferBroadcast(adaptor.getOperands(),
                        rankedType(adaptor.getX()).getElementType(), loc,
                        results);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

/// Binary ops combine operands of one element type (pow excepted).
static LogicalResult verifySameOperandElements(Operation *op) {
  Type lhs = rankedType(op->getOperand(0)).getElementType();
  Type rhs = rankedType(op->getOperand(1)).getElementType();
  if (!areCompatibleElementTypes(lhs, rhs))
    return op->emitOpError() << "expects operands of one element type, got "
                             << lhs << " and " << rhs;
  return success();
}

#define KILN_SAME_ELEMENTS_VERIFIER(OP)                                        \
  LogicalResult OP::verify() { return verifySameOperandElements(*this); }
KILN_SAME_ELEMENTS_VERIFIER(AddOp)
KILN_SAME_ELEMENTS_VERIFIER(SubOp)
KILN_SAME_ELEMENTS_VERIFIER(MulOp)
KILN_SAME_ELEMENTS_VERIFIER(DivOp)
KILN_SAME_ELEMENTS_VERIFIER(MinOp)
KILN_SAME_ELEMENTS_VERIFIER(MaxOp)
KILN_SAME_ELEMENTS_VERIFIER(PReluOp)
KILN_SAME_ELEMENTS_VERIFIER(AndOp)
KILN_SAME_ELEMENTS_VERIFIER(OrOp)
KILN_SAME_ELEMENTS_VERIFIER(XorOp)
KILN_SAME_ELEMENTS_VERIFIER(EqualOp)
KILN_SAME_ELEMENTS_VERIFIER(LessOp)
KILN_SAME_ELEMENTS_VERIFIER(LessEqualOp)
KILN_SAME_ELEMENTS_VERIFIER(GreaterOp)
KILN_SAME_ELEMENTS_VERIFIER(GreaterEqualOp)
#undef KILN_SAME_ELEMENTS_VERIFIER

LogicalResult ModOp::verify() {
  if (failed(verifySameOperandElements(*this)))
    return failure();
  if (llvm::isa<FloatType>(getLhs().getType().getElementType()) && !getFmod())
    return emitOpError("on floats requires fmod = true");
  return success();
}

LogicalResult PowOp::verify() {
  Type base = getLhs().getType().getElementType();
  Type exponent = getRhs().getType().getElementType();
  if (llvm::isa<quant::QuantizedType>(base) ||
      llvm::isa<quant::QuantizedType>(exponent))
    return emitOpError("does not take quantized operands");
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (failed(verifySameOperandElements(*this)))
    return failure();
  if (!getLhs().getType().getElementType().isUnsignedInteger())
    return emitOpError("expects unsigned integer operands");
  return success();
}

LogicalResult WhereOp::verify() {
  if (!areCompatibleElementTypes(getX().getType().getElementType(),
                                 getY().getType().getElementType()))
    return emitOpError("expects both branches to have one element type");
  return success();
}

LogicalResult ClipOp::verify() {
  Type element = getInput().getType().getElementType();
  for (auto [bound, name] : {std::pair{getMinAttr(), "min"},
                             std::pair{getMaxAttr(), "max"}}) {
    if (!bound)
      continue;
    Type boundType = llvm::cast<TypedAttr>(bound).getType();
    Type expected = element;
    if (auto q = llvm::dyn_cast<quant::QuantizedType>(element))
      expected = q.getExpressedType();
    if (boundType != expected)
      return emitOpError() << "expects the " << name << " bound to be of type "
                           << expected << ", got " << boundType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }
double nanAware(double a, double b, double r) {
  return std::isnan(a) || std::isnan(b) ? NAN : r;
}
std::optional<int64_t> intPow(int64_t base, int64_t exponent, bool isUnsigned) {
  if (exponent < 0 && !isUnsigned)
    return base == 1 ? 1 : base == -1 ? (exponent % 2 ? -1 : 1) : 0;
  uint64_t result = 1, b = static_cast<uint64_t>(base);
  for (uint64_t e = static_cast<uint64_t>(exponent); e; e >>= 1, b *= b)
    if (e & 1)
      result *= b;
  return static_cast<int64_t>(result);
}
} // namespace

// A float-only unary fold on `x` (and the op's attributes through `this`).
#define KILN_FLOAT_FOLD(OP, EXPR)                                              \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldUnary(adaptor.getInput(), getType().getElementType(),           \
                     [&](double x) -> double { return EXPR; }, nullptr);       \
  }
// A unary fold defined on floats and integers.
#define KILN_NUMERIC_FOLD(OP, FEXPR, IEXPR)                                    \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldUnary(                                                          \
        adaptor.getInput(), getType().getElementType(),                        \
        [&](double x) -> double { return FEXPR; },                             \
        [&](int64_t x, bool isUnsigned) -> std::optional<int64_t> {            \
          (void)isUnsigned;                                                    \
          return IEXPR;                                                        \
        });                                                                    \
  }

KILN_NUMERIC_FOLD(AbsOp, std::fabs(x), isUnsigned ? x : (x < 0 ? -x : x))
KILN_NUMERIC_FOLD(NegOp, -x, static_cast<int64_t>(0ull - static_cast<uint64_t>(x)))
KILN_NUMERIC_FOLD(SignOp, std::isnan(x) ? x : double((x > 0) - (x < 0)),
                  isUnsigned ? int64_t(x != 0) : int64_t((x > 0) - (x < 0)))
KILN_NUMERIC_FOLD(ReluOp, x > 0 ? x : 0.0, (isUnsigned || x > 0) ? x : 0)
KILN_FLOAT_FOLD(ExpOp, std::exp(x))
KILN_FLOAT_FOLD(LogOp, std::log(x))
KILN_FLOAT_FOLD(SqrtOp, std::sqrt(x))
KILN_FLOAT_FOLD(ReciprocalOp, 1.0 / x)
KILN_FLOAT_FOLD(FloorOp, std::floor(x))
KILN_FLOAT_FOLD(CeilOp, std::ceil(x))
KILN_FLOAT_FOLD(RoundOp, std::nearbyint(x))
KILN_FLOAT_FOLD(SinOp, std::sin(x))
KILN_FLOAT_FOLD(CosOp, std::cos(x))
KILN_FLOAT_FOLD(TanOp, std::tan(x))
KILN_FLOAT_FOLD(AsinOp, std::asin(x))
KILN_FLOAT_FOLD(AcosOp, std::acos(x))
KILN_FLOAT_FOLD(AtanOp, std::atan(x))
KILN_FLOAT_FOLD(SinhOp, std::sinh(x))
KILN_FLOAT_FOLD(CoshOp, std::cosh(x))
KILN_FLOAT_FOLD(AsinhOp, std::asinh(x))
KILN_FLOAT_FOLD(AcoshOp, std::acosh(x))
KILN_FLOAT_FOLD(AtanhOp, std::atanh(x))
KILN_FLOAT_FOLD(TanhOp, std::tanh(x))
KILN_FLOAT_FOLD(SigmoidOp, sigmoid(x))
KILN_FLOAT_FOLD(ErfOp, std::erf(x))
KILN_FLOAT_FOLD(SoftplusOp, softplus(x))
KILN_FLOAT_FOLD(SoftsignOp, x / (1.0 + std::fabs(x)))
KILN_FLOAT_FOLD(HardSwishOp, x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5)))
KILN_FLOAT_FOLD(LeakyReluOp, x >= 0 ? x : getAlpha().convertToDouble() * x)
KILN_FLOAT_FOLD(EluOp,
                x >= 0 ? x : getAlpha().convertToDouble() * std::expm1(x))
KILN_FLOAT_FOLD(SeluOp, getGamma().convertToDouble() *
                            (x > 0 ? x
                                   : getAlpha().convertToDouble() *
                                         std::expm1(x)))
KILN_FLOAT_FOLD(CeluOp,
                std::max(0.0, x) +
                    std::min(0.0, getAlpha().convertToDouble() *
                                      std::expm1(x / getAlpha().convertToDouble())))
KILN_FLOAT_FOLD(HardSigmoidOp,
                std::max(0.0, std::min(1.0, getAlpha().convertToDouble() * x +
                                                getBeta().convertToDouble())))
KILN_FLOAT_FOLD(ThresholdedReluOp, x > getAlpha().convertToDouble() ? x : 0.0)
KILN_FLOAT_FOLD(GeluOp,
                getApproximate() == GeluApproximation::none
                    ? 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)))
                    : 0.5 * x *
                          (1.0 + std::tanh(std::sqrt(2.0 / M_PI) *
                                           (x + 0.044715 * x * x * x))))

OpFoldResult ShrinkOp::fold(FoldAdaptor adaptor) {
  double lambd = getLambd().convertToDouble(), bias = getBias().convertToDouble();
  auto shrink = [&](double x) {
    return x < -lambd ? x + bias : x > lambd ? x - bias : 0.0;
  };
  return foldUnary(
      adaptor.getInput(), getType().getElementType(), shrink,
      [&](int64_t x, bool) -> std::optional<int64_t> {
        return static_cast<int64_t>(shrink(static_cast<double>(x)));
      });
}

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  if (!getMinAttr() && !getMaxAttr())
    return getInput();
  auto boundAsDouble = [](Attribute attr, double otherwise) {
    if (auto f = llvm::dyn_cast_or_null<FloatAttr>(attr))
      return f.getValueAsDouble();
    if (auto i = llvm::dyn_cast_or_null<IntegerAttr>(attr))
      return static_cast<double>(i.getType().isUnsignedInteger()
                                     ? static_cast<double>(i.getUInt())
                                     : static_cast<double>(i.getInt()));
    return otherwise;
  };
  auto boundAsInt = [](Attribute attr, int64_t otherwise) {
    if (auto i = llvm::dyn_cast_or_null<IntegerAttr>(attr))
      return i.getType().isUnsignedInteger() ? static_cast<int64_t>(i.getUInt())
                                             : i.getInt();
    return otherwise;
  };
  double lo = boundAsDouble(getMinAttr(), -INFINITY);
  double hi = boundAsDouble(getMaxAttr(), INFINITY);
  int64_t ilo = boundAsInt(getMinAttr(), std::numeric_limits<int64_t>::min());
  int64_t ihi = boundAsInt(getMaxAttr(), std::numeric_limits<int64_t>::max());
  return foldUnary(
      adaptor.getInput(), getType().getElementType(),
      [&](double x) { return std::isnan(x) ? x : std::min(std::max(x, lo), hi); },
      [&](int64_t x, bool isUnsigned) -> std::optional<int64_t> {
        if (isUnsigned) {
          uint64_t ux = x, ulo = ilo == std::numeric_limits<int64_t>::min() ? 0 : ilo;
          uint64_t uhi = ihi == std::numeric_limits<int64_t>::max() ? ~0ull : ihi;
          return static_cast<int64_t>(std::min(std::max(ux, ulo), uhi));
        }
        return std::min(std::max(x, ilo), ihi);
      });
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? getInput() : Value();
}
OpFoldResult DropoutOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? getInput() : Value();
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), getType().getElementType(), nullptr,
                   [](int64_t x, bool) -> std::optional<int64_t> { return !x; });
}

OpFoldResult IsNaNOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), getType().getElementType(),
                   [](double x) -> double { return std::isnan(x); }, nullptr);
}

OpFoldResult IsInfOp::fold(FoldAdaptor adaptor) {
  bool negative = getDetectNegative(), positive = getDetectPositive();
  return foldUnary(adaptor.getInput(), getType().getElementType(),
                   [&](double x) -> double {
                     return std::isinf(x) && ((x > 0 && positive) ||
                                              (x < 0 && negative));
                   },
                   nullptr);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  std::optional<ConstantValues> values = readConstant(adaptor.getInput());
  if (!values)
    return {};
  auto type = RankedTensorType::get(values->type.getShape(),
                                    getType().getElementType());
  if (!llvm::isa<FloatType, IntegerType>(type.getElementType()))
    return {};
  return writeConstant(type, *values);
}

/// x op c -> x when c is a splat of `identity` and the op does not broadcast
/// x to a larger shape.
static Value foldNeutralSplat(Value x, Attribute c, double identity,
                              Type resultType) {
  if (x.getType() != resultType)
    return {};
  auto splat = llvm::dyn_cast_or_null<SplatElementsAttr>(c);
  if (!splat)
    return {};
  if (auto f = llvm::dyn_cast<FloatType>(splat.getElementType()))
    return splat.getSplatValue<APFloat>().convertToDouble() == identity ? x
                                                                        : Value();
  if (llvm::isa<IntegerType>(splat.getElementType()))
    return splat.getSplatValue<APInt>().getSExtValue() ==
                   static_cast<int64_t>(identity)
               ? x
               : Value();
  return {};
}

// Binary folds; the int lambda sees operands already extended by signedness.
#define KILN_BINARY_FOLD(OP, ELEMENT, FEXPR, IEXPR)                            \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldBinary(                                                         \
        adaptor.getLhs(), adaptor.getRhs(), ELEMENT,                           \
        [&](double a, double b) -> double { return FEXPR; },                   \
        [&](int64_t a, int64_t b, bool isUnsigned) -> std::optional<int64_t> { \
          (void)isUnsigned;                                                    \
          return IEXPR;                                                        \
        });                                                                    \
  }
#define RESULT_ELEMENT getType().getElementType()

#define U(x) static_cast<uint64_t>(x)
KILN_BINARY_FOLD(MinOp, RESULT_ELEMENT, nanAware(a, b, std::min(a, b)),
                 isUnsigned ? int64_t(std::min(U(a), U(b))) : std::min(a, b))
KILN_BINARY_FOLD(MaxOp, RESULT_ELEMENT, nanAware(a, b, std::max(a, b)),
                 isUnsigned ? int64_t(std::max(U(a), U(b))) : std::max(a, b))
KILN_BINARY_FOLD(PReluOp, RESULT_ELEMENT, a >= 0 ? a : a * b,
                 (isUnsigned || a >= 0) ? a : a * b)
KILN_BINARY_FOLD(AndOp, RESULT_ELEMENT, a && b, int64_t(a && b))
KILN_BINARY_FOLD(OrOp, RESULT_ELEMENT, a || b, int64_t(a || b))
KILN_BINARY_FOLD(XorOp, RESULT_ELEMENT, (a != 0) != (b != 0),
                 int64_t((a != 0) != (b != 0)))
KILN_BINARY_FOLD(EqualOp, RESULT_ELEMENT, a == b, int64_t(a == b))
KILN_BINARY_FOLD(LessOp, RESULT_ELEMENT, a < b,
                 isUnsigned ? int64_t(U(a) < U(b)) : int64_t(a < b))
KILN_BINARY_FOLD(LessEqualOp, RESULT_ELEMENT, a <= b,
                 isUnsigned ? int64_t(U(a) <= U(b)) : int64_t(a <= b))
KILN_BINARY_FOLD(GreaterOp, RESULT_ELEMENT, a > b,
                 isUnsigned ? int64_t(U(a) > U(b)) : int64_t(a > b))
KILN_BINARY_FOLD(GreaterEqualOp, RESULT_ELEMENT, a >= b,
                 isUnsigned ? int64_t(U(a) >= U(b)) : int64_t(a >= b))
KILN_BINARY_FOLD(PowOp, RESULT_ELEMENT, std::pow(a, b),
                 intPow(a, b, isUnsigned))

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldNeutralSplat(getLhs(), adaptor.getRhs(), 0, getType()))
    return x;
  if (Value x = foldNeutralSplat(getRhs(), adaptor.getLhs(), 0, getType()))
    return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT,
      [](double a, double b) { return a + b; },
      [](int64_t a, int64_t b, bool) -> std::optional<int64_t> {
        return static_cast<int64_t>(U(a) + U(b));
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldNeutralSplat(getLhs(), adaptor.getRhs(), 0, getType()))
    return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT,
      [](double a, double b) { return a - b; },
      [](int64_t a, int64_t b, bool) -> std::optional<int64_t> {
        return static_cast<int64_t>(U(a) - U(b));
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldNeutralSplat(getLhs(), adaptor.getRhs(), 1, getType()))
    return x;
  if (Value x = foldNeutralSplat(getRhs(), adaptor.getLhs(), 1, getType()))
    return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT,
      [](double a, double b) { return a * b; },
      [](int64_t a, int64_t b, bool) -> std::optional<int64_t> {
        return static_cast<int64_t>(U(a) * U(b));
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldNeutralSplat(getLhs(), adaptor.getRhs(), 1, getType()))
    return x;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT,
      [](double a, double b) { return a / b; },
      [](int64_t a, int64_t b, bool isUnsigned) -> std::optional<int64_t> {
        if (b == 0 || (!isUnsigned && b == -1 &&
                       a == std::numeric_limits<int64_t>::min()))
          return std::nullopt;
        return isUnsigned ? static_cast<int64_t>(U(a) / U(b)) : a / b;
      });
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  bool fmod = getFmod();
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT,
      [](double a, double b) { return std::fmod(a, b); },
      [&](int64_t a, int64_t b, bool isUnsigned) -> std::optional<int64_t> {
        if (b == 0)
          return std::nullopt;
        if (isUnsigned)
          return static_cast<int64_t>(U(a) % U(b));
        if (b == -1)
          return 0;
        int64_t r = a % b;
        // Without fmod the remainder takes the divisor's sign (Python's %).
        if (!fmod && r != 0 && ((r < 0) != (b < 0)))
          r += b;
        return r;
      });
}

OpFoldResult BitShiftOp::fold(FoldAdaptor adaptor) {
  unsigned width = getType().getElementType().getIntOrFloatBitWidth();
  bool left = getDirection() == BitShiftDirection::left;
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), RESULT_ELEMENT, nullptr,
      [&](int64_t a, int64_t b, bool) -> std::optional<int64_t> {
        if (U(b) >= width)
          return 0;
        uint64_t mask = width == 64 ? ~0ull : ((1ull << width) - 1);
        return static_cast<int64_t>(left ? (U(a) << U(b)) & mask
                                         : (U(a) & mask) >> U(b));
      });
}
#undef U
#undef RESULT_ELEMENT
#undef KILN_BINARY_FOLD

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  if (getX() == getY() && getX().getType() == getType())
    return getX();
  if (auto splat = llvm::dyn_cast_or_null<SplatElementsAttr>(adaptor.getCondition())) {
    Value chosen = splat.getSplatValue<bool>() ? getX() : getY();
    if (chosen.getType() == getType())
      return chosen;
  }
  return foldSelect(adaptor.getCondition(), adaptor.getX(), adaptor.getY());
}
