"""Staff get Chinese whatever their browser asks for, unless they chose English themselves."""

from django.test import Client


def test_english_browser_still_gets_chinese_login(preset):
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_english_browser_gets_chinese_api_errors(preset):
    response = Client().get("/api/v1/orders", HTTP_ACCEPT_LANGUAGE="en-US")
    assert "登录" in response.json()["error"]["message"]


def test_chosen_english_is_kept(preset):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
