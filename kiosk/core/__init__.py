"""The kiosk's domain: record types, validation and use cases. Pure Python: no Kivy, no I/O."""
