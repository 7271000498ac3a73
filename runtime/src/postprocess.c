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

#include "cv_linear.h"

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
  return yolo_decode_and_nms_anchors(pred, num_channels, num_anchors,
                                     conf_thresh, iou_thresh, max_det,
                                     class_agnostic, out, NULL, num_out);
}

int yolo_decode_and_nms_anchors(const float *pred, int64_t num_channels,
                                int64_t num_anchors, float conf_thresh,
                                float iou_thresh, int max_det,
                                int class_agnostic, yolo_detection *out,
                                int64_t *anchors, int *num_out) {
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
    if (!suppressed) {
      if (anchors)
        anchors[kept] = anchor;
      out[kept++] = det;
    }
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

//===----------------------------------------------------------------------===//
// Segmentation masks
//===----------------------------------------------------------------------===//

int yolo_mask_coefficients(const float *pred, int64_t num_channels,
                           int64_t num_anchors, int64_t anchor, int64_t nm,
                           float *coeffs) {
  int64_t j;
  if (!pred || !coeffs)
    return YOLO_ERR_NULL_ARGUMENT;
  if (nm < 1 || num_anchors < 1 || num_channels < 5 + nm ||
      num_channels > PTRDIFF_MAX / (int64_t)sizeof(float) / num_anchors)
    return YOLO_ERR_BAD_SHAPE;
  if (anchor < 0 || anchor >= num_anchors)
    return YOLO_ERR_BAD_ARGUMENT;
  for (j = 0; j < nm; ++j)
    coeffs[j] = pred[(num_channels - nm + j) * num_anchors + anchor];
  return YOLO_OK;
}

// Torch's bilinear taps for align_corners=False (UpSample.h,
// compute_source_index_and_lambda), all in float as torch computes them
// for float tensors: the source coordinate (d + 0.5) * scale - 0.5 clamped
// at 0, its integer part the first tap, the next one clamped at the edge.
static void torchLinearTaps(int64_t src, int dst, int32_t *first,
                            int32_t *second, float *w0, float *w1) {
  float scale = (float)src / (float)dst;
  int d;
  for (d = 0; d < dst; ++d) {
    float real = scale * ((float)d + 0.5f) - 0.5f;
    float l1;
    int32_t i0;
    if (real < 0.0f)
      real = 0.0f;
    i0 = (int32_t)real;
    l1 = real - (float)i0;
    l1 = l1 < 0.0f ? 0.0f : (l1 > 1.0f ? 1.0f : l1);
    first[d] = i0;
    second[d] = i0 < src - 1 ? i0 + 1 : i0;
    w1[d] = l1;
    w0[d] = 1.0f - l1;
  }
}

// The first integer position p in [0, size) with (float)p >= lo, and the
// end of the run of positions with (float)p < hi: crop_mask's test.
static void cropRange(float lo, float hi, int64_t size, int64_t *begin,
                      int64_t *end) {
  int64_t p = 0;
  while (p < size && !((float)p >= lo))
    ++p;
  *begin = p;
  while (p < size && (float)p < hi)
    ++p;
  *end = p;
}

int yolo_mask_compute(const float *protos, int64_t nm, int64_t mh, int64_t mw,
                      const float *coeffs, int64_t num_coeffs,
                      const yolo_detection *det, int input_w, int input_h,
                      uint8_t *mask) {
  int64_t r, c, j, hw, r0, r1, c0, c1;
  float sx, sy, *m, *wx0, *wx1, *wy0, *wy1;
  int32_t *xa, *xb, *ya, *yb;
  unsigned char *scratch;
  uint64_t total;
  size_t bytes;
  int x, y;

  if (!protos || !coeffs || !det || !mask)
    return YOLO_ERR_NULL_ARGUMENT;
  if (nm < 1 || mh < 1 || mw < 1 || num_coeffs != nm)
    return YOLO_ERR_BAD_SHAPE;
  // Every prototype element must be addressable.
  if (mh > PTRDIFF_MAX / (int64_t)sizeof(float) / mw ||
      nm > PTRDIFF_MAX / (int64_t)sizeof(float) / (mh * mw))
    return YOLO_ERR_BAD_SHAPE;
  if (input_w < 1 || input_h < 1 ||
      (uint64_t)input_w * (uint64_t)input_h > (uint64_t)PTRDIFF_MAX)
    return YOLO_ERR_BAD_ARGUMENT;
  if (det->x1 != det->x1 || det->y1 != det->y1 || det->x2 != det->x2 ||
      det->y2 != det->y2)
    return YOLO_ERR_BAD_ARGUMENT;

  hw = mh * mw;
  // The map and the taps; hw * 4 < 2^63 and the tables < 2^35 bytes, so
  // the sum fits in 64 bits.
  total =
      (uint64_t)hw * sizeof(float) + ((uint64_t)input_w + (uint64_t)input_h) *
                                         2 * (sizeof(int32_t) + sizeof(float));
  if (total > SIZE_MAX)
    return YOLO_ERR_OUT_OF_MEMORY;
  bytes = (size_t)total;
  scratch = (unsigned char *)malloc(bytes);
  if (!scratch)
    return YOLO_ERR_OUT_OF_MEMORY;
  m = (float *)scratch;
  wx0 = m + hw;
  wx1 = wx0 + input_w;
  wy0 = wx1 + input_w;
  wy1 = wy0 + input_h;
  xa = (int32_t *)(wy1 + input_h);
  xb = xa + input_w;
  ya = xb + input_w;
  yb = ya + input_h;

  // The box on the prototype grid: downsampled_bboxes *= mw / iw, a float
  // tensor times a Python float, computed in float.
  sx = (float)((double)mw / input_w);
  sy = (float)((double)mh / input_h);
  cropRange(det->x1 * sx, det->x2 * sx, mw, &c0, &c1);
  cropRange(det->y1 * sy, det->y2 * sy, mh, &r0, &r1);

  // sigmoid(coeffs @ protos) inside the crop, zero outside it.
  for (j = 0; j < hw; ++j)
    m[j] = 0.0f;
  for (j = 0; j < nm; ++j) {
    const float *p = protos + j * hw;
    float k = coeffs[j];
    for (r = r0; r < r1; ++r)
      for (c = c0; c < c1; ++c)
        m[r * mw + c] += k * p[r * mw + c];
  }
  for (r = r0; r < r1; ++r)
    for (c = c0; c < c1; ++c)
      m[r * mw + c] = 1.0f / (1.0f + expf(-m[r * mw + c]));

  // Upsample and threshold. A pixel none of whose taps lies in the crop
  // is 0 without arithmetic.
  torchLinearTaps(mw, input_w, xa, xb, wx0, wx1);
  torchLinearTaps(mh, input_h, ya, yb, wy0, wy1);
  for (y = 0; y < input_h; ++y) {
    uint8_t *row = mask + (size_t)y * input_w;
    int rowIn = (ya[y] >= r0 && ya[y] < r1) || (yb[y] >= r0 && yb[y] < r1);
    const float *m0 = m + (int64_t)ya[y] * mw, *m1 = m + (int64_t)yb[y] * mw;
    for (x = 0; x < input_w; ++x) {
      float t0, t1, v;
      if (!rowIn ||
          !((xa[x] >= c0 && xa[x] < c1) || (xb[x] >= c0 && xb[x] < c1))) {
        row[x] = 0;
        continue;
      }
      t0 = m0[xa[x]] * wx0[x] + m0[xb[x]] * wx1[x];
      t1 = m1[xa[x]] * wx0[x] + m1[xb[x]] * wx1[x];
      v = t0 * wy0[y] + t1 * wy1[y];
      row[x] = v > 0.5f;
    }
  }
  free(scratch);
  return YOLO_OK;
}

void yolo_cv_linear_taps(int src, int dst, int clampFrac, int *first, short *w0,
                         short *w1) {
  double scale = 1.0 / ((double)dst / src);
  int d;
  for (d = 0; d < dst; ++d) {
    float f = (float)((d + 0.5) * scale - 0.5);
    int s = (int)floorf(f);
    f -= (float)s;
    if (clampFrac) {
      if (s < 0)
        f = 0, s = 0;
      if (s >= src - 1)
        f = 0, s = src - 1;
    }
    first[d] = s;
    w0[d] = (short)lrintf((1.f - f) * YOLO_CV_COEF_SCALE);
    w1[d] = (short)lrintf(f * YOLO_CV_COEF_SCALE);
  }
}

static int clampInt(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

int yolo_mask_to_image(const uint8_t *mask, int input_w, int input_h, int img_w,
                       int img_h, uint8_t *out) {
  double gain, padX, padY;
  int top, left, bottom, right, cw, ch, x, y;
  int *xs, *ys, *rows;
  short *wx, *wy;
  unsigned char *scratch;

  if (!mask || !out)
    return YOLO_ERR_NULL_ARGUMENT;
  if (input_w < 1 || input_h < 1 || img_w < 1 || img_h < 1)
    return YOLO_ERR_BAD_ARGUMENT;

  // scale_image's cut, in Python floats; int() truncates.
  gain = (double)input_h / img_h;
  if ((double)input_w / img_w < gain)
    gain = (double)input_w / img_w;
  padX = (input_w - img_w * gain) / 2;
  padY = (input_h - img_h * gain) / 2;
  top = (int)padY;
  left = (int)padX;
  bottom = (int)(input_h - padY);
  right = (int)(input_w - padX);
  // Python's slicing clamps to the array.
  top = clampInt(top, 0, input_h);
  left = clampInt(left, 0, input_w);
  bottom = clampInt(bottom, 0, input_h);
  right = clampInt(right, 0, input_w);
  ch = bottom - top;
  cw = right - left;
  if (ch < 1 || cw < 1)
    return YOLO_ERR_BAD_ARGUMENT;

  scratch = (unsigned char *)malloc(((size_t)img_w + img_h) *
                                        (sizeof(int) + 2 * sizeof(short)) +
                                    (size_t)img_w * 2 * sizeof(int));
  if (!scratch)
    return YOLO_ERR_OUT_OF_MEMORY;
  xs = (int *)scratch;
  ys = xs + img_w;
  rows = ys + img_h;
  wx = (short *)(rows + 2 * (size_t)img_w);
  wy = wx + 2 * (size_t)img_w;
  yolo_cv_linear_taps(cw, img_w, 1, xs, wx, wx + img_w);
  yolo_cv_linear_taps(ch, img_h, 0, ys, wy, wy + img_h);

  // OpenCV's 8-bit vertical pass, in its vector code and in its scalar
  // tail alike, drops the low 4 bits of each row sum, keeps the high half
  // of the 16-bit products and rounds the sum of the two: three
  // truncations, which on 0/1 masks move the threshold visibly away from
  // 0.5. (An exact halving, which OpenCV turns into INTER_AREA, and an
  // unchanged size, which it copies, give the same bytes.)
  for (y = 0; y < img_h; ++y) {
    int k, b0 = wy[y], b1 = wy[img_h + y];
    int srcRow[2];
    srcRow[0] = clampInt(ys[y], 0, ch - 1);
    srcRow[1] = clampInt(ys[y] + 1, 0, ch - 1);
    for (k = 0; k < 2; ++k) {
      const uint8_t *src = mask + (size_t)(top + srcRow[k]) * input_w + left;
      int *dst = rows + (size_t)k * img_w;
      for (x = 0; x < img_w; ++x) {
        int s = xs[x], s1 = s + 1 < cw ? s + 1 : s;
        dst[x] = (src[s] != 0) * wx[x] + (src[s1] != 0) * wx[img_w + x];
      }
    }
    for (x = 0; x < img_w; ++x) {
      int s0 = rows[x], s1 = rows[img_w + x];
      int v = ((((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16) + 2) >> 2;
      out[(size_t)y * img_w + x] = v > 0;
    }
  }
  free(scratch);
  return YOLO_OK;
}
