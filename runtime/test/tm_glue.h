/* tm_glue.h - what yolo-codegen's modelGlue() writes for the test model
   (Emit.cpp): the model's names and sizes for the fixed programs. */
/* clang-format off */
#include "tm.h"
#define YOLO_M_CAT(a, b) a##b
#define YOLO_M(x) YOLO_M_CAT(tm_, x)
#define YOLO_M_UPPER(x) YOLO_M_CAT(TM_, x)
#define YOLO_M_NAME "tm"
#define YOLO_M_PYINIT PyInit_tm
#define YOLO_M_INPUT_ELEMENTS {8, }
#define YOLO_M_OUTPUT_ELEMENTS {8, 4, }
#define YOLO_M_OUTPUT_RANKS {3, 3, }
#define YOLO_M_OUTPUT_SHAPES {{1, 2, 4, }, {1, 2, 2, }, }
