"""Declarative base: constraint naming (Alembic and SQLite batch mode need names) and column types."""

from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import JSON, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Slack ids are short strings; names and organisations are free text but bounded.
SlackId = Annotated[str, mapped_column(String(32))]
ShortText = Annotated[str, mapped_column(String(200))]
Key = Annotated[str, mapped_column(String(40))]
IntPk = Annotated[int, mapped_column(Integer, primary_key=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }
