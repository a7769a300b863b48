"""Flask extensions, created unbound and initialised in the factory."""

from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .db import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
# Limits are declared in throttle.py; the storage is RATELIMIT_STORAGE_URI.
limiter = Limiter(get_remote_address, strategy="fixed-window")
