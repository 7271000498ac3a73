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
  for (int k = 1; k < YOLO_M_UPPER(NUM_OUTPUTS) && !mask_coefs; ++k)
    if (out_ranks[k] == 4 && out_shapes[k][0] == 1)
      mask_coefs = out_shapes[k][1];
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
           "boxes only (masks are not decoded)\n",
           (long long)classes, (long long)mask_coefs);
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
      rc = yolo_decode_and_nms(outs[0], 4 + classes, anchors, conf, iou,
                               max_det, 0, dets, &n);
    if (rc == YOLO_OK)
      rc = yolo_scale_boxes(dets, n, box.gain, box.pad_x, box.pad_y, img.width,
                            img.height);
    if (rc != YOLO_OK) {
      fprintf(stderr, "error: %s: %s: %s\n", images[k], yolo_status_string(rc),
              YOLO_M(last_error)(ctx));
      yolo_image_free(&img);
      status = 1;
      continue;
    }
    printf("%s: %dx%d, %d detection%s, inference %.1f ms\n", images[k],
           img.width, img.height, n, n == 1 ? "" : "s", ms);
    if (n)
      printf("  %-16s %6s %8s %8s %8s %8s\n", "class", "score", "x1", "y1",
             "x2", "y2");
    for (int d = 0; d < n; ++d) {
      char label[32];
      const char *name = dets[d].class_id < num_names
                             ? names[dets[d].class_id]
                             : (snprintf(label, sizeof label, "class %d",
                                         (int)dets[d].class_id),
                                label);
      printf("  %-16s %6.3f %8.1f %8.1f %8.1f %8.1f\n", name, dets[d].score,
             dets[d].x1, dets[d].y1, dets[d].x2, dets[d].y2);
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
        fprintf(json, "\"score\": %.6f, \"box\": [%.3f, %.3f, %.3f, %.3f]}",
                dets[d].score, dets[d].x1, dets[d].y1, dets[d].x2, dets[d].y2);
      }
      fprintf(json, "]}");
    }
    if (draw_path) {
      char path[4096];
      if (num_images > 1)
        numbered_path(draw_path, k, path, sizeof path);
      else
        snprintf(path, sizeof path, "%s", draw_path);
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
  return status;
}
