"""Image files for tests, built with Pillow: good screenshots, metadata-laden ones, hostile ones."""

import io
import struct
import zipfile
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

SECRET_MARKERS = (
    b"SpyCam Maker",
    b"SECRETDATUM",
    b"secret comment 12345",
    b"xmp-secret-marker",
    b"Jane Secret-Name",
    b"TRAILING-SECRET-BYTES",
)


def picture(size=(64, 48), mode="RGB") -> Image.Image:
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, size[0] // 2, size[1] // 2), fill="green")
    draw.text((6, size[1] - 14), "$12.50", fill="black")
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_bytes(size=(64, 48)) -> bytes:
    return encoded(picture(size), "PNG")


def jpeg_with_everything(size=(60, 40)) -> bytes:
    """A JPEG carrying EXIF (with GPS and a rotation), a comment, an ICC profile and XMP."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam Maker"
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: the result must be upright
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 7.0),
        ExifTags.GPS.GPSMapDatum: "SECRETDATUM",
    }
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b"<rdf:Description>xmp-secret-marker</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    return encoded(
        picture(size), "JPEG", exif=exif, icc_profile=icc, comment=b"secret comment 12345", xmp=xmp
    )


def png_with_text_and_trailer() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Jane Secret-Name")
    info.add_text("Comment", "zip-secret " * 20, zip=True)
    info.add_itxt("Description", "itxt-secret", lang="en", tkey="Description")
    return encoded(picture(), "PNG", pnginfo=info) + b"TRAILING-SECRET-BYTES"


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG that claims `width` x `height` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def in_pillow_warning_range() -> bytes:
    """Between 1x and 2x Image.MAX_IMAGE_PIXELS, where Pillow only warns."""
    pixels = Image.MAX_IMAGE_PIXELS + 10_000_000
    assert Image.MAX_IMAGE_PIXELS < pixels < 2 * Image.MAX_IMAGE_PIXELS
    return png_declaring(10_000, pixels // 10_000)


def truncated_png() -> bytes:
    whole = encoded(Image.effect_noise((200, 200), 60).convert("RGB"), "PNG")
    return whole[: len(whole) // 2]


def truncated_jpeg() -> bytes:
    whole = encoded(Image.effect_noise((200, 200), 60).convert("RGB"), "JPEG")
    return whole[: len(whole) // 2]


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


NOT_ACCEPTED = {
    "html": b"<!doctype html><html><script>alert(1)</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "gif": encoded(picture(), "GIF"),
    "pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
    "zip": zip_bytes(),
    "bmp": encoded(picture(), "BMP"),
}
