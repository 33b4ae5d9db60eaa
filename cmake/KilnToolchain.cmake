# Build-speed helpers that are used when present and never required:
# ccache as the compiler launcher and LLVM 22's lld as the linker.
find_program(KILN_CCACHE ccache)
if(KILN_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${KILN_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${KILN_CCACHE})
endif()

# gcc and clang both find "ld.lld" through -B; Debian installs lld-22 as
# /usr/lib/llvm-22/bin/ld.lld without a versionless link on PATH.
if(EXISTS /usr/lib/llvm-22/bin/ld.lld)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_LINK_OPTIONS "-B/usr/lib/llvm-22/bin;-fuse-ld=lld")
  check_cxx_source_compiles("int main() { return 0; }" KILN_HAVE_LLD)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(KILN_HAVE_LLD)
    add_link_options("-B/usr/lib/llvm-22/bin" "-fuse-ld=lld")
  endif()
endif()
