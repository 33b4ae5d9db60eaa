//===- KilnBase.td - the kiln dialect, its types and op base classes -----===//
//
// Everything the per-area op files share: the dialect, the tensor type
// constraints, the typed enum attributes and the op base classes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_BASE_TD
#define KILN_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::mlir::kiln";
  let summary = "Graph-level neural-network operations on ranked tensors";
  let description = [{
    The `kiln` dialect is the graph level of the Kiln compiler. ONNX models are
    imported into it op for op, graph-level passes (folding, fusion,
    quantization, pruning, layout) rewrite it, and the code generators lower it
    to upstream dialects for the CPU and CUDA targets.

    Every value is a ranked tensor. Dimensions may be dynamic (`?`) until shape
    specialization makes them static. Element types are the builtin float
    types, signless integers (ONNX's signed integers and `i1` for bool),
    unsigned integers (`ui8`..`ui64`) and the `quant` dialect's quantized
    types, so that quantization passes can express their results on the same
    ops. ONNX attributes become typed attributes with their meaning resolved:
    padding is explicit begin/end lists, modes are enums, axes are normalized
    to non-negative values.
  }];
  let dependentDialects = [
    "::mlir::tensor::TensorDialect",
    "::mlir::quant::QuantDialect"
  ];
  let hasConstantMaterializer = 1;
  let hasCanonicalizer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Kiln_QuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::QuantizedType>($_self)">,
    "quantized type", "::mlir::quant::QuantizedType">;

def Kiln_UnsignedInteger : Type<
    CPred<"::llvm::isa<::mlir::IntegerType>($_self) && "
          "::llvm::cast<::mlir::IntegerType>($_self).isUnsigned()">,
    "unsigned integer">;

def Kiln_Element : AnyTypeOf<[AnyFloat, AnySignlessInteger,
                              Kiln_UnsignedInteger, Kiln_QuantizedType]>;
def Kiln_Integer : AnyTypeOf<[AnySignlessInteger, Kiln_UnsignedInteger]>;

def Kiln_Tensor : RankedTensorOf<[Kiln_Element]>;
def Kiln_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Kiln_FloatOrQuantTensor : RankedTensorOf<[AnyFloat, Kiln_QuantizedType]>;
def Kiln_IntegerTensor : RankedTensorOf<[Kiln_Integer]>;
def Kiln_BoolTensor : RankedTensorOf<[I1]>;
def Kiln_IndexTensor : RankedTensorOf<[I32, I64]>;
def Kiln_I64Tensor : RankedTensorOf<[I64]>;

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

// An i64 attribute read as a signed value (upstream I64Attr reads uint64_t).
def Kiln_I64Attr : SignlessIntegerAttrBase<I64, "64-bit integer attribute"> {
  let returnType = "int64_t";
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Enum attributes
//===----------------------------------------------------------------------===//

class Kiln_I32Enum<string name, string description, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, description, cases> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::kiln";
}

class Kiln_EnumAttr<string name, string description, string mnemonic,
                    list<I32EnumAttrCase> cases>
    : EnumAttr<Kiln_Dialect, Kiln_I32Enum<name, description, cases>, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def Kiln_ResizeModeAttr : Kiln_EnumAttr<"ResizeMode", "interpolation mode",
    "resize_mode", [I32EnumAttrCase<"nearest", 0>, I32EnumAttrCase<"linear", 1>,
                    I32EnumAttrCase<"cubic", 2>]>;

def Kiln_CoordinateTransformAttr : Kiln_EnumAttr<"CoordinateTransform",
    "how a resized coordinate maps back to the input", "coordinate_transform",
    [I32EnumAttrCase<"half_pixel", 0>, I32EnumAttrCase<"pytorch_half_pixel", 1>,
     I32EnumAttrCase<"align_corners", 2>, I32EnumAttrCase<"asymmetric", 3>,
     I32EnumAttrCase<"tf_half_pixel_for_nn", 4>,
     I32EnumAttrCase<"tf_crop_and_resize", 5>]>;

def Kiln_NearestModeAttr : Kiln_EnumAttr<"NearestMode",
    "rounding of nearest-neighbour coordinates", "nearest_mode",
    [I32EnumAttrCase<"round_prefer_floor", 0>,
     I32EnumAttrCase<"round_prefer_ceil", 1>, I32EnumAttrCase<"floor", 2>,
     I32EnumAttrCase<"ceil", 3>]>;

def Kiln_PadModeAttr : Kiln_EnumAttr<"PadMode", "how padded values are made",
    "pad_mode", [I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
                 I32EnumAttrCase<"edge", 2>]>;

def Kiln_DepthToSpaceModeAttr : Kiln_EnumAttr<"DepthToSpaceMode",
    "channel order of depth-to-space", "depth_to_space_mode",
    [I32EnumAttrCase<"dcr", 0>, I32EnumAttrCase<"crd", 1>]>;

def Kiln_BitShiftDirectionAttr : Kiln_EnumAttr<"BitShiftDirection",
    "shift direction", "shift_direction",
    [I32EnumAttrCase<"left", 0>, I32EnumAttrCase<"right", 1>]>;

def Kiln_GeluApproximationAttr : Kiln_EnumAttr<"GeluApproximation",
    "GELU formula", "gelu_approximation",
    [I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]>;

def Kiln_RnnDirectionAttr : Kiln_EnumAttr<"RnnDirection",
    "direction a recurrent op runs over the sequence", "rnn_direction",
    [I32EnumAttrCase<"forward", 0>, I32EnumAttrCase<"reverse", 1>,
     I32EnumAttrCase<"bidirectional", 2>]>;

def Kiln_ActivationAttr : Kiln_EnumAttr<"Activation",
    "activation function of a recurrent cell", "activation",
    [I32EnumAttrCase<"relu", 0>, I32EnumAttrCase<"tanh", 1>,
     I32EnumAttrCase<"sigmoid", 2>, I32EnumAttrCase<"affine", 3>,
     I32EnumAttrCase<"leaky_relu", 4>, I32EnumAttrCase<"thresholded_relu", 5>,
     I32EnumAttrCase<"scaled_tanh", 6>, I32EnumAttrCase<"hard_sigmoid", 7>,
     I32EnumAttrCase<"elu", 8>, I32EnumAttrCase<"softsign", 9>,
     I32EnumAttrCase<"softplus", 10>]>;

def Kiln_ScatterReductionAttr : Kiln_EnumAttr<"ScatterReduction",
    "how scattered updates combine with the data", "scatter_reduction",
    [I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"add", 1>,
     I32EnumAttrCase<"mul", 2>]>;

def Kiln_GridSampleModeAttr : Kiln_EnumAttr<"GridSampleMode",
    "interpolation of grid samples", "grid_sample_mode",
    [I32EnumAttrCase<"bilinear", 0>, I32EnumAttrCase<"nearest", 1>,
     I32EnumAttrCase<"bicubic", 2>]>;

def Kiln_GridSamplePaddingAttr : Kiln_EnumAttr<"GridSamplePadding",
    "values for grid locations outside the input", "grid_sample_padding",
    [I32EnumAttrCase<"zeros", 0>, I32EnumAttrCase<"border", 1>,
     I32EnumAttrCase<"reflection", 2>]>;

def Kiln_RoiPoolingModeAttr : Kiln_EnumAttr<"RoiPoolingMode",
    "pooling of sampled points inside a region", "roi_pooling_mode",
    [I32EnumAttrCase<"avg", 0>, I32EnumAttrCase<"max", 1>]>;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

// A side-effect-free kiln op. Ops whose result type cannot be derived from
// their operands and attributes (cast, eye_like) derive from this directly.
class Kiln_BaseOp<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, !listconcat([Pure], traits)>;

// Most kiln ops infer their result types from operands and attributes.
// Result types may be more static than what is inferred (shapes known from
// elsewhere) but never contradict it: `isCompatibleReturnTypes` is shared by
// all ops (KilnTypes.cpp), and the dialect's canonicalizer refines result
// types as operands become more static.
class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Kiln_BaseOp<mnemonic, !listconcat([InferTypeOpAdaptorWithIsCompatible],
                                        traits)> {
  let extraClassDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::mlir::kiln::areCompatibleReturnTypes(inferred, actual);
    }
  }];
}

// Marks ops that apply a scalar function to each element (after numpy
// broadcasting of their operands); fusion and lowering key on it.
def Kiln_ElementwiseTrait : NativeOpTrait<"KilnElementwise"> {
  let cppNamespace = "::mlir::kiln::OpTrait";
}

#endif // KILN_BASE_TD
