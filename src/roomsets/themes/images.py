"""Checking uploaded images before anything is stored: base64, format, dimensions.

The format is decided by the content (magic bytes, then the libvips loader that
accepts the bytes), never by a name. Only the header is read here: a decompression
bomb is refused on its declared dimensions before a single pixel is decoded.
"""

import base64
import binascii
import enum
import hashlib
from dataclasses import dataclass

import pyvips

from roomsets.kit.errors import Invalid


class ImageFormat(enum.StrEnum):
    PNG = "png"
    JPEG = "jpg"
    WEBP = "webp"


_LOADERS = {ImageFormat.PNG: "pngload_buffer", ImageFormat.JPEG: "jpegload_buffer", ImageFormat.WEBP: "webpload_buffer"}


@dataclass(frozen=True)
class UploadedImage:
    field: str
    data: bytes
    format: ImageFormat
    width: int
    height: int

    @property
    def key(self) -> str:
        """Content-addressed: the same bytes always get the same key, and a key one meaning."""
        return f"themes/sources/{hashlib.sha256(self.data).hexdigest()}.{self.format.value}"


def decode_base64(field: str, text: str) -> bytes:
    """The bytes of a base64 string; a `data:<type>;base64,` prefix and line breaks are allowed."""
    if text.startswith("data:"):
        header, comma, text = text.partition(",")
        if not comma or not header.endswith(";base64"):
            raise Invalid(field, "a data URL must be base64 encoded (data:<type>;base64,...)")
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(field, "is not valid base64") from None
    if not data:
        raise Invalid(field, "is empty")
    return data


def sniff_format(data: bytes) -> ImageFormat | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageFormat.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return ImageFormat.JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageFormat.WEBP
    return None


def probe(field: str, data: bytes, max_pixels: int, max_side: int | None = None) -> UploadedImage:
    """The image's format and size from its header, or Invalid naming `field`."""
    image_format = sniff_format(data)
    if image_format is None:
        raise Invalid(field, "is not a PNG, JPEG or WebP image")
    try:
        # Opening reads the header only; pixels are decoded later, by the tiling job.
        image = pyvips.Image.new_from_buffer(data, "", access="sequential", fail_on="error")
        loader = image.get("vips-loader")
    except pyvips.Error:
        raise Invalid(field, f"is not a readable {image_format.name} image") from None
    if loader != _LOADERS[image_format]:
        raise Invalid(field, f"is not a readable {image_format.name} image")
    if image.width * image.height > max_pixels:
        raise Invalid(
            field, f"is {image.width} × {image.height} px; an image may have at most {max_pixels} pixels"
        )
    if max_side is not None and max(image.width, image.height) > max_side:
        raise Invalid(field, f"is {image.width} × {image.height} px; a side may be at most {max_side} px")
    return UploadedImage(field, data, image_format, image.width, image.height)


def read_upload(field: str, text: str, max_pixels: int, max_side: int) -> UploadedImage:
    return probe(field, decode_base64(field, text), max_pixels, max_side)
