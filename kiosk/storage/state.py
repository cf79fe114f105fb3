"""The kiosk's small state file: identity, sequence checkpoint and bookkeeping, written atomically."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Callable

from kiosk.storage.files import write_atomically


class StateFile:
    """``state.json``: a flat JSON object. ``on_damage(path, detail)`` is called when it is unreadable."""

    def __init__(self, path: Path, on_damage: Callable[[Path, str], None]):
        self.path = path
        self.values: dict[str, Any] = {}
        self.was_damaged = False
        try:
            loaded = json.loads(path.read_bytes())
            if not isinstance(loaded, dict) or not isinstance(loaded.get("kiosk_id"), str):
                raise ValueError("not a kiosk state file")
            self.values = loaded
        except FileNotFoundError:
            pass
        except (ValueError, UnicodeDecodeError) as error:
            on_damage(path, str(error)[:200])
            self.was_damaged = True

    @property
    def is_new(self) -> bool:
        return "kiosk_id" not in self.values

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def update(self, **changes: Any) -> None:
        """Apply ``changes`` and write the file durably (nothing changes in memory if that fails)."""
        new = {**self.values, **changes}
        write_atomically(self.path, json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True).encode())
        self.values = new


def new_kiosk_id() -> str:
    return "kiosk-" + uuid.uuid4().hex[:12]
