"""What the discussions domain does when a message is written: it emails the thread's
other participants (:mod:`frontiers_de.discussions.notifications`)."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.discussions import notifications
from frontiers_de.discussions.events import DiscussionMessagePosted


def includeme(config: Configurator) -> None:
    config.add_subscriber(notifications.message_posted, DiscussionMessagePosted)
