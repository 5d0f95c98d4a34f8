"""The pydantic base every blueprint section uses: unknown keys are rejected, not ignored."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    # strict: TOML has real booleans and numbers, so "yes" for a boolean is a typo, not a value.
    # allow_inf_nan off: TOML has inf and nan, and `erase_timeout_minutes = inf` would wait forever.
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, populate_by_name=True, strict=True, allow_inf_nan=False
    )
