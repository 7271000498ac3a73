/*===- cv_linear.h - OpenCV's INTER_LINEAR taps (internal) ---------------===*/
/* Shared by the letterbox (image.c) and the segmentation masks'
 * mapping to the image (postprocess.c), which both reproduce OpenCV's
 * 8-bit bilinear resize exactly. Internal to the runtime; defined in
 * postprocess.c (the core runtime, which the image component links). */
#ifndef YOLO_RUNTIME_CV_LINEAR_H
#define YOLO_RUNTIME_CV_LINEAR_H

/* Fixed-point weights with 11 fractional bits. */
#define YOLO_CV_COEF_SCALE 2048

/* OpenCV's INTER_LINEAR taps in 8-bit mode for resizing `src` samples to
 * `dst`: the scale 1 / (dst / src) in double, half-pixel centres in float,
 * weights rounded from float on their own. For output d, first[d] is the
 * first source sample, w0[d] and w1[d] the weights of it and the next.
 * With clampFrac (columns), taps outside the source collapse onto the
 * edge pixel; without (rows), they keep their weights and are clamped
 * where they are read. */
void yolo_cv_linear_taps(int src, int dst, int clampFrac, int *first, short *w0,
                         short *w1);

#endif
