"""Statements captured in a test or a benchmark, told apart by what they do."""

from __future__ import annotations


def statement_kind(sql: str) -> str:
    """ "read", "progress" (an export job's update), "queued" (a task put in the queue), or
    the statement's first word for anything else."""
    if sql.startswith("SELECT"):
        return "read"
    if sql.startswith('UPDATE "assessment_exportjob"'):
        return "progress"
    if sql.startswith('INSERT INTO "django_tasks_database_dbtaskresult"'):
        return "queued"
    return sql.split(" ", 1)[0]
