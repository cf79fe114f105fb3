"""Storage: the repository of records on durable TinyDB day files, and the kiosk's state file."""

from kiosk.storage.repository import Repository, kiosk_id_of

__all__ = ["Repository", "kiosk_id_of"]
