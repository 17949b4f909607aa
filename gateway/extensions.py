"""Flask extensions, created unbound here and bound to the app in `create_app`."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
# No default limit: only the routes that send mail or check secrets carry one. The store is
# set by RATE_LIMIT_STORAGE_URL (each process's memory unless told otherwise).
limiter = Limiter(key_func=get_remote_address)
