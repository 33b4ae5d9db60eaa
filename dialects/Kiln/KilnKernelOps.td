//===- KilnKernelOps.td - calls of the library runtime's compute kernels -===//

#ifndef KILN_KERNEL_OPS_TD
#define KILN_KERNEL_OPS_TD

include "dialects/Kiln/KilnBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kiln_MicrokernelOp : Op<Kiln_Dialect, "microkernel", [
    AttrSizedOperandSegments, DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "A call of a compute kernel of the library runtime";
  let description = [{
    Code generation's handle on a kernel compiled into every generated
    library (`lib/Runtime/Kernels*.c`): `kernel` names it (without the ISA
    suffix, which `isa` gives), `inputs` are read, `outputs` are written
    entirely, and `params` / `fparams` are the kernel's integer and float
    arguments, in its own order. Destination-passing style: on tensors each
    output has a tied result; after bufferization the op works on memrefs
    and has no results. `kiln-cpu-microkernels` creates it from graph ops
    (with constant weights packed for the kernel's tile) and the CPU
    pipeline turns it into a call after bufferization.

    ```mlir
    %y = kiln.microkernel "conv2d_f32" isa "avx512"
        ins(%x, %w, %b : tensor<1x64x56x56xf32>, tensor<36864xf32>, tensor<64xf32>)
        outs(%init : tensor<1x64x56x56xf32>)
        {params = array<i64: ...>, fparams = array<f32: 0.0, 0.0>} -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kernel, StrAttr:$isa,
                       Variadic<AnyShaped>:$inputs, Variadic<AnyShaped>:$outputs,
                       DenseI64ArrayAttr:$params, DenseF32ArrayAttr:$fparams);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kernel `isa` $isa `ins` `(` $inputs `:` type($inputs) `)`
    `outs` `(` $outputs `:` type($outputs) `)` attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getOutputsMutable(); }
  }];
  let hasVerifier = 1;
}

#endif // KILN_KERNEL_OPS_TD
