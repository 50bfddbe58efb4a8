"""Fixtures of the Open311 tests: API keys, a form-posting client, and the official schemas.

The GeoReport v2 JSON Schemas and Swagger file are read from OPEN311_SCHEMA_DIR, by default the
folder shared/data/open311-georeport-v2 beside the repository.
"""

import json
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from waterdesk.open311.models import ApiKey

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = Path(
    os.environ.get("OPEN311_SCHEMA_DIR") or REPO.parent / "shared" / "data" / "open311-georeport-v2"
)
SCHEMA_FILES = (
    "request.json",
    "requests.json",
    "service.json",
    "services.json",
    "service-definition.json",
)
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def _load(name: str) -> dict:
    path = SCHEMA_DIR / name
    if not path.exists():
        pytest.fail(f"Open311 schema {name} not found in {SCHEMA_DIR}; set OPEN311_SCHEMA_DIR")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def schemas() -> dict:
    """Validators by file name, plus the Swagger definitions of the POST and token responses."""
    contents = {name: _load(name) for name in SCHEMA_FILES}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7))
        for name, schema in contents.items()
    )
    validators = {
        name: Draft7Validator(schema, registry=registry) for name, schema in contents.items()
    }
    swagger = _load("swagger.json")["definitions"]
    for definition in ("RequestResponse", "TokenResponse"):
        validators[definition] = Draft7Validator({"type": "array", "items": swagger[definition]})
    return validators


def assert_valid(schemas: dict, name: str, document) -> None:
    errors = [error.message for error in schemas[name].iter_errors(document)]
    assert not errors, errors


def assert_times_have_offsets(request: dict) -> None:
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        value = request.get(field)
        if value is not None:
            assert ISO_WITH_OFFSET.match(value), f"{field}={value!r}"


def parse_xml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    return ElementTree.fromstring(response.content)


def make_key(name: str = "城市服务App") -> tuple[ApiKey, str]:
    row = ApiKey(name=name)
    key = row.set_new_key()
    row.save()
    return row, key


@pytest.fixture
def api_key(preset) -> str:
    return make_key()[1]


def request_form(key: str, **overrides) -> dict:
    form = {
        "api_key": key,
        "service_code": "pipe_leak",
        "address_string": "确山县建设路18号",
        "description": "小区门口水管破裂，水流到马路上。",
        "phone": "13800001234",
        "last_name": "张",
        "first_name": "三",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}
