from dossier import create_app

app = create_app()
