"""A refusal shown under its field does not repeat the field's label.

The services word a field's refusal for the command line, where one line names the field
(«Cittadinanza: «XX» non è un codice …»); under the field the label is already beside
the message, so the window shows the problem alone («XX» non è un codice …).
"""

from __future__ import annotations

from models.validation import FIELD_LABELS


def message_at_field(field: str, message: str) -> str:
    label = FIELD_LABELS.get(field)
    if not label:
        return message
    for prefix in (f"{label}: ", f"{label.lower()}: ", f"{label.lower()} "):
        if message.lower().startswith(prefix.lower()) and len(message) > len(prefix):
            rest = message[len(prefix) :]
            return rest[0].upper() + rest[1:]
    return message
