"""Address keys: the same place typed in different ways gives the same key."""

import pytest

from tests.conftest import order_data
from waterdesk.orders.actions import create_order
from waterdesk.orders.addresses import address_key


@pytest.mark.parametrize(
    "typed",
    [
        "确山县建设路12号",
        "确山县 建设路 12号",
        "确山县建设路１２号",
        "确山县建设路12号。",
        "确山县，建设路12号",
    ],
)
def test_address_variants_share_one_key(typed):
    assert address_key(typed) == "确山县建设路12号"


def test_different_addresses_have_different_keys():
    assert address_key("建设路12号") != address_key("建设路21号")


def test_created_order_stores_its_address_key(dispatcher):
    order, _ = create_order(dispatcher, order_data(address="幸福小区 ５号楼"))
    assert order.address_key == "幸福小区5号楼"
