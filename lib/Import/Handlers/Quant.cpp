//===- Quant.cpp - handlers for ONNX quantization ops ---------------------===//

#include "lib/Import/Handlers/WindowAttrs.h"
#include "lib/Import/NodeImporter.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

template <typename OpTy>
LogicalResult affine(NodeImporter &n) {
  // The axis only matters for per-channel parameters (checked by the op);
  // the default of 1 is fine for per-tensor quantization of any rank.
  int64_t rank = n.inputType(0).getRank();
  int64_t axis = n.getInt("axis", 1);
  if (axis < 0 && axis >= -rank)
    axis += rank;
  if (n.hasAttr("saturate"))
    return n.unsupported("the opset-19 saturate attribute");
  auto y = n.value<OpTy>({n.input(0), n.input(1), n.input(2)},
                         {n.i64Attr("axis", axis)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importDynamicQuantizeLinear(NodeImporter &n) {
  auto op = n.create<DynamicQuantizeLinearOp>({n.input(0)});
  return failed(op) ? failure() : n.setResults(op->getResults());
}

LogicalResult importMatMulInteger(NodeImporter &n) {
  auto y = n.value<MatMulIntegerOp>({n.input(0), n.input(1), n.input(2), n.input(3)});
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importQLinearMatMul(NodeImporter &n) {
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 8; ++i)
    operands.push_back(n.input(i));
  auto y = n.value<QLinearMatMulOp>(operands);
  return failed(y) ? failure() : n.setResults(*y);
}

/// The window attributes of a conv whose weights are input `weightsInput`.
FailureOr<SmallVector<NamedAttribute>> convLikeAttrs(NodeImporter &n,
                                                     unsigned weightsInput) {
  RankedTensorType w = n.inputType(weightsInput);
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if (kernel.empty())
    kernel.assign(w.getShape().begin() + std::min<int64_t>(2, w.getRank()),
                  w.getShape().end());
  auto window = readWindowAttrs(n, n.inputType(0), kernel);
  if (failed(window))
    return failure();
  return convAttrs(n, *window, n.getInt("group", 1));
}

LogicalResult importConvInteger(NodeImporter &n) {
  auto attrs = convLikeAttrs(n, 1);
  if (failed(attrs))
    return failure();
  auto y = n.value<ConvIntegerOp>(
      {n.input(0), n.input(1), n.input(2), n.input(3)}, *attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

LogicalResult importQLinearConv(NodeImporter &n) {
  auto attrs = convLikeAttrs(n, 3);
  if (failed(attrs))
    return failure();
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 9; ++i)
    operands.push_back(n.input(i));
  auto y = n.value<QLinearConvOp>(operands, *attrs);
  return failed(y) ? failure() : n.setResults(*y);
}

} // namespace

void registerQuantHandlers(HandlerRegistry &r) {
  r.add("QuantizeLinear", affine<QuantizeLinearOp>);
  r.add("DequantizeLinear", affine<DequantizeLinearOp>);
  r.add("DynamicQuantizeLinear", importDynamicQuantizeLinear);
  r.add("MatMulInteger", importMatMulInteger);
  r.add("QLinearMatMul", importQLinearMatMul);
  r.add("ConvInteger", importConvInteger);
  r.add("QLinearConv", importQLinearConv);
}

} // namespace mlir::kiln::import
