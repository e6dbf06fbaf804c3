import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

application = get_asgi_application()

from core.checks import refuse_unsafe_start  # noqa: E402  (needs the app registry)

refuse_unsafe_start()
