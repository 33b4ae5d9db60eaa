//===- KilnElementwiseOps.td - elementwise kiln ops ----------------------===//
//
// Unary, binary and ternary ops applied element by element. Binary and
// ternary ops broadcast their operands as numpy does (ONNX multidirectional
// broadcasting); the result has the broadcast shape.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ELEMENTWISE_OPS_TD
#define KILN_ELEMENTWISE_OPS_TD

include "dialects/Kiln/KilnBase.td"

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// A unary op whose result has the operand's type. `formula` states the scalar
// function; the MLIR example is generated from the mnemonic.
class Kiln_UnaryOp<string mnemonic, string summaryText, string formula,
                   Type operandType = Kiln_FloatOrQuantTensor,
                   list<Trait> traits = [], dag extraArgs = (ins)>
    : Kiln_Op<mnemonic, !listconcat([Kiln_ElementwiseTrait], traits)> {
  let summary = summaryText;
  let description = "Computes `" # formula # "` for every element of the "
    # "operand; the result has the operand's type.\n\n"
    # "```mlir\n%y = kiln." # mnemonic # " %x : tensor<2x3xf32> -> tensor<2x3xf32>\n```";
  let arguments = !con((ins operandType:$input), extraArgs);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Kiln_AbsOp : Kiln_UnaryOp<"abs", "Absolute value", "|x|", Kiln_Tensor>;
def Kiln_NegOp : Kiln_UnaryOp<"neg", "Negation", "-x", Kiln_Tensor>;
def Kiln_SignOp : Kiln_UnaryOp<"sign", "Sign", "x > 0 ? 1 : x < 0 ? -1 : 0", Kiln_Tensor>;
def Kiln_ExpOp : Kiln_UnaryOp<"exp", "Natural exponential", "e^x">;
def Kiln_LogOp : Kiln_UnaryOp<"log", "Natural logarithm", "ln(x)">;
def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt", "Square root", "sqrt(x)">;
def Kiln_ReciprocalOp : Kiln_UnaryOp<"reciprocal", "Reciprocal", "1 / x">;
def Kiln_FloorOp : Kiln_UnaryOp<"floor", "Round down", "floor(x)">;
def Kiln_CeilOp : Kiln_UnaryOp<"ceil", "Round up", "ceil(x)">;
def Kiln_RoundOp : Kiln_UnaryOp<"round", "Round half to even", "roundeven(x)">;
def Kiln_SinOp : Kiln_UnaryOp<"sin", "Sine", "sin(x)">;
def Kiln_CosOp : Kiln_UnaryOp<"cos", "Cosine", "cos(x)">;
def Kiln_TanOp : Kiln_UnaryOp<"tan", "Tangent", "tan(x)">;
def Kiln_AsinOp : Kiln_UnaryOp<"asin", "Arcsine", "asin(x)">;
def Kiln_AcosOp : Kiln_UnaryOp<"acos", "Arccosine", "acos(x)">;
def Kiln_AtanOp : Kiln_UnaryOp<"atan", "Arctangent", "atan(x)">;
def Kiln_SinhOp : Kiln_UnaryOp<"sinh", "Hyperbolic sine", "sinh(x)">;
def Kiln_CoshOp : Kiln_UnaryOp<"cosh", "Hyperbolic cosine", "cosh(x)">;
def Kiln_AsinhOp : Kiln_UnaryOp<"asinh", "Inverse hyperbolic sine", "asinh(x)">;
def Kiln_AcoshOp : Kiln_UnaryOp<"acosh", "Inverse hyperbolic cosine", "acosh(x)">;
def Kiln_AtanhOp : Kiln_UnaryOp<"atanh", "Inverse hyperbolic tangent", "atanh(x)">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh", "Hyperbolic tangent", "tanh(x)">;
def Kiln_SigmoidOp : Kiln_UnaryOp<"sigmoid", "Logistic sigmoid", "1 / (1 + e^-x)">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf", "Gauss error function", "erf(x)">;
def Kiln_SoftplusOp : Kiln_UnaryOp<"softplus", "Softplus activation", "ln(1 + e^x)">;
def Kiln_SoftsignOp : Kiln_UnaryOp<"softsign", "Softsign activation", "x / (1 + |x|)">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu", "Rectified linear unit", "max(x, 0)", Kiln_Tensor>;
def Kiln_HardSwishOp : Kiln_UnaryOp<"hard_swish", "Hard swish activation",
    "x * max(0, min(1, x / 6 + 1 / 2))">;

def Kiln_LeakyReluOp : Kiln_UnaryOp<"leaky_relu", "Leaky rectified linear unit",
    "x >= 0 ? x : alpha * x", Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<F32Attr, "0.01f">:$alpha)>;
def Kiln_EluOp : Kiln_UnaryOp<"elu", "Exponential linear unit",
    "x >= 0 ? x : alpha * (e^x - 1)", Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def Kiln_SeluOp : Kiln_UnaryOp<"selu", "Scaled exponential linear unit",
    "gamma * (x > 0 ? x : alpha * (e^x - 1))", Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma)>;
def Kiln_CeluOp : Kiln_UnaryOp<"celu", "Continuously differentiable ELU",
    "max(0, x) + min(0, alpha * (e^(x / alpha) - 1))", Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def Kiln_HardSigmoidOp : Kiln_UnaryOp<"hard_sigmoid", "Hard sigmoid activation",
    "max(0, min(1, alpha * x + beta))", Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5f">:$beta)>;
def Kiln_ThresholdedReluOp : Kiln_UnaryOp<"thresholded_relu",
    "Thresholded rectified linear unit", "x > alpha ? x : 0",
    Kiln_FloatOrQuantTensor, [], (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha)>;
def Kiln_ShrinkOp : Kiln_UnaryOp<"shrink", "Shrink (soft/hard thresholding)",
    "x < -lambd ? x + bias : x > lambd ? x - bias : 0", Kiln_Tensor, [],
    (ins DefaultValuedAttr<F32Attr, "0.0f">:$bias,
         DefaultValuedAttr<F32Attr, "0.5f">:$lambd)>;
def Kiln_GeluOp : Kiln_UnaryOp<"gelu", "Gaussian error linear unit",
    "x / 2 * (1 + erf(x / sqrt(2)))  (or its tanh approximation)",
    Kiln_FloatOrQuantTensor, [],
    (ins DefaultValuedAttr<Kiln_GeluApproximationAttr,
                           "::mlir::kiln::GeluApproximation::none">:$approximate)>;

def Kiln_ClipOp : Kiln_UnaryOp<"clip", "Clamp to a range",
    "min(max(x, min), max)", Kiln_Tensor, [],
    (ins OptionalAttr<TypedAttrInterface>:$min,
         OptionalAttr<TypedAttrInterface>:$max)> {
  let description = [{
    Clamps every element to `[min, max]`. Either bound may be absent, meaning
    no bound on that side. Bounds are scalar attributes of the element type
    (a float attribute for float tensors, an integer attribute for integer
    tensors), so integer clipping is exact.

    ```mlir
    %y = kiln.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8xf32> -> tensor<1x8xf32>
    ```
  }];
  let hasVerifier = 1;
}

def Kiln_IdentityOp : Kiln_UnaryOp<"identity", "Identity", "x", Kiln_Tensor>;

def Kiln_DropoutOp : Kiln_UnaryOp<"dropout", "Dropout in inference mode",
    "x", Kiln_Tensor, [], (ins DefaultValuedAttr<F32Attr, "0.5f">:$ratio)> {
  let description = [{
    Dropout as it behaves at inference: the identity. `ratio` is kept only to
    document the model; training-mode dropout is rejected by the importer.
    `kiln-remove-identity` erases it.

    ```mlir
    %y = kiln.dropout %x {ratio = 5.000000e-01 : f32} : tensor<1x4096xf32> -> tensor<1x4096xf32>
    ```
  }];
}

def Kiln_NotOp : Kiln_UnaryOp<"not", "Logical not", "!x", Kiln_BoolTensor>;

// Predicates yield i1 tensors of the operand's shape.
class Kiln_FloatPredicateOp<string mnemonic, string summaryText, string formula,
                            dag extraArgs = (ins)>
    : Kiln_Op<mnemonic, [Kiln_ElementwiseTrait]> {
  let summary = summaryText;
  let description = "Yields `" # formula # "` for every element as an i1 "
    # "tensor of the operand's shape.\n\n"
    # "```mlir\n%y = kiln." # mnemonic # " %x : tensor<4xf32> -> tensor<4xi1>\n```";
  let arguments = !con((ins Kiln_FloatTensor:$input), extraArgs);
  let results = (outs Kiln_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Kiln_IsNaNOp : Kiln_FloatPredicateOp<"is_nan", "Test for NaN", "isnan(x)">;
def Kiln_IsInfOp : Kiln_FloatPredicateOp<"is_inf", "Test for infinity",
    "(x == +inf && detect_positive) || (x == -inf && detect_negative)",
    (ins DefaultValuedAttr<BoolAttr, "true">:$detect_negative,
         DefaultValuedAttr<BoolAttr, "true">:$detect_positive)>;

def Kiln_CastOp : Kiln_BaseOp<"cast", [Kiln_ElementwiseTrait,
                                       SameOperandsAndResultShape]> {
  let summary = "Element type conversion";
  let description = [{
    Converts every element to the result's element type, as ONNX Cast does:
    float to integer truncates toward zero, integer to float rounds to
    nearest, narrowing integer conversions wrap, and a conversion to `i1`
    tests for non-zero. The result shape is the operand shape.

    ```mlir
    %y = kiln.cast %x : tensor<4xf32> -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Kiln_BinaryOp<string mnemonic, string summaryText, string formula,
                    Type operandType = Kiln_Tensor, Type resultType = operandType,
                    list<Trait> traits = [], dag extraArgs = (ins),
                    string resultElement = "f32">
    : Kiln_Op<mnemonic, !listconcat([Kiln_ElementwiseTrait], traits)> {
  let summary = summaryText;
  let description = "Computes `" # formula # "` element by element after "
    # "broadcasting both operands to a common shape as numpy does.\n\n"
    # "```mlir\n%z = kiln." # mnemonic # " %x, %y : (tensor<2x3xf32>, "
    # "tensor<3xf32>) -> tensor<2x3x" # resultElement # ">\n```";
  let arguments = !con((ins operandType:$lhs, operandType:$rhs), extraArgs);
  let results = (outs resultType:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Kiln_AddOp : Kiln_BinaryOp<"add", "Addition", "x + y", Kiln_Tensor,
    Kiln_Tensor, [Commutative]>;
def Kiln_SubOp : Kiln_BinaryOp<"sub", "Subtraction", "x - y">;
def Kiln_MulOp : Kiln_BinaryOp<"mul", "Multiplication", "x * y", Kiln_Tensor,
    Kiln_Tensor, [Commutative]>;
def Kiln_DivOp : Kiln_BinaryOp<"div", "Division",
    "x / y (integer division truncates toward zero)">;
def Kiln_ModOp : Kiln_BinaryOp<"mod", "Remainder",
    "fmod ? fmod(x, y) : x - y * floor(x / y)", Kiln_Tensor, Kiln_Tensor, [],
    (ins DefaultValuedAttr<BoolAttr, "false">:$fmod)>;
def Kiln_MinOp : Kiln_BinaryOp<"min", "Minimum", "min(x, y)", Kiln_Tensor,
    Kiln_Tensor, [Commutative]>;
def Kiln_MaxOp : Kiln_BinaryOp<"max", "Maximum", "max(x, y)", Kiln_Tensor,
    Kiln_Tensor, [Commutative]>;
def Kiln_PowOp : Kiln_BinaryOp<"pow", "Power",
    "x ^ y (the result has the base's element type; the exponent may differ)">;
def Kiln_PReluOp : Kiln_BinaryOp<"prelu", "Parametric rectified linear unit",
    "x >= 0 ? x : slope * x">;
def Kiln_AndOp : Kiln_BinaryOp<"and", "Logical and", "x && y",
    Kiln_BoolTensor, Kiln_BoolTensor, [Commutative], (ins), "i1">;
def Kiln_OrOp : Kiln_BinaryOp<"or", "Logical or", "x || y",
    Kiln_BoolTensor, Kiln_BoolTensor, [Commutative], (ins), "i1">;
def Kiln_XorOp : Kiln_BinaryOp<"xor", "Logical exclusive or", "x != y",
    Kiln_BoolTensor, Kiln_BoolTensor, [Commutative], (ins), "i1">;
def Kiln_EqualOp : Kiln_BinaryOp<"equal", "Equality test", "x == y",
    Kiln_Tensor, Kiln_BoolTensor, [Commutative], (ins), "i1">;
def Kiln_LessOp : Kiln_BinaryOp<"less", "Less-than test", "x < y",
    Kiln_Tensor, Kiln_BoolTensor, [], (ins), "i1">;
def Kiln_LessEqualOp : Kiln_BinaryOp<"less_equal", "Less-or-equal test",
    "x <= y", Kiln_Tensor, Kiln_BoolTensor, [], (ins), "i1">;
def Kiln_GreaterOp : Kiln_BinaryOp<"greater", "Greater-than test", "x > y",
    Kiln_Tensor, Kiln_BoolTensor, [], (ins), "i1">;
def Kiln_GreaterEqualOp : Kiln_BinaryOp<"greater_equal",
    "Greater-or-equal test", "x >= y", Kiln_Tensor, Kiln_BoolTensor, [], (ins),
    "i1">;
def Kiln_BitShiftOp : Kiln_BinaryOp<"bit_shift", "Bit shift of unsigned integers",
    "direction == left ? x << y : x >> y", Kiln_IntegerTensor, Kiln_IntegerTensor,
    [], (ins Kiln_BitShiftDirectionAttr:$direction), "ui32">;

//===----------------------------------------------------------------------===//
// Ternary ops
//===----------------------------------------------------------------------===//

def Kiln_WhereOp : Kiln_Op<"where", [Kiln_ElementwiseTrait]> {
  let summary = "Element selection by a condition";
  let description = [{
    Picks `x` where `condition` is true and `y` elsewhere, after broadcasting
    all three operands to a common shape.

    ```mlir
    %z = kiln.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Kiln_BoolTensor:$condition, Kiln_Tensor:$x, Kiln_Tensor:$y);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
  let hasVerifier = 1;
}

#endif // KILN_ELEMENTWISE_OPS_TD
