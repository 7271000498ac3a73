"""The Python module of a compiled model (yolo-codegen --emit=python) against
the C runner and detector of the same model, its argument checking, and its
threading (the GIL is released while the model runs)."""

import json
import os
import pathlib
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from PIL import Image

from conftest import SAMPLE

INPUT_SHAPE = (1, 3, 320, 320)
OUTPUT_SHAPES = [(1, 13, 2100)]


def random_input(seed=0):
    return np.random.default_rng(seed).random(INPUT_SHAPE, dtype=np.float32)


def bits(a):
    """The array's bytes as integers, so NaNs compare too."""
    return np.ascontiguousarray(a).view(np.uint32)


def sample_rgb():
    with Image.open(SAMPLE) as im:
        return np.asarray(im.convert("RGB"))


# --------------------------------------------------------------------------
# The module and its Model
# --------------------------------------------------------------------------


def test_module_attributes(shapes, model):
    assert isinstance(shapes.__target__, str) and shapes.__target__
    assert isinstance(model.target, str) and model.target
    assert model.target in shapes.__target__
    assert model.input_shape == INPUT_SHAPE
    assert model.input_shapes == [INPUT_SHAPE]
    assert model.output_shapes == OUTPUT_SHAPES
    assert model.input_names == ["images"]
    assert len(model.output_names) == 1
    assert model.threads == 1
    assert model.is_detector
    assert "shapes.Model" in repr(model)
    assert shapes.Model.__module__ == "shapes" or shapes.Model.__name__ == "Model"


@pytest.mark.parametrize("threads", [0, -1, 257, 100000])
def test_threads_out_of_range(shapes, threads):
    with pytest.raises(ValueError, match="threads"):
        shapes.Model(threads=threads)


def test_threads_type(shapes):
    with pytest.raises(TypeError):
        shapes.Model(threads="2")
    with pytest.raises(TypeError):
        shapes.Model(1, 2)


def test_unsupported_cpu(built):
    """A failed create raises RuntimeError with the library's reason."""
    script = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('shapes', sys.argv[1])\n"
        "m = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(m)\n"
        "try:\n"
        "    m.Model()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n"
        "else:\n"
        "    print('created')\n"
    )
    env = dict(os.environ, YOLO_CPU_DISABLE="sse4_1,avx,avx2,fma,asimd,sve")
    proc = subprocess.run(
        [sys.executable, "-c", script, built.module.__file__],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    if proc.stdout.strip() == "created":
        pytest.skip("the library needs none of the disabled features")
    assert proc.stdout.startswith(
        "cannot create the shapes model context: unsupported CPU: "
    ), proc.stdout
    assert "this CPU lacks" in proc.stdout


def test_many_models(shapes):
    """Contexts are created and destroyed (dealloc) cleanly."""
    for threads in (1, 2, 3, 256):
        m = shapes.Model(threads=threads)
        assert m.threads == threads
        del m


# --------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 3])
def test_run_matches_runner(built, tmp_path, threads):
    x = random_input(threads)
    np.save(tmp_path / "x.npy", x)
    subprocess.run(
        [
            str(built.runner),
            "--input",
            str(tmp_path / "x.npy"),
            "--output",
            str(tmp_path / "y.npy"),
            "--threads",
            str(threads),
        ],
        check=True,
        capture_output=True,
    )
    expected = np.load(tmp_path / "y.npy")
    outputs = built.module.Model(threads=threads).run(x)
    assert isinstance(outputs, list) and len(outputs) == 1
    y = outputs[0]
    assert isinstance(y, np.ndarray)
    assert y.dtype == np.float32 and y.shape == OUTPUT_SHAPES[0]
    assert y.flags["C_CONTIGUOUS"] and y.flags["WRITEABLE"]
    assert np.array_equal(bits(y), bits(expected))


def test_run_gives_fresh_arrays(model):
    x = random_input()
    a, b = model.run(x)[0], model.run(x)[0]
    assert a is not b and not np.shares_memory(a, b)
    assert np.array_equal(bits(a), bits(b))
    assert not np.array_equal(bits(model.run(random_input(7))[0]), bits(a))


def test_run_accepts_buffer_objects(model):
    x = random_input()
    expected = model.run(x)[0]
    readonly = x.copy()
    readonly.setflags(write=False)
    # A float32 array at an odd address (numpy allows it).
    raw = np.zeros(x.nbytes + 1, dtype=np.uint8)
    misaligned = raw[1:].view(np.float32).reshape(INPUT_SHAPE)
    misaligned[...] = x
    assert misaligned.ctypes.data % 4
    for arg in (memoryview(x), readonly, misaligned, np.asarray(x, order="C")):
        assert np.array_equal(bits(model.run(arg)[0]), bits(expected))


def test_run_keeps_no_references(model):
    x = random_input()
    before = sys.getrefcount(x)
    model.run(x)
    with pytest.raises(ValueError):
        model.run(x.astype(np.float64))
    assert sys.getrefcount(x) == before
    # No buffer export is left behind: the array can still be resized.
    x.resize((1, 3, 320, 321), refcheck=False)


BAD_INPUTS = {
    "float64": lambda x: x.astype(np.float64),
    "float16": lambda x: x.astype(np.float16),
    "int32": lambda x: x.astype(np.int32),
    "big-endian": lambda x: x.astype(">f4"),
    "wider": lambda x: np.zeros((1, 3, 320, 321), np.float32),
    "batch 2": lambda x: np.zeros((2, 3, 320, 320), np.float32),
    "rank 3": lambda x: x[0],
    "rank 5": lambda x: x[None],
    "flat": lambda x: x.ravel(),
    "fortran": np.asfortranarray,
    "transposed": lambda x: x.transpose(0, 1, 3, 2),
    "strided": lambda x: np.zeros((1, 3, 320, 640), np.float32)[..., ::2],
    "bytes": lambda x: x.tobytes(),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_run_rejects(model, case):
    bad = BAD_INPUTS[case](random_input())
    with pytest.raises(ValueError) as info:
        model.run(bad)
    msg = str(info.value)
    assert msg.startswith(
        "input: expected a float32 array of shape (1, 3, 320, 320), got "
    ), msg
    if case in ("fortran", "transposed", "strided"):
        assert "non-contiguous" in msg
    if case == "float64":
        assert "float64" in msg


def test_run_argument_errors(model):
    with pytest.raises(TypeError, match="got list"):
        model.run([[0.0]])
    with pytest.raises(TypeError):
        model.run(None)
    with pytest.raises(TypeError, match="1 input array"):
        model.run()
    with pytest.raises(TypeError, match="1 input array"):
        model.run(random_input(), random_input())


# --------------------------------------------------------------------------
# detect
# --------------------------------------------------------------------------


def detector_json(built, tmp_path, image, *flags):
    out = tmp_path / "d.json"
    subprocess.run(
        [str(built.detector), str(image), "--json", str(out), *flags],
        check=True,
        capture_output=True,
    )
    doc = json.loads(out.read_text())
    return doc["images"][0]["detections"]


def assert_same_as_detector(dets, expected):
    assert [d[0] for d in dets] == [e["class_id"] for e in expected]
    for d, e in zip(dets, expected):
        assert isinstance(d[0], int) and all(isinstance(v, float) for v in d[1:])
        assert abs(d[1] - e["score"]) <= 1e-6, (d, e)
        for got, want in zip(d[2:], e["box"]):
            assert abs(got - want) <= 1e-3, (d, e)


def test_detect_matches_detector(built, model, tmp_path):
    expected = detector_json(built, tmp_path, SAMPLE)
    assert expected, "the sample should have detections"
    dets = model.detect(str(SAMPLE))
    assert isinstance(dets, list) and all(isinstance(d, tuple) for d in dets)
    assert all(len(d) == 6 for d in dets)
    assert_same_as_detector(dets, expected)
    # os.PathLike and bytes paths too.
    assert model.detect(SAMPLE) == dets
    assert model.detect(os.fsencode(SAMPLE)) == dets


@pytest.mark.parametrize(
    "conf,iou,max_det", [(0.05, 0.45, 300), (0.5, 0.3, 300), (0.01, 0.9, 2)]
)
def test_detect_options_match_detector(built, model, tmp_path, conf, iou, max_det):
    expected = detector_json(
        built,
        tmp_path,
        SAMPLE,
        "--conf",
        str(conf),
        "--iou",
        str(iou),
        "--max-det",
        str(max_det),
    )
    dets = model.detect(SAMPLE, conf=conf, iou=iou, max_det=max_det)
    assert len(dets) <= max_det
    assert_same_as_detector(dets, expected)


def test_detect_array_equals_path(model, tmp_path):
    # PNG is lossless: PIL and the runtime decode the same pixels, so the
    # array and the file give the same detections exactly.
    rgb = sample_rgb()
    png = tmp_path / "sample.png"
    Image.fromarray(rgb).save(png)
    from_path = model.detect(png)
    assert from_path
    assert model.detect(rgb) == from_path
    assert model.detect(memoryview(rgb)) == from_path
    # Not C-contiguous: the same pixels, copied.
    wide = np.zeros((rgb.shape[0], rgb.shape[1] * 2, 3), np.uint8)
    wide[:, ::2] = rgb
    assert not wide[:, ::2].flags["C_CONTIGUOUS"]
    assert model.detect(wide[:, ::2]) == from_path


def test_detect_pil_decoded_jpeg(model):
    # The runtime decodes JPEG with libjpeg-turbo as PIL does (default
    # settings: integer IDCT, fancy upsampling), so PIL's pixels are the
    # runtime's and the detections are the same.
    assert model.detect(sample_rgb()) == model.detect(SAMPLE)


def test_detect_small_and_odd_images(model):
    for shape in [(1, 1, 3), (7, 640, 3), (320, 320, 3), (1000, 3, 3)]:
        dets = model.detect(np.full(shape, 114, np.uint8))
        assert isinstance(dets, list)
        for _, score, x1, y1, x2, y2 in dets:
            assert 0 <= x1 <= x2 <= shape[1] and 0 <= y1 <= y2 <= shape[0]


BAD_IMAGES = {
    "float32": lambda a: a.astype(np.float32),
    "int16": lambda a: a.astype(np.int16),
    "grey 2-D": lambda a: a[..., 0],
    "2 channels": lambda a: a[..., :2],
    "4 channels": lambda a: np.concatenate([a, a[..., :1]], axis=2),
    "CHW": lambda a: np.ascontiguousarray(a.transpose(2, 0, 1)),
    "batch": lambda a: a[None],
    "empty": lambda a: a[:0],
    "bytes": lambda a: bytearray(a.tobytes()),
}


@pytest.mark.parametrize("case", sorted(BAD_IMAGES))
def test_detect_rejects_arrays(model, case):
    bad = BAD_IMAGES[case](sample_rgb())
    with pytest.raises(ValueError, match="image: expected an HxWx3 uint8 array"):
        model.detect(bad)


def test_detect_file_errors(model, tmp_path):
    missing = tmp_path / "missing.jpg"
    with pytest.raises(FileNotFoundError) as info:
        model.detect(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(OSError):
        model.detect(str(tmp_path))  # a directory
    text = tmp_path / "notes.jpg"
    text.write_text("not an image\n")
    with pytest.raises(ValueError, match="notes.jpg"):
        model.detect(text)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(SAMPLE.read_bytes()[:2000])
    with pytest.raises(ValueError, match="truncated.jpg"):
        model.detect(truncated)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValueError):
        model.detect(empty)
    with pytest.raises(ValueError):
        model.detect("a\0b.jpg")


def test_detect_argument_errors(model):
    rgb = sample_rgb()
    with pytest.raises(TypeError, match="image: expected a path"):
        model.detect(3)
    with pytest.raises(TypeError):
        model.detect()
    for kwargs in (
        {"conf": -0.1},
        {"conf": 1.5},
        {"conf": float("nan")},
        {"iou": 2.0},
        {"max_det": 0},
        {"max_det": 100001},
    ):
        with pytest.raises(ValueError):
            model.detect(rgb, **kwargs)
    with pytest.raises(TypeError):
        model.detect(rgb, conf="high")
    assert len(model.detect(rgb, max_det=1)) == 1
    assert model.detect(rgb, conf=1.0) == []


def test_detect_masks_needs_a_segmentation_head(model):
    """The demo detector has no mask prototypes: masks=True is refused,
    masks=False is the plain list."""
    rgb = sample_rgb()
    with pytest.raises(TypeError, match="no segmentation head"):
        model.detect(rgb, masks=True)
    assert model.detect(rgb, masks=False) == model.detect(rgb)


# --------------------------------------------------------------------------
# Threads and the GIL
# --------------------------------------------------------------------------


def run_threads(targets):
    errors = []

    def wrap(fn):
        def body():
            try:
                fn()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        return body

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_two_models_in_two_threads(shapes):
    inputs = [random_input(1), random_input(2)]
    models = [shapes.Model(), shapes.Model()]
    expected = [bits(models[0].run(x)[0]) for x in inputs]
    results = [[], []]

    def work(k):
        return lambda: [
            results[k].append(bits(models[k].run(inputs[k])[0])) for _ in range(4)
        ]

    run_threads([work(0), work(1)])
    for k in range(2):
        assert len(results[k]) == 4
        assert all(np.array_equal(r, expected[k]) for r in results[k])


def test_one_model_shared_by_threads(shapes):
    """Calls on one Model from several threads take turns (no busy error)."""
    m = shapes.Model(threads=2)
    inputs = [random_input(k) for k in range(4)]
    expected = [bits(m.run(x)[0]) for x in inputs]
    expected_dets = m.detect(SAMPLE)
    results = {}

    def work(k):
        def body():
            for _ in range(3):
                results.setdefault(k, []).append(bits(m.run(inputs[k])[0]))
                assert m.detect(SAMPLE) == expected_dets

        return body

    run_threads([work(k) for k in range(4)])
    for k in range(4):
        assert len(results[k]) == 3
        assert all(np.array_equal(r, expected[k]) for r in results[k])


@pytest.mark.parametrize("call", ["run", "detect path", "detect array"])
def test_gil_released(model, call):
    """A pure-Python thread makes progress while another runs the model.

    The switch interval is raised far above the test's length, so Python
    never takes the GIL from a thread that holds it: the counter thread can
    only count while the worker is inside a call that released the GIL."""
    x, rgb = random_input(), sample_rgb()
    action = {
        "run": lambda: model.run(x),
        "detect path": lambda: model.detect(SAMPLE),
        "detect array": lambda: model.detect(rgb),
    }[call]
    action()
    count = [0]
    stop = threading.Event()
    progress = []

    def counter():
        while not stop.is_set():
            for _ in range(1000):
                count[0] += 1
            time.sleep(0)  # lets the worker have the GIL back

    def worker():
        before = count[0]
        for _ in range(4):
            action()
        progress.append(count[0] - before)

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    counting = threading.Thread(target=counter)
    try:
        counting.start()
        while count[0] == 0:
            time.sleep(0.001)
        working = threading.Thread(target=worker)
        working.start()
        working.join()
    finally:
        stop.set()
        counting.join()
        sys.setswitchinterval(old)
    assert progress and progress[0] >= 1000, progress


# --------------------------------------------------------------------------
# Leaks
# --------------------------------------------------------------------------


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not pathlib.Path("/proc/self/statm").exists(), reason="Linux")
def test_no_leaks_on_repeated_calls(shapes, tmp_path):
    x, rgb = random_input(), sample_rgb()
    bad_file = tmp_path / "bad.jpg"
    bad_file.write_bytes(b"\xff\xd8garbage")

    def round_():
        m = shapes.Model()
        m.run(x)
        m.detect(rgb[:, ::-1][:, ::-1])
        for bad in (x.astype(np.float64), np.asfortranarray(x)):
            with pytest.raises(ValueError):
                m.run(bad)
        with pytest.raises(ValueError):
            m.detect(bad_file)
        with pytest.raises(FileNotFoundError):
            m.detect(tmp_path / "missing.png")
        with pytest.raises(ValueError):
            m.detect(rgb[..., :2])

    # Warm-up rounds first: glibc's per-thread malloc arenas grow during
    # the first rounds and then stay (on an AVX-512 host: 7.4 MB after 40
    # rounds, the same after 200; once 17 MB while the rest of the suite
    # ran, which 5 warm-up rounds let through as growth).
    for _ in range(20):
        round_()
    before = rss_bytes()
    for _ in range(40):
        round_()
    # A leaked context (scratch + workers), output array, input copy or
    # image would be well above this.
    assert rss_bytes() - before < 16 << 20


def test_segmentation_head_scores_classes_only(tmp_path):
    # A model with a segmentation head's outputs: [1, 4 + 2 classes + 3
    # mask coefficients, 16] and [1, 3, 8, 8] prototypes. detect() scores
    # the two class rows only, as the detector does.
    import importlib.util
    import sysconfig
    from types import SimpleNamespace

    from conftest import REPO, TOOLS

    src = REPO / "test" / "Target" / "Inputs" / "seg-head.mlir"
    for flags in (["--emit=python", "--python=" + sys.executable], ["--emit-detector"]):
        subprocess.run(
            [str(TOOLS / "yolo-codegen"), str(src), "-o", str(tmp_path),
             "--name", "seg", "--quiet", *flags],
            check=True, capture_output=True,
        )
    so = tmp_path / ("seg" + sysconfig.get_config_var("EXT_SUFFIX"))
    spec = importlib.util.spec_from_file_location("seg", so)
    seg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seg)
    dets = seg.Model().detect(SAMPLE, conf=0.01)
    expected = detector_json(
        SimpleNamespace(detector=tmp_path / "seg-detect"), tmp_path, SAMPLE,
        "--conf", "0.01",
    )
    assert dets and all(d[0] in (0, 1) for d in dets)
    assert_same_as_detector(dets, expected)
