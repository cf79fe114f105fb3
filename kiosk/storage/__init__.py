"""Storage: the repository of records on durable TinyDB day files, and the kiosk's state file."""

from kiosk.storage.repository import Repository

__all__ = ["Repository"]
