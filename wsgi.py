import gc

from dossier import create_app

app = create_app()
# What the app built at start lives as long as the process: keep it out of every later
# collection, and out of the pages a preloaded gunicorn's forked workers would copy when
# the collector touched them (gc.freeze, as the Python documentation advises for pre-fork).
gc.freeze()
