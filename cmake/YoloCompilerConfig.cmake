# YoloCompilerConfig.cmake - find_package(YoloCompiler CONFIG) for an
# installed yolo-compiler.
#
# Gives:
#   YoloCompiler::yolo-codegen, YoloCompiler::yolo-opt,
#   YoloCompiler::yolo-translate   imported executables
#   yolo_add_model(<target> MODEL <file.onnx|file.mlir>
#                  [TARGET <halide target or T1,T2,...,BASE>]
#                  [INPUT_SHAPE 1x3xHxW] [NAME <c identifier>] [IMAGE])
#     runs yolo-codegen at build time (again whenever the model file or the
#     compiler changes) and defines the static library target <target>
#     (libNAME.a with the model's kernels, weights and driver; its include
#     directory holds NAME.h). The Halide runtime and the yolo runtime are
#     built once per TARGET and linked through <target>'s interface, so any
#     number of models link into one program. IMAGE also links the image
#     component (yolo_image.h: decoding, letterbox, drawing; needs libjpeg,
#     libpng and zlib). NAME defaults to <target> made a C identifier,
#     TARGET to host.
cmake_minimum_required(VERSION 3.20)

get_filename_component(_yolo_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
foreach(_yolo_tool yolo-codegen yolo-opt yolo-translate)
  if(NOT TARGET YoloCompiler::${_yolo_tool})
    add_executable(YoloCompiler::${_yolo_tool} IMPORTED)
    set_target_properties(YoloCompiler::${_yolo_tool} PROPERTIES
      IMPORTED_LOCATION "${_yolo_prefix}/bin/${_yolo_tool}")
  endif()
endforeach()
set(YoloCompiler_CODEGEN "${_yolo_prefix}/bin/yolo-codegen")
set(YoloCompiler_INCLUDE_DIR "${_yolo_prefix}/include")

find_package(Threads REQUIRED)

# The runtime libraries for a target family, made once per TARGET string.
function(_yolo_runtime_for target out_runtime out_image)
  string(MAKE_C_IDENTIFIER "${target}" id)
  string(MD5 hash "${target}")
  string(SUBSTRING "${hash}" 0 8 hash)
  set(rt yolo_runtime_${hash})
  if(NOT TARGET ${rt})
    set(dir "${CMAKE_BINARY_DIR}/yolo_runtime/${hash}")
    file(MAKE_DIRECTORY "${dir}")
    add_custom_command(
      OUTPUT "${dir}/libyolo_runtime.a" "${dir}/libyolo_image.a"
      COMMAND "${YoloCompiler_CODEGEN}" --emit-runtime "--target=${target}"
              -o "${dir}" --quiet
      DEPENDS "${YoloCompiler_CODEGEN}"
      COMMENT "yolo-codegen: Halide and yolo runtime for ${target}"
      VERBATIM)
    add_custom_target(${rt}.generate
      DEPENDS "${dir}/libyolo_runtime.a" "${dir}/libyolo_image.a")
    add_library(${rt} STATIC IMPORTED GLOBAL)
    set_target_properties(${rt} PROPERTIES
      IMPORTED_LOCATION "${dir}/libyolo_runtime.a"
      INTERFACE_INCLUDE_DIRECTORIES "${dir}"
      INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m")
    add_dependencies(${rt} ${rt}.generate)
    add_library(${rt}_image STATIC IMPORTED GLOBAL)
    set_target_properties(${rt}_image PROPERTIES
      IMPORTED_LOCATION "${dir}/libyolo_image.a"
      INTERFACE_INCLUDE_DIRECTORIES "${dir}"
      INTERFACE_LINK_LIBRARIES "${rt};jpeg;png;z;m")
    add_dependencies(${rt}_image ${rt}.generate)
  endif()
  set(${out_runtime} ${rt} PARENT_SCOPE)
  set(${out_image} ${rt}_image PARENT_SCOPE)
endfunction()

function(yolo_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "IMAGE" "MODEL;TARGET;INPUT_SHAPE;NAME" "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "yolo_add_model(${target}): unknown arguments "
      "'${ARG_UNPARSED_ARGUMENTS}' (MODEL, TARGET, INPUT_SHAPE, NAME, IMAGE)")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "yolo_add_model(${target}): MODEL <file.onnx> is required")
  endif()
  if(NOT ARG_TARGET)
    set(ARG_TARGET host)
  endif()
  if(NOT ARG_NAME)
    string(MAKE_C_IDENTIFIER "${target}" ARG_NAME)
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "yolo_add_model(${target}): MODEL '${model}' does not exist")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}.yolo")
  file(MAKE_DIRECTORY "${dir}")
  set(args "${model}" -o "${dir}" "--name=${ARG_NAME}" "--target=${ARG_TARGET}"
           --no-runtime --quiet)
  if(ARG_INPUT_SHAPE)
    list(APPEND args "--input-shape=${ARG_INPUT_SHAPE}")
  endif()
  add_custom_command(
    OUTPUT "${dir}/lib${ARG_NAME}.a" "${dir}/${ARG_NAME}.h"
    COMMAND "${YoloCompiler_CODEGEN}" ${args}
    DEPENDS "${model}" "${YoloCompiler_CODEGEN}"
    COMMENT "yolo-codegen: ${ARG_MODEL} -> lib${ARG_NAME}.a for ${ARG_TARGET}"
    VERBATIM)
  add_custom_target(${target}.generate
    DEPENDS "${dir}/lib${ARG_NAME}.a" "${dir}/${ARG_NAME}.h")
  _yolo_runtime_for("${ARG_TARGET}" runtime image)
  add_library(${target} STATIC IMPORTED GLOBAL)
  set(links ${runtime})
  if(ARG_IMAGE)
    set(links ${image})
  endif()
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${dir}/lib${ARG_NAME}.a"
    INTERFACE_INCLUDE_DIRECTORIES "${dir}"
    INTERFACE_LINK_LIBRARIES "${links}")
  add_dependencies(${target} ${target}.generate)
endfunction()
