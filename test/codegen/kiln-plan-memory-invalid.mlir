// RUN: kiln-opt %s --verify-diagnostics --kiln-plan-memory

// The pass plans the library's @main; a module without one is an error.
// expected-error @+1 {{kiln-plan-memory: the module has no @main to plan}}
module {
  func.func @helper(%x: memref<4xf32>) {
    %a = memref.alloc() : memref<4xf32>
    memref.dealloc %a : memref<4xf32>
    return
  }
}
