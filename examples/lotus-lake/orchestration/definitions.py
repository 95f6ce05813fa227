"""Dagster code location of lotus-lake, served by `dagster api grpc -m orchestration.definitions`."""

import os

from dagster import Definitions, asset


@asset
def ducklake_catalog() -> str:
    """The DuckLake catalog connection string (Postgres host from DUCKLAKE_DB_HOST)."""
    host = os.environ["DUCKLAKE_DB_HOST"]
    return f"ducklake:postgres:host={host} dbname=ducklake user=ducklake"


defs = Definitions(assets=[ducklake_catalog])
