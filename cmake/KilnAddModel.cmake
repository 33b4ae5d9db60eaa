# kiln_add_model(TARGET MODEL
#                [NAME name]            symbol prefix and file names (default: TARGET)
#                [INPUT_SHAPES n=1x3x224x224 ...]
#                [OPTIONS kilnc-option ...])
#
# Compiles MODEL (.onnx, or .onnxtxt) with kilnc when the project builds and
# makes TARGET an imported shared library: libNAME.so, with NAME.h on its
# include path. Link it like any library:
#
#   find_package(Kiln REQUIRED)
#   kiln_add_model(classifier model.onnx INPUT_SHAPES x=1x3x224x224)
#   target_link_libraries(app PRIVATE classifier)
#
# The library is rebuilt when the model or kilnc changes. With
# OPTIONS --weights=external, NAME.weights is written beside it.
function(kiln_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "NAME" "INPUT_SHAPES;OPTIONS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kiln_add_model: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT KILN_KILNC_EXECUTABLE)
    message(FATAL_ERROR "kiln_add_model: KILN_KILNC_EXECUTABLE is not set (use find_package(Kiln))")
  endif()
  set(name "${target}")
  if(ARG_NAME)
    set(name "${ARG_NAME}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "kiln_add_model: '${name}' is not a C identifier; pass NAME")
  endif()
  get_filename_component(model "${model}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "kiln_add_model: no model at ${model}")
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/kiln/${target}")
  file(MAKE_DIRECTORY "${dir}")
  set(library "${dir}/lib${name}.so")
  set(outputs "${library}" "${dir}/${name}.h")
  if("--weights=external" IN_LIST ARG_OPTIONS)
    list(APPEND outputs "${dir}/${name}.weights")
  endif()
  set(shape_args)
  foreach(shape IN LISTS ARG_INPUT_SHAPES)
    list(APPEND shape_args "--input-shape=${shape}")
  endforeach()

  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${KILN_KILNC_EXECUTABLE}" "${model}" -o "${library}" "--name=${name}"
            ${shape_args} ${ARG_OPTIONS}
    DEPENDS "${model}" "${KILN_KILNC_EXECUTABLE}"
    COMMENT "Compiling ${model} with Kiln into lib${name}.so"
    VERBATIM)
  add_custom_target(${target}_kiln DEPENDS ${outputs})

  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${library}"
    IMPORTED_SONAME "lib${name}.so"
    INTERFACE_INCLUDE_DIRECTORIES "${dir}")
  add_dependencies(${target} ${target}_kiln)
endfunction()
