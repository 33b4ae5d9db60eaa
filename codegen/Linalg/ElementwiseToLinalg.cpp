//===- ElementwiseToLinalg.cpp - elementwise kiln ops as linalg.generic ---===//
//
// Every op with the elementwise trait becomes one linalg.generic over its
// (broadcast) result; `buildElementwiseScalar` states each op's scalar
// semantics on signless scalars, using the kiln element types to choose
// signed or unsigned arithmetic. Integer division by zero (and INT_MIN / -1)
// yields 0 instead of trapping: generated code must not crash on any input.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// Scalar helpers bound to a builder and a location.
struct Scalars {
  OpBuilder &b;
  Location loc;

  Value c(Type element, double v) { return scalarConstant(b, loc, element, v); }
  Value add(Value x, Value y) {
    return isFloat(x) ? Value(arith::AddFOp::create(b, loc, x, y))
                      : Value(arith::AddIOp::create(b, loc, x, y));
  }
  Value sub(Value x, Value y) {
    return isFloat(x) ? Value(arith::SubFOp::create(b, loc, x, y))
                      : Value(arith::SubIOp::create(b, loc, x, y));
  }
  Value mul(Value x, Value y) {
    return isFloat(x) ? Value(arith::MulFOp::create(b, loc, x, y))
                      : Value(arith::MulIOp::create(b, loc, x, y));
  }
  Value divf(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value cmpf(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value cmpi(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value maxf(Value x, Value y) { return arith::MaximumFOp::create(b, loc, x, y); }
  Value minf(Value x, Value y) { return arith::MinimumFOp::create(b, loc, x, y); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value expm1(Value x) { return math::ExpM1Op::create(b, loc, x); }
  static bool isFloat(Value v) { return llvm::isa<FloatType>(v.getType()); }

  /// max/min of integers or floats with the kiln element type's signedness.
  Value max(Value x, Value y, Type element) {
    if (isFloat(x))
      return maxf(x, y);
    return isUnsigned(element) ? Value(arith::MaxUIOp::create(b, loc, x, y))
                               : Value(arith::MaxSIOp::create(b, loc, x, y));
  }
  Value min(Value x, Value y, Type element) {
    if (isFloat(x))
      return minf(x, y);
    return isUnsigned(element) ? Value(arith::MinUIOp::create(b, loc, x, y))
                               : Value(arith::MinSIOp::create(b, loc, x, y));
  }

  /// Integer division or remainder that yields 0 where the hardware would
  /// trap (division by zero, or the most negative value by -1).
  Value safeIntDivision(Value x, Value y, Type element, bool remainder) {
    Type type = x.getType();
    Value zero = c(type, 0), one = c(type, 1);
    Value byZero = cmpi(arith::CmpIPredicate::eq, y, zero);
    Value bad = byZero;
    if (!isUnsigned(element)) {
      Value minusOne = c(type, -1);
      Value lowest = lowestValue(b, loc, type, /*highest=*/false);
      Value overflow = arith::AndIOp::create(
          b, loc, cmpi(arith::CmpIPredicate::eq, x, lowest),
          cmpi(arith::CmpIPredicate::eq, y, minusOne));
      bad = arith::OrIOp::create(b, loc, byZero, overflow);
    }
    Value divisor = select(bad, one, y);
    Value r;
    if (remainder)
      r = isUnsigned(element) ? Value(arith::RemUIOp::create(b, loc, x, divisor))
                              : Value(arith::RemSIOp::create(b, loc, x, divisor));
    else
      r = isUnsigned(element) ? Value(arith::DivUIOp::create(b, loc, x, divisor))
                              : Value(arith::DivSIOp::create(b, loc, x, divisor));
    return select(bad, zero, r);
  }

  Value compare(arith::CmpFPredicate f, arith::CmpIPredicate s,
                arith::CmpIPredicate u, Value x, Value y, Type element) {
    if (isFloat(x))
      return cmpf(f, x, y);
    return cmpi(isUnsigned(element) || element.isInteger(1) ? u : s, x, y);
  }
};

double attrDouble(FloatAttr attr) { return attr.getValueAsDouble(); }

/// The scalar a clip bound attribute holds, in the type of `like`.
Value boundValue(Scalars &s, Attribute bound, Type type) {
  if (auto f = llvm::dyn_cast<FloatAttr>(bound))
    return s.c(type, f.getValueAsDouble());
  auto i = llvm::cast<IntegerAttr>(bound);
  return arith::ConstantOp::create(
      s.b, s.loc, type, s.b.getIntegerAttr(type, i.getValue()));
}

/// The scalar semantics of an elementwise kiln op, or null if it has none.
/// `args` are the converted operand scalars, `elements` the kiln element
/// types of the operands and `result` the kiln element type of the result.
Value buildElementwiseScalar(OpBuilder &b, Location loc, Operation *op,
                             ValueRange args, ArrayRef<Type> elements,
                             Type result) {
  Scalars s{b, loc};
  Value x = args.empty() ? Value() : args[0];
  Type t = elements.empty() ? Type() : elements[0];
  Type st = x ? x.getType() : Type();
  auto unaryMath = [&](auto tag) -> Value {
    using MathOp = decltype(tag);
    return MathOp::create(b, loc, x);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AbsOp) -> Value {
        if (Scalars::isFloat(x))
          return math::AbsFOp::create(b, loc, x);
        return isUnsigned(t) ? x : Value(math::AbsIOp::create(b, loc, x));
      })
      .Case([&](NegOp) -> Value {
        if (Scalars::isFloat(x))
          return arith::NegFOp::create(b, loc, x);
        return s.sub(s.c(st, 0), x);
      })
      .Case([&](SignOp) -> Value {
        if (Scalars::isFloat(x)) {
          Value pos = s.cmpf(arith::CmpFPredicate::OGT, x, s.c(st, 0));
          Value neg = s.cmpf(arith::CmpFPredicate::OLT, x, s.c(st, 0));
          return s.select(pos, s.c(st, 1), s.select(neg, s.c(st, -1), x));
        }
        Value zero = s.c(st, 0);
        if (isUnsigned(t))
          return arith::ExtUIOp::create(
              b, loc, st, s.cmpi(arith::CmpIPredicate::ne, x, zero));
        Value pos = s.cmpi(arith::CmpIPredicate::sgt, x, zero);
        Value neg = s.cmpi(arith::CmpIPredicate::slt, x, zero);
        return s.select(pos, s.c(st, 1), s.select(neg, s.c(st, -1), zero));
      })
      .Case([&](ExpOp) { return unaryMath(math::ExpOp()); })
      .Case([&](LogOp) { return unaryMath(math::LogOp()); })
      .Case([&](SqrtOp) { return unaryMath(math::SqrtOp()); })
      .Case([&](ReciprocalOp) { return s.divf(s.c(st, 1), x); })
      .Case([&](FloorOp) { return unaryMath(math::FloorOp()); })
      .Case([&](CeilOp) { return unaryMath(math::CeilOp()); })
      .Case([&](RoundOp) { return unaryMath(math::RoundEvenOp()); })
      .Case([&](SinOp) { return unaryMath(math::SinOp()); })
      .Case([&](CosOp) { return unaryMath(math::CosOp()); })
      .Case([&](TanOp) { return unaryMath(math::TanOp()); })
      .Case([&](AsinOp) { return unaryMath(math::AsinOp()); })
      .Case([&](AcosOp) { return unaryMath(math::AcosOp()); })
      .Case([&](AtanOp) { return unaryMath(math::AtanOp()); })
      .Case([&](SinhOp) { return unaryMath(math::SinhOp()); })
      .Case([&](CoshOp) { return unaryMath(math::CoshOp()); })
      .Case([&](AsinhOp) { return unaryMath(math::AsinhOp()); })
      .Case([&](AcoshOp) { return unaryMath(math::AcoshOp()); })
      .Case([&](AtanhOp) { return unaryMath(math::AtanhOp()); })
      .Case([&](TanhOp) { return unaryMath(math::TanhOp()); })
      .Case([&](ErfOp) { return unaryMath(math::ErfOp()); })
      .Case([&](SigmoidOp) -> Value {
        Value e = s.exp(arith::NegFOp::create(b, loc, x));
        return s.divf(s.c(st, 1), s.add(s.c(st, 1), e));
      })
      .Case([&](SoftplusOp) -> Value {
        // max(x, 0) + log1p(exp(-|x|)) does not overflow.
        Value absX = math::AbsFOp::create(b, loc, x);
        Value tail = math::Log1pOp::create(
            b, loc, s.exp(arith::NegFOp::create(b, loc, absX)));
        return s.add(s.maxf(x, s.c(st, 0)), tail);
      })
      .Case([&](SoftsignOp) -> Value {
        return s.divf(x, s.add(s.c(st, 1), math::AbsFOp::create(b, loc, x)));
      })
      .Case([&](ReluOp) -> Value { return s.max(x, s.c(st, 0), t); })
      .Case([&](HardSwishOp) -> Value {
        Value gate = s.add(s.mul(x, s.c(st, 1.0 / 6.0)), s.c(st, 0.5));
        gate = s.maxf(s.c(st, 0), s.minf(s.c(st, 1), gate));
        return s.mul(x, gate);
      })
      .Case([&](LeakyReluOp o) -> Value {
        Value scaled = s.mul(x, s.c(st, attrDouble(o.getAlphaAttr())));
        return s.select(s.cmpf(arith::CmpFPredicate::OLT, x, s.c(st, 0)), scaled, x);
      })
      .Case([&](EluOp o) -> Value {
        Value neg = s.mul(s.c(st, attrDouble(o.getAlphaAttr())), s.expm1(x));
        return s.select(s.cmpf(arith::CmpFPredicate::OLT, x, s.c(st, 0)), neg, x);
      })
      .Case([&](SeluOp o) -> Value {
        Value neg = s.mul(s.c(st, attrDouble(o.getAlphaAttr())), s.expm1(x));
        Value v = s.select(s.cmpf(arith::CmpFPredicate::OGT, x, s.c(st, 0)), x, neg);
        return s.mul(s.c(st, attrDouble(o.getGammaAttr())), v);
      })
      .Case([&](CeluOp o) -> Value {
        double alpha = attrDouble(o.getAlphaAttr());
        Value neg = s.mul(s.c(st, alpha), s.expm1(s.divf(x, s.c(st, alpha))));
        return s.add(s.maxf(s.c(st, 0), x), s.minf(s.c(st, 0), neg));
      })
      .Case([&](HardSigmoidOp o) -> Value {
        Value v = s.add(s.mul(x, s.c(st, attrDouble(o.getAlphaAttr()))),
                        s.c(st, attrDouble(o.getBetaAttr())));
        return s.maxf(s.c(st, 0), s.minf(s.c(st, 1), v));
      })
      .Case([&](ThresholdedReluOp o) -> Value {
        Value above = s.cmpf(arith::CmpFPredicate::OGT, x,
                             s.c(st, attrDouble(o.getAlphaAttr())));
        return s.select(above, x, s.c(st, 0));
      })
      .Case([&](ShrinkOp o) -> Value {
        double lambd = attrDouble(o.getLambdAttr()), bias = attrDouble(o.getBiasAttr());
        Value below = s.compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                                arith::CmpIPredicate::ult, x, s.c(st, -lambd), t);
        Value above = s.compare(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                                arith::CmpIPredicate::ugt, x, s.c(st, lambd), t);
        return s.select(below, s.add(x, s.c(st, bias)),
                        s.select(above, s.sub(x, s.c(st, bias)), s.c(st, 0)));
      })
      .Case([&](GeluOp o) -> Value {
        Value half = s.mul(x, s.c(st, 0.5));
        if (o.getApproximate() == GeluApproximation::none) {
          Value e = math::ErfOp::create(b, loc, s.mul(x, s.c(st, M_SQRT1_2)));
          return s.mul(half, s.add(s.c(st, 1), e));
        }
        Value cube = s.mul(s.mul(x, x), x);
        Value inner = s.mul(s.c(st, std::sqrt(2.0 / M_PI)),
                            s.add(x, s.mul(s.c(st, 0.044715), cube)));
        return s.mul(half, s.add(s.c(st, 1), math::TanhOp::create(b, loc, inner)));
      })
      .Case([&](ClipOp o) -> Value {
        Value v = x;
        if (o.getMinAttr())
          v = s.max(v, boundValue(s, o.getMinAttr(), st), t);
        if (o.getMaxAttr())
          v = s.min(v, boundValue(s, o.getMaxAttr(), st), t);
        return v;
      })
      .Case<IdentityOp, DropoutOp>([&](Operation *) { return x; })
      .Case([&](NotOp) -> Value {
        return arith::XOrIOp::create(b, loc, x, s.c(st, 1));
      })
      .Case([&](IsNaNOp) -> Value {
        return s.cmpf(arith::CmpFPredicate::UNO, x, x);
      })
      .Case([&](IsInfOp o) -> Value {
        const llvm::fltSemantics &semantics =
            llvm::cast<FloatType>(st).getFloatSemantics();
        Value posInf = arith::ConstantOp::create(
            b, loc, st, b.getFloatAttr(st, APFloat::getInf(semantics, false)));
        Value negInf = arith::ConstantOp::create(
            b, loc, st, b.getFloatAttr(st, APFloat::getInf(semantics, true)));
        Value no = s.c(b.getI1Type(), 0);
        Value pos = o.getDetectPositive()
                        ? s.cmpf(arith::CmpFPredicate::OEQ, x, posInf) : no;
        Value neg = o.getDetectNegative()
                        ? s.cmpf(arith::CmpFPredicate::OEQ, x, negInf) : no;
        return arith::OrIOp::create(b, loc, pos, neg);
      })
      .Case([&](CastOp) { return convertScalar(b, loc, x, t, result); })
      // Binary ops.
      .Case([&](AddOp) { return s.add(x, args[1]); })
      .Case([&](SubOp) { return s.sub(x, args[1]); })
      .Case([&](MulOp) { return s.mul(x, args[1]); })
      .Case([&](DivOp) -> Value {
        if (Scalars::isFloat(x))
          return s.divf(x, args[1]);
        return s.safeIntDivision(x, args[1], t, /*remainder=*/false);
      })
      .Case([&](ModOp o) -> Value {
        Value y = args[1];
        if (Scalars::isFloat(x))
          return arith::RemFOp::create(b, loc, x, y);
        Value r = s.safeIntDivision(x, y, t, /*remainder=*/true);
        if (o.getFmod() || isUnsigned(t))
          return r;
        // Python's %: a non-zero remainder takes the divisor's sign.
        Value zero = s.c(st, 0);
        Value rNeg = s.cmpi(arith::CmpIPredicate::slt, r, zero);
        Value yNeg = s.cmpi(arith::CmpIPredicate::slt, y, zero);
        Value fix = arith::AndIOp::create(
            b, loc, s.cmpi(arith::CmpIPredicate::ne, r, zero),
            s.cmpi(arith::CmpIPredicate::ne, rNeg, yNeg));
        return s.select(fix, s.add(r, y), r);
      })
      .Case([&](MinOp) { return s.min(x, args[1], t); })
      .Case([&](MaxOp) { return s.max(x, args[1], t); })
      .Case([&](PowOp) -> Value {
        Value y = args[1];
        Type et = elements[1];
        if (Scalars::isFloat(x)) {
          Value exponent = convertScalar(b, loc, y, et, st);
          return math::PowFOp::create(b, loc, x, exponent);
        }
        if (!llvm::isa<FloatType>(et)) {
          Value exponent = convertScalar(b, loc, y, et, t);
          return math::IPowIOp::create(b, loc, x, exponent);
        }
        Value base = convertScalar(b, loc, x, t, y.getType());
        return convertScalar(b, loc, math::PowFOp::create(b, loc, base, y),
                             y.getType(), t);
      })
      .Case([&](PReluOp) -> Value {
        Value y = args[1];
        Value negative =
            s.compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                      arith::CmpIPredicate::ult, x, s.c(st, 0), t);
        return s.select(negative, s.mul(x, y), x);
      })
      .Case([&](AndOp) -> Value { return arith::AndIOp::create(b, loc, x, args[1]); })
      .Case([&](OrOp) -> Value { return arith::OrIOp::create(b, loc, x, args[1]); })
      .Case([&](XorOp) -> Value { return arith::XOrIOp::create(b, loc, x, args[1]); })
      .Case([&](EqualOp) {
        return s.compare(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
                         arith::CmpIPredicate::eq, x, args[1], t);
      })
      .Case([&](LessOp) {
        return s.compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                         arith::CmpIPredicate::ult, x, args[1], t);
      })
      .Case([&](LessEqualOp) {
        return s.compare(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
                         arith::CmpIPredicate::ule, x, args[1], t);
      })
      .Case([&](GreaterOp) {
        return s.compare(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                         arith::CmpIPredicate::ugt, x, args[1], t);
      })
      .Case([&](GreaterEqualOp) {
        return s.compare(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
                         arith::CmpIPredicate::uge, x, args[1], t);
      })
      .Case([&](BitShiftOp o) -> Value {
        Value y = args[1];
        unsigned width = st.getIntOrFloatBitWidth();
        Value tooFar = s.cmpi(arith::CmpIPredicate::uge, y, s.c(st, width));
        Value safe = s.select(tooFar, s.c(st, 0), y);
        Value shifted = o.getDirection() == BitShiftDirection::left
                            ? Value(arith::ShLIOp::create(b, loc, x, safe))
                            : Value(arith::ShRUIOp::create(b, loc, x, safe));
        return s.select(tooFar, s.c(st, 0), shifted);
      })
      .Case([&](WhereOp) { return s.select(args[0], args[1], args[2]); })
      .Default([](Operation *) { return Value(); });
}

/// Lowers any op with the elementwise trait to one broadcasting generic.
struct LowerElementwise : public ConversionPattern {
  LowerElementwise(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1,
                          context) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op->hasTrait<mlir::kiln::OpTrait::KilnElementwise>() || op->getNumResults() != 1)
      return failure();
    auto resultType = llvm::cast<RankedTensorType>(op->getResult(0).getType());
    if (failed(requireStaticShapes(op, op->getResultTypes())) ||
        failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    for (Type type : op->getOperandTypes())
      if (llvm::isa<quant::QuantizedType>(rankedType(op->getOperand(0)).getElementType()) ||
          llvm::isa<quant::QuantizedType>(llvm::cast<RankedTensorType>(type).getElementType()))
        return op->emitOpError("on quantized types has no lowering yet");
    SmallVector<Type> elements;
    for (Value v : op->getOperands())
      elements.push_back(rankedType(v).getElementType());
    Type resultElement = resultType.getElementType();
    bool supported = true;
    Value result = buildBroadcastGeneric(
        rewriter, op->getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value v = buildElementwiseScalar(b, loc, op, args, elements, resultElement);
          if (!v) {
            supported = false;
            v = args.empty() ? Value() : args[0];
          }
          return v;
        });
    if (!supported)
      return op->emitOpError("has no elementwise lowering");
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::kiln::populateElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<LowerElementwise>(converter, patterns.getContext());
}
