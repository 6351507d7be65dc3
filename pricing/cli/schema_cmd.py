"""tokenbudget schema: the plan JSON format as a JSON Schema, generated from the plan's own records."""

from __future__ import annotations

from pricing.cli.common import print_json


def arguments(p) -> None:
    p.description = ("Print the JSON Schema (draft 2020-12) of the plan JSON format, generated from "
                     "the pydantic records the app validates plans with, so an editor or a script can "
                     "check a plan file before Token Budget opens it.")
    p.set_defaults(func=run)


def run(args) -> int:
    print_json(plan_schema())
    return 0


def plan_schema() -> dict:
    from pricing.plan.models import PLAN_FORMAT_VERSION, Plan

    schema = Plan.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:tokenbudget:plan:{PLAN_FORMAT_VERSION}",
        **schema,
    }
