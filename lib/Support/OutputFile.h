//===- OutputFile.h - atomic output files that never replace an input ----===//

#ifndef KILN_LIB_SUPPORT_OUTPUTFILE_H
#define KILN_LIB_SUPPORT_OUTPUTFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>

namespace mlir::kiln {

/// Writes `path` atomically: `write` fills a temporary file beside it, which
/// is renamed over `path` only if `write` succeeds. "-" writes to stdout.
/// Refuses to write to any of `inputs` (compared by real path).
llvm::Error writeOutputFile(llvm::StringRef path,
                            llvm::ArrayRef<std::string> inputs,
                            const std::function<bool(llvm::raw_ostream &)> &write);

} // namespace mlir::kiln

#endif // KILN_LIB_SUPPORT_OUTPUTFILE_H
