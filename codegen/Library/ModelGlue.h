//===- ModelGlue.h - the C ABI around a compiled model --------------------===//
//
// A model lowered to LLVM IR is one function, `main(inputs..., weights,
// outputs...)` on memref descriptors. The glue added here makes it a Kiln
// library: the metadata tables the C ABI describes, the weights (embedded
// or expected in a side file), the runtime (lib/Runtime/Runtime.c, linked
// from bitcode) and the exported NAME_* functions and kiln_get_model.
// Everything else is internal to the library.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_LIBRARY_MODELGLUE_H
#define KILN_CODEGEN_LIBRARY_MODELGLUE_H

#include "codegen/Library/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/Error.h"

namespace mlir::kiln {

struct LibraryConfig {
  /// The C identifier prefixing the exported functions (NAME_create, ...).
  std::string name;
  /// Weights in a side file (`NAME.weights`) instead of in the library.
  bool externalWeights = false;
  /// Bytes of the arena of main's temporaries (kiln-plan-memory), which
  /// each context allocates when it is created.
  int64_t arenaBytes = 0;
};

/// The header of an external weights file; the data follows at offset 64.
inline constexpr char kWeightsMagic[8] = {'K', 'I', 'L', 'N', 'W', 'G', 'T', '1'};
inline constexpr size_t kWeightsHeaderBytes = 64;

/// The hash identifying a weights blob (stored in the library and in the
/// header of an external weights file).
uint64_t weightsHash(llvm::ArrayRef<char> weights);

/// Adds the C ABI to `module`, which holds the lowered `main`, and links the
/// runtime into it. Only NAME_* and kiln_get_model stay exported.
llvm::Error addModelGlue(llvm::Module &module, const ModelSignature &signature,
                         llvm::ArrayRef<char> weights,
                         const LibraryConfig &config);

/// The text of NAME.h: the ABI types and the declarations of the exported
/// functions, with the model's inputs and outputs in comments and macros.
std::string generateHeader(const ModelSignature &signature,
                           const LibraryConfig &config,
                           llvm::StringRef modelFile);

/// Removes the weights blob that kiln-outline-weights left in `module` and
/// returns its bytes (empty if there is none); drops kiln's argument
/// attributes, which LLVM does not know.
std::vector<char> takeWeights(mlir::ModuleOp module);

/// Writes an external weights file: the header, then the blob.
void writeWeightsFile(llvm::raw_ostream &os, llvm::ArrayRef<char> weights);

/// Whether `name` is a C identifier usable as a prefix.
bool isValidLibraryName(llvm::StringRef name);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_LIBRARY_MODELGLUE_H
