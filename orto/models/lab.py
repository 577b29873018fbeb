"""Recipes with HACCP critical limits, lab batches, their inputs and critical-point readings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orto.enums import BatchStatus, DateType
from orto.models.base import Base, UtcDateTime, str_enum, utcnow


class Recipe(Base):
    __tablename__ = "recipes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    output_product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    expected_yield: Mapped[int] = mapped_column(Integer)  # base units of the output per batch
    shelf_life_days: Mapped[int] = mapped_column(Integer)
    date_type: Mapped[DateType] = mapped_column(str_enum(DateType))
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    inputs: Mapped[list[RecipeInput]] = relationship(order_by="RecipeInput.id", cascade="all, delete-orphan")
    steps: Mapped[list[RecipeStep]] = relationship(order_by="RecipeStep.position", cascade="all, delete-orphan")


class RecipeInput(Base):
    __tablename__ = "recipe_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # base units per batch


class RecipeStep(Base):
    """A process step; when ``measure`` is set it is a critical control point with limits.

    Values are integers in the measure's scale: temperature in tenths of °C, pH in hundredths,
    time in minutes.
    """

    __tablename__ = "recipe_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    measure: Mapped[str | None] = mapped_column(String(24), default=None)  # temperature_dc, ph_c, minutes
    min_value: Mapped[int | None] = mapped_column(Integer, default=None)
    max_value: Mapped[int | None] = mapped_column(Integer, default=None)


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[BatchStatus] = mapped_column(str_enum(BatchStatus), default=BatchStatus.OPEN)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    output_lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id", use_alter=True), default=None)
    yield_quantity: Mapped[int | None] = mapped_column(Integer, default=None)
    rescued_quantity_g: Mapped[int] = mapped_column(Integer, default=0)  # input near its date
    cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    release_note: Mapped[str | None] = mapped_column(Text, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    inputs: Mapped[list[BatchInput]] = relationship(order_by="BatchInput.id")
    readings: Mapped[list[CriticalReading]] = relationship(order_by="CriticalReading.id")


class BatchInput(Base):
    __tablename__ = "batch_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), default=None)  # taken from
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    rescued: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_cents: Mapped[int] = mapped_column(Integer, default=0)


class CriticalReading(Base):
    __tablename__ = "critical_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("recipe_steps.id"))
    value: Mapped[int] = mapped_column(Integer)
    within_limit: Mapped[bool] = mapped_column(Boolean)
    corrective_action: Mapped[str | None] = mapped_column(Text, default=None)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
