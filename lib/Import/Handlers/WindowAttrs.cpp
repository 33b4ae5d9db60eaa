//===- WindowAttrs.cpp - ONNX convolution and pooling attributes ----------===//

#include "lib/Import/Handlers/WindowAttrs.h"

using namespace mlir;

namespace mlir::kiln::import {

FailureOr<WindowAttrs> readWindowAttrs(NodeImporter &n, RankedTensorType inputType,
                                       ArrayRef<int64_t> kernel, bool ceilMode) {
  int64_t spatial = inputType.getRank() - 2;
  if (spatial < 1)
    return n.emitError() << "expects an input of rank >= 3, got " << inputType;
  WindowAttrs w;
  w.kernel.assign(kernel.begin(), kernel.end());
  if (static_cast<int64_t>(w.kernel.size()) != spatial)
    return n.emitError() << "expects a kernel of " << spatial << " dimensions";
  w.strides = n.getInts("strides");
  if (w.strides.empty())
    w.strides.assign(spatial, 1);
  w.dilations = n.getInts("dilations");
  if (w.dilations.empty())
    w.dilations.assign(spatial, 1);
  if (static_cast<int64_t>(w.strides.size()) != spatial ||
      static_cast<int64_t>(w.dilations.size()) != spatial)
    return n.emitError() << "expects strides and dilations for " << spatial
                         << " spatial dimensions";
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    w.pads = n.getInts("pads");
    if (w.pads.empty())
      w.pads.assign(2 * spatial, 0);
    if (static_cast<int64_t>(w.pads.size()) != 2 * spatial)
      return n.emitError() << "expects " << 2 * spatial << " pads, got "
                           << w.pads.size();
  } else if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    w.pads.assign(2 * spatial, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t size = inputType.getDimSize(i + 2);
      if (ShapedType::isDynamic(size) || ShapedType::isDynamic(w.kernel[i]))
        return n.emitError() << "auto_pad=" << autoPad
                             << " needs static spatial dimensions; give the "
                                "input shape with --input-shape";
      int64_t out = (size + w.strides[i] - 1) / w.strides[i];
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total = std::max<int64_t>((out - 1) * w.strides[i] + span - size, 0);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else {
    return n.emitError() << "unknown auto_pad '" << autoPad << "'";
  }
  (void)ceilMode;
  return w;
}

SmallVector<NamedAttribute> convAttrs(NodeImporter &n, const WindowAttrs &w,
                                      int64_t group) {
  return {n.i64ArrayAttr("strides", w.strides),
          n.i64ArrayAttr("dilations", w.dilations),
          n.i64ArrayAttr("pads", w.pads), n.i64Attr("group", group)};
}

} // namespace mlir::kiln::import
