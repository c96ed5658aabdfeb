"""Screenshot uploads: decided from their bytes, cleaned of every metadata, re-encoded, stored.

The pipeline, in order:
1. read at most `max_bytes` (one byte more means "too large");
2. open with Pillow, allowing PNG, JPEG and WebP only, whatever the file name or browser says;
3. check the pixel count from the header, before any pixel is decoded (decompression bombs,
   including Pillow's own warning range, are refused);
4. decode, turn upright (EXIF orientation), convert to RGB or RGBA;
5. copy the pixels into a brand-new image, so no metadata can survive (EXIF and GPS, XMP, ICC,
   comments, PNG text chunks, trailing bytes);
6. re-encode as WebP, make a thumbnail, and write both atomically under random names.

The uploaded bytes are never stored. Nothing here imports a feature package.
"""

import contextlib
import io
import os
import re
import secrets
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from community.core.errors import DomainError

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
STORED_MIMETYPE = "image/webp"
STORED_SUFFIX = ".webp"
WEBP_QUALITY = 88
THUMB_QUALITY = 80
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{15,63}\.webp$")
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})


class ImageRefused(DomainError):
    """An upload that is not an image we accept. The message tells the member what to do."""


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int
    max_pixels: int
    max_side_px: int = 2560
    thumb_side_px: int = 360

    @classmethod
    def from_config(cls, config: Mapping) -> "ImageLimits":
        return cls(
            max_bytes=config["UPLOAD_MAX_BYTES"],
            max_pixels=config["UPLOAD_MAX_PIXELS"],
            max_side_px=config["UPLOAD_MAX_SIDE_PX"],
            thumb_side_px=config["UPLOAD_THUMB_SIDE_PX"],
        )


@dataclass(frozen=True)
class CleanImage:
    """Re-encoded pixels, ready to store: nothing of the uploaded file but its picture."""

    data: bytes
    width: int
    height: int
    thumb: bytes
    thumb_width: int
    thumb_height: int


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int
    height: int
    thumb_name: str
    thumb_width: int
    thumb_height: int


# Refusals


def _megabytes(count: int) -> str:
    value = count / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _too_large(limits: ImageLimits) -> ImageRefused:
    return ImageRefused(
        _(
            "This file is larger than %(size)s MB. Please crop the screenshot or save it as JPEG, "
            "then choose it again.",
            size=_megabytes(limits.max_bytes),
        )
    )


def _too_many_pixels(limits: ImageLimits) -> ImageRefused:
    return ImageRefused(
        _(
            "This image has too many pixels to be opened safely. Please send a screenshot of at "
            "most %(megapixels)s million pixels.",
            megapixels=f"{limits.max_pixels / 1_000_000:g}",
        )
    )


def _not_accepted() -> ImageRefused:
    return ImageRefused(
        _(
            "This file is not a PNG, JPEG or WebP image. Please send a screenshot in one of these "
            "formats."
        )
    )


def _damaged() -> ImageRefused:
    return ImageRefused(
        _(
            "This image is damaged or incomplete, so it cannot be read. Please take the "
            "screenshot again."
        )
    )


def _unreadable() -> ImageRefused:
    return ImageRefused(
        _(
            "This image could not be read. Please take the screenshot again, or save it as PNG "
            "or JPEG."
        )
    )


# Reading and cleaning


def read_limited(stream: BinaryIO, limits: ImageLimits) -> bytes:
    """At most `max_bytes` of the upload; refuses an empty or larger file."""
    data = stream.read(limits.max_bytes + 1)
    if not data:
        raise ImageRefused(_("The file is empty. Please choose your screenshot again."))
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    return data


def _target_mode(image: Image.Image) -> str:
    has_alpha = image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info)
    return "RGBA" if has_alpha else "RGB"


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the same pixels and nothing else: no info, no EXIF, no profile."""
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return fresh


def _encode(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, method=4)
    return buffer.getvalue()


def _decode(data: bytes, limits: ImageLimits) -> Image.Image:
    """The upright pixels of `data` in RGB or RGBA, or ImageRefused."""
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its own limit: here a warning is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as opened:
                width, height = opened.size  # from the header: nothing is decoded yet
                if width < 1 or height < 1 or width * height > limits.max_pixels:
                    raise _too_many_pixels(limits)
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                mode = _target_mode(upright)
                converted = upright.convert(mode)
                if mode == "RGBA" and converted.getchannel("A").getextrema() == (255, 255):
                    converted = converted.convert("RGB")  # an alpha channel that hides nothing
                return converted
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(limits) from error
        except UnidentifiedImageError as error:
            raise _not_accepted() from error
        except (OSError, SyntaxError, EOFError) as error:
            raise _damaged() from error
        except Exception as error:  # anything else Pillow may raise on hostile input
            raise _unreadable() from error


def clean(data: bytes, limits: ImageLimits) -> CleanImage:
    """Decode `data` and re-encode its pixels alone, with a thumbnail."""
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    image = _decode(data, limits)
    if max(image.size) > limits.max_side_px:
        image.thumbnail((limits.max_side_px, limits.max_side_px), Image.Resampling.LANCZOS)
    image = _pixels_only(image)
    data = _encode(image, WEBP_QUALITY)
    thumb = image.copy()
    thumb.thumbnail((limits.thumb_side_px, limits.thumb_side_px), Image.Resampling.LANCZOS)
    thumb = _pixels_only(thumb)
    # A picture already smaller than a thumbnail is its own thumbnail.
    thumb_data = data if thumb.size == image.size else _encode(thumb, THUMB_QUALITY)
    return CleanImage(
        data=data,
        width=image.width,
        height=image.height,
        thumb=thumb_data,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


# Storage


def _random_name() -> str:
    while True:
        token = secrets.token_urlsafe(24)
        if token[0].isalnum():  # never a leading "-": operators' shell tools would misread it
            return token + STORED_SUFFIX


def _write_atomically(directory: Path, name: str, data: bytes) -> None:
    """Readers see the whole file or nothing: a temporary file in the same folder, then renamed."""
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, directory / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def store(image: CleanImage, upload_dir: str | Path) -> StoredImage:
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    name, thumb_name = _random_name(), _random_name()
    _write_atomically(directory, name, image.data)
    try:
        _write_atomically(directory, thumb_name, image.thumb)
    except BaseException:
        delete_stored(directory, name)
        raise
    return StoredImage(
        name=name,
        width=image.width,
        height=image.height,
        thumb_name=thumb_name,
        thumb_width=image.thumb_width,
        thumb_height=image.thumb_height,
    )


def store_upload(stream: BinaryIO, upload_dir: str | Path, limits: ImageLimits) -> StoredImage:
    """Read, clean and store an uploaded screenshot. Raises ImageRefused, storing nothing."""
    return store(clean(read_limited(stream, limits), limits), upload_dir)


def stored_path(upload_dir: str | Path, name: str) -> Path:
    """Where a stored image is. Only names this module made are accepted: never a path."""
    if not NAME_PATTERN.match(name or ""):
        raise ValueError("not a stored image name")
    return Path(upload_dir) / name


def delete_stored(upload_dir: str | Path, *names: str) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError, ValueError):
            stored_path(upload_dir, name).unlink()
