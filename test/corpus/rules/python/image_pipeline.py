"""Batch image resizer: reads a folder in chunks and writes thumbnails."""
import gc
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image

CHUNK = 256


def load_chunk(paths):
    return [np.asarray(Image.open(p).convert("RGB")) for p in paths]


def process_folder(src: Path, dst: Path) -> None:
    paths = sorted(src.glob("*.jpg"))
    for start in range(0, len(paths), CHUNK):
        images = load_chunk(paths[start : start + CHUNK])
        thumbs = [Image.fromarray(img).resize((128, 128)) for img in images]
        for path, thumb in zip(paths[start : start + CHUNK], thumbs):
            thumb.save(dst / path.name)
        del images, thumbs  # expect: malloc-trim
        gc.collect()


def process_round(buffers: list) -> int:
    total = sum(len(b) for b in buffers)
    payload = b"".join(buffers)
    checksum = hash(payload)
    del payload  # expect: missing-gc-after-free
    return total + checksum


def copy_file(src: str, dst: str) -> None:
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data)
    del data


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: image_pipeline.py SRC DST")
    process_folder(Path(sys.argv[1]), Path(sys.argv[2]))
    os.sync()


if __name__ == "__main__":
    main()
