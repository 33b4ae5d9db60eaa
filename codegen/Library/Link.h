//===- Link.h - linking a generated library with LLVM's lld ---------------===//

#ifndef KILN_CODEGEN_LIBRARY_LINK_H
#define KILN_CODEGEN_LIBRARY_LINK_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mlir::kiln {

/// Links `object` into the shared library `output` (written in place; the
/// caller moves it into its final place) with soname `soname`, against libc
/// and libm only. Undefined symbols are an error.
llvm::Error linkSharedLibrary(llvm::StringRef object, llvm::StringRef output,
                              llvm::StringRef soname);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LIBRARY_LINK_H
