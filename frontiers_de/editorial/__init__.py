"""The editorial domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan), and the
    directive by which other parts add a panel to the editor's workspace
    (``config.add_workspace_panel(workspace.Panel(...))``)."""
    # Here, not at the top: the lower domains import ``editorial.workflow``, and this
    # package's import must not pull the workspace (and the domains it reads) in with it.
    from frontiers_de.editorial import workspace, workspace_panels

    config.add_directive("add_workspace_panel", workspace.add_panel)
    workspace_panels.register(config)
