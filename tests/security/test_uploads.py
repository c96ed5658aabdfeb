"""Hostile screenshots through the real upload form. Wrong types, truncated files and bombs are
refused in tests/proofs/test_views.py and tests/core/test_images.py; here: polyglots (a real
picture that is also a page or an archive), names that try to be paths, extreme shapes, and
what is served afterwards."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from community.catalog.models import Platform
from community.extensions import db
from tests.imagefiles import encoded, picture, png_bytes
from tests.proofs.test_views import upload_form
from tests.security.conftest import client_as

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def html_chunk() -> PngInfo:
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    return info


POLYGLOTS = {
    "png-then-html": png_bytes() + SCRIPT,
    "png-then-zip": png_bytes() + zip_of("evil.html", SCRIPT),
    "jpeg-with-html-comment": encoded(picture(), "JPEG", comment=SCRIPT),
    "png-with-html-text-chunk": encoded(picture(), "PNG", pnginfo=html_chunk()),
    "webp-then-html": encoded(picture(), "WEBP") + SCRIPT,
}
REFUSED = {
    "html-with-png-magic": b"\x89PNG\r\n\x1a\n" + SCRIPT,
    "gif-then-zip": encoded(picture(), "GIF") + zip_of("evil.class", b"\xca\xfe\xba\xbe"),
    "zip-then-png": zip_of("a.txt", b"x") + png_bytes(),
    "svg-as-png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "jpeg-header-only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
}


def uploaded(app, world, data: bytes, filename: str = "screenshot.png"):
    platform = db.session.get(Platform, world.ids["platform_id"])
    form = upload_form(platform, data, filename=filename, submission_key=os.urandom(8).hex())
    return client_as(app, world.user("tl2")).post(
        "/proofs/new", data=form, content_type="multipart/form-data"
    )


def served(app, response) -> list:
    proof = response.headers["Location"].rsplit("/", 1)[1]
    visitor = client_as(app, None)
    return [visitor.get(f"/proofs/{proof}/{what}") for what in ("image", "thumbnail")]


@pytest.mark.parametrize("kind", sorted(POLYGLOTS))
def test_a_polyglot_is_served_as_its_pixels_only(app, world, kind):
    response = uploaded(app, world, POLYGLOTS[kind])
    assert response.status_code == 302, kind
    for answer in served(app, response):
        body = answer.get_data()
        assert answer.status_code == 200 and answer.mimetype == "image/webp"
        assert body.startswith(b"RIFF") and body[8:12] == b"WEBP"
        assert b"<script" not in body and b"PK\x03\x04" not in body and b"<html" not in body
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Content-Disposition"].startswith("inline; filename=")


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_files_that_only_pretend_are_refused_with_a_message(app, world, kind):
    response = uploaded(app, world, REFUSED[kind])
    assert response.status_code == 422, kind
    html = response.get_data(as_text=True)
    assert "PNG, JPEG or WebP" in html or "damaged" in html or "could not be read" in html


def test_a_file_name_is_never_a_path(app, world):
    upload_dir = Path(app.config["UPLOAD_DIR"])
    before = set(upload_dir.parent.rglob("*"))
    names = ["../../escape.png", "..\\..\\escape.png", "/etc/passwd", "x.php%00.png", "a\x00.html"]
    for name in names:
        response = uploaded(app, world, png_bytes(), filename=name)
        assert response.status_code == 302, name
        for answer in served(app, response):
            assert name not in answer.headers["Content-Disposition"]
    created = set(upload_dir.parent.rglob("*")) - before
    assert created and all(path.parent == upload_dir for path in created)
    assert not any("escape" in path.name or "passwd" in path.name for path in created)


@pytest.mark.parametrize("size", [(20_000, 2), (2, 20_000), (2561, 1), (1, 1)])
def test_extreme_shapes_are_stored_within_the_limits(app, world, size):
    response = uploaded(app, world, encoded(Image.new("RGB", size, "white"), "PNG"))
    assert response.status_code == 302, size
    image, thumbnail = (Image.open(io.BytesIO(a.get_data())) for a in served(app, response))
    assert max(image.size) <= app.config["UPLOAD_MAX_SIDE_PX"] and min(image.size) >= 1
    assert max(thumbnail.size) <= app.config["UPLOAD_THUMB_SIDE_PX"]
