/*===- yolo_detect.c - NAME-detect: images in, detections out -------------===*
 *
 * The detector program `yolo-codegen --emit-detector` builds for a compiled
 * model, linked only against its libNAME.a:
 *
 *   NAME-detect IMAGE... [--conf 0.25] [--iou 0.45] [--max-det 300]
 *               [--threads N] [--names names.txt] [--json out.json]
 *               [--draw out.png]
 *
 * For each image: load (PNG, JPEG, PPM/PGM, BMP), letterbox into the model
 * input as YOLOv9 does, run the model, decode its main output (output 0,
 * [1, 4 + classes, anchors]) with the confidence threshold and class-aware
 * NMS, map the boxes back to the image, print them as a table with the
 * inference latency, and optionally write them as JSON (one document for
 * all images) and draw them (with several images, --draw out.png writes
 * out-0.png, out-1.png, ...).
 *
 * A segmentation model (a later 4-D output of [1, nm, mh, mw] mask
 * prototypes, nm mask coefficients after the classes in output 0) also
 * gets a mask per detection, computed as upstream YOLOv9's
 * segment/predict.py does (yolo_mask_compute: sigmoid of coefficients
 * times prototypes, cropped to the box, upsampled to the input,
 * thresholded at 0.5; yolo_mask_to_image: mapped to the image as
 * scale_image does): the table gives its pixel count, the JSON a COCO
 * RLE ({"size": [height, width], "counts": [...]}, uncompressed,
 * column-major, starting with a run of zeros, as pycocotools writes it),
 * and --draw blends the masks in their class colours at alpha 0.5 under
 * the boxes (upstream's Annotator.masks on the image-sized masks).
 *
 * The model comes in through macros: yolo-codegen compiles this file with
 * `-include NAME_detect.h`, which maps YOLO_M(x) to NAME_x and
 * YOLO_M_UPPER(X) to NAME_X. Exit status: 0, 1 on a bad image or a failed
 * run, 2 on bad arguments.
 *
 *===----------------------------------------------------------------------===*/
#include "yolo_image.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NAMES 4096

static int usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s IMAGE... [--conf 0.25] [--iou 0.45] [--max-det 300] "
          "[--threads N] [--names names.txt] [--json out.json] "
          "[--draw out.png]\n",
          argv0);
  return 2;
}

/* Parses a number option; reports and returns 0 when it is not one. */
static int parse_float(const char *opt, const char *v, float lo, float hi,
                       float *out) {
  char *end;
  errno = 0;
  double d = v ? strtod(v, &end) : 0;
  if (!v || errno || end == v || *end || !(d >= lo && d <= hi)) {
    fprintf(stderr, "error: %s takes a number in [%g, %g], got '%s'\n", opt, lo,
            hi, v ? v : "");
    return 0;
  }
  *out = (float)d;
  return 1;
}

static int parse_int(const char *opt, const char *v, int lo, int hi, int *out) {
  float f;
  if (!parse_float(opt, v, (float)lo, (float)hi, &f))
    return 0;
  if (f != floorf(f)) {
    fprintf(stderr, "error: %s takes an integer, got '%s'\n", opt, v);
    return 0;
  }
  *out = (int)f;
  return 1;
}

/* One class name per line; returns the number read or -1 (reported). */
static int read_names(const char *path, char **names) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
    return -1;
  }
  char line[256];
  int n = 0;
  while (n < MAX_NAMES && fgets(line, sizeof line, f)) {
    size_t len = strcspn(line, "\r\n");
    line[len] = 0;
    names[n] = (char *)malloc(len + 1);
    if (!names[n]) {
      fclose(f);
      fprintf(stderr, "error: out of memory\n");
      return -1;
    }
    memcpy(names[n], line, len + 1);
    ++n;
  }
  fclose(f);
  return n;
}

/* A growing string: the JSON RLE of a mask, kept until it is written. */
typedef struct text_buf {
  char *data;
  size_t len, cap;
} text_buf;

static int text_append(text_buf *t, const char *s) {
  size_t n = strlen(s);
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + n + 1)
      cap *= 2;
    char *p = (char *)realloc(t->data, cap);
    if (!p)
      return 0;
    t->data = p;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n + 1);
  t->len += n;
  return 1;
}

/* COCO's uncompressed RLE of a width x height mask (row-major bytes):
   run lengths over the pixels in column-major order, the first run one of
   zeros (possibly empty), as pycocotools' encode gives them. */
static int mask_rle(const uint8_t *mask, int width, int height, text_buf *t) {
  char num[64];
  long long run = 0;
  int value = 0, first = 1;
  t->len = 0;
  snprintf(num, sizeof num, "{\"size\": [%d, %d], \"counts\": [", height,
           width);
  if (!text_append(t, num))
    return 0;
  for (int x = 0; x < width; ++x)
    for (int y = 0; y < height; ++y) {
      int v = mask[(size_t)y * width + x] != 0;
      if (v != value) {
        snprintf(num, sizeof num, "%s%lld", first ? "" : ", ", run);
        if (!text_append(t, num))
          return 0;
        first = 0;
        value = v;
        run = 0;
      }
      ++run;
    }
  snprintf(num, sizeof num, "%s%lld]}", first ? "" : ", ", run);
  return text_append(t, num);
}

static void free_names(char **names, int n) {
  for (int k = 0; k < n; ++k)
    free(names[k]);
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

/* out.png -> out-3.png for image 3 of several. */
static void numbered_path(const char *path, int k, char *buf, size_t size) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash))
    dot = path + strlen(path);
  snprintf(buf, size, "%.*s-%d%s", (int)(dot - path), path, k, dot);
}

int main(int argc, char **argv) {
  float conf = 0.25f, iou = 0.45f;
  int max_det = 300, threads = 1;
  const char *names_path = NULL, *json_path = NULL, *draw_path = NULL;
  const char **images = (const char **)calloc(argc, sizeof(char *));
  int num_images = 0;
  if (!images)
    return 1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int ok = 1;
    if (!strcmp(a, "--conf"))
      ok = parse_float(a, v, 0, 1, &conf), ++i;
    else if (!strcmp(a, "--iou"))
      ok = parse_float(a, v, 0, 1, &iou), ++i;
    else if (!strcmp(a, "--max-det"))
      ok = parse_int(a, v, 1, 100000, &max_det), ++i;
    else if (!strcmp(a, "--threads"))
      ok = parse_int(a, v, 1, 256, &threads), ++i;
    else if (!strcmp(a, "--names") && v)
      names_path = v, ++i;
    else if (!strcmp(a, "--json") && v)
      json_path = v, ++i;
    else if (!strcmp(a, "--draw") && v)
      draw_path = v, ++i;
    else if (a[0] == '-' && a[1])
      return usage(argv[0]);
    else
      images[num_images++] = a;
    if (!ok)
      return 2;
  }
  if (num_images == 0)
    return usage(argv[0]);

  static const int64_t in_shape[] = YOLO_M_UPPER(INPUT0_SHAPE);
  static const int64_t out_shape[] = YOLO_M_UPPER(OUTPUT0_SHAPE);
  if (YOLO_M_UPPER(NUM_INPUTS) != 1 || YOLO_M_UPPER(INPUT0_RANK) != 4 ||
      in_shape[0] != 1 || in_shape[1] != 3 || YOLO_M_UPPER(OUTPUT0_RANK) != 3 ||
      out_shape[0] != 1 || out_shape[1] < 5) {
    fprintf(stderr, "error: the detector needs a model with one 1x3xHxW "
                    "input and a [1, 4 + classes, anchors] first output\n");
    return 2;
  }
  const int in_h = (int)in_shape[2], in_w = (int)in_shape[3];
  const int64_t channels = out_shape[1], anchors = out_shape[2];

  char *names[MAX_NAMES];
  int num_names = 0;
  if (names_path && (num_names = read_names(names_path, names)) < 0)
    return 2;
  /* Without --names: the names the exporter recorded in the ONNX file
     (Ultralytics' `names` metadata), if any. */
  static const char *const model_names[] = YOLO_M_CLASS_NAMES;
  const char *names_from = names_path;
  if (!names_path && YOLO_M_NUM_CLASS_NAMES > 0) {
    names_from = "the model's metadata";
    for (; num_names < YOLO_M_NUM_CLASS_NAMES && num_names < MAX_NAMES;
         ++num_names) {
      size_t len = strlen(model_names[num_names]);
      if (!(names[num_names] = (char *)malloc(len + 1))) {
        fprintf(stderr, "error: out of memory\n");
        free_names(names, num_names);
        return 1;
      }
      memcpy(names[num_names], model_names[num_names], len + 1);
    }
  }

  /* What the head's channels mean: 4 box coordinates, the class scores,
     and in a segmentation model (a later 4-D output holds the mask
     prototypes [1, nm, h, w]) nm mask coefficients after the classes. */
  static const int64_t out_ranks[] = YOLO_M_OUTPUT_RANKS;
  static const int64_t out_shapes[][8] = YOLO_M_OUTPUT_SHAPES;
  int64_t mask_coefs = 0;
  int proto_k = 0;
  for (int k = 1; k < YOLO_M_UPPER(NUM_OUTPUTS) && !mask_coefs; ++k)
    if (out_ranks[k] == 4 && out_shapes[k][0] == 1)
      mask_coefs = out_shapes[k][1], proto_k = k;
    else if (out_ranks[k] == 4) {
      fprintf(stderr,
              "error: output %d has shape [%lld, %lld, %lld, %lld]: mask "
              "prototypes must be [1, coefficients, height, width]\n",
              k, (long long)out_shapes[k][0], (long long)out_shapes[k][1],
              (long long)out_shapes[k][2], (long long)out_shapes[k][3]);
      free_names(names, num_names);
      return 2;
    }
  const int64_t classes = channels - 4 - mask_coefs;
  if (classes < 1) {
    fprintf(stderr,
            "error: the first output has %lld channels: 4 box coordinates "
            "and %lld mask coefficients (output 1 holds %lld prototypes) "
            "leave no class scores\n",
            (long long)channels, (long long)mask_coefs, (long long)mask_coefs);
    free_names(names, num_names);
    return 2;
  }
  if (names_from && num_names != classes) {
    if (mask_coefs)
      fprintf(stderr,
              "error: %s lists %d names, but the model's head has %lld "
              "classes (%lld channels: 4 box coordinates, %lld classes, "
              "%lld mask coefficients)\n",
              names_from, num_names, (long long)classes, (long long)channels,
              (long long)classes, (long long)mask_coefs);
    else
      fprintf(stderr,
              "error: %s lists %d names, but the model's head has %lld "
              "classes (%lld channels: 4 box coordinates, %lld classes)\n",
              names_from, num_names, (long long)classes, (long long)channels,
              (long long)classes);
    free_names(names, num_names);
    return 2;
  }

  static const int64_t counts[] = YOLO_M_OUTPUT_ELEMENTS;
  float *outs[YOLO_M_UPPER(NUM_OUTPUTS)];
  for (int k = 0; k < YOLO_M_UPPER(NUM_OUTPUTS); ++k)
    if (!(outs[k] = (float *)malloc(counts[k] * sizeof(float)))) {
      fprintf(stderr, "error: out of memory\n");
      return 1;
    }
  float *input = (float *)malloc((size_t)3 * in_h * in_w * sizeof(float));
  yolo_detection *dets =
      (yolo_detection *)malloc((size_t)max_det * sizeof(yolo_detection));
  /* A segmentation model's per-detection state: where each detection came
     from, its box in input pixels, its coefficients, mask at the input and
     pixel count, and its RLE for --json. */
  int64_t *det_anchors = NULL, *mask_pixels = NULL;
  yolo_detection *dets_in = NULL;
  float *coeffs = NULL;
  uint8_t *mask_in = NULL;
  text_buf *rles = NULL;
  if (mask_coefs) {
    det_anchors = (int64_t *)malloc((size_t)max_det * sizeof(int64_t));
    mask_pixels = (int64_t *)malloc((size_t)max_det * sizeof(int64_t));
    dets_in =
        (yolo_detection *)malloc((size_t)max_det * sizeof(yolo_detection));
    coeffs = (float *)malloc((size_t)mask_coefs * sizeof(float));
    mask_in = (uint8_t *)malloc((size_t)in_h * in_w);
    if (json_path)
      rles = (text_buf *)calloc((size_t)max_det, sizeof(text_buf));
    if (!det_anchors || !mask_pixels || !dets_in || !coeffs || !mask_in ||
        (json_path && !rles)) {
      fprintf(stderr, "error: out of memory\n");
      return 1;
    }
  }
  if (!input || !dets) {
    fprintf(stderr, "error: out of memory\n");
    return 1;
  }
  YOLO_M(context) * ctx;
  int rc = YOLO_M(create)(&ctx, threads);
  if (rc != YOLO_OK) {
    fprintf(stderr, "error: cannot create the model context: %s: %s\n",
            yolo_status_string(rc), YOLO_M(last_error)(NULL));
    return 1;
  }
  /* Which compiled variant runs (a multi-target library picks one). */
  printf("model %s, target %s, %d thread%s\n", YOLO_M_NAME,
         YOLO_M(variant)(ctx), threads, threads == 1 ? "" : "s");
  if (mask_coefs)
    printf("segmentation head: %lld classes and %lld mask coefficients; "
           "masks from output %d (%lld prototypes of %lldx%lld)\n",
           (long long)classes, (long long)mask_coefs, proto_k,
           (long long)mask_coefs, (long long)out_shapes[proto_k][2],
           (long long)out_shapes[proto_k][3]);
  FILE *json = NULL;
  if (json_path) {
    if (!(json = fopen(json_path, "w"))) {
      fprintf(stderr, "error: %s: %s\n", json_path, strerror(errno));
      return 1;
    }
    fprintf(json,
            "{\n  \"model\": \"%s\",\n  \"target\": \"%s\",\n"
            "  \"input\": [1, 3, %d, %d],\n"
            "  \"conf\": %g, \"iou\": %g, \"max_det\": %d,\n  \"images\": [",
            YOLO_M_NAME, YOLO_M(variant)(ctx), in_h, in_w, conf, iou, max_det);
  }

  int status = 0;
  for (int k = 0; k < num_images; ++k) {
    char err[512];
    yolo_image img;
    rc = yolo_image_load(images[k], 0, &img, err, sizeof err);
    if (rc != YOLO_OK) {
      fprintf(stderr, "error: %s\n", err);
      status = 1;
      continue;
    }
    yolo_letterbox_info box;
    rc = yolo_letterbox(&img, in_w, in_h, input, &box);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const float *ins[1] = {input};
    if (rc == YOLO_OK)
      rc = YOLO_M(run_multi)(ctx, ins, outs);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    int n = 0;
    if (rc == YOLO_OK)
      /* The box and class rows come first (channel-major). */
      rc = yolo_decode_and_nms_anchors(outs[0], 4 + classes, anchors, conf, iou,
                                       max_det, 0, dets, det_anchors, &n);
    /* Masks, from the boxes in input pixels (before they are mapped to the
       image), one detection at a time. */
    uint8_t *mask_img = NULL, *overlay = NULL;
    const char *failed = NULL; /* what failed after the run */
    if (rc == YOLO_OK && mask_coefs && n > 0) {
      failed = "masks";
      size_t pixels = (size_t)img.width * img.height;
      mask_img = (uint8_t *)malloc(pixels);
      /* --draw: the clipped sum of the class colours of the masks over a
         pixel (RGB), and whether any covers it. */
      if (draw_path)
        overlay = (uint8_t *)calloc(pixels, 4);
      if (!mask_img || (draw_path && !overlay))
        rc = YOLO_ERR_OUT_OF_MEMORY;
      memcpy(dets_in, dets, (size_t)n * sizeof *dets);
      for (int d = 0; d < n && rc == YOLO_OK; ++d) {
        const int64_t *ps = out_shapes[proto_k];
        rc = yolo_mask_coefficients(outs[0], channels, anchors, det_anchors[d],
                                    mask_coefs, coeffs);
        if (rc == YOLO_OK)
          rc = yolo_mask_compute(outs[proto_k], ps[1], ps[2], ps[3], coeffs,
                                 mask_coefs, &dets_in[d], in_w, in_h, mask_in);
        if (rc == YOLO_OK)
          rc = yolo_mask_to_image(mask_in, in_w, in_h, img.width, img.height,
                                  mask_img);
        if (rc != YOLO_OK)
          break;
        const uint8_t *rgb = yolo_class_color(dets[d].class_id);
        int64_t count = 0;
        for (size_t p = 0; p < pixels; ++p) {
          if (!mask_img[p])
            continue;
          ++count;
          if (overlay) {
            uint8_t *o = overlay + 4 * p;
            for (int c = 0; c < 3; ++c)
              o[c] = o[c] + rgb[c] > 255 ? 255 : (uint8_t)(o[c] + rgb[c]);
            o[3] = 1;
          }
        }
        mask_pixels[d] = count;
        if (rles && !mask_rle(mask_img, img.width, img.height, &rles[d]))
          rc = YOLO_ERR_OUT_OF_MEMORY;
      }
      if (rc == YOLO_OK)
        failed = NULL;
    }
    if (rc == YOLO_OK)
      rc = yolo_scale_boxes(dets, n, box.gain, box.pad_x, box.pad_y, img.width,
                            img.height);
    free(mask_img);
    if (rc != YOLO_OK) {
      if (failed)
        fprintf(stderr, "error: %s: %s: %s\n", images[k], failed,
                yolo_status_string(rc));
      else
        fprintf(stderr, "error: %s: %s: %s\n", images[k],
                yolo_status_string(rc), YOLO_M(last_error)(ctx));
      free(overlay);
      yolo_image_free(&img);
      status = 1;
      continue;
    }
    printf("%s: %dx%d, %d detection%s, inference %.1f ms\n", images[k],
           img.width, img.height, n, n == 1 ? "" : "s", ms);
    if (n)
      printf("  %-16s %6s %8s %8s %8s %8s%s\n", "class", "score", "x1", "y1",
             "x2", "y2", mask_coefs ? "     mask" : "");
    for (int d = 0; d < n; ++d) {
      char label[32];
      const char *name = dets[d].class_id < num_names
                             ? names[dets[d].class_id]
                             : (snprintf(label, sizeof label, "class %d",
                                         (int)dets[d].class_id),
                                label);
      printf("  %-16s %6.3f %8.1f %8.1f %8.1f %8.1f", name, dets[d].score,
             dets[d].x1, dets[d].y1, dets[d].x2, dets[d].y2);
      if (mask_coefs)
        printf(" %8lld", (long long)mask_pixels[d]);
      printf("\n");
    }
    if (json) {
      fprintf(json, "%s\n    {\"file\": ", k ? "," : "");
      json_string(json, images[k]);
      fprintf(json,
              ", \"width\": %d, \"height\": %d, \"latency_ms\": %.3f,\n"
              "     \"detections\": [",
              img.width, img.height, ms);
      for (int d = 0; d < n; ++d) {
        fprintf(json, "%s\n       {\"class_id\": %d, ", d ? "," : "",
                (int)dets[d].class_id);
        if (dets[d].class_id < num_names) {
          fprintf(json, "\"class\": ");
          json_string(json, names[dets[d].class_id]);
          fprintf(json, ", ");
        }
        fprintf(json, "\"score\": %.6f, \"box\": [%.3f, %.3f, %.3f, %.3f]",
                dets[d].score, dets[d].x1, dets[d].y1, dets[d].x2, dets[d].y2);
        if (mask_coefs)
          fprintf(json, ",\n        \"mask_pixels\": %lld, \"mask\": %s",
                  (long long)mask_pixels[d], rles[d].data);
        fprintf(json, "}");
      }
      fprintf(json, "]}");
    }
    if (draw_path) {
      char path[4096];
      if (num_images > 1)
        numbered_path(draw_path, k, path, sizeof path);
      else
        snprintf(path, sizeof path, "%s", draw_path);
      /* The masks under the boxes, as upstream's Annotator.masks blends
         them: colour sum * 0.5 + pixel * 0.5 where a mask covers, stored
         truncated. */
      if (overlay) {
        size_t pixels = (size_t)img.width * img.height;
        for (size_t p = 0; p < pixels; ++p)
          if (overlay[4 * p + 3])
            for (int c = 0; c < 3; ++c)
              img.data[3 * p + c] =
                  (uint8_t)((overlay[4 * p + c] + img.data[3 * p + c]) >> 1);
      }
      for (int d = 0; d < n; ++d)
        yolo_draw_detection(
            &img, &dets[d],
            dets[d].class_id < num_names ? names[dets[d].class_id] : NULL, 0);
      if (yolo_image_write(path, &img, err, sizeof err) != YOLO_OK) {
        fprintf(stderr, "error: %s\n", err);
        status = 1;
      } else {
        printf("  drawn: %s\n", path);
      }
    }
    free(overlay);
    yolo_image_free(&img);
  }
  if (json) {
    fprintf(json, "\n  ]\n}\n");
    if (fclose(json) != 0) {
      fprintf(stderr, "error: %s: %s\n", json_path, strerror(errno));
      status = 1;
    }
  }
  YOLO_M(destroy)(ctx);
  for (int k = 0; k < YOLO_M_UPPER(NUM_OUTPUTS); ++k)
    free(outs[k]);
  free_names(names, num_names);
  free(input);
  free(dets);
  free(images);
  if (rles)
    for (int d = 0; d < max_det; ++d)
      free(rles[d].data);
  free(rles);
  free(det_anchors);
  free(mask_pixels);
  free(dets_in);
  free(coeffs);
  free(mask_in);
  return status;
}
