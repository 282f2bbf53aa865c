"""gunicorn web.wsgi:application"""

from web.app import create_app

application = create_app()
