// cpp-detect: objects in an image with a YOLOv9 detector compiled by
// yolo_add_model() (CMakeLists.txt): decode, letterbox, run, decode the
// boxes with class-aware NMS, map them back to the image.
//
//   cpp-detect IMAGE [CONF [IOU]]
//
// Prints the variant the library picked, then one line per detection:
// class id, score, x1 y1 x2 y2 in image pixels.
#include "detector.h"
#include "yolo_image.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s IMAGE [CONF [IOU]]\n", argv[0]);
    return 2;
  }
  const float conf = argc > 2 ? std::strtof(argv[2], nullptr) : 0.25f;
  const float iou = argc > 3 ? std::strtof(argv[3], nullptr) : 0.45f;

  // The model's shapes come from its header.
  const int64_t in[] = DETECTOR_INPUT0_SHAPE, out[] = DETECTOR_OUTPUT0_SHAPE;
  static_assert(DETECTOR_INPUT0_RANK == 4 && DETECTOR_OUTPUT0_RANK == 3,
                "a detector: 1x3xHxW in, [1, 4 + classes, anchors] out");
  const int height = static_cast<int>(in[2]), width = static_cast<int>(in[3]);

  char err[512];
  yolo_image image;
  int rc = yolo_image_load(argv[1], 0, &image, err, sizeof err);
  if (rc != YOLO_OK) {
    std::fprintf(stderr, "error: %s\n", err);
    return 1;
  }
  std::vector<float> input(DETECTOR_INPUT0_ELEMENTS);
  yolo_letterbox_info box;
  rc = yolo_letterbox(&image, width, height, input.data(), &box);

  detector_context *raw = nullptr;
  if (rc == YOLO_OK && (rc = detector_create(&raw, 2)) != YOLO_OK) {
    std::fprintf(stderr, "error: %s: %s\n", yolo_status_string(rc),
                 detector_last_error(nullptr));
    return 1;
  }
  std::unique_ptr<detector_context, void (*)(detector_context *)> ctx(
      raw, detector_destroy);
  std::printf("variant: %s\n", detector_variant(ctx.get()));

  // Every output must be given; the first is the detections.
  static const int64_t counts[] = {
#define OUTPUT_COUNT(k) DETECTOR_OUTPUT##k##_ELEMENTS
    OUTPUT_COUNT(0),
#if DETECTOR_NUM_OUTPUTS > 1
    OUTPUT_COUNT(1),
#endif
  };
  std::vector<std::vector<float>> outputs;
  std::vector<float *> outs;
  for (int64_t n : counts) {
    outputs.emplace_back(n);
    outs.push_back(outputs.back().data());
  }
  const float *ins[] = {input.data()};
  std::vector<yolo_detection> dets(300);
  int n = 0;
  if (rc == YOLO_OK)
    rc = detector_run_multi(ctx.get(), ins, outs.data());
  if (rc == YOLO_OK)
    rc = yolo_decode_and_nms(outs[0], out[1], out[2], conf, iou,
                             static_cast<int>(dets.size()), 0, dets.data(), &n);
  if (rc == YOLO_OK)
    rc = yolo_scale_boxes(dets.data(), n, box.gain, box.pad_x, box.pad_y,
                          image.width, image.height);
  yolo_image_free(&image);
  if (rc != YOLO_OK) {
    std::fprintf(stderr, "error: %s: %s\n", yolo_status_string(rc),
                 detector_last_error(ctx.get()));
    return 1;
  }
  for (int i = 0; i < n; ++i)
    std::printf("%d %.4f %.1f %.1f %.1f %.1f\n", dets[i].class_id,
                dets[i].score, dets[i].x1, dets[i].y1, dets[i].x2, dets[i].y2);
  return 0;
}
