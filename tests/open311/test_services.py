"""Discovery and services: what clients read first, checked against the official schemas."""

from waterdesk.orders.models import Category

from .conftest import assert_valid, parse_xml


def test_discovery_json_lists_this_endpoint(client, preset):
    response = client.get("/open311/v2/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    endpoint = response.json()["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]


def test_discovery_xml_has_formats(client, preset):
    root = parse_xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    formats = [item.text for item in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]


def test_services_json_matches_schema(client, preset, schemas):
    services = client.get("/open311/v2/services.json").json()
    assert_valid(schemas, "services.json", services)
    for service in services:
        assert_valid(schemas, "service.json", service)
    codes = [service["service_code"] for service in services]
    assert "pipe_leak" in codes
    assert services[codes.index("pipe_leak")]["service_name"] == "管道漏水/爆管"


def test_inactive_category_is_not_a_service(client, preset):
    Category.objects.filter(code="meter").update(is_active=False)
    codes = [item["service_code"] for item in client.get("/open311/v2/services.json").json()]
    assert "meter" not in codes


def test_services_xml_has_one_element_per_service(client, preset):
    root = parse_xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == Category.objects.filter(is_active=True).count()
    assert services[0].find("metadata").text == "false"
    assert services[0].find("type").text == "realtime"


def test_service_definition_matches_schema(client, preset, schemas):
    response = client.get("/open311/v2/services/pipe_leak.json")
    assert response.status_code == 200
    assert_valid(schemas, "service-definition.json", response.json())
    assert response.json() == {"service_code": "pipe_leak", "attributes": []}


def test_service_definition_xml(client, preset):
    root = parse_xml(client.get("/open311/v2/services/pipe_leak.xml"))
    assert root.tag == "service_definition"
    assert root.find("service_code").text == "pipe_leak"


def test_unknown_service_definition_is_error_list(client, preset):
    response = client.get("/open311/v2/services/nothing.json")
    assert response.status_code == 404
    error = response.json()[0]
    assert error["code"] == 404
    assert "nothing" in error["description"]


def test_unknown_service_definition_xml_is_errors_document(client, preset):
    response = client.get("/open311/v2/services/nothing.xml")
    root = parse_xml(response)
    assert response.status_code == 404
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"


def test_other_jurisdiction_is_not_found(client, preset, settings):
    settings.OPEN311_JURISDICTION_ID = "queshan.gov.cn"
    assert client.get("/open311/v2/services.json?jurisdiction_id=queshan.gov.cn").status_code == 200
    response = client.get("/open311/v2/services.json?jurisdiction_id=other.gov.cn")
    assert response.status_code == 404


def test_unknown_format_is_not_found(client, preset):
    assert client.get("/open311/v2/services.csv").status_code == 404
