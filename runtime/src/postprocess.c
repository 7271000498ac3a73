//===- postprocess.c - decode, NMS, top-k and box mapping for detectors ---===//
//
// What runs after the network of a YOLOv9 detector: pick each anchor's best
// class, drop low-confidence anchors, suppress overlapping boxes greedily
// (per class or across classes), and map the survivors from the letterboxed
// model input back to the original image. The rules follow YOLOv9's
// utils/general.py (non_max_suppression, scale_boxes, clip_boxes) so a
// compiled model's detections can be compared with the PyTorch model's; the
// deliberate difference is that ties are broken by anchor index, which makes
// the output deterministic where torch.sort is not.
//
//===----------------------------------------------------------------------===//

#include "yolo_runtime.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

//===----------------------------------------------------------------------===//
// Decode and NMS
//===----------------------------------------------------------------------===//

typedef struct Candidate {
  float score;
  int32_t classId;
  int64_t anchor;
} Candidate;

// Highest score first, then the lower anchor index: a strict total order,
// so qsort's lack of stability cannot change the result.
static int compareCandidates(const void *lhs, const void *rhs) {
  const Candidate *a = (const Candidate *)lhs;
  const Candidate *b = (const Candidate *)rhs;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->anchor != b->anchor)
    return a->anchor < b->anchor ? -1 : 1;
  return 0;
}

static float maxf(float a, float b) { return a > b ? a : b; }
static float minf(float a, float b) { return a < b ? a : b; }

// Whether `a` suppresses `b`: IoU > threshold, computed as torchvision's nms
// does. A non-positive union (degenerate boxes) never suppresses.
static int suppresses(const yolo_detection *a, const yolo_detection *b,
                      float iouThresh) {
  float w = maxf(0.0f, minf(a->x2, b->x2) - maxf(a->x1, b->x1));
  float h = maxf(0.0f, minf(a->y2, b->y2) - maxf(a->y1, b->y1));
  float inter = w * h;
  float areaA = (a->x2 - a->x1) * (a->y2 - a->y1);
  float areaB = (b->x2 - b->x1) * (b->y2 - b->y1);
  float uni = areaA + areaB - inter;
  if (!(uni > 0.0f))
    return 0;
  return inter / uni > iouThresh;
}

static int isUnitInterval(float v) { return v >= 0.0f && v <= 1.0f; }

int yolo_decode_and_nms(const float *pred, int64_t num_channels,
                        int64_t num_anchors, float conf_thresh,
                        float iou_thresh, int max_det, int class_agnostic,
                        yolo_detection *out, int *num_out) {
  Candidate *cands;
  int64_t numCands = 0, a, c, i;
  int kept = 0;

  if (num_out)
    *num_out = 0;
  if (!pred || !num_out || (!out && max_det > 0))
    return YOLO_ERR_NULL_ARGUMENT;
  if (num_channels < 5 || num_anchors < 0)
    return YOLO_ERR_BAD_SHAPE;
  // Every element of pred must be addressable, and the scratch must fit.
  if (num_anchors > 0 &&
      (num_channels > PTRDIFF_MAX / (int64_t)sizeof(float) / num_anchors ||
       (uint64_t)num_anchors > SIZE_MAX / sizeof(Candidate)))
    return YOLO_ERR_BAD_SHAPE;
  if (!isUnitInterval(conf_thresh) || !isUnitInterval(iou_thresh) ||
      max_det < 0)
    return YOLO_ERR_BAD_ARGUMENT;
  if (num_anchors == 0 || max_det == 0)
    return YOLO_OK;

  cands = (Candidate *)malloc((size_t)num_anchors * sizeof(Candidate));
  if (!cands)
    return YOLO_ERR_OUT_OF_MEMORY;

  // Class-major scan: the prediction is laid out channel by channel, so
  // reading one class row at a time walks memory contiguously. A NaN score
  // sticks (torch's amax propagates NaN too) and drops the anchor below.
  for (a = 0; a < num_anchors; ++a) {
    cands[a].score = pred[4 * num_anchors + a];
    cands[a].classId = 0;
    cands[a].anchor = a;
  }
  for (c = 1; c < num_channels - 4; ++c) {
    const float *row = pred + (4 + c) * num_anchors;
    for (a = 0; a < num_anchors; ++a) {
      float s = row[a];
      if (s > cands[a].score) {
        cands[a].score = s;
        cands[a].classId = (int32_t)c;
      } else if (s != s) {
        cands[a].score = s;
      }
    }
  }
  for (a = 0; a < num_anchors; ++a)
    if (cands[a].score > conf_thresh)
      cands[numCands++] = cands[a];

  qsort(cands, (size_t)numCands, sizeof(Candidate), compareCandidates);

  // Greedy NMS against the boxes kept so far, which live in `out`. Keeping
  // in score order and stopping at max_det gives the same set as full NMS
  // followed by truncation.
  for (i = 0; i < numCands && kept < max_det; ++i) {
    int64_t anchor = cands[i].anchor;
    float cx = pred[anchor];
    float cy = pred[num_anchors + anchor];
    float hw = pred[2 * num_anchors + anchor] / 2;
    float hh = pred[3 * num_anchors + anchor] / 2;
    yolo_detection det;
    int k, suppressed = 0;
    det.class_id = cands[i].classId;
    det.score = cands[i].score;
    det.x1 = cx - hw;
    det.y1 = cy - hh;
    det.x2 = cx + hw;
    det.y2 = cy + hh;
    for (k = 0; k < kept && !suppressed; ++k)
      if ((class_agnostic || out[k].class_id == det.class_id) &&
          suppresses(&out[k], &det, iou_thresh))
        suppressed = 1;
    if (!suppressed)
      out[kept++] = det;
  }

  free(cands);
  *num_out = kept;
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Top-k
//===----------------------------------------------------------------------===//

// Whether position i ranks above position j: higher score, then lower index.
static int ranksAbove(const float *s, int64_t i, int64_t j) {
  return s[i] > s[j] || (s[i] == s[j] && i < j);
}

// Restores the heap below `node`; the root of the heap is the lowest ranked
// position kept so far, so it is the one a better score replaces.
static void siftDown(const float *s, int64_t *heap, int size, int node) {
  for (;;) {
    int left = 2 * node + 1, right = left + 1, lowest = node;
    int64_t tmp;
    if (left < size && ranksAbove(s, heap[lowest], heap[left]))
      lowest = left;
    if (right < size && ranksAbove(s, heap[lowest], heap[right]))
      lowest = right;
    if (lowest == node)
      return;
    tmp = heap[node];
    heap[node] = heap[lowest];
    heap[lowest] = tmp;
    node = lowest;
  }
}

int yolo_topk(const float *scores, int64_t n, int k, int64_t *indices,
              int *num_out) {
  int size = 0, end;
  int64_t i;

  if (num_out)
    *num_out = 0;
  if (!num_out || (!scores && n > 0) || (!indices && k > 0))
    return YOLO_ERR_NULL_ARGUMENT;
  if (n < 0 || k < 0)
    return YOLO_ERR_BAD_ARGUMENT;
  if (k == 0)
    return YOLO_OK;

  for (i = 0; i < n; ++i) {
    if (scores[i] != scores[i])
      continue;
    if (size < k) {
      int node = size++;
      indices[node] = i;
      while (node > 0) {
        int parent = (node - 1) / 2;
        int64_t tmp;
        if (!ranksAbove(scores, indices[parent], indices[node]))
          break;
        tmp = indices[parent];
        indices[parent] = indices[node];
        indices[node] = tmp;
        node = parent;
      }
    } else if (ranksAbove(scores, i, indices[0])) {
      indices[0] = i;
      siftDown(scores, indices, size, 0);
    }
  }

  // Heap sort: moving the lowest ranked to the back leaves the best first.
  for (end = size - 1; end > 0; --end) {
    int64_t tmp = indices[0];
    indices[0] = indices[end];
    indices[end] = tmp;
    siftDown(scores, indices, end, 0);
  }
  *num_out = size;
  return YOLO_OK;
}

//===----------------------------------------------------------------------===//
// Letterbox mapping
//===----------------------------------------------------------------------===//

int yolo_letterbox_params(int img_w, int img_h, int input_w, int input_h,
                          float *gain, float *pad_x, float *pad_y) {
  double g;
  if (!gain || !pad_x || !pad_y)
    return YOLO_ERR_NULL_ARGUMENT;
  if (img_w <= 0 || img_h <= 0 || input_w <= 0 || input_h <= 0)
    return YOLO_ERR_BAD_ARGUMENT;
  // In double, as YOLOv9 computes them in Python floats.
  g = (double)input_h / img_h;
  if ((double)input_w / img_w < g)
    g = (double)input_w / img_w;
  *gain = (float)g;
  *pad_x = (float)((input_w - img_w * g) / 2);
  *pad_y = (float)((input_h - img_h * g) / 2);
  return YOLO_OK;
}

static float clampf(float v, float hi) {
  return v < 0.0f ? 0.0f : (v > hi ? hi : v);
}

int yolo_scale_boxes(yolo_detection *dets, int n, float gain, float pad_x,
                     float pad_y, int img_w, int img_h) {
  int i;
  if (!dets && n > 0)
    return YOLO_ERR_NULL_ARGUMENT;
  if (n < 0 || !isfinite(gain) || !(gain > 0.0f) || !isfinite(pad_x) ||
      !isfinite(pad_y) || img_w <= 0 || img_h <= 0)
    return YOLO_ERR_BAD_ARGUMENT;
  for (i = 0; i < n; ++i) {
    yolo_detection *d = &dets[i];
    d->x1 = clampf((d->x1 - pad_x) / gain, (float)img_w);
    d->y1 = clampf((d->y1 - pad_y) / gain, (float)img_h);
    d->x2 = clampf((d->x2 - pad_x) / gain, (float)img_w);
    d->y2 = clampf((d->y2 - pad_y) / gain, (float)img_h);
  }
  return YOLO_OK;
}
