//===- RecurrentToLinalg.cpp - RNN, GRU and LSTM to linalg and scf --------===//
//
// Each direction of a recurrent layer becomes:
//  - one linalg.generic computing the input projection of every time step at
//    once, X * W^T plus the biases, as a [seq, batch, gates * hidden] tensor;
//  - an scf.for over the (static) sequence length whose iter_args carry the
//    hidden (and cell) state and Y; each step extracts its slice of the input
//    projection, multiplies the state by R^T (a linalg.generic reduction),
//    applies the gates elementwise in one linalg.generic and inserts the
//    step's output into Y with tensor.insert_slice. The reverse direction
//    walks t from the end.
// The arithmetic runs in f32 (f64 for f64 layers); f16 and bf16 operands are
// converted on the fly and the results converted back.
//
// Semantics follow ONNX (opset 14) and ONNX Runtime where ONNX leaves room:
//  - `clip` bounds the input of every gate activation (LSTM's h(C_t) is not
//    clipped, as C_t is no gate);
//  - with sequence_lens, a batch entry at a step t >= its length keeps its
//    state and gets zeros in Y (the reverse direction thus starts at the
//    entry's last valid step); the last states are those of the last valid
//    step, or the initial ones for a length <= 0;
//  - LSTM's input_forget couples the gates as f = 1 - i.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

enum class CellKind { rnn, gru, lstm };

/// One activation function with its alpha and beta.
struct ActivationFn {
  Activation kind;
  double alpha, beta;
};

/// Everything the lowering needs to know about one recurrent op.
struct RecurrentConfig {
  CellKind kind;
  int64_t seq, batch, inputSize, hidden, dirs, gates;
  bool batchMajor;
  RnnDirection direction;
  std::optional<double> clip;
  bool linearBeforeReset = false, inputForget = false;
  /// Activations of all directions, `perDirection` each.
  SmallVector<ActivationFn> activations;
  unsigned perDirection;
  /// The type the arithmetic runs in.
  Type compute;
  /// Whether Y is used at all (it is not computed otherwise).
  bool needY;

  const ActivationFn &activation(int64_t direction, unsigned index) const {
    return activations[direction * perDirection + index];
  }
  SmallVector<int64_t> stateShape() const {
    return batchMajor ? SmallVector<int64_t>{batch, dirs, hidden}
                      : SmallVector<int64_t>{dirs, batch, hidden};
  }
  SmallVector<int64_t> yShape() const {
    return batchMajor ? SmallVector<int64_t>{batch, seq, dirs, hidden}
                      : SmallVector<int64_t>{seq, dirs, batch, hidden};
  }
};

/// The operands after type conversion; absent optional ones are null.
struct RecurrentOperands {
  Value x, w, r, b, seqLens, h0, c0, p;
};

AffineExpr dim(OpBuilder &b, unsigned i) { return b.getAffineDimExpr(i); }

AffineMap makeMap(OpBuilder &b, unsigned dims, ArrayRef<AffineExpr> exprs) {
  return AffineMap::get(dims, 0, exprs, b.getContext());
}

Type elementOf(Value v) { return rankedType(v).getElementType(); }

/// A static slice of `input` (the input itself when it is the whole of it).
/// linalg.generic infers its loop ranges from the first operand dimension
/// indexed by a bare loop dimension, so the operands of the generics here are
/// sliced to exactly the iteration space rather than indexed with offsets.
Value sliceOf(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> offsets,
              ArrayRef<int64_t> sizes) {
  if (llvm::all_of(offsets, [](int64_t v) { return v == 0; }) &&
      rankedType(input).getShape() == sizes)
    return input;
  return extractSlice(b, loc, input, offsets, sizes,
                      SmallVector<int64_t>(sizes.size(), 1));
}

/// A scalar of a float operand in the compute type.
Value toCompute(OpBuilder &b, Location loc, Value scalar, Type compute) {
  return convertScalar(b, loc, scalar, scalar.getType(), compute);
}

/// Clips the input of an activation to [-clip, clip] when a clip is given.
Value clipValue(OpBuilder &b, Location loc, const RecurrentConfig &c, Value x) {
  if (!c.clip)
    return x;
  Value hi = scalarConstant(b, loc, c.compute, *c.clip);
  Value lo = scalarConstant(b, loc, c.compute, -*c.clip);
  return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, lo),
                                   hi);
}

/// The activation functions of ONNX's recurrent layers.
Value applyActivation(OpBuilder &b, Location loc, Type type,
                      const ActivationFn &fn, Value x) {
  auto c = [&](double v) { return scalarConstant(b, loc, type, v); };
  auto mul = [&](Value l, Value r) -> Value { return arith::MulFOp::create(b, loc, l, r); };
  auto add = [&](Value l, Value r) -> Value { return arith::AddFOp::create(b, loc, l, r); };
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) -> Value {
    return arith::CmpFOp::create(b, loc, p, l, r);
  };
  auto select = [&](Value cond, Value t, Value f) -> Value {
    return arith::SelectOp::create(b, loc, cond, t, f);
  };
  switch (fn.kind) {
  case Activation::relu:
    return arith::MaximumFOp::create(b, loc, x, c(0));
  case Activation::tanh:
    return math::TanhOp::create(b, loc, x);
  case Activation::sigmoid: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, c(1), add(c(1), e));
  }
  case Activation::affine:
    return add(mul(c(fn.alpha), x), c(fn.beta));
  case Activation::leaky_relu:
    return select(cmp(arith::CmpFPredicate::OGE, x, c(0)), x, mul(c(fn.alpha), x));
  case Activation::thresholded_relu:
    return select(cmp(arith::CmpFPredicate::OGE, x, c(fn.alpha)), x, c(0));
  case Activation::scaled_tanh:
    return mul(c(fn.alpha), math::TanhOp::create(b, loc, mul(c(fn.beta), x)));
  case Activation::hard_sigmoid: {
    Value v = add(mul(c(fn.alpha), x), c(fn.beta));
    return arith::MaximumFOp::create(b, loc, c(0),
                                     arith::MinimumFOp::create(b, loc, c(1), v));
  }
  case Activation::elu: {
    Value negative = mul(c(fn.alpha), math::ExpM1Op::create(b, loc, x));
    return select(cmp(arith::CmpFPredicate::OGE, x, c(0)), x, negative);
  }
  case Activation::softsign:
    return arith::DivFOp::create(b, loc, x,
                                 add(c(1), math::AbsFOp::create(b, loc, x)));
  case Activation::softplus: {
    // max(x, 0) + log1p(exp(-|x|)) does not overflow.
    Value absX = math::AbsFOp::create(b, loc, x);
    Value tail = math::Log1pOp::create(
        b, loc, math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, absX)));
    return add(arith::MaximumFOp::create(b, loc, x, c(0)), tail);
  }
  }
  llvm_unreachable("unknown activation");
}

/// The activation `index` of `direction` applied to the clipped `x`.
Value gate(OpBuilder &b, Location loc, const RecurrentConfig &c,
           int64_t direction, unsigned index, Value x) {
  return applyActivation(b, loc, c.compute, c.activation(direction, index),
                         clipValue(b, loc, c, x));
}

/// out[m, n] = sum_k lhs[m, k] * r[direction, offset + n, k]: a slice of the
/// rows of one direction of R, transposed, in the compute type.
Value recurrentProduct(OpBuilder &b, Location loc, const RecurrentConfig &c,
                       Value lhs, Value r, int64_t direction, int64_t offset,
                       int64_t rows) {
  auto lt = rankedType(lhs);
  Value init = filledTensor(b, loc, {lt.getDimSize(0), rows},
                            scalarConstant(b, loc, c.compute, 0));
  // [rows, hidden] (rank-reduced from [1, rows, hidden]; hidden may be 1).
  auto rType = rankedType(r);
  Value rows2d = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({rows, rType.getDimSize(2)}, rType.getElementType()),
      r, ValueRange{}, ValueRange{}, ValueRange{},
      ArrayRef<int64_t>{direction, offset, 0},
      ArrayRef<int64_t>{1, rows, rType.getDimSize(2)}, ArrayRef<int64_t>{1, 1, 1});
  SmallVector<AffineMap> maps{makeMap(b, 3, {dim(b, 0), dim(b, 2)}),
                              makeMap(b, 3, {dim(b, 1), dim(b, 2)}),
                              makeMap(b, 3, {dim(b, 0), dim(b, 1)})};
  return buildGeneric(
      b, loc, ValueRange{lhs, rows2d}, init, maps,
      {IT::parallel, IT::parallel, IT::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value rv = toCompute(nb, nl, args[1], c.compute);
        Value p = arith::MulFOp::create(nb, nl, args[0], rv);
        return SmallVector<Value>{arith::AddFOp::create(nb, nl, args[2], p)};
      })[0];
}

/// Elements [offset, offset + size) of row `direction` of a [dirs, N] tensor
/// (B, P) as a 1-D tensor of `size` elements.
Value vectorOf(OpBuilder &b, Location loc, Value v, int64_t direction,
               int64_t offset, int64_t size) {
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({size}, elementOf(v)), v, ValueRange{},
      ValueRange{}, ValueRange{}, ArrayRef<int64_t>{direction, offset},
      ArrayRef<int64_t>{1, size}, ArrayRef<int64_t>{1, 1});
}

/// X_t * W^T + Wb + Rb for every t of one direction: [seq, batch, G*H]. GRU
/// with linear_before_reset leaves Rbh out (it is added inside the reset).
Value inputProjection(OpBuilder &b, Location loc, const RecurrentConfig &c,
                      const RecurrentOperands &in, int64_t direction) {
  int64_t gh = c.gates * c.hidden;
  SmallVector<int64_t> shape{c.seq, c.batch, gh};
  AffineExpr dc = b.getAffineConstantExpr(direction);
  Value init;
  if (in.b) {
    bool skipRbh = c.kind == CellKind::gru && c.linearBeforeReset;
    Value wb = vectorOf(b, loc, in.b, direction, 0, gh);
    Value rb = vectorOf(b, loc, in.b, direction, gh, gh);
    SmallVector<AffineMap> maps{makeMap(b, 3, {dim(b, 2)}),
                                makeMap(b, 3, {dim(b, 2)}),
                                b.getMultiDimIdentityMap(3)};
    init = buildGeneric(
        b, loc, ValueRange{wb, rb}, emptyTensor(b, loc, shape, c.compute),
        maps, SmallVector<IT>(3, IT::parallel),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value wb = toCompute(nb, nl, args[0], c.compute);
          Value rb = toCompute(nb, nl, args[1], c.compute);
          Value sum = arith::AddFOp::create(nb, nl, wb, rb);
          if (skipRbh) {
            Value j = linalg::IndexOp::create(nb, nl, 2);
            Value isH = arith::CmpIOp::create(
                nb, nl, arith::CmpIPredicate::sge, j,
                arith::ConstantIndexOp::create(nb, nl, 2 * c.hidden));
            sum = arith::SelectOp::create(nb, nl, isH, wb, sum);
          }
          return SmallVector<Value>{sum};
        })[0];
  } else {
    init = filledTensor(b, loc, shape, scalarConstant(b, loc, c.compute, 0));
  }
  // Iteration space: t, b, j, k.
  AffineMap xMap = c.batchMajor ? makeMap(b, 4, {dim(b, 1), dim(b, 0), dim(b, 3)})
                                : makeMap(b, 4, {dim(b, 0), dim(b, 1), dim(b, 3)});
  SmallVector<AffineMap> maps{xMap, makeMap(b, 4, {dc, dim(b, 2), dim(b, 3)}),
                              makeMap(b, 4, {dim(b, 0), dim(b, 1), dim(b, 2)})};
  return buildGeneric(
      b, loc, ValueRange{in.x, in.w}, init, maps,
      {IT::parallel, IT::parallel, IT::parallel, IT::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value xv = toCompute(nb, nl, args[0], c.compute);
        Value wv = toCompute(nb, nl, args[1], c.compute);
        Value p = arith::MulFOp::create(nb, nl, xv, wv);
        return SmallVector<Value>{arith::AddFOp::create(nb, nl, args[2], p)};
      })[0];
}

/// The initial state of one direction, [1, batch, hidden] in the compute
/// type (zeros without one).
Value initialState(OpBuilder &b, Location loc, const RecurrentConfig &c,
                   Value state, int64_t direction) {
  SmallVector<int64_t> shape{1, c.batch, c.hidden};
  if (!state)
    return filledTensor(b, loc, shape, scalarConstant(b, loc, c.compute, 0));
  AffineExpr dc = b.getAffineConstantExpr(direction);
  AffineMap in = c.batchMajor ? makeMap(b, 3, {dim(b, 1), dc, dim(b, 2)})
                              : makeMap(b, 3, {dc, dim(b, 1), dim(b, 2)});
  return buildGeneric(b, loc, state, emptyTensor(b, loc, shape, c.compute),
                      {in, b.getMultiDimIdentityMap(3)},
                      SmallVector<IT>(3, IT::parallel),
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return SmallVector<Value>{
                            toCompute(nb, nl, args[0], c.compute)};
                      })[0];
}

/// Inputs and indexing maps of the elementwise generic of one step, over the
/// iteration space (batch, hidden). Operands are sliced to that space.
struct StepInputs {
  OpBuilder &b;
  Location loc;
  int64_t batch, hidden;
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;

  /// Columns [offset, offset + hidden) of a [batch, N] tensor.
  unsigned columns(Value v, int64_t offset) {
    return add(sliceOf(b, loc, v, {0, offset}, {batch, hidden}),
               b.getMultiDimIdentityMap(2));
  }
  /// Elements [offset, offset + hidden) of row `direction` of a [dirs, N]
  /// tensor (B, P), broadcast over the batch.
  unsigned row(Value v, int64_t direction, int64_t offset) {
    return add(vectorOf(b, loc, v, direction, offset, hidden),
               makeMap(b, 2, {dim(b, 1)}));
  }
  /// A per-batch-entry [batch] tensor.
  unsigned perBatch(Value v) { return add(v, makeMap(b, 2, {dim(b, 0)})); }
  unsigned add(Value v, AffineMap map) {
    values.push_back(v);
    maps.push_back(map);
    return values.size() - 1;
  }
};

/// The results of one step: the new states and Y's slice.
struct StepResult {
  Value h, c, y;
};

/// Builds the final elementwise generic of a step: `body` computes the new
/// hidden (and cell) state from the inputs and the previous states; masking
/// by sequence_lens and Y's slice are added here.
StepResult finishStep(
    OpBuilder &b, Location loc, const RecurrentConfig &c,
    const RecurrentOperands &in, StepInputs &inputs, Value t, Value hPrev,
    Value cPrev,
    function_ref<std::pair<Value, Value>(OpBuilder &, Location, ValueRange,
                                         Value, Value)>
        body) {
  SmallVector<int64_t> shape{c.batch, c.hidden};
  bool lstm = c.kind == CellKind::lstm;
  bool masked = static_cast<bool>(in.seqLens);
  unsigned lenIndex = masked ? inputs.perBatch(in.seqLens) : 0;
  unsigned hIndex = inputs.columns(hPrev, 0);
  unsigned cIndex = lstm ? inputs.columns(cPrev, 0) : 0;
  unsigned inputCount = inputs.values.size();
  Value t64 = masked ? arith::IndexCastOp::create(b, loc, b.getI64Type(), t)
                     : Value();
  SmallVector<Value> inits{emptyTensor(b, loc, shape, c.compute)};
  if (lstm)
    inits.push_back(emptyTensor(b, loc, shape, c.compute));
  bool separateY = masked && c.needY;
  if (separateY)
    inits.push_back(emptyTensor(b, loc, shape, c.compute));
  SmallVector<AffineMap> maps(inputs.maps);
  maps.append(inits.size(), b.getMultiDimIdentityMap(2));
  SmallVector<Value> results = buildGeneric(
      b, loc, inputs.values, inits, maps, {IT::parallel, IT::parallel},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value hOld = args[hIndex];
        Value cOld = lstm ? args[cIndex] : Value();
        auto [h, cell] = body(nb, nl, args.take_front(inputCount), hOld, cOld);
        SmallVector<Value> yields;
        if (!masked) {
          yields.push_back(h);
          if (lstm)
            yields.push_back(cell);
          return yields;
        }
        Value len = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), args[lenIndex]);
        Value valid =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, t64, len);
        yields.push_back(arith::SelectOp::create(nb, nl, valid, h, hOld));
        if (lstm)
          yields.push_back(arith::SelectOp::create(nb, nl, valid, cell, cOld));
        if (separateY)
          yields.push_back(arith::SelectOp::create(
              nb, nl, valid, h, scalarConstant(nb, nl, c.compute, 0)));
        return yields;
      });
  StepResult result;
  result.h = results[0];
  if (lstm)
    result.c = results[1];
  result.y = separateY ? results.back() : result.h;
  return result;
}

/// One step of one direction. `xt` is the step's input projection
/// [batch, G*H]; `t` is the time index (for sequence_lens).
StepResult buildStep(OpBuilder &b, Location loc, const RecurrentConfig &c,
                     const RecurrentOperands &in, int64_t d, Value t, Value xt,
                     Value hPrev, Value cPrev) {
  int64_t hs = c.hidden;
  Type ct = c.compute;
  auto one = [&](OpBuilder &nb, Location nl) { return scalarConstant(nb, nl, ct, 1); };
  auto add = [](OpBuilder &nb, Location nl, Value l, Value r) -> Value {
    return arith::AddFOp::create(nb, nl, l, r);
  };
  auto mul = [](OpBuilder &nb, Location nl, Value l, Value r) -> Value {
    return arith::MulFOp::create(nb, nl, l, r);
  };
  auto sub = [](OpBuilder &nb, Location nl, Value l, Value r) -> Value {
    return arith::SubFOp::create(nb, nl, l, r);
  };
  StepInputs inputs{b, loc, c.batch, c.hidden, {}, {}};

  switch (c.kind) {
  case CellKind::rnn: {
    // H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb).
    Value hr = recurrentProduct(b, loc, c, hPrev, in.r, d, 0, hs);
    unsigned xi = inputs.columns(xt, 0), hi = inputs.columns(hr, 0);
    return finishStep(b, loc, c, in, inputs, t, hPrev, cPrev,
                      [&](OpBuilder &nb, Location nl, ValueRange a, Value, Value) {
                        Value h = gate(nb, nl, c, d, 0, add(nb, nl, a[xi], a[hi]));
                        return std::make_pair(h, Value());
                      });
  }
  case CellKind::gru: {
    unsigned xz = inputs.columns(xt, 0), xr = inputs.columns(xt, hs),
             xh = inputs.columns(xt, 2 * hs);
    if (c.linearBeforeReset) {
      // h = g(X_t Wh^T + r . (H_{t-1} Rh^T + Rbh) + Wbh).
      Value hr = recurrentProduct(b, loc, c, hPrev, in.r, d, 0, 3 * hs);
      unsigned hz = inputs.columns(hr, 0), hrr = inputs.columns(hr, hs),
               hh = inputs.columns(hr, 2 * hs);
      unsigned rbh = in.b ? inputs.row(in.b, d, 5 * hs) : 0;
      return finishStep(
          b, loc, c, in, inputs, t, hPrev, cPrev,
          [&](OpBuilder &nb, Location nl, ValueRange a, Value hOld, Value) {
            Value z = gate(nb, nl, c, d, 0, add(nb, nl, a[xz], a[hz]));
            Value r = gate(nb, nl, c, d, 0, add(nb, nl, a[xr], a[hrr]));
            Value recurrent = a[hh];
            if (in.b)
              recurrent = add(nb, nl, recurrent, toCompute(nb, nl, a[rbh], ct));
            Value h = gate(nb, nl, c, d, 1,
                           add(nb, nl, a[xh], mul(nb, nl, r, recurrent)));
            // H_t = (1 - z) . h + z . H_{t-1}.
            Value next = add(nb, nl, mul(nb, nl, sub(nb, nl, one(nb, nl), z), h),
                             mul(nb, nl, z, hOld));
            return std::make_pair(next, Value());
          });
    }
    // z and r . H_{t-1} first, then h = g(X_t Wh^T + (r . H_{t-1}) Rh^T +
    // Rbh + Wbh) (both biases are in the input projection).
    Value zr = recurrentProduct(b, loc, c, hPrev, in.r, d, 0, 2 * hs);
    StepInputs gates{b, loc, c.batch, c.hidden, {}, {}};
    unsigned gxz = gates.columns(xt, 0), gxr = gates.columns(xt, hs),
             ghz = gates.columns(zr, 0), ghr = gates.columns(zr, hs),
             ghp = gates.columns(hPrev, 0);
    SmallVector<int64_t> shape{c.batch, hs};
    SmallVector<AffineMap> maps(gates.maps);
    maps.append(2, b.getMultiDimIdentityMap(2));
    SmallVector<Value> zAndReset = buildGeneric(
        b, loc, gates.values,
        ValueRange{emptyTensor(b, loc, shape, ct), emptyTensor(b, loc, shape, ct)},
        maps, {IT::parallel, IT::parallel},
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          Value z = gate(nb, nl, c, d, 0, add(nb, nl, a[gxz], a[ghz]));
          Value r = gate(nb, nl, c, d, 0, add(nb, nl, a[gxr], a[ghr]));
          return SmallVector<Value>{z, mul(nb, nl, r, a[ghp])};
        });
    Value hh = recurrentProduct(b, loc, c, zAndReset[1], in.r, d, 2 * hs, hs);
    unsigned hhi = inputs.columns(hh, 0), zi = inputs.columns(zAndReset[0], 0);
    return finishStep(
        b, loc, c, in, inputs, t, hPrev, cPrev,
        [&](OpBuilder &nb, Location nl, ValueRange a, Value hOld, Value) {
          Value h = gate(nb, nl, c, d, 1, add(nb, nl, a[xh], a[hhi]));
          Value z = a[zi];
          Value next = add(nb, nl, mul(nb, nl, sub(nb, nl, one(nb, nl), z), h),
                           mul(nb, nl, z, hOld));
          return std::make_pair(next, Value());
        });
  }
  case CellKind::lstm: {
    // Gates i, o, f, c in W, R and B; peepholes i, o, f in P.
    Value hr = recurrentProduct(b, loc, c, hPrev, in.r, d, 0, 4 * hs);
    unsigned xi = inputs.columns(xt, 0), xo = inputs.columns(xt, hs),
             xf = inputs.columns(xt, 2 * hs), xc = inputs.columns(xt, 3 * hs);
    unsigned hi = inputs.columns(hr, 0), ho = inputs.columns(hr, hs),
             hf = inputs.columns(hr, 2 * hs), hc = inputs.columns(hr, 3 * hs);
    unsigned pi = 0, po = 0, pf = 0;
    if (in.p) {
      pi = inputs.row(in.p, d, 0);
      po = inputs.row(in.p, d, hs);
      pf = inputs.row(in.p, d, 2 * hs);
    }
    return finishStep(
        b, loc, c, in, inputs, t, hPrev, cPrev,
        [&](OpBuilder &nb, Location nl, ValueRange a, Value, Value cPrevV) {
          auto peephole = [&](Value pre, unsigned index, Value cell) {
            if (!in.p)
              return pre;
            Value p = toCompute(nb, nl, a[index], ct);
            return add(nb, nl, pre, mul(nb, nl, p, cell));
          };
          Value i = gate(nb, nl, c, d, 0,
                         peephole(add(nb, nl, a[xi], a[hi]), pi, cPrevV));
          Value f;
          if (c.inputForget)
            f = sub(nb, nl, one(nb, nl), i);
          else
            f = gate(nb, nl, c, d, 0,
                     peephole(add(nb, nl, a[xf], a[hf]), pf, cPrevV));
          Value g = gate(nb, nl, c, d, 1, add(nb, nl, a[xc], a[hc]));
          Value cell = add(nb, nl, mul(nb, nl, f, cPrevV), mul(nb, nl, i, g));
          Value o = gate(nb, nl, c, d, 0,
                         peephole(add(nb, nl, a[xo], a[ho]), po, cell));
          Value h = mul(nb, nl, o,
                        applyActivation(nb, nl, ct, c.activation(d, 2), cell));
          return std::make_pair(h, cell);
        });
  }
  }
  llvm_unreachable("unknown cell");
}

/// The [batch, hidden] state held in a loop-carried [1, batch, hidden]
/// tensor. States are carried with that extra unit dimension and updated
/// with tensor.insert_slice, so that each yielded state bufferizes in place
/// of its iter_arg (a [batch, hidden] result of a linalg.generic would be a
/// new buffer every step).
Value stateOf(OpBuilder &b, Location loc, const RecurrentConfig &c, Value carried) {
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({c.batch, c.hidden}, c.compute), carried,
      ValueRange{}, ValueRange{}, ValueRange{}, ArrayRef<int64_t>{0, 0, 0},
      ArrayRef<int64_t>{1, c.batch, c.hidden}, ArrayRef<int64_t>{1, 1, 1});
}

Value updateState(OpBuilder &b, Location loc, const RecurrentConfig &c,
                  Value state, Value carried) {
  SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0)),
      strides(3, b.getIndexAttr(1)),
      sizes{b.getIndexAttr(1), b.getIndexAttr(c.batch), b.getIndexAttr(c.hidden)};
  return tensor::InsertSliceOp::create(b, loc, state, carried, offsets, sizes,
                                       strides);
}

/// Inserts a [batch, hidden] state into direction `d` of a state tensor.
Value insertState(OpBuilder &b, Location loc, const RecurrentConfig &c,
                  Value state, Value into, int64_t d) {
  SmallVector<OpFoldResult> offsets, sizes, strides(3, b.getIndexAttr(1));
  if (c.batchMajor) {
    offsets = {b.getIndexAttr(0), b.getIndexAttr(d), b.getIndexAttr(0)};
    sizes = {b.getIndexAttr(c.batch), b.getIndexAttr(1), b.getIndexAttr(c.hidden)};
  } else {
    offsets = {b.getIndexAttr(d), b.getIndexAttr(0), b.getIndexAttr(0)};
    sizes = {b.getIndexAttr(1), b.getIndexAttr(c.batch), b.getIndexAttr(c.hidden)};
  }
  return tensor::InsertSliceOp::create(b, loc, state, into, offsets, sizes, strides);
}

/// The whole layer: Y, Y_h (and Y_c) in the compute type.
SmallVector<Value> buildRecurrent(OpBuilder &b, Location loc,
                                  const RecurrentConfig &c,
                                  const RecurrentOperands &in) {
  bool lstm = c.kind == CellKind::lstm;
  int64_t gh = c.gates * c.hidden;
  Value y = c.needY ? emptyTensor(b, loc, c.yShape(), c.compute) : Value();
  Value yh = emptyTensor(b, loc, c.stateShape(), c.compute);
  Value yc = lstm ? emptyTensor(b, loc, c.stateShape(), c.compute) : Value();
  // Without batch entries every result is empty; without steps, Y is empty
  // and the last states are the initial ones (no slice may even be taken
  // of a tensor with a zero-sized dimension).
  if (c.batch == 0) {
    SmallVector<Value> results{y, yh};
    if (lstm)
      results.push_back(yc);
    return results;
  }
  if (c.seq == 0) {
    for (int64_t d = 0; d < c.dirs; ++d) {
      yh = insertState(b, loc, c, stateOf(b, loc, c, initialState(b, loc, c, in.h0, d)),
                       yh, d);
      if (lstm)
        yc = insertState(b, loc, c,
                         stateOf(b, loc, c, initialState(b, loc, c, in.c0, d)), yc, d);
    }
    SmallVector<Value> results{y, yh};
    if (lstm)
      results.push_back(yc);
    return results;
  }
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, c.seq);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d = 0; d < c.dirs; ++d) {
    bool reverse = c.direction == RnnDirection::reverse ||
                   (c.direction == RnnDirection::bidirectional && d == 1);
    Value projection = inputProjection(b, loc, c, in, d);
    SmallVector<Value> iterInit{initialState(b, loc, c, in.h0, d)};
    if (lstm)
      iterInit.push_back(initialState(b, loc, c, in.c0, d));
    if (c.needY)
      iterInit.push_back(y);
    auto loop = scf::ForOp::create(
        b, loc, lower, upper, step, iterInit,
        [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
          Value t = iv;
          if (reverse)
            t = arith::SubIOp::create(
                nb, nl, arith::ConstantIndexOp::create(nb, nl, c.seq - 1), iv);
          // The step's slice of the input projection, [batch, G*H].
          SmallVector<OpFoldResult> offsets{t, nb.getIndexAttr(0), nb.getIndexAttr(0)};
          SmallVector<OpFoldResult> sizes{nb.getIndexAttr(1), nb.getIndexAttr(c.batch),
                                          nb.getIndexAttr(gh)};
          SmallVector<OpFoldResult> strides(3, nb.getIndexAttr(1));
          Value xt = tensor::ExtractSliceOp::create(
              nb, nl, RankedTensorType::get({c.batch, gh}, c.compute), projection,
              offsets, sizes, strides);
          StepResult s =
              buildStep(nb, nl, c, in, d, t, xt, stateOf(nb, nl, c, args[0]),
                        lstm ? stateOf(nb, nl, c, args[1]) : Value());
          SmallVector<Value> yields{updateState(nb, nl, c, s.h, args[0])};
          if (lstm)
            yields.push_back(updateState(nb, nl, c, s.c, args[1]));
          if (c.needY) {
            SmallVector<OpFoldResult> yOffsets, ySizes,
                yStrides(4, nb.getIndexAttr(1));
            OpFoldResult zero = nb.getIndexAttr(0), one = nb.getIndexAttr(1),
                         dir = nb.getIndexAttr(d), batch = nb.getIndexAttr(c.batch),
                         hidden = nb.getIndexAttr(c.hidden);
            if (c.batchMajor) {
              yOffsets = {zero, t, dir, zero};
              ySizes = {batch, one, one, hidden};
            } else {
              yOffsets = {t, dir, zero, zero};
              ySizes = {one, one, batch, hidden};
            }
            yields.push_back(tensor::InsertSliceOp::create(
                nb, nl, s.y, args.back(), yOffsets, ySizes, yStrides));
          }
          scf::YieldOp::create(nb, nl, yields);
        });
    yh = insertState(b, loc, c, stateOf(b, loc, c, loop.getResult(0)), yh, d);
    if (lstm)
      yc = insertState(b, loc, c, stateOf(b, loc, c, loop.getResult(1)), yc, d);
    if (c.needY)
      y = loop.getResults().back();
  }
  SmallVector<Value> results{y, yh};
  if (lstm)
    results.push_back(yc);
  return results;
}

bool isSupportedFloat(Type type) {
  return type.isF16() || type.isBF16() || type.isF32() || type.isF64();
}

template <typename OpTy>
struct LowerRecurrent : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  static constexpr CellKind kind = std::is_same_v<OpTy, RnnOp>   ? CellKind::rnn
                                   : std::is_same_v<OpTy, GruOp> ? CellKind::gru
                                                                 : CellKind::lstm;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    RecurrentConfig c;
    RecurrentOperands in;
    if (failed(configure(op, adaptor, c, in)))
      return failure();
    Location loc = op.getLoc();
    SmallVector<Value> results = buildRecurrent(rewriter, loc, c, in);
    // Back to the result types.
    for (auto [i, result] : llvm::enumerate(op->getResults())) {
      auto type = llvm::cast<RankedTensorType>(result.getType());
      if (!results[i]) {
        results[i] = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
        continue;
      }
      if (type.getElementType() != c.compute)
        results[i] = buildBroadcastGeneric(
            rewriter, loc, type, results[i],
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              return convertScalar(nb, nl, args[0], c.compute, type.getElementType());
            });
    }
    rewriter.replaceOp(op, results);
    return success();
  }

  LogicalResult configure(OpTy op, OpAdaptor adaptor, RecurrentConfig &c,
                          RecurrentOperands &in) const {
    c.kind = kind;
    c.gates = kind == CellKind::rnn ? 1 : kind == CellKind::gru ? 3 : 4;
    c.perDirection = kind == CellKind::rnn ? 1 : kind == CellKind::gru ? 2 : 3;
    c.direction = op.getDirection();
    c.dirs = c.direction == RnnDirection::bidirectional ? 2 : 1;
    c.hidden = op.getHiddenSize();
    if (op.getLayout() != 0 && op.getLayout() != 1)
      return op.emitOpError("expects layout 0 or 1");
    c.batchMajor = op.getLayout() == 1;
    auto xType = op.getInput().getType();
    if (xType.getRank() != 3)
      return op.emitOpError("expects a 3-D input sequence");
    c.seq = xType.getDimSize(c.batchMajor ? 1 : 0);
    c.batch = xType.getDimSize(c.batchMajor ? 0 : 1);
    c.inputSize = xType.getDimSize(2);
    Type element = xType.getElementType();
    c.compute = element.isF64() ? Type(Float64Type::get(op.getContext()))
                                : Type(Float32Type::get(op.getContext()));
    if (c.hidden < 1)
      return op.emitOpError("expects hidden_size >= 1");

    in.x = adaptor.getInput();
    in.w = adaptor.getWeights();
    in.r = adaptor.getRecurrence();
    in.b = adaptor.getBias();
    in.seqLens = adaptor.getSequenceLens();
    in.h0 = adaptor.getInitialH();
    if constexpr (std::is_same_v<OpTy, LstmOp>) {
      in.c0 = adaptor.getInitialC();
      in.p = adaptor.getPeepholes();
      c.inputForget = op.getInputForget();
    }
    if constexpr (std::is_same_v<OpTy, GruOp>)
      c.linearBeforeReset = op.getLinearBeforeReset();

    // Shapes: the verifier admits dynamic dimensions and does not check the
    // initial states, so everything is checked here before any indexing.
    int64_t gh = c.gates * c.hidden;
    SmallVector<int64_t> state = c.stateShape();
    auto expect = [&](Value v, ArrayRef<int64_t> shape,
                      StringRef name) -> LogicalResult {
      if (!v || rankedType(v).getShape() == shape)
        return success();
      return op.emitOpError() << "expects " << name << " of shape ["
                              << llvm::make_range(shape.begin(), shape.end())
                              << "], got " << v.getType();
    };
    if (failed(expect(in.w, {c.dirs, gh, c.inputSize}, "weights")) ||
        failed(expect(in.r, {c.dirs, gh, c.hidden}, "recurrence")) ||
        failed(expect(in.b, {c.dirs, 2 * gh}, "bias")) ||
        failed(expect(in.seqLens, {c.batch}, "sequence_lens")) ||
        failed(expect(in.h0, state, "initial_h")) ||
        failed(expect(in.c0, state, "initial_c")) ||
        failed(expect(in.p, {c.dirs, 3 * c.hidden}, "peepholes")) ||
        failed(expect(op->getResult(0), c.yShape(), "Y")))
      return failure();
    for (Value v : op->getResults().drop_front())
      if (failed(expect(v, state, "final states")))
        return failure();
    for (Value v : {in.x, in.w, in.r, in.b, in.h0, in.c0, in.p})
      if (v && !isSupportedFloat(elementOf(v)))
        return op.emitOpError("lowers only f16, bf16, f32 and f64 layers, got ")
               << v.getType();
    for (Value v : op->getResults())
      if (!isSupportedFloat(elementOf(v)))
        return op.emitOpError("lowers only f16, bf16, f32 and f64 layers, got ")
               << v.getType();

    // Activations.
    ArrayAttr kinds = op.getActivations();
    ArrayRef<float> alpha = op.getActivationAlpha(), beta = op.getActivationBeta();
    size_t count = c.dirs * c.perDirection;
    if (kinds.size() != count || alpha.size() != count || beta.size() != count)
      return op.emitOpError() << "expects " << count
                              << " activations with their alpha and beta";
    for (size_t i = 0; i < count; ++i) {
      auto attr = llvm::dyn_cast<ActivationAttr>(kinds[i]);
      if (!attr)
        return op.emitOpError("expects activation attributes");
      c.activations.push_back({attr.getValue(), alpha[i], beta[i]});
    }
    if (FloatAttr clip = op.getClipAttr()) {
      double v = clip.getValueAsDouble();
      if (!(v > 0))
        return op.emitOpError() << "expects a positive clip threshold, got " << v;
      c.clip = v;
    }
    c.needY = !op->getResult(0).use_empty();
    return success();
  }
};

} // namespace

void mlir::kiln::populateRecurrentToLinalgPatterns(const TypeConverter &converter,
                                                   RewritePatternSet &patterns) {
  patterns.add<LowerRecurrent<RnnOp>, LowerRecurrent<GruOp>,
               LowerRecurrent<LstmOp>>(converter, patterns.getContext());
}
