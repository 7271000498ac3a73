/* tm_model_cuda.h - the test model's table for the CUDA flavour of the
   driver, which the runtime build compiles (for its warnings) but does not
   link: there is no GPU to test it on. */
#define YOLO_DRIVER_CUDA 1
#include "tm_model.h"
