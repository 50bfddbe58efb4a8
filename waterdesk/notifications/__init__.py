"""The SMS outbox: messages written with the event that causes them, sent after commit."""
