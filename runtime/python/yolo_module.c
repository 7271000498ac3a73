/*===- yolo_module.c - the NAME Python extension module -------------------===*
 *
 * The CPython extension `yolo-codegen --emit=python` builds for a compiled
 * model, linked only against its libNAME.a (and libpython's symbols, which
 * the interpreter provides):
 *
 *   import NAME
 *   m = NAME.Model(threads=1)
 *   outputs = m.run(x)            # list of float32 numpy arrays
 *   dets = m.detect("image.jpg")  # [(class_id, score, x1, y1, x2, y2)]
 *   dets, masks = m.detect("image.jpg", masks=True)  # segmentation models
 *
 * Model.run takes one array per model input (anything with the buffer
 * protocol: float32, C-contiguous, exactly the input's shape) and returns
 * one new numpy array per model output. Model.detect takes an image file
 * (str or os.PathLike) or an HxWx3 uint8 RGB array and does exactly what
 * NAME-detect (runtime/tools/yolo_detect.c) does: letterbox into the input,
 * run, decode output 0 with the confidence threshold and class-aware NMS,
 * map the boxes back to the image. For a segmentation model (a later 4-D
 * output of mask prototypes), detect(masks=True) also returns each
 * detection's mask as NAME-detect computes it (yolo_mask_compute and
 * yolo_mask_to_image: upstream YOLOv9's process_mask with upsample=True,
 * then scale_image), as one numpy bool array [n, H, W] of the image's
 * size.
 *
 * The module is compiled without numpy's C API: inputs come in through the
 * buffer protocol, outputs are made by calling numpy.empty at run time and
 * filled through their (writable, C-contiguous) buffers.
 *
 * The GIL is released around inference and image work. A context runs one
 * inference at a time, so each Model has a lock, taken with the GIL
 * released: threads sharing a Model take turns, threads with their own
 * Models run in parallel.
 *
 * The model comes in through macros: yolo-codegen compiles this file with
 * `-include NAME_python.h`, which maps YOLO_M(x) to NAME_x, YOLO_M_UPPER(X)
 * to NAME_X, and defines YOLO_M_NAME ("NAME"), YOLO_M_OUTPUT_ELEMENTS (the
 * element count of each output) and YOLO_M_PYINIT (PyInit_NAME).
 *
 *===----------------------------------------------------------------------===*/
/* Python.h sets the feature-test macros itself (pyconfig.h); a value from
   the command line would only make it warn. */
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "yolo_image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#if !defined(YOLO_M) || !defined(YOLO_M_UPPER) || !defined(YOLO_M_NAME) ||     \
    !defined(YOLO_M_OUTPUT_ELEMENTS) || !defined(YOLO_M_PYINIT)
#error "compile with -include NAME_python.h (yolo-codegen --emit=python)"
#endif

#define NUM_INPUTS YOLO_M_UPPER(NUM_INPUTS)
#define NUM_OUTPUTS YOLO_M_UPPER(NUM_OUTPUTS)

#if NUM_INPUTS < 1 || NUM_INPUTS > 8 || NUM_OUTPUTS < 1 || NUM_OUTPUTS > 8
#error "the Python module supports models with 1 to 8 inputs and outputs"
#endif

/*===----------------------------------------------------------------------===*
 * The model's tensors, from the macros of NAME.h
 *===----------------------------------------------------------------------===*/

typedef struct tensor_info {
  const char *name;
  int rank;
  int64_t shape[YOLO_MAX_RANK];
  int64_t elements;
} tensor_info;

#define INPUT_INFO(k)                                                          \
  {                                                                            \
    YOLO_M_UPPER(INPUT##k##_NAME), YOLO_M_UPPER(INPUT##k##_RANK),              \
        YOLO_M_UPPER(INPUT##k##_SHAPE), YOLO_M_UPPER(INPUT##k##_ELEMENTS)      \
  }
#define OUTPUT_INFO(k)                                                         \
  {                                                                            \
    YOLO_M_UPPER(OUTPUT##k##_NAME), YOLO_M_UPPER(OUTPUT##k##_RANK),            \
        YOLO_M_UPPER(OUTPUT##k##_SHAPE), YOLO_M_UPPER(OUTPUT##k##_ELEMENTS)    \
  }

static const tensor_info inputs_info[NUM_INPUTS] = {
    INPUT_INFO(0),
#if NUM_INPUTS > 1
    INPUT_INFO(1),
#endif
#if NUM_INPUTS > 2
    INPUT_INFO(2),
#endif
#if NUM_INPUTS > 3
    INPUT_INFO(3),
#endif
#if NUM_INPUTS > 4
    INPUT_INFO(4),
#endif
#if NUM_INPUTS > 5
    INPUT_INFO(5),
#endif
#if NUM_INPUTS > 6
    INPUT_INFO(6),
#endif
#if NUM_INPUTS > 7
    INPUT_INFO(7),
#endif
};

static const tensor_info outputs_info[NUM_OUTPUTS] = {
    OUTPUT_INFO(0),
#if NUM_OUTPUTS > 1
    OUTPUT_INFO(1),
#endif
#if NUM_OUTPUTS > 2
    OUTPUT_INFO(2),
#endif
#if NUM_OUTPUTS > 3
    OUTPUT_INFO(3),
#endif
#if NUM_OUTPUTS > 4
    OUTPUT_INFO(4),
#endif
#if NUM_OUTPUTS > 5
    OUTPUT_INFO(5),
#endif
#if NUM_OUTPUTS > 6
    OUTPUT_INFO(6),
#endif
#if NUM_OUTPUTS > 7
    OUTPUT_INFO(7),
#endif
};

static const int64_t output_elements[NUM_OUTPUTS] = YOLO_M_OUTPUT_ELEMENTS;

/* What NAME-detect requires: one 1x3xHxW input and a first output
   [1, 4 + classes, anchors]. */
static int is_detector(void) {
  const tensor_info *in = &inputs_info[0], *out = &outputs_info[0];
  return NUM_INPUTS == 1 && in->rank == 4 && in->shape[0] == 1 &&
         in->shape[1] == 3 && out->rank == 3 && out->shape[0] == 1 &&
         out->shape[1] >= 5;
}

/*===----------------------------------------------------------------------===*
 * Helpers
 *===----------------------------------------------------------------------===*/

/* A str from a C message that may hold bytes that are not UTF-8 (paths). */
static PyObject *message_string(const char *msg) {
  return PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
}

static void set_error(PyObject *type, const char *msg) {
  PyObject *s = message_string(msg);
  if (s) {
    PyErr_SetObject(type, s);
    Py_DECREF(s);
  }
}

/* A failed library call: RuntimeError (MemoryError when out of memory)
   "WHAT: STATUS: DETAIL". */
static PyObject *raise_status(const char *what, int rc, const char *detail) {
  char msg[1024];
  if (detail && *detail)
    snprintf(msg, sizeof msg, "%s: %s: %s", what, yolo_status_string(rc),
             detail);
  else
    snprintf(msg, sizeof msg, "%s: %s", what, yolo_status_string(rc));
  set_error(rc == YOLO_ERR_OUT_OF_MEMORY ? PyExc_MemoryError
                                         : PyExc_RuntimeError,
            msg);
  return NULL;
}

/* A failed image load: OSError (or the subclass its errno names) for a file
   that cannot be read, MemoryError when out of memory, ValueError for a
   file that is not a usable image. The message is the runtime's. */
static PyObject *raise_image_error(int rc, const char *msg, int err_no) {
  if (rc == YOLO_ERR_IO) {
    PyObject *type = PyExc_OSError;
    switch (err_no) {
    case ENOENT:
      type = PyExc_FileNotFoundError;
      break;
    case EACCES:
    case EPERM:
      type = PyExc_PermissionError;
      break;
    case EISDIR:
      type = PyExc_IsADirectoryError;
      break;
    case ENOTDIR:
      type = PyExc_NotADirectoryError;
      break;
    }
    PyObject *s = message_string(msg);
    PyObject *exc = s ? PyObject_CallOneArg(type, s) : NULL;
    Py_XDECREF(s);
    if (!exc)
      return NULL;
    if (err_no) {
      /* str(exc) stays the message: OSError prints errno only with
         strerror or filename set. */
      PyObject *e = PyLong_FromLong(err_no);
      if (!e || PyObject_SetAttrString(exc, "errno", e) < 0) {
        Py_XDECREF(e);
        Py_DECREF(exc);
        return NULL;
      }
      Py_DECREF(e);
    }
    PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
  }
  set_error(rc == YOLO_ERR_OUT_OF_MEMORY ? PyExc_MemoryError : PyExc_ValueError,
            msg);
  return NULL;
}

/* "(1, 3, 320, 320)" into buf; "(n,)" for rank 1. */
static void format_shape(char *buf, size_t size, int rank,
                         const int64_t *shape64, const Py_ssize_t *shape) {
  size_t at = 0;
  at += (size_t)snprintf(buf + at, size - at, "(");
  for (int d = 0; d < rank && at < size; ++d)
    at +=
        (size_t)snprintf(buf + at, size - at, "%s%lld", d ? ", " : "",
                         shape64 ? (long long)shape64[d] : (long long)shape[d]);
  if (at < size)
    snprintf(buf + at, size - at, rank == 1 ? ",)" : ")");
}

/* The buffer's format without its byte-order prefix, and whether that
   prefix makes it the non-native byte order. */
static const char *strip_byte_order(const char *fmt, int *swapped) {
  *swapped = 0;
  if (!fmt)
    return "B";
  if (*fmt == '@' || *fmt == '=')
    return fmt + 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  if (*fmt == '<')
    *swapped = 1;
#else
  if (*fmt == '>' || *fmt == '!')
    *swapped = 1;
#endif
  if (*fmt == '<' || *fmt == '>' || *fmt == '!')
    return fmt + 1;
  return fmt;
}

static int is_format(const Py_buffer *view, char code, Py_ssize_t itemsize) {
  int swapped;
  const char *f = strip_byte_order(view->format, &swapped);
  return f[0] == code && f[1] == 0 && view->itemsize == itemsize &&
         (!swapped || itemsize == 1);
}

/* The numpy name of a buffer's element type ("float64"), as far as the
   struct format tells it. */
static void format_dtype(char *buf, size_t size, const Py_buffer *view) {
  int swapped;
  const char *f = strip_byte_order(view->format, &swapped);
  const char *name = NULL;
  if (f[0] && !f[1]) {
    static const struct {
      char code;
      const char *name;
    } names[] = {{'?', "bool"},    {'b', "int8"},       {'B', "uint8"},
                 {'h', "int16"},   {'H', "uint16"},     {'i', "int32"},
                 {'I', "uint32"},  {'l', "int"},        {'L', "uint"},
                 {'q', "int64"},   {'Q', "uint64"},     {'n', "intp"},
                 {'N', "uintp"},   {'e', "float16"},    {'f', "float32"},
                 {'d', "float64"}, {'g', "longdouble"}, {'c', "bytes8"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
      if (names[i].code == f[0])
        name = names[i].name;
    if (f[0] == 'l' || f[0] == 'L')
      name = view->itemsize == 8 ? (f[0] == 'l' ? "int64" : "uint64")
                                 : (f[0] == 'l' ? "int32" : "uint32");
  }
  if (name)
    snprintf(buf, size, "%s%s", swapped ? "byte-swapped " : "", name);
  else
    snprintf(buf, size, "'%.40s'-format", view->format ? view->format : "B");
}

/* "a non-contiguous float64 array of shape (2, 3)" */
static void describe_buffer(char *buf, size_t size, const Py_buffer *view,
                            int check_contiguous) {
  char dtype[64], shape[160];
  format_dtype(dtype, sizeof dtype, view);
  format_shape(shape, sizeof shape, view->ndim, NULL, view->shape);
  int contiguous = !check_contiguous || PyBuffer_IsContiguous(view, 'C');
  snprintf(buf, size, "a %s%s array of shape %s",
           contiguous ? "" : "non-contiguous ", dtype, shape);
}

/*===----------------------------------------------------------------------===*
 * Model
 *===----------------------------------------------------------------------===*/

typedef struct ModelObject {
  PyObject ob_base; /* PyObject_HEAD */
  YOLO_M(context) * ctx;
  int threads;
  /* Held (with the GIL released) around every use of ctx and of the
     detector's buffers below. */
  PyThread_type_lock lock;
  /* The detector's input and output buffers, allocated on first use. */
  float *det_input;
  float *det_outputs[NUM_OUTPUTS];
} ModelObject;

static PyTypeObject ModelType;

static PyObject *Model_new(PyTypeObject *type, PyObject *args,
                           PyObject *kwargs) {
  static char *kwlist[] = {"threads", NULL};
  int threads = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|i:Model", kwlist, &threads))
    return NULL;
  if (threads < 1 || threads > 256) {
    PyErr_Format(PyExc_ValueError, "threads must be in [1, 256], got %d",
                 threads);
    return NULL;
  }
  ModelObject *self = (ModelObject *)type->tp_alloc(type, 0);
  if (!self)
    return NULL;
  self->threads = threads;
  self->lock = PyThread_allocate_lock();
  if (!self->lock) {
    Py_DECREF(self);
    return PyErr_NoMemory();
  }
  YOLO_M(context) *ctx = NULL;
  int rc;
  char err[1024] = "";
  Py_BEGIN_ALLOW_THREADS;
  rc = YOLO_M(create)(&ctx, threads);
  /* The reason is kept per thread: read it on this one. */
  if (rc != YOLO_OK)
    snprintf(err, sizeof err, "%s", YOLO_M(last_error)(NULL));
  Py_END_ALLOW_THREADS;
  if (rc != YOLO_OK) {
    Py_DECREF(self);
    return raise_status("cannot create the " YOLO_M_NAME " model context", rc,
                        err);
  }
  self->ctx = ctx;
  return (PyObject *)self;
}

static void Model_dealloc(ModelObject *self) {
  /* Nothing else can hold the lock: every method call holds a reference. */
  if (self->ctx)
    YOLO_M(destroy)(self->ctx);
  if (self->lock)
    PyThread_free_lock(self->lock);
  free(self->det_input);
  for (int k = 0; k < NUM_OUTPUTS; ++k)
    free(self->det_outputs[k]);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Model_repr(ModelObject *self) {
  return PyUnicode_FromFormat("<%s.Model target='%s' threads=%d>", YOLO_M_NAME,
                              YOLO_M(variant)(self->ctx), self->threads);
}

/* Fills `view` with input k's buffer when `obj` is a float32, C-contiguous
   array of exactly input k's shape; raises and returns -1 otherwise. */
static int get_input(PyObject *obj, int k, Py_buffer *view) {
  const tensor_info *t = &inputs_info[k];
  char what[32], expected[160], got[256];
  if (NUM_INPUTS == 1)
    snprintf(what, sizeof what, "input");
  else
    snprintf(what, sizeof what, "input %d", k);
  format_shape(expected, sizeof expected, t->rank, t->shape, NULL);
  if (!PyObject_CheckBuffer(obj)) {
    PyErr_Format(PyExc_TypeError,
                 "%s: expected a float32 array of shape %s, got %.200s", what,
                 expected, Py_TYPE(obj)->tp_name);
    return -1;
  }
  if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0)
    return -1;
  int ok = is_format(view, 'f', 4) && view->ndim == t->rank &&
           PyBuffer_IsContiguous(view, 'C');
  for (int d = 0; ok && d < t->rank; ++d)
    ok = view->shape[d] == t->shape[d];
  if (ok)
    return 0;
  describe_buffer(got, sizeof got, view, 1);
  PyBuffer_Release(view);
  PyErr_Format(PyExc_ValueError,
               "%s: expected a float32 array of shape %s, got %s", what,
               expected, got);
  return -1;
}

/* A tuple of a tensor's dimensions. */
static PyObject *shape_tuple(const tensor_info *t) {
  PyObject *tuple = PyTuple_New(t->rank);
  for (int d = 0; tuple && d < t->rank; ++d) {
    PyObject *v = PyLong_FromLongLong(t->shape[d]);
    if (!v) {
      Py_CLEAR(tuple);
      break;
    }
    PyTuple_SET_ITEM(tuple, d, v);
  }
  return tuple;
}

/* numpy.empty(shape, dtype="float32") for output k. */
static PyObject *new_output(PyObject *empty, int k) {
  PyObject *shape = shape_tuple(&outputs_info[k]);
  if (!shape)
    return NULL;
  PyObject *args = PyTuple_Pack(1, shape);
  Py_DECREF(shape);
  PyObject *kwargs = args ? Py_BuildValue("{s:s}", "dtype", "float32") : NULL;
  PyObject *array = kwargs ? PyObject_Call(empty, args, kwargs) : NULL;
  Py_XDECREF(args);
  Py_XDECREF(kwargs);
  return array;
}

PyDoc_STRVAR(
    Model_run_doc,
    "run(*inputs) -> list of numpy.ndarray\n\n"
    "Runs the model. Takes one array per model input (any object with the\n"
    "buffer protocol: float32, C-contiguous, exactly the input's shape, see\n"
    "input_shapes) and returns one new float32 numpy array per model output\n"
    "(see output_shapes). Raises TypeError for an object without the\n"
    "buffer protocol, ValueError for another element type, shape or layout,\n"
    "RuntimeError when the library fails. The GIL is released while the\n"
    "model runs; calls on one Model take turns.");

static PyObject *Model_run(ModelObject *self, PyObject *const *args,
                           Py_ssize_t nargs) {
  if (nargs != NUM_INPUTS) {
    PyErr_Format(PyExc_TypeError,
                 "run() takes %d input array%s, got %zd argument%s", NUM_INPUTS,
                 NUM_INPUTS == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
    return NULL;
  }
  Py_buffer in_views[NUM_INPUTS], out_views[NUM_OUTPUTS];
  float *aligned[NUM_INPUTS] = {NULL};
  const float *ins[NUM_INPUTS];
  float *outs[NUM_OUTPUTS];
  int num_in = 0, num_out = 0;
  PyObject *result = NULL, *numpy = NULL, *empty = NULL;

  for (; num_in < NUM_INPUTS; ++num_in) {
    if (get_input(args[num_in], num_in, &in_views[num_in]) < 0)
      goto done;
    ins[num_in] = (const float *)in_views[num_in].buf;
    /* A misaligned float array (numpy allows them): run on a copy. */
    if ((uintptr_t)ins[num_in] % _Alignof(float)) {
      size_t bytes = (size_t)in_views[num_in].len;
      if (!(aligned[num_in] = (float *)malloc(bytes ? bytes : 1))) {
        PyErr_NoMemory();
        ++num_in;
        goto done;
      }
      memcpy(aligned[num_in], in_views[num_in].buf, bytes);
      ins[num_in] = aligned[num_in];
    }
  }

  if (!(numpy = PyImport_ImportModule("numpy")) ||
      !(empty = PyObject_GetAttrString(numpy, "empty")) ||
      !(result = PyList_New(NUM_OUTPUTS)))
    goto done;
  for (; num_out < NUM_OUTPUTS; ++num_out) {
    PyObject *array = new_output(empty, num_out);
    if (!array)
      goto fail;
    PyList_SET_ITEM(result, num_out, array);
    if (PyObject_GetBuffer(array, &out_views[num_out],
                           PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
      goto fail;
    if (out_views[num_out].len !=
        (Py_ssize_t)(output_elements[num_out] * (int64_t)sizeof(float))) {
      PyBuffer_Release(&out_views[num_out]);
      PyErr_SetString(PyExc_RuntimeError,
                      "numpy.empty returned an array of an unexpected size");
      goto fail;
    }
    outs[num_out] = (float *)out_views[num_out].buf;
  }

  int rc;
  char err[1024] = "";
  Py_BEGIN_ALLOW_THREADS;
  PyThread_acquire_lock(self->lock, WAIT_LOCK);
  rc = YOLO_M(run_multi)(self->ctx, ins, outs);
  if (rc != YOLO_OK)
    snprintf(err, sizeof err, "%s", YOLO_M(last_error)(self->ctx));
  PyThread_release_lock(self->lock);
  Py_END_ALLOW_THREADS;
  if (rc == YOLO_OK)
    goto done;
  raise_status("run", rc, err);

fail:
  Py_CLEAR(result);
done:
  for (int k = 0; k < num_out; ++k)
    PyBuffer_Release(&out_views[k]);
  for (int k = 0; k < num_in; ++k) {
    PyBuffer_Release(&in_views[k]);
    free(aligned[k]);
  }
  Py_XDECREF(empty);
  Py_XDECREF(numpy);
  return result;
}

PyDoc_STRVAR(
    Model_detect_doc,
    "detect(image, conf=0.25, iou=0.45, max_det=300, masks=False)\n"
    "    -> list of (class_id, score, x1, y1, x2, y2)\n"
    "    (masks=True: a tuple of that list and a numpy bool array)\n\n"
    "Detects objects as " YOLO_M_NAME "-detect does. `image` is an image "
    "file\n"
    "(PNG, JPEG, PPM/PGM, BMP; str or os.PathLike) or an HxWx3 uint8 RGB\n"
    "array (any object with the buffer protocol). The image is letterboxed\n"
    "into the model input, the model runs, its first output is decoded:\n"
    "anchors whose best class score is above `conf`, class-aware NMS at\n"
    "IoU `iou`, at most `max_det` detections, best first, boxes as corners\n"
    "in image pixels. With masks=True (segmentation models only: a later\n"
    "4-D output holds the mask prototypes) also the detections' masks as\n"
    "upstream YOLOv9's segment/predict.py computes them (process_mask with\n"
    "upsample=True, then scale_image), a C-contiguous bool array of shape\n"
    "(n, H, W) for an HxW image, mask i belonging to detection i.\n"
    "Raises TypeError for a model that is not a detector (or, with\n"
    "masks=True, has no mask prototypes),\n"
    "OSError (FileNotFoundError, ...) for a file that cannot be read,\n"
    "ValueError for a bad image or argument. The GIL is released while the\n"
    "image is decoded and the model runs.");

static PyObject *Model_detect(ModelObject *self, PyObject *args,
                              PyObject *kwargs) {
  static char *kwlist[] = {"image", "conf", "iou", "max_det", "masks", NULL};
  PyObject *image, *path = NULL, *result = NULL, *mask_array = NULL;
  yolo_detection *dets = NULL, *dets_in = NULL;
  int64_t *det_anchors = NULL;
  float *protos = NULL, *coeffs = NULL;
  uint8_t *mask_in = NULL;
  double conf = 0.25, iou = 0.45;
  int max_det = 300, want_masks = 0;
  char err[1024] = "";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|ddip:detect", kwlist,
                                   &image, &conf, &iou, &max_det, &want_masks))
    return NULL;
  if (!is_detector()) {
    PyErr_SetString(PyExc_TypeError,
                    "model '" YOLO_M_NAME "' is not a detector: detect() "
                    "needs a model with one 1x3xHxW input and a "
                    "[1, 4 + classes, anchors] first output");
    return NULL;
  }
  /* The ranges NAME-detect accepts. */
  if (!(conf >= 0 && conf <= 1) || !(iou >= 0 && iou <= 1)) {
    int bad_conf = !(conf >= 0 && conf <= 1);
    snprintf(err, sizeof err, "%s must be in [0, 1], got %g",
             bad_conf ? "conf" : "iou", bad_conf ? conf : iou);
    set_error(PyExc_ValueError, err);
    return NULL;
  }
  if (max_det < 1 || max_det > 100000) {
    PyErr_Format(PyExc_ValueError, "max_det must be in [1, 100000], got %d",
                 max_det);
    return NULL;
  }
  /* Box and class rows: a segmentation model (a later 4-D output of
     [1, nm, h, w] mask prototypes) has nm mask coefficients after the
     classes, which are not scored. */
  int64_t mask_coefs = 0;
  int proto_k = 0;
  for (int k = 1; k < NUM_OUTPUTS && !mask_coefs; ++k)
    if (outputs_info[k].rank == 4 && outputs_info[k].shape[0] == 1)
      mask_coefs = outputs_info[k].shape[1], proto_k = k;
  if (want_masks && !mask_coefs) {
    PyErr_SetString(PyExc_TypeError,
                    "model '" YOLO_M_NAME "' has no segmentation head: "
                    "detect(masks=True) needs a later output of "
                    "[1, coefficients, height, width] mask prototypes");
    return NULL;
  }

  /* The image: a file to load (with the GIL released), or the pixels of an
     array, used in place (copied when not C-contiguous). */
  yolo_image img = {NULL, 0, 0};
  Py_buffer view;
  int have_view = 0;
  uint8_t *copy = NULL;
  const char *file = NULL;
  if (PyUnicode_Check(image) || PyBytes_Check(image) ||
      PyObject_HasAttrString((PyObject *)Py_TYPE(image), "__fspath__")) {
    if (!PyUnicode_FSConverter(image, &path))
      return NULL;
    file = PyBytes_AS_STRING(path);
  } else if (PyObject_CheckBuffer(image)) {
    if (PyObject_GetBuffer(image, &view, PyBUF_RECORDS_RO) < 0)
      return NULL;
    have_view = 1;
    if (!is_format(&view, 'B', 1) || view.ndim != 3 || view.shape[2] != 3 ||
        view.shape[0] < 1 || view.shape[0] > 65535 || view.shape[1] < 1 ||
        view.shape[1] > 65535) {
      char got[256];
      describe_buffer(got, sizeof got, &view, 0);
      PyErr_Format(PyExc_ValueError,
                   "image: expected an HxWx3 uint8 array (RGB, H and W in "
                   "[1, 65535]), got %s",
                   got);
      goto done;
    }
    img.height = (int32_t)view.shape[0];
    img.width = (int32_t)view.shape[1];
    if (PyBuffer_IsContiguous(&view, 'C')) {
      img.data = (uint8_t *)view.buf;
    } else {
      if (!(copy = (uint8_t *)malloc((size_t)view.len))) {
        PyErr_NoMemory();
        goto done;
      }
      if (PyBuffer_ToContiguous(copy, &view, view.len, 'C') < 0)
        goto done;
      img.data = copy;
    }
  } else {
    PyErr_Format(PyExc_TypeError,
                 "image: expected a path (str or os.PathLike) or an HxWx3 "
                 "uint8 array, got %.200s",
                 Py_TYPE(image)->tp_name);
    return NULL;
  }

  const int in_h = (int)inputs_info[0].shape[2];
  const int in_w = (int)inputs_info[0].shape[3];
  const int64_t channels = outputs_info[0].shape[1] - mask_coefs;
  const int64_t anchors = outputs_info[0].shape[2];
  const char *stage = NULL;
  int rc = YOLO_OK, err_no = 0, n = 0;
  Py_BEGIN_ALLOW_THREADS;
  if (file) {
    errno = 0;
    rc = yolo_image_load(file, 0, &img, err, sizeof err);
    err_no = errno;
  }
  if (rc == YOLO_OK) {
    stage = "detect";
    dets = (yolo_detection *)malloc((size_t)max_det * sizeof *dets);
    if (!dets)
      rc = YOLO_ERR_OUT_OF_MEMORY;
  }
  /* masks=True: the prototypes and each detection's coefficients and box
     in input pixels are copied out under the lock; the masks are computed
     after it, into the array made with the GIL held. */
  if (rc == YOLO_OK && want_masks) {
    det_anchors = (int64_t *)malloc((size_t)max_det * sizeof *det_anchors);
    dets_in = (yolo_detection *)malloc((size_t)max_det * sizeof *dets_in);
    coeffs = (float *)malloc((size_t)max_det * mask_coefs * sizeof *coeffs);
    protos = (float *)malloc((size_t)output_elements[proto_k] * sizeof *protos);
    mask_in = (uint8_t *)malloc((size_t)in_w * in_h);
    if (!det_anchors || !dets_in || !coeffs || !protos || !mask_in)
      rc = YOLO_ERR_OUT_OF_MEMORY;
  }
  if (rc == YOLO_OK) {
    PyThread_acquire_lock(self->lock, WAIT_LOCK);
    if (!self->det_input)
      self->det_input =
          (float *)malloc((size_t)3 * in_h * in_w * sizeof(float));
    for (int k = 0; k < NUM_OUTPUTS; ++k)
      if (!self->det_outputs[k])
        self->det_outputs[k] =
            (float *)malloc((size_t)output_elements[k] * sizeof(float));
    rc = self->det_input ? YOLO_OK : YOLO_ERR_OUT_OF_MEMORY;
    for (int k = 0; k < NUM_OUTPUTS; ++k)
      if (!self->det_outputs[k])
        rc = YOLO_ERR_OUT_OF_MEMORY;
    yolo_letterbox_info box;
    if (rc == YOLO_OK) {
      stage = "letterbox";
      rc = yolo_letterbox(&img, in_w, in_h, self->det_input, &box);
    }
    if (rc == YOLO_OK) {
      const float *ins[1] = {self->det_input};
      stage = "run";
      rc = YOLO_M(run_multi)(self->ctx, ins, self->det_outputs);
      if (rc != YOLO_OK)
        snprintf(err, sizeof err, "%s", YOLO_M(last_error)(self->ctx));
    }
    if (rc == YOLO_OK) {
      stage = "decode";
      rc = yolo_decode_and_nms_anchors(self->det_outputs[0], channels, anchors,
                                       (float)conf, (float)iou, max_det, 0,
                                       dets, det_anchors, &n);
    }
    if (rc == YOLO_OK && want_masks) {
      stage = "masks";
      memcpy(protos, self->det_outputs[proto_k],
             (size_t)output_elements[proto_k] * sizeof *protos);
      memcpy(dets_in, dets, (size_t)n * sizeof *dets);
      for (int d = 0; d < n && rc == YOLO_OK; ++d)
        rc = yolo_mask_coefficients(
            self->det_outputs[0], outputs_info[0].shape[1], anchors,
            det_anchors[d], mask_coefs, coeffs + (size_t)d * mask_coefs);
    }
    if (rc == YOLO_OK) {
      stage = "scale boxes";
      rc = yolo_scale_boxes(dets, n, box.gain, box.pad_x, box.pad_y, img.width,
                            img.height);
    }
    PyThread_release_lock(self->lock);
  }
  Py_END_ALLOW_THREADS;

  if (rc != YOLO_OK) {
    if (!stage)
      raise_image_error(rc, err, err_no);
    else
      raise_status(stage, rc, err);
    goto done;
  }
  if (!(result = PyList_New(n)))
    goto done;
  for (int d = 0; d < n; ++d) {
    PyObject *t =
        Py_BuildValue("(iddddd)", (int)dets[d].class_id, (double)dets[d].score,
                      (double)dets[d].x1, (double)dets[d].y1,
                      (double)dets[d].x2, (double)dets[d].y2);
    if (!t) {
      Py_CLEAR(result);
      goto done;
    }
    PyList_SET_ITEM(result, d, t);
  }

  if (want_masks) {
    /* numpy.empty((n, H, W), dtype=bool), filled through its buffer with
       the GIL released. */
    PyObject *numpy = PyImport_ImportModule("numpy");
    PyObject *empty = numpy ? PyObject_GetAttrString(numpy, "empty") : NULL;
    Py_XDECREF(numpy);
    if (empty)
      mask_array = PyObject_CallFunction(empty, "((iii)s)", n, (int)img.height,
                                         (int)img.width, "bool");
    Py_XDECREF(empty);
    Py_buffer out;
    if (!mask_array ||
        PyObject_GetBuffer(mask_array, &out,
                           PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
      Py_CLEAR(result);
      goto done;
    }
    size_t pixels = (size_t)img.width * img.height;
    const int64_t *ps = outputs_info[proto_k].shape;
    Py_BEGIN_ALLOW_THREADS;
    for (int d = 0; d < n && rc == YOLO_OK; ++d) {
      rc = yolo_mask_compute(protos, ps[1], ps[2], ps[3],
                             coeffs + (size_t)d * mask_coefs, mask_coefs,
                             &dets_in[d], in_w, in_h, mask_in);
      if (rc == YOLO_OK)
        rc = yolo_mask_to_image(mask_in, in_w, in_h, img.width, img.height,
                                (uint8_t *)out.buf + (size_t)d * pixels);
    }
    Py_END_ALLOW_THREADS;
    PyBuffer_Release(&out);
    if (rc != YOLO_OK) {
      raise_status("masks", rc, "");
      Py_CLEAR(result);
      goto done;
    }
    PyObject *pair = PyTuple_Pack(2, result, mask_array);
    Py_DECREF(result);
    result = pair;
  }

done:
  Py_XDECREF(mask_array);
  free(det_anchors);
  free(dets_in);
  free(coeffs);
  free(protos);
  free(mask_in);
  free(dets);
  if (file)
    yolo_image_free(&img);
  free(copy);
  if (have_view)
    PyBuffer_Release(&view);
  Py_XDECREF(path);
  return result;
}

static PyMethodDef Model_methods[] = {
    {"run", (PyCFunction)(void (*)(void))Model_run, METH_FASTCALL,
     Model_run_doc},
    {"detect", (PyCFunction)(void (*)(void))Model_detect,
     METH_VARARGS | METH_KEYWORDS, Model_detect_doc},
    {NULL, NULL, 0, NULL}};

/*===----------------------------------------------------------------------===*
 * Properties
 *===----------------------------------------------------------------------===*/

static PyObject *Model_get_target(ModelObject *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(YOLO_M(variant)(self->ctx));
}

static PyObject *Model_get_threads(ModelObject *self, void *closure) {
  (void)closure;
  return PyLong_FromLong(self->threads);
}

static PyObject *Model_get_input_shape(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return shape_tuple(&inputs_info[0]);
}

/* A list of the shapes (`names` 0) or names (1) of `n` tensors. */
static PyObject *tensor_list(const tensor_info *t, int n, int names) {
  PyObject *list = PyList_New(n);
  for (int k = 0; list && k < n; ++k) {
    PyObject *v = names ? PyUnicode_FromString(t[k].name) : shape_tuple(&t[k]);
    if (!v) {
      Py_CLEAR(list);
      break;
    }
    PyList_SET_ITEM(list, k, v);
  }
  return list;
}

static PyObject *Model_get_input_shapes(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return tensor_list(inputs_info, NUM_INPUTS, 0);
}

static PyObject *Model_get_output_shapes(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return tensor_list(outputs_info, NUM_OUTPUTS, 0);
}

static PyObject *Model_get_input_names(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return tensor_list(inputs_info, NUM_INPUTS, 1);
}

static PyObject *Model_get_output_names(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return tensor_list(outputs_info, NUM_OUTPUTS, 1);
}

static PyObject *Model_get_is_detector(ModelObject *self, void *closure) {
  (void)self, (void)closure;
  return PyBool_FromLong(is_detector());
}

static PyGetSetDef Model_getset[] = {
    {"target", (getter)Model_get_target, NULL,
     "The target string of the compiled variant this Model runs (one of "
     "__target__'s entries).",
     NULL},
    {"threads", (getter)Model_get_threads, NULL,
     "The number of worker threads the Model was created with.", NULL},
    {"input_shape", (getter)Model_get_input_shape, NULL,
     "The shape of the (first) model input, a tuple.", NULL},
    {"input_shapes", (getter)Model_get_input_shapes, NULL,
     "The shapes of the model inputs, a list of tuples.", NULL},
    {"output_shapes", (getter)Model_get_output_shapes, NULL,
     "The shapes of the model outputs, a list of tuples.", NULL},
    {"input_names", (getter)Model_get_input_names, NULL,
     "The names of the model inputs.", NULL},
    {"output_names", (getter)Model_get_output_names, NULL,
     "The names of the model outputs.", NULL},
    {"is_detector", (getter)Model_get_is_detector, NULL,
     "Whether detect() works: one 1x3xHxW input and a first output "
     "[1, 4 + classes, anchors].",
     NULL},
    {NULL, NULL, NULL, NULL, NULL}};

PyDoc_STRVAR(Model_doc,
             "Model(threads=1)\n\n"
             "A context of the compiled model " YOLO_M_NAME
             " with `threads` worker threads (1..256). Raises ValueError "
             "for a\nthread count out of range, RuntimeError when the "
             "library cannot create\nthe context (e.g. a CPU without the "
             "features it was compiled for).");

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = YOLO_M_NAME ".Model",
    .tp_basicsize = sizeof(ModelObject),
    .tp_dealloc = (destructor)Model_dealloc,
    .tp_repr = (reprfunc)Model_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = Model_doc,
    .tp_methods = Model_methods,
    .tp_getset = Model_getset,
    .tp_new = Model_new,
};

/*===----------------------------------------------------------------------===*
 * The module
 *===----------------------------------------------------------------------===*/

PyDoc_STRVAR(module_doc,
             "The compiled model " YOLO_M_NAME
             " (generated by yolo-codegen).\n\n"
             "Model(threads=1) creates a context; Model.run(*inputs) runs "
             "it on\nfloat32 arrays, Model.detect(image) runs the detector "
             "on an image.\n__target__ is the target the library was "
             "compiled for.");

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT,
                                        YOLO_M_NAME,
                                        module_doc,
                                        -1,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL};

PyMODINIT_FUNC YOLO_M_PYINIT(void) {
  if (PyType_Ready(&ModelType) < 0)
    return NULL;
  PyObject *m = PyModule_Create(&module_def);
  if (!m)
    return NULL;
  if (PyModule_AddType(m, &ModelType) < 0 ||
      PyModule_AddStringConstant(m, "__target__", YOLO_M_UPPER(TARGET)) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
