"""What the per-client throttle remembers: one row per counted attempt."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow


class ThrottleEvent(Base):
    """One counted attempt of a client (IP address or IPv6 /64) at one kind of action.

    Rows older than the longest window are of no further use and are deleted as the client
    comes back and by the periodic purge (``frontiers_de.throttling.purge``)."""

    __tablename__ = "throttle_events"
    __table_args__ = (
        Index("ix_throttle_events_scope_client_at", "scope", "client", "occurred_at"),
        Index("ix_throttle_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    client: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
