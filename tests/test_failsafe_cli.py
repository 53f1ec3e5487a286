"""Issue 16, the command line and Spark: no database from a run that cannot start; loopback Spark."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from saywho.cli import app


def test_run_with_a_missing_archive_creates_no_database(tmp_path: Path) -> None:
    db = tmp_path / "z.db"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "missing.jsonl"), "--db", str(db)])
    assert result.exit_code == 2 and "no such file" in result.output
    assert not db.exists()


def test_spark_local_session_binds_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    import saywho.spark as spark

    seen: dict[str, str] = {}

    class Builder:
        def appName(self, _: str) -> Builder:  # noqa: N802 - pyspark's name
            return self

        def master(self, _: str) -> Builder:
            return self

        def config(self, key: str, value: str) -> Builder:
            seen[key] = value
            return self

        def getOrCreate(self) -> dict[str, str]:  # noqa: N802 - pyspark's name
            return seen

    monkeypatch.delenv("SPARK_LOCAL_IP", raising=False)
    monkeypatch.setattr(spark.SparkSession, "builder", Builder())
    spark.session("local[1]")
    assert seen["spark.driver.host"] == seen["spark.driver.bindAddress"] == "127.0.0.1"
