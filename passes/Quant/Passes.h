//===- Passes.h - post-training quantization passes -----------------------===//

#ifndef KILN_PASSES_QUANT_PASSES_H
#define KILN_PASSES_QUANT_PASSES_H

#include "dialects/Kiln/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "passes/Quant/Passes.h.inc"

/// The attributes the passes communicate through.
inline constexpr llvm::StringLiteral kInputRangeAttr = "kiln.input_range";
inline constexpr llvm::StringLiteral kInputQTypeAttr = "kiln.input_qtype";
/// "f32" keeps an op in float (an accuracy budget's choice).
inline constexpr llvm::StringLiteral kPrecisionAttr = "kiln.precision";
/// Why an op stays in float, for the report.
inline constexpr llvm::StringLiteral kPrecisionReasonAttr = "kiln.precision_reason";
/// A layer's name in reports, kept by every rewrite.
inline constexpr llvm::StringLiteral kLayerAttr = "kiln.layer";

/// Multiply-adds per image below which a convolution stays in float.
inline constexpr int64_t kMinQuantizedMacs = 1 << 17;

/// Whether kiln-quantize quantizes `op`: a 2-D f32 conv with one group,
/// constant weights and at least kMinQuantizedMacs multiply-adds per image,
/// not marked kiln.precision = "f32".
bool isQuantizable(Operation *op);

/// The value of `op` whose range calibration records (its input).
Value quantizedOperand(Operation *op);

/// A requantizing epilogue: when every use of `conv`'s f32 result (or of
/// the ReLU or constant Clip that is its only use) converts it with
/// quant.qcast to one 8-bit type, `conv` produces that type (the clip as
/// its clamp) and the conversions go.
void requantizeResult(QuantizedConvOp conv);

#define GEN_PASS_REGISTRATION
#include "passes/Quant/Passes.h.inc"

} // namespace mlir::kiln

#endif // KILN_PASSES_QUANT_PASSES_H
