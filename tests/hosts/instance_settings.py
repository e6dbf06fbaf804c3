"""The settings of an app instance started by tests/hosts/test_two_instances.py: production's
(core/settings.py, read from the environment), except for static files, served from the source
folders (WhiteNoise's finders) rather than collected first: `collectstatic` compresses every
file, which takes longer than the whole test, and static files are not what it is about."""

from core.settings import *  # noqa: F403
from core.settings import STORAGES

STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
WHITENOISE_USE_FINDERS = True
