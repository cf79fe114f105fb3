"""A meal with a sign-up and a recorder at a chosen moment: what the sign-up, participant and report tests share."""

from __future__ import annotations

from datetime import datetime

from clocks import FixedClock
from icstext import local
from kiosk.calendar.convention import SignupRule
from kiosk.calendar.occurrence import Occurrence
from kiosk.core.records import Recorder

#: Thursday 22 April 2027 at noon, six places.
MEAL = Occurrence(uid="samen-tafelen@test", title="Samen Tafelen", start=local(2027, 4, 22, 12, 0),
                  end=local(2027, 4, 22, 13, 30), signup=SignupRule(True, 6), pictogram="cooking")


def recorder(repo, moment: datetime = local(2027, 4, 20, 10, 0)) -> Recorder:
    """Records made at ``moment`` in In 't Riet."""
    return Recorder(repo, FixedClock(moment), "In 't Riet, Zillebeke")
