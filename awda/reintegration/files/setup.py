"""Registrations of this area with the case page and the timeline (tabs, event labels), called
from ReintegrationConfig.ready."""


def register():
    pass
