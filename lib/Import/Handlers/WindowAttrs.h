//===- WindowAttrs.h - ONNX convolution and pooling attributes ------------===//
//
// Resolves ONNX's strides, dilations, pads and auto_pad into the explicit
// begin/end pads kiln ops carry.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORT_HANDLERS_WINDOWATTRS_H
#define KILN_LIB_IMPORT_HANDLERS_WINDOWATTRS_H

#include "lib/Import/NodeImporter.h"

namespace mlir::kiln::import {

struct WindowAttrs {
  llvm::SmallVector<int64_t> kernel, strides, dilations, pads;
};

/// Reads the window attributes of a conv or pool node over an input of
/// `inputType`; `kernel` is the kernel extent per spatial dimension (from
/// the filter or `kernel_shape`). SAME auto-padding needs static spatial
/// input dimensions.
mlir::FailureOr<WindowAttrs> readWindowAttrs(NodeImporter &n,
                                             mlir::RankedTensorType inputType,
                                             llvm::ArrayRef<int64_t> kernel,
                                             bool ceilMode = false);

/// The attribute list of kiln.conv-like ops for `window`.
llvm::SmallVector<mlir::NamedAttribute> convAttrs(NodeImporter &n,
                                                  const WindowAttrs &window,
                                                  int64_t group);

} // namespace mlir::kiln::import

#endif // KILN_LIB_IMPORT_HANDLERS_WINDOWATTRS_H
