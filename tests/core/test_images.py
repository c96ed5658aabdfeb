"""The screenshot pipeline: only real PNG, JPEG and WebP pass, and only their pixels survive."""

import io
import struct
import warnings

import pytest
from PIL import ExifTags, Image

from community.core import images
from community.core.images import ImageLimits, ImageRefused
from tests.imagefiles import (
    NOT_ACCEPTED,
    encoded,
    in_pillow_warning_range,
    jpeg_with_everything,
    picture,
    png_declaring,
    png_with_text_and_trailer,
    truncated_jpeg,
    truncated_png,
)

LIMITS = ImageLimits(max_bytes=8 * 1024 * 1024, max_pixels=40_000_000)


def webp_chunks(data: bytes) -> set[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    kinds, offset = set(), 12
    while offset + 8 <= len(data):
        kind = data[offset : offset + 4]
        (size,) = struct.unpack("<I", data[offset + 4 : offset + 8])
        kinds.add(kind)
        offset += 8 + size + (size & 1)
    return kinds


def assert_no_metadata(result: images.CleanImage, *secrets: bytes) -> None:
    for data in (result.data, result.thumb):
        assert webp_chunks(data) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
        for secret in secrets:
            assert secret not in data
        with Image.open(io.BytesIO(data)) as back:
            assert back.format == "WEBP"
            assert not {"exif", "icc_profile", "xmp", "comment", "dpi"} & set(back.info)
            assert not any(key.lower().startswith(("xml", "author", "text")) for key in back.info)
            assert len(back.getexif()) == 0


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_each_accepted_format_is_decoded_and_re_encoded_as_webp(fmt):
    original = encoded(picture(), fmt)
    result = images.clean(original, LIMITS)
    assert result.data != original
    assert (result.width, result.height) == (64, 48)
    with Image.open(io.BytesIO(result.data)) as back:
        assert back.format == "WEBP" and back.size == (64, 48)
        assert back.getpixel((10, 10))[1] > 100  # the green box survived re-encoding
    with Image.open(io.BytesIO(result.thumb)) as thumb:
        assert thumb.format == "WEBP"
        assert max(thumb.size) <= LIMITS.thumb_side_px


def test_a_jpeg_with_gps_exif_comment_icc_and_xmp_comes_back_with_no_metadata():
    original = jpeg_with_everything()
    with Image.open(io.BytesIO(original)) as source:  # the test file really carries all of it
        assert {"exif", "icc_profile", "comment", "xmp"} <= set(source.info)
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for marker in (b"SpyCam Maker", b"SECRETDATUM", b"secret comment 12345", b"xmp-secret-marker"):
        assert marker in original

    result = images.clean(original, LIMITS)

    assert (result.width, result.height) == (40, 60)  # EXIF orientation applied, then dropped
    assert_no_metadata(
        result,
        b"SpyCam",
        b"SECRETDATUM",
        b"secret comment",
        b"xmp-secret-marker",
        b"Exif",
        b"sRGB",
        b"adobe",
    )


def test_a_png_with_text_chunks_and_trailing_bytes_is_stripped():
    original = png_with_text_and_trailer()
    with Image.open(io.BytesIO(original)) as source:
        source.load()
        assert "Author" in source.info
    result = images.clean(original, LIMITS)
    assert_no_metadata(result, b"Jane", b"zip-secret", b"itxt-secret", b"TRAILING")


def test_a_transparent_png_keeps_its_transparency_and_an_opaque_alpha_is_dropped():
    clear = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    with Image.open(io.BytesIO(images.clean(encoded(clear, "PNG"), LIMITS).data)) as back:
        assert back.mode == "RGBA"
    opaque = Image.new("RGBA", (20, 20), (10, 20, 30, 255))
    with Image.open(io.BytesIO(images.clean(encoded(opaque, "PNG"), LIMITS).data)) as back:
        assert back.mode == "RGB"


def test_a_palette_or_grey_image_is_converted():
    for mode in ("P", "L", "1", "LA"):
        result = images.clean(encoded(picture(mode="RGB").convert(mode), "PNG"), LIMITS)
        assert result.width == 64


def test_the_thumbnail_is_a_smaller_copy():
    result = images.clean(encoded(picture((1000, 500)), "PNG"), LIMITS)
    assert (result.thumb_width, result.thumb_height) == (360, 180)
    assert result.thumb != result.data
    with Image.open(io.BytesIO(result.thumb)) as thumb:
        assert thumb.size == (360, 180)


def test_huge_screenshots_are_scaled_down_to_the_longest_side():
    limits = ImageLimits(max_bytes=LIMITS.max_bytes, max_pixels=LIMITS.max_pixels, max_side_px=100)
    result = images.clean(encoded(picture((400, 1000)), "PNG"), limits)
    assert (result.width, result.height) == (40, 100)


@pytest.mark.parametrize("kind", sorted(NOT_ACCEPTED))
def test_files_that_are_not_png_jpeg_or_webp_are_refused(kind):
    with pytest.raises(ImageRefused, match="not a PNG, JPEG or WebP image"):
        images.clean(NOT_ACCEPTED[kind], LIMITS)


def test_a_truncated_image_is_refused():
    for damaged in (truncated_png(), truncated_jpeg()):
        with pytest.raises(ImageRefused, match="damaged or incomplete"):
            images.clean(damaged, LIMITS)


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = png_declaring(30_000, 30_000)
    assert len(bomb) < 2000
    with pytest.raises(ImageRefused, match="too many pixels"):
        images.clean(bomb, LIMITS)
    generous = ImageLimits(max_bytes=LIMITS.max_bytes, max_pixels=10**10)
    with pytest.raises(ImageRefused, match="too many pixels"):  # Pillow's own error, caught
        images.clean(bomb, generous)


def test_pillows_warning_range_is_a_refusal_even_above_our_own_limit():
    in_warning_range = in_pillow_warning_range()
    with pytest.raises(ImageRefused, match="too many pixels"):
        images.clean(in_warning_range, LIMITS)
    generous = ImageLimits(max_bytes=LIMITS.max_bytes, max_pixels=10**10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning escapes to the caller either
        with pytest.raises(ImageRefused, match="too many pixels"):
            images.clean(in_warning_range, generous)


def test_our_pixel_limit_is_checked_before_decoding():
    limits = ImageLimits(max_bytes=LIMITS.max_bytes, max_pixels=5_000)
    with pytest.raises(ImageRefused, match="at most 0.005 million pixels"):
        images.clean(png_declaring(100, 100), limits)  # the pixels would not even decode


def test_empty_and_oversized_files_are_refused_before_being_read_further():
    with pytest.raises(ImageRefused, match="empty"):
        images.read_limited(io.BytesIO(b""), LIMITS)
    oversized = encoded(picture(), "PNG") + b"\0" * LIMITS.max_bytes
    with pytest.raises(ImageRefused, match="larger than 8 MB"):
        images.read_limited(io.BytesIO(oversized), LIMITS)
    with pytest.raises(ImageRefused, match="larger than 8 MB"):
        images.clean(oversized, LIMITS)


def test_stored_under_random_names_written_whole_and_never_the_original(tmp_path):
    original = encoded(picture(), "PNG")
    first = images.store_upload(io.BytesIO(original), tmp_path, LIMITS)
    second = images.store_upload(io.BytesIO(original), tmp_path, LIMITS)
    names = {first.name, first.thumb_name, second.name, second.thumb_name}
    assert len(names) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary file left
    for name in names:
        assert images.NAME_PATTERN.match(name) and not name.startswith("-")
        assert (tmp_path / name).read_bytes() != original
        assert (tmp_path / name).read_bytes()[:4] == b"RIFF"


def test_stored_paths_are_only_names_this_module_made(tmp_path):
    for hostile in ("../secret_key", "/etc/passwd", "a.webp", "x" * 20 + ".png", ""):
        with pytest.raises(ValueError):
            images.stored_path(tmp_path, hostile)
    stored = images.store_upload(io.BytesIO(encoded(picture(), "PNG")), tmp_path, LIMITS)
    images.delete_stored(tmp_path, stored.name, stored.thumb_name, "../nope")
    assert list(tmp_path.iterdir()) == []


def test_a_refused_upload_stores_nothing(tmp_path):
    with pytest.raises(ImageRefused):
        images.store_upload(io.BytesIO(NOT_ACCEPTED["html"]), tmp_path, LIMITS)
    assert list(tmp_path.iterdir()) == []
