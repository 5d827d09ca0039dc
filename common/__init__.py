"""Helpers shared by every app that hold no model and import no app of the portal.

Everything here may be imported from anywhere (models, migrations, access, services);
nothing here imports a portal app, so imports keep pointing one way.
"""
