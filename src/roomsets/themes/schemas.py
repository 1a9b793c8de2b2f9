import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Protocol

from pydantic import AfterValidator, Field

from roomsets.kit.schemas import RequestModel, UtcDateTime, WireModel
from roomsets.kit.urls import media_uri
from roomsets.themes import models
from roomsets.themes.models import ThemeType, UploadState


class TileRow(Protocol):
    """A stored tile: a ThemeTile, or a row selecting its columns."""

    key: str
    x: int
    y: int
    width: int
    height: int


class Tile(WireModel):
    uri: str
    x: int
    y: int
    width: int
    height: int


class UploadStatus(WireModel):
    request_status_id: uuid.UUID
    user_id: uuid.UUID | None
    request_id: str | None
    status: UploadState
    progress: int = Field(ge=0, le=100)
    failure_reason: str | None
    started_date_time: UtcDateTime | None
    ended_date_time: UtcDateTime | None


class Theme(WireModel):
    social_theme_id: uuid.UUID
    type: ThemeType
    social_theme_name: str
    description: str | None
    color_primary: str | None
    color_secondary: str | None
    color_background: str | None
    color_gradient_background: str | None
    color_button_text: str | None
    color_button_bg: str | None = Field(alias="colorButtonBG")
    image_far_uri: str | None = Field(alias="imageFarURI")
    image_mid_uri: str | None = Field(alias="imageMidURI")
    image_near_uri: str | None = Field(alias="imageNearURI")
    preview_image_uri: str | None = Field(alias="previewImageURI")
    minimap_image_uri: str | None = Field(alias="minimapImageURI")
    image_width: int | None
    image_height: int | None
    template_id: str | None
    default_artifact_set_id: uuid.UUID | None
    date_created: UtcDateTime
    multi_size: bool
    add_to_mini_map: bool
    tiles: list[Tile]
    upload_status: UploadStatus | None

    @classmethod
    def from_model(cls, theme: models.Theme, tiles: Sequence[TileRow], base_url: str) -> "Theme":
        upload_status = None
        if theme.upload_request_status_id is not None and theme.upload_status is not None:
            upload_status = UploadStatus.model_construct(
                request_status_id=theme.upload_request_status_id,
                user_id=theme.upload_user_id,
                request_id=theme.upload_request_id,
                status=theme.upload_status,
                progress=theme.upload_progress or 0,
                failure_reason=theme.upload_failure_reason,
                started_date_time=theme.upload_started_at,
                ended_date_time=theme.upload_ended_at,
            )
        # Trusted rows: constructed without validation (R1 renders many themes and tiles).
        return cls.model_construct(
            social_theme_id=theme.id,
            type=theme.type,
            social_theme_name=theme.name,
            description=theme.description,
            color_primary=theme.color_primary,
            color_secondary=theme.color_secondary,
            color_background=theme.color_background,
            color_gradient_background=theme.color_gradient_background,
            color_button_text=theme.color_button_text,
            color_button_bg=theme.color_button_bg,
            image_far_uri=media_uri(base_url, theme.image_far_key),
            image_mid_uri=media_uri(base_url, theme.image_mid_key),
            image_near_uri=media_uri(base_url, theme.image_near_key),
            preview_image_uri=media_uri(base_url, theme.preview_key),
            minimap_image_uri=media_uri(base_url, theme.minimap_key),
            image_width=theme.image_width,
            image_height=theme.image_height,
            template_id=theme.template_id,
            default_artifact_set_id=theme.default_artifact_set_id,
            date_created=theme.created_at,
            multi_size=theme.multi_size,
            add_to_mini_map=theme.add_to_minimap,
            tiles=[
                Tile.model_construct(uri=media_uri(base_url, t.key) or t.key, x=t.x, y=t.y, width=t.width, height=t.height)
                for t in tiles
            ],
            upload_status=upload_status,
        )


def _css_hex_color(value: str) -> str:
    if not HEX_COLOR.fullmatch(value):
        raise ValueError("must be a CSS hex color: #rgb, #rrggbb or #rrggbbaa")
    return value


HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
HexColor = Annotated[str, AfterValidator(_css_hex_color)]


class ThemeCreate(RequestModel):
    """The theme part of T1. `type` decides which images the request must carry."""

    type: ThemeType
    social_theme_name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    color_primary: HexColor | None = None
    color_secondary: HexColor | None = None
    color_background: HexColor | None = None
    color_gradient_background: HexColor | None = None
    color_button_text: HexColor | None = None
    color_button_bg: HexColor | None = Field(default=None, alias="colorButtonBG")
    template_id: str | None = Field(default=None, max_length=64)
    default_artifact_set_id: uuid.UUID | None = None
    add_to_mini_map: bool = True


class ThemeCustomCreate(RequestModel):
    """T1 body. Images are base64 (PNG, JPEG or WebP); an `image*Id` is the `socialThemeId`
    of a theme the caller may use, whose image for that layer is reused."""

    theme: ThemeCreate
    image_bytes: str | None = Field(default=None, description="SINGLE_IMAGE: the image, base64.")
    image_far_bytes: str | None = Field(default=None, description="LAYERED: the far (back) layer, base64.")
    image_mid_bytes: str | None = Field(default=None, description="LAYERED: the middle layer, base64.")
    image_near_bytes: str | None = Field(default=None, description="LAYERED: the near (front) layer, base64.")
    image_far_id: uuid.UUID | None = Field(
        default=None,
        description="Instead of imageFarBytes (or of imageBytes for SINGLE_IMAGE): the socialThemeId "
        "of a completed theme you may use; its far layer (the image of a SINGLE_IMAGE theme) is reused.",
    )
    image_mid_id: uuid.UUID | None = Field(
        default=None, description="Instead of imageMidBytes: a theme whose middle layer is reused."
    )
    image_near_id: uuid.UUID | None = Field(
        default=None, description="Instead of imageNearBytes: a theme whose near layer is reused."
    )
