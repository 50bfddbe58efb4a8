"""The admin of 12345 platforms: a write-only secret, and the two decisions on failed messages."""

from waterdesk.hotline12345.models import HotlinePlatform, MessageStatus, OutboundMessage

from .conftest import PLATFORM_SECRET
from .test_delivery import message  # noqa: F401 - fixture
from .test_outbox import NOW

ADD_URL = "/admin/hotline12345/hotlineplatform/add/"


def platform_form(**overrides) -> dict:
    data = {
        "name": "县12345平台",
        "key": "county-12345",
        "secret": "",
        "is_active": "on",
        "timestamp_window_seconds": "300",
        "field_mapping": "{}",
        "outbound_url": "",
        "category_mappings-TOTAL_FORMS": "0",
        "category_mappings-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_new_platform_gets_generated_secret_shown_once(admin_client, preset):
    response = admin_client.post(ADD_URL, platform_form(), follow=True)
    platform = HotlinePlatform.objects.get(key="county-12345")
    assert len(platform.secret) >= 32
    assert platform.secret in response.content.decode()
    change_page = admin_client.get(f"/admin/hotline12345/hotlineplatform/{platform.pk}/change/")
    assert platform.secret not in change_page.content.decode()


def test_blank_secret_keeps_stored_secret(admin_client, platform):
    url = f"/admin/hotline12345/hotlineplatform/{platform.pk}/change/"
    data = platform_form(name=platform.name, key=platform.key)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    platform.refresh_from_db()
    assert platform.secret == PLATFORM_SECRET


def test_short_secret_is_rejected(admin_client, preset):
    response = admin_client.post(ADD_URL, platform_form(secret="short"))
    assert response.status_code == 200
    assert not HotlinePlatform.objects.filter(key="county-12345").exists()


def test_unknown_mapping_field_is_rejected(admin_client, preset):
    response = admin_client.post(ADD_URL, platform_form(field_mapping='{"weather": "tq"}'))
    assert response.status_code == 200
    assert not HotlinePlatform.objects.filter(key="county-12345").exists()


def test_admin_action_sends_failed_message_again(admin_client, message):  # noqa: F811
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    response = admin_client.post(
        "/admin/hotline12345/outboundmessage/",
        {"action": "send_again", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at > NOW
