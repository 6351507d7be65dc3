"""The base every plan record builds on: strict, frozen pydantic models and non-negative decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

NonNegative = Annotated[Decimal, Field(ge=0)]


class Strict(BaseModel):
    """Base of every record: unknown fields are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)
