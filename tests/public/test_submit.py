"""Submitting on the citizen page: order number, photo checks, CSRF and throttles."""

import pytest
from django.test import Client

from waterdesk.orders.models import WorkOrder
from waterdesk.public.models import CitizenPhoto

from .conftest import (
    JPEG_BYTES,
    PNG_BYTES,
    SUBMIT_URL,
    WEBP_BYTES,
    request_form,
    upload,
)


def submit(client, **overrides):
    return client.post(SUBMIT_URL, request_form(**overrides))


def test_form_page_is_chinese_without_scripts(client, preset):
    response = client.get(SUBMIT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "供水问题报修" in page
    assert "管道漏水/爆管" in page
    assert "csrfmiddlewaretoken" in page
    assert "<script" not in page
    assert 'name="viewport"' in page


def test_submit_creates_web_order_and_shows_number(client, preset):
    response = submit(client)
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert order.channel == "web"
    assert order.status == "new"
    assert order.phone == "13800001234"
    assert order.reporter == "王女士"
    assert order.content == "小区门口水管破裂，水流到马路上。"
    page = client.get(response["Location"]).content.decode()
    assert order.number in page
    assert "诉求已受理" in page


def test_submitted_page_without_submission_goes_to_form(client, preset):
    response = client.get("/public/submitted/")
    assert response.status_code == 302
    assert response["Location"] == SUBMIT_URL


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.jpg", JPEG_BYTES, "image/jpeg"),
        ("a.png", PNG_BYTES, "image/png"),
        ("a.webp", WEBP_BYTES, "image/webp"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_photo_is_stored_with_type_from_its_bytes(
    client, preset, media_root, name, content, content_type
):
    response = client.post(SUBMIT_URL, {**request_form(), "photo": upload(name, content)})
    assert response.status_code == 302
    photo = CitizenPhoto.objects.get()
    assert photo.order == WorkOrder.objects.get()
    assert photo.content_type == content_type
    assert photo.size == len(content)
    assert photo.file.name.startswith("public/photos/")
    # The stored name is random: the citizen's file name is not kept (a random hex name may
    # still end in "a", so compare the whole base name).
    assert photo.file.name.rsplit("/", 1)[-1] != name
    assert (media_root / photo.file.name).read_bytes() == content


def test_image_named_wrongly_is_typed_by_bytes(client, preset):
    client.post(SUBMIT_URL, {**request_form(), "photo": upload("photo.gif", PNG_BYTES)})
    photo = CitizenPhoto.objects.get()
    assert photo.content_type == "image/png"
    assert photo.file.name.endswith(".png")


def test_photo_of_exactly_the_limit_is_accepted(client, preset, settings):
    settings.PUBLIC_PHOTO_MAX_BYTES = 1024 * 1024
    photo = JPEG_BYTES + b"\x00" * (1024 * 1024 - len(JPEG_BYTES))
    response = client.post(SUBMIT_URL, {**request_form(), "photo": upload("max.jpg", photo)})
    assert response.status_code == 302
    assert CitizenPhoto.objects.get().size == 1024 * 1024


def test_oversized_photo_is_rejected_in_chinese(client, preset, settings):
    settings.PUBLIC_PHOTO_MAX_BYTES = 1024 * 1024
    big = JPEG_BYTES + b"\x00" * (1024 * 1024 + 1 - len(JPEG_BYTES))
    response = client.post(SUBMIT_URL, {**request_form(), "photo": upload("big.jpg", big)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "照片超过1 MB，请选择较小的照片。" in page
    assert "确山县建设路18号" in page
    assert not WorkOrder.objects.exists()
    assert not CitizenPhoto.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.jpg", b"this is plain text, not a photo"),
        ("scan.pdf", b"%PDF-1.7\n" + b"\x00" * 64),
        ("anim.gif", b"GIF89a" + b"\x00" * 64),
    ],
    ids=["text", "pdf", "gif"],
)
def test_non_image_is_rejected_in_chinese(client, preset, name, content):
    response = client.post(SUBMIT_URL, {**request_form(), "photo": upload(name, content)})
    assert response.status_code == 400
    assert "不是JPEG、PNG或WebP格式的照片" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_invalid_phone_is_rejected_in_chinese(client, preset):
    response = submit(client, phone="12345")
    assert response.status_code == 400
    assert "电话号码无效" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_missing_fields_are_rejected(client, preset):
    response = client.post(SUBMIT_URL, {"phone": "13800001234"})
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') == 3
    assert not WorkOrder.objects.exists()


def test_address_over_policy_limit_is_rejected(client, preset):
    response = submit(client, address="路" * 201)
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()


def test_post_without_csrf_token_is_forbidden(preset):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SUBMIT_URL, request_form())
    assert response.status_code == 403
    assert not WorkOrder.objects.exists()


def test_post_with_csrf_token_is_accepted(preset):
    client = Client(enforce_csrf_checks=True)
    client.get(SUBMIT_URL)
    token = client.cookies["csrftoken"].value
    response = client.post(SUBMIT_URL, {**request_form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_fourth_request_from_one_phone_is_throttled(client, preset):
    for index in range(3):
        assert submit(client, address=f"建设路{index}号").status_code == 302
    response = submit(client, address="建设路9号")
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert WorkOrder.objects.count() == 3


def test_sixth_request_about_one_address_is_throttled(client, preset):
    for index in range(5):
        assert submit(client, phone=f"1380000{index:04d}").status_code == 302
    response = submit(client, phone="13900009999")
    assert response.status_code == 429
    assert "关于该地址的诉求" in response.content.decode()
    assert WorkOrder.objects.count() == 5


def test_eleventh_post_from_one_client_is_throttled(preset):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for index in range(10):
        client.post(SUBMIT_URL, request_form(phone=f"1380000{index:04d}", address=f"路{index}号"))
    response = submit(client, phone="13900009999", address="新路1号")
    assert response.status_code == 429
    assert WorkOrder.objects.count() == 10
    other_client = Client(REMOTE_ADDR="203.0.113.8")
    assert submit(other_client, phone="13900009999", address="新路1号").status_code == 302
