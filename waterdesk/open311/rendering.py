"""Open311 responses in JSON or XML, and its error format: a list of {code, description}."""

import json
import xml.etree.ElementTree as ElementTree

from django.http import HttpResponse

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"

# The element name of one item in each XML list, as the GeoReport v2 examples write them.
XML_ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


class Open311Error(Exception):
    """A request the server cannot serve: HTTP `status` and one description per problem."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def _xml_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ElementTree.Element, tag: str, value) -> None:
    element = ElementTree.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        item_tag = XML_ITEM_TAGS[tag]
        for item in value:
            _append(element, item_tag, item)
    else:
        element.text = _xml_text(value)


def to_xml(root_tag: str, value) -> bytes:
    """Serialize a dict, or a list under the root's item tag, as an XML document."""
    root = ElementTree.Element(root_tag)
    if isinstance(value, list):
        for item in value:
            _append(root, XML_ITEM_TAGS[root_tag], item)
    else:
        for key, item in value.items():
            _append(root, key, item)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def render(value, response_format: str, xml_root: str, status: int = 200) -> HttpResponse:
    if response_format == "xml":
        return HttpResponse(to_xml(xml_root, value), content_type=XML_CONTENT_TYPE, status=status)
    body = json.dumps(value, ensure_ascii=False)
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE, status=status)


def render_error(error: Open311Error, response_format: str) -> HttpResponse:
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(errors, response_format, "errors", status=error.status)
