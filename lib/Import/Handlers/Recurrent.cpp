//===- Recurrent.cpp - handlers for RNN, GRU and LSTM ---------------------===//

#include "lib/Import/NodeImporter.h"

using namespace mlir;
using namespace mlir::kiln;

namespace mlir::kiln::import {
namespace {

/// ONNX's activation names and the defaults of their alpha and beta.
struct ActivationInfo {
  const char *name;
  Activation kind;
  bool usesAlpha, usesBeta;
  float alpha, beta;
};

constexpr ActivationInfo kActivations[] = {
    {"Relu", Activation::relu, false, false, 0, 0},
    {"Tanh", Activation::tanh, false, false, 0, 0},
    {"Sigmoid", Activation::sigmoid, false, false, 0, 0},
    {"Affine", Activation::affine, true, true, 1.0f, 0.0f},
    {"LeakyRelu", Activation::leaky_relu, true, false, 0.01f, 0},
    {"ThresholdedRelu", Activation::thresholded_relu, true, false, 1.0f, 0},
    {"ScaledTanh", Activation::scaled_tanh, true, true, 1.0f, 1.0f},
    {"HardSigmoid", Activation::hard_sigmoid, true, true, 0.2f, 0.5f},
    {"Elu", Activation::elu, true, false, 1.0f, 0},
    {"Softsign", Activation::softsign, false, false, 0, 0},
    {"Softplus", Activation::softplus, false, false, 0, 0},
};

template <typename OpTy>
LogicalResult recurrent(NodeImporter &n, ArrayRef<const char *> defaults,
                        unsigned states, ArrayRef<NamedAttribute> extraAttrs) {
  std::string directionText = n.getString("direction", "forward");
  std::optional<RnnDirection> direction = symbolizeRnnDirection(directionText);
  if (!direction)
    return n.emitError() << "unknown direction '" << directionText << "'";
  int64_t dirs = *direction == RnnDirection::bidirectional ? 2 : 1;
  int64_t hidden = n.getInt("hidden_size", 0);
  if (hidden <= 0 && n.inputType(2).getRank() == 3 && !n.inputType(2).isDynamicDim(2))
    hidden = n.inputType(2).getDimSize(2);
  SmallVector<std::string> names = n.getStrings("activations");
  if (names.empty())
    for (int64_t d = 0; d < dirs; ++d)
      for (const char *name : defaults)
        names.push_back(name);
  SmallVector<float> alphas = n.getFloats("activation_alpha"),
                     betas = n.getFloats("activation_beta");
  SmallVector<Attribute> kinds;
  SmallVector<float> alpha, beta;
  size_t nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : names) {
    const ActivationInfo *info = nullptr;
    for (const auto &candidate : kActivations)
      if (StringRef(candidate.name).equals_insensitive(name))
        info = &candidate;
    if (!info)
      return n.unsupported("activation '" + name + "'");
    kinds.push_back(ActivationAttr::get(n.context, info->kind));
    alpha.push_back(info->usesAlpha && nextAlpha < alphas.size() ? alphas[nextAlpha++]
                                                                 : info->alpha);
    beta.push_back(info->usesBeta && nextBeta < betas.size() ? betas[nextBeta++]
                                                             : info->beta);
  }
  SmallVector<NamedAttribute> attrs{
      n.i64Attr("hidden_size", hidden),
      n.namedAttr("direction", RnnDirectionAttr::get(n.context, *direction)),
      n.namedAttr("activations", n.builder.getArrayAttr(kinds)),
      n.namedAttr("activation_alpha", n.builder.getDenseF32ArrayAttr(alpha)),
      n.namedAttr("activation_beta", n.builder.getDenseF32ArrayAttr(beta)),
      n.i64Attr("layout", n.getInt("layout", 0))};
  if (n.hasAttr("clip"))
    attrs.push_back(n.f32Attr("clip", n.getFloat("clip", 0)));
  attrs.append(extraAttrs.begin(), extraAttrs.end());
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 6 + (states == 2 ? 2 : 0); ++i)
    operands.push_back(n.input(i));
  auto op = n.create<OpTy>(operands, attrs);
  return failed(op) ? failure() : n.setResults(op->getResults());
}

LogicalResult importRnn(NodeImporter &n) {
  return recurrent<RnnOp>(n, {"Tanh"}, 1, {});
}

LogicalResult importGru(NodeImporter &n) {
  return recurrent<GruOp>(
      n, {"Sigmoid", "Tanh"}, 1,
      {n.boolAttr("linear_before_reset", n.getInt("linear_before_reset", 0) != 0)});
}

LogicalResult importLstm(NodeImporter &n) {
  return recurrent<LstmOp>(
      n, {"Sigmoid", "Tanh", "Tanh"}, 2,
      {n.boolAttr("input_forget", n.getInt("input_forget", 0) != 0)});
}

} // namespace

void registerRecurrentHandlers(HandlerRegistry &r) {
  r.add("RNN", importRnn);
  r.add("GRU", importGru);
  r.add("LSTM", importLstm);
}

} // namespace mlir::kiln::import
