//===- Reduction.cpp - handlers for reductions, arg-reductions, top-k -----===//

#include "lib/Import/NodeImporter.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

template <typename OpTy>
LogicalResult reduce(NodeImporter &n) {
  int64_t rank = n.inputType(0).getRank();
  SmallVector<int64_t> axes;
  bool given = false;
  if (n.hasAttr("axes")) {
    axes = n.getInts("axes");
    given = true;
  } else if (n.hasInput(1)) {
    auto values = n.constantInts(1);
    if (!values)
      return n.unsupported("reduction axes that are not constants");
    axes.assign(values->begin(), values->end());
    given = true;
  }
  if (!given || axes.empty()) {
    if (n.getInt("noop_with_empty_axes", 0) != 0) {
      auto y = n.value<IdentityOp>({n.input(0)});
      return failed(y) ? failure() : n.setResults(*y);
    }
    axes.clear();
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  for (int64_t &axis : axes) {
    auto normalized = n.normalizedAxis(axis, rank);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  auto y = n.value<OpTy>({n.input(0)}, {n.i64ArrayAttr("axes", axes),
                                        n.boolAttr("keepdims", n.getInt("keepdims", 1) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

template <typename OpTy>
LogicalResult argReduce(NodeImporter &n) {
  auto axis = n.axisAttr("axis", 0, n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  auto y = n.value<OpTy>(
      {n.input(0)}, {n.i64Attr("axis", *axis),
                     n.boolAttr("keepdims", n.getInt("keepdims", 1) != 0),
                     n.boolAttr("select_last_index", n.getInt("select_last_index", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importTopK(NodeImporter &n) {
  auto axis = n.axisAttr("axis", -1, n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  Value k = n.input(1);
  if (!k) // opset < 10 kept k as an attribute
    k = n.i64Constant({n.getInt("k", 0)});
  auto op = n.create<TopKOp>(
      {n.input(0), k}, {n.i64Attr("axis", *axis),
                        n.boolAttr("largest", n.getInt("largest", 1) != 0),
                        n.boolAttr("sorted", n.getInt("sorted", 1) != 0)});
  return failed(op) ? failure() : n.setResults(op->getResults());
}

LogicalResult importCumSum(NodeImporter &n) {
  auto y = n.value<CumSumOp>({n.input(0), n.input(1)},
                             {n.boolAttr("exclusive", n.getInt("exclusive", 0) != 0),
                              n.boolAttr("reverse", n.getInt("reverse", 0) != 0)});
  return failed(y) ? failure() : n.setResults(*y);
}

} // namespace

void registerReductionHandlers(HandlerRegistry &r) {
  r.add("ReduceSum", reduce<ReduceSumOp>);
  r.add("ReduceMean", reduce<ReduceMeanOp>);
  r.add("ReduceMax", reduce<ReduceMaxOp>);
  r.add("ReduceMin", reduce<ReduceMinOp>);
  r.add("ReduceProd", reduce<ReduceProdOp>);
  r.add("ReduceL1", reduce<ReduceL1Op>);
  r.add("ReduceL2", reduce<ReduceL2Op>);
  r.add("ReduceSumSquare", reduce<ReduceSumSquareOp>);
  r.add("ReduceLogSum", reduce<ReduceLogSumOp>);
  r.add("ReduceLogSumExp", reduce<ReduceLogSumExpOp>);
  r.add("ArgMax", argReduce<ArgMaxOp>);
  r.add("ArgMin", argReduce<ArgMinOp>);
  r.add("TopK", importTopK);
  r.add("CumSum", importCumSum);
}

} // namespace mlir::kiln::import
